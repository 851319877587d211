"""``export transcript PROJECT DOCUMENT OUT.pdf [--code NAME] [--coded-by NAME]`` as a
contract: the PDF read back, the filters, and a document, code or file that will not do
leaving no file and one line saying why."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.conftest import Run
from thematic_workbench.app.demo import build_demo

DOCUMENT = "PC-nurse-therapist"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.thematic")


def _text(path: Path) -> str:
    """The PDF's words, a name wrapped in the margin joined again (spaces for line ends)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages)
                    .split())


def test_export_transcript_writes_the_coded_transcript(demo: Path, tmp_path: Path,
                                                       cli: Callable[..., Run]) -> None:
    out = tmp_path / "PC.pdf"
    run = cli("export", "transcript", str(demo), DOCUMENT.lower(), str(out))
    assert run.code == 0, run.err
    pages = len(PdfReader(str(out)).pages)
    assert run.out.strip() == f"wrote {DOCUMENT} to {out} ({pages} pages, 12 codings shown)"
    text = _text(out)
    assert f"Page 1 of {pages}" in text and DOCUMENT in text
    assert "1 Interviewer: Okay, I think we're recording now." in text
    assert "3 PC: Sure. I'm a psychiatric nurse by background" in text
    for code in ("Dual role: care and protection", "Trust built slowly", "Carrying it home"):
        assert code in text
    assert "Echoes PA almost word for word." in text  # a coding memo, as a note


def test_code_filter_leaves_the_other_codes_out(demo: Path, tmp_path: Path,
                                                cli: Callable[..., Run]) -> None:
    out = tmp_path / "two codes.pdf"
    run = cli("export", "transcript", str(demo), DOCUMENT, str(out), "--code",
              "trust built slowly", "--code", "Carrying it home", "--json")
    assert run.code == 0, run.err
    said = json.loads(run.out)
    assert said["kind"] == "transcript" and said["file"] == str(out)
    assert "2 codings shown" in said["message"]
    text = _text(out)
    assert "Codes: Trust built slowly, Carrying it home" in text
    assert "Trust built slowly" in text and "Carrying it home" in text
    assert "Dual role: care and protection" not in text and "Naming the coercion" not in text
    assert "Echoes PA" not in text  # the memo of a coding left out goes with it


def test_coder_filter(demo: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    out = tmp_path / "by nobody.pdf"
    run = cli("export", "transcript", str(demo), DOCUMENT, str(out), "--coded-by", "ghost")
    assert run.code == 1 and run.err.strip() == \
        "thematic-workbench: error: no coder named 'ghost'"
    assert not out.exists()


@pytest.mark.parametrize("argv, message", [
    (("PZ-nobody", "out.pdf"), "no document named 'PZ-nobody'"),
    ((DOCUMENT, "out.pdf", "--code", "No such code"), "no code named 'No such code'"),
    ((DOCUMENT, "out.docx"), "out.docx: the coded transcripts can be written as .pdf, "
                             "not '.docx'"),
    ((DOCUMENT, "out.pdf", "--theme", "Serving two masters"),
     "export transcript does not filter by --theme: it prints a transcript whole, with "
     "--code and --coded-by choosing the codings shown"),
    ((DOCUMENT,), "export transcript needs the document and the PDF: "
                  "export transcript PROJECT DOCUMENT OUT.pdf"),
])
def test_what_will_not_do_is_said_in_one_line(demo: Path, tmp_path: Path,
                                              cli: Callable[..., Run],
                                              monkeypatch: pytest.MonkeyPatch,
                                              argv: tuple[str, ...], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("export", "transcript", str(demo), *argv)
    assert run.code == 1
    assert run.err.strip() == f"thematic-workbench: error: {message}"
    assert list(tmp_path.iterdir()) == []  # no PDF, not even half of one


def test_other_exports_take_one_file(demo: Path, tmp_path: Path,
                                     cli: Callable[..., Run]) -> None:
    run = cli("export", "table1", str(demo), str(tmp_path / "a.docx"), str(tmp_path / "b.docx"))
    assert run.code == 1 and "takes one file to write" in run.err
    assert list(tmp_path.iterdir()) == []


def test_pdftotext_shows_numbers_words_and_codes(demo: Path, tmp_path: Path,
                                                 cli: Callable[..., Run]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed here")
    out = tmp_path / "PC.pdf"
    assert cli("export", "transcript", str(demo), DOCUMENT, str(out)).code == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    rows = [row.split() for row in text.splitlines() if row.strip()]
    assert ["9", "PC:", "It's", "strange,"] in [row[:4] for row in rows]
    assert "Naming the coercion" in " ".join(" ".join(row) for row in rows)
