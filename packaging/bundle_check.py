"""Run a built bundle as a researcher would, with no Python and no project tools around it.

    python packaging/bundle_check.py dist/thematic-workbench/thematic-workbench

Each step runs the bundled program in a bare environment (a fresh home folder, a PATH of
system folders only) and checks what it printed or wrote: ``--version``, ``new``, ``import``
of a Word transcript, ``code``, ``theme``, ``export table1`` (a Word file with its table), ``audit
--verify``, ``demo``, and the window opened offscreen on the project and closed again (the
project then listed among the recent ones). The first failure stops the check with the
step's output and exit code 1; a missing data file in the bundle shows here, not on a
researcher's machine.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document

TRANSCRIPT = (
    ("INTERVIEWER", "How did the first sessions go?"),
    ("PA", "I wore two hats, the therapist and the one who reports to the court."),
    ("INTERVIEWER", "And the client?"),
    ("PA", "He tested every boundary at first, then trust came slowly."),
)


class CheckFailed(Exception):
    pass


def _transcript(path: Path) -> None:
    document = Document()
    for speaker, words in TRANSCRIPT:
        document.add_paragraph(f"{speaker}: {words}")
    document.save(str(path))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    program = Path(argv[0]).resolve()
    if not program.is_file():
        print(f"bundle_check: {program}: no bundled program there (run make bundle)",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="twb-bundle-") as folder:
        try:
            _check(program, Path(folder))
        except CheckFailed as failure:
            print(f"bundle_check: FAILED: {failure}", file=sys.stderr)
            return 1
    print("bundle_check: every step passed")
    return 0


def _check(program: Path, work: Path) -> None:
    home = work / "home"
    home.mkdir()
    environment = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                   "QT_QPA_PLATFORM": "offscreen", "THEMATIC_CODER": "alice"}

    def run(name: str, *args: str, expect: Callable[[str], bool] = lambda _out: True,
            extra: dict[str, str] | None = None) -> str:
        started = time.monotonic()
        done = subprocess.run([str(program), *args], capture_output=True, text=True,
                              cwd=work, env={**environment, **(extra or {})}, timeout=300,
                              check=False)
        took = time.monotonic() - started
        if done.returncode != 0 or not expect(done.stdout) or "Traceback" in done.stderr:
            raise CheckFailed(f"{name} (exit {done.returncode}):\n{done.stdout}{done.stderr}")
        print(f"ok  {name} ({took:.1f} s)")
        return done.stdout

    project = work / "study.thematic"
    transcript = work / "PA.docx"
    _transcript(transcript)
    run("--version", "--version", expect=lambda out: out.startswith("thematic-workbench "))
    run("new", "new", str(project), "--title", "Working alliance")
    run("import a .docx", "import", str(project), str(transcript), "--participant", "PA")
    run("code", "code", str(project), "PA", "Dual role", "--match", "two hats")
    run("theme", "theme", str(project), "add", "Serving two masters", "--level", "emerging")
    run("theme assign", "theme", str(project), "assign", "Dual role", "Serving two masters")
    table = work / "Table 1.docx"
    run("export table1", "export", "table1", str(project), str(table), "--counts")
    with zipfile.ZipFile(table) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    if "<w:tbl>" not in body or "Dual role" not in body:
        raise CheckFailed(f"export table1: {table.name} holds no table naming the code")
    run("audit --verify", "audit", str(project), "--verify",
        expect=lambda out: out.startswith("audit trail intact"))
    run("demo", "demo", str(work / "demo.thematic"))
    run("the window, opened on the project and closed", str(project),
        extra={"TWB_QUIT_AFTER_MS": "3000"})
    settings = "\n".join(path.read_text(encoding="utf-8", errors="replace")
                         for path in (home / ".config").rglob("*.conf"))
    if str(project) not in settings:
        raise CheckFailed("the window: the project is not among the recent ones, so the "
                          "window did not open it")
    run("audit --verify after the window", "audit", str(project), "--verify",
        expect=lambda out: out.startswith("audit trail intact"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
