"""Faults get clear words: a full disk, a refused write, a file name that is not UTF-8.

Each fault ends the command with exit 1 and one line naming the file, never a traceback or a
library's web address, and leaves nothing half-written: no lock file, no partial export, a
project that still opens, verifies and holds what it held.

The full disk is a real one: a small tmpfs, mounted when the tests run as root (as CI does);
elsewhere those tests skip and say why. Permission tests run as root without the capability
to override file permissions (``setpriv``), so chmod bites there too.
"""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from thematic_workbench.app.demo import build_demo

PROG = "thematic-workbench"
TINY_DISK_BYTES = 4 << 20
NEVER_SAID = ("Traceback", "Exception ignored", "sqlalche.me", "http://", "https://",
              "OperationalError", "UnicodeEncodeError")


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_disk_mount(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 4 MiB tmpfs of our own, or a skip saying why there is none."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the full-disk tests mount a tmpfs, which only Linux has")
    if os.geteuid() != 0:
        pytest.skip("the full-disk tests mount a small tmpfs, which needs root (CI runs as "
                    "root); run them as root to see them")
    if shutil.which("mount") is None or shutil.which("umount") is None:
        pytest.skip("the full-disk tests need mount and umount (util-linux)")
    folder = tmp_path_factory.mktemp("tiny-disk")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TINY_DISK_BYTES}",
                              "tmpfs", str(folder)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); a container "
                    "without CAP_SYS_ADMIN cannot")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def disk(tiny_disk_mount: Path) -> Path:
    """The tiny disk, emptied for each test."""
    for entry in tiny_disk_mount.iterdir():
        entry.unlink()
    return tiny_disk_mount


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo study (codes, themes, diary, attributes): every export has something to say."""
    path = tmp_path_factory.mktemp("demo") / "demo.thematic"
    build_demo(path)
    return path


def fill(disk: Path, leave: int) -> None:
    """Fill the disk until only ``leave`` bytes are free."""
    room = os.statvfs(disk)
    free = room.f_bavail * room.f_frsize
    with open(disk / "filler", "wb") as stream:
        stream.write(b"\0" * max(0, free - leave))


def free_up(disk: Path) -> None:
    (disk / "filler").unlink()


def one_line(run: Run) -> str:
    """The error line; fails unless the command said exactly one line, plainly."""
    assert run.code == 1, run
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    for phrase in NEVER_SAID:
        assert phrase not in run.err, run.err
    return lines[0]


def contents(project: Path) -> dict[str, int]:
    """What the project holds, counted, read without changing it."""
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("document", "coding", "code", "audit_event")}
    finally:
        conn.close()


def assert_still_sound(cli: Callable[..., Run], project: Path, before: dict[str, int]) -> None:
    """The project opens for every verb, its audit trail verifies, nothing was added."""
    assert cli("documents", str(project)).code == 0
    verified = cli("audit", str(project), "--verify")
    assert verified.code == 0, verified.err
    assert contents(project) == before


def leftovers(folder: Path) -> list[str]:
    """Lock files, partial exports, empty files: what a failure must never leave behind.

    SQLite's own side files (``-wal``, ``-shm``) are not counted: they belong to the project,
    and the next open folds them in (checked by :func:`assert_still_sound`).
    """
    return sorted(p.name for p in folder.iterdir()
                  if not p.name.endswith(("-wal", "-shm"))
                  and (p.name.endswith((".lock", ".part")) or p.stat().st_size == 0))


@pytest.fixture
def no_unraisable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Collect "Exception ignored in ..." (a zip file closed by the garbage collector)."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook",
                        lambda info: seen.append(f"{info.object!r}: {info.exc_value!r}"))
    yield seen
    gc.collect()
    assert seen == []


# -- a full disk ----------------------------------------------------------------------------
@pytest.mark.parametrize("leave", [0, 16 << 10, 96 << 10], ids=["no room", "16 KiB", "96 KiB"])
def test_new_on_a_full_disk_says_so_and_leaves_nothing(disk: Path, cli: Callable[..., Run],
                                                       leave: int) -> None:
    fill(disk, leave)
    project = disk / "study.thematic"
    line = one_line(cli("new", str(project)))
    assert line == f"{PROG}: error: the disk holding {project} is full; nothing was changed"
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no lock, no empty project


@pytest.mark.parametrize("leave", [0, 16 << 10, 64 << 10], ids=["no room", "16 KiB", "64 KiB"])
def test_import_on_a_full_disk_stores_nothing(disk: Path, cli: Callable[..., Run],
                                              demo_project: Path, leave: int) -> None:
    project = disk / "demo.thematic"
    shutil.copy(demo_project, project)
    before = contents(project)
    transcript = disk / "PE-long.txt"
    transcript.write_text("".join(f"PE: answer {n}, about the work and how it weighs.\n"
                                  for n in range(3000)), encoding="utf-8")
    fill(disk, leave)
    line = one_line(cli("import", str(project), str(transcript)))
    assert line.startswith(f"{PROG}: error: the disk holding {project} is full; ")
    assert line.endswith(("nothing was changed", "nothing was imported"))
    assert leftovers(disk) == []
    free_up(disk)
    assert_still_sound(cli, project, before)


@pytest.mark.parametrize("leave", [0, 16 << 10], ids=["no room", "16 KiB"])
def test_code_on_a_full_disk_changes_nothing(disk: Path, cli: Callable[..., Run],
                                             demo_project: Path, leave: int) -> None:
    project = disk / "demo.thematic"
    shutil.copy(demo_project, project)
    before = contents(project)
    fill(disk, leave)
    line = one_line(cli("code", str(project), "PD-art-therapist", "a new code", "--lines", "3-4"))
    assert line == f"{PROG}: error: the disk holding {project} is full; nothing was changed"
    assert leftovers(disk) == []
    free_up(disk)
    assert_still_sound(cli, project, before)


EXPORTS = [("table1", ".docx"), ("table1", ".csv"), ("table1", ".xlsx"), ("extracts", ".docx"),
           ("codebook", ".qdc"), ("codebook", ".xlsx"), ("project", ".qdpx"),
           ("diary", ".docx"), ("audit", ".docx"), ("audit", ".csv"), ("map", ".png"),
           ("map", ".svg"), ("segments", ".xlsx"), ("segments", ".docx"),
           ("attributes", ".xlsx")]


@pytest.mark.parametrize(("kind", "suffix"), EXPORTS, ids=[k + s for k, s in EXPORTS])
def test_export_to_a_full_disk_writes_nothing(disk: Path, cli: Callable[..., Run],
                                              demo_project: Path, no_unraisable: list[str],
                                              kind: str, suffix: str) -> None:
    target = disk / f"out{suffix}"
    fill(disk, 0)
    line = one_line(cli("export", kind, str(demo_project), str(target)))
    assert line == f"{PROG}: error: the disk holding {target} is full; nothing was changed"
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no partial file


def test_table1_to_a_full_disk_prints_one_line_from_the_real_command(
        disk: Path, demo_project: Path) -> None:
    """The whole process's output: no "Exception ignored in ZipFile.__del__" at exit."""
    target = disk / "table1.docx"
    fill(disk, 0)
    done = subprocess.run([sys.executable, "-m", "thematic_workbench", "export", "table1",
                           str(demo_project), str(target)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == (f"{PROG}: error: the disk holding {target} is full; "
                           "nothing was changed\n")
    assert not target.exists()


# -- a refused write ------------------------------------------------------------------------
def _without_override() -> list[str]:
    """A command prefix under which file permissions apply, even to root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and setpriv (util-linux) is missing to drop the "
                    "capability that lets root write anywhere")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def _run_plainly(*argv: str) -> Run:
    done = subprocess.run([*_without_override(), sys.executable, "-m", "thematic_workbench",
                           *argv], capture_output=True, text=True,
                          env=dict(os.environ, THEMATIC_CODER="alice"))
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def locked_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_export_into_a_folder_without_write_permission(locked_folder: Path,
                                                        demo_project: Path) -> None:
    target = locked_folder / "table1.docx"
    line = one_line(_run_plainly("export", "table1", str(demo_project), str(target)))
    assert line == (f"{PROG}: error: cannot write {target}: permission denied; "
                    "nothing was changed")
    assert list(locked_folder.iterdir()) == []


def test_new_in_a_folder_without_write_permission(locked_folder: Path) -> None:
    project = locked_folder / "study.thematic"
    line = one_line(_run_plainly("new", str(project)))
    assert str(project) in line and "Permission denied" in line
    assert list(locked_folder.iterdir()) == []


def test_a_lock_file_that_cannot_be_written(tmp_path: Path, demo_project: Path,
                                            cli: Callable[..., Run]) -> None:
    project = tmp_path / "demo.thematic"
    shutil.copy(demo_project, project)
    before = contents(project)
    lock = tmp_path / "demo.thematic.lock"
    lock.write_text("")
    lock.chmod(0o444)
    line = one_line(_run_plainly("code", str(project), "PD-art-therapist", "x", "--lines",
                                 "3-4"))
    assert line == (f"{PROG}: error: {project}: cannot write its lock file demo.thematic.lock "
                    "(Permission denied); check that file's permissions")
    lock.chmod(0o644)
    lock.unlink()
    assert_still_sound(cli, project, before)


# -- a file name that is not UTF-8 ----------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_imported_and_shown(tmp_path: Path,
                                                            cli: Callable[..., Run]) -> None:
    project = tmp_path / "study.thematic"
    assert cli("new", str(project)).code == 0
    name = os.fsdecode(b"caf\xe9-PA.txt")  # Latin-1 bytes: "caf\udce9-PA.txt" in Python
    (tmp_path / name).write_text("PA: the coffee was always cold.\n", encoding="utf-8")
    done = cli("import", str(project), str(tmp_path / name))
    assert done.code == 0, done.err
    assert done.out == "caf\ufffd-PA.txt: imported as 'caf\ufffd-PA'\n"
    listed = cli("documents", str(project))
    assert "caf\ufffd-PA" in listed.out
    conn = sqlite3.connect(project)
    try:
        stored = conn.execute("SELECT name, source_name FROM document").fetchall()
    finally:
        conn.close()
    assert stored == [("caf\ufffd-PA", "caf\ufffd-PA.txt")]
    assert cli("code", str(project), "caf\ufffd-PA", "cold coffee", "--lines", "1").code == 0
    table = tmp_path / "segments.csv"
    assert cli("export", "segments", str(project), str(table)).code == 0
    assert "caf\ufffd-PA" in table.read_text(encoding="utf-8-sig")
    assert cli("audit", str(project), "--verify").code == 0


# -- a library's words ----------------------------------------------------------------------
def test_an_unforeseen_database_error_never_shows_a_web_address(
        tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    from thematic_workbench.cli import project as cli_project

    def broken(_args: object) -> int:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such table: x"))

    monkeypatch.setitem(cli_project.HANDLERS, "documents", broken)
    done = cli("documents", str(tmp_path / "x.thematic"))
    assert done.code == 1
    assert done.err == (f"{PROG}: error: unexpected problem (OperationalError: no such table: "
                        "x); nothing was saved from the unfinished step. Set THEMATIC_DEBUG=1 "
                        "to see the details.\n")  # no SQL text, no "Background on this error at"


def test_a_full_disk_part_way_through_an_import_names_what_was_not_imported(
        tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic_workbench.app import importing

    project = tmp_path / "study.thematic"
    assert cli("new", str(project)).code == 0
    files = []
    for label in ("PA", "PB", "PC"):
        files.append(tmp_path / f"{label}.txt")
        files[-1].write_text(f"{label}: a sentence of my own.\n", encoding="utf-8")
    real = importing.import_document

    def full_after_one(tx: object, document: object, *args: object, **kwargs: object) -> object:
        if document.source_name != "PA.txt":  # type: ignore[attr-defined]
            raise sqlite3.OperationalError("database or disk is full")
        return real(tx, document, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "import_document", full_after_one)
    done = cli("import", str(project), *map(str, files))
    assert done.code == 1
    assert done.out == "PA.txt: imported as 'PA'\n"
    assert done.err == (f"{PROG}: error: the disk holding {project} is full; PB.txt and the "
                        "1 file after it were not imported\n")
    assert contents(project)["document"] == 1
