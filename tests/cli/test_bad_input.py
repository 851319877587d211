"""Every bad input gets exit code 1, a message naming the file and the reason, and an
unchanged project."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.io.samples import docx_bytes, docx_xml, patch_central_sizes

BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _dump(project: Path) -> list[str]:
    """Everything in the project database, as SQL text, for before/after comparison."""
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    path = tmp_path / "study.thematic"
    assert cli("new", str(path)).code == 0
    good = tmp_path / "PA.txt"
    good.write_text("Interviewer: Hello.\nPA: It can never be wholly collaborative.\n",
                    encoding="utf-8")
    assert cli("import", str(path), str(good)).code == 0
    return path


def _bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the reason must contain)."""
    def write(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    huge = patch_central_sizes(docx_bytes(docx_xml("<w:p><w:r><w:t>hi</w:t></w:r></w:p>")),
                               "word/document.xml", file_size=0xFFFFFFF0)
    return {
        "empty": (write("empty.txt", b""), "empty"),
        "binary junk": (write("junk.txt", os.urandom(2048) + b"\x00\x00\x89PNG"), "text"),
        "docx not a zip": (write("fake.docx", b"this is not a zip archive at all"), "ZIP"),
        "docx entity expansion": (write("lol.docx", docx_bytes(docx_xml(
            "<w:p><w:r><w:t>&lol3;</w:t></w:r></w:p>", BILLION_LAUGHS))), "entit"),
        "docx external entity": (write("xxe.docx", docx_bytes(docx_xml(
            "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", EXTERNAL))), "entit"),
        "zip bomb": (write("bomb.docx", huge), "ZIP bomb"),
        "unknown extension": (write("notes.xyz", b"PA: hello"), "supported"),
        "missing file": (folder / "not-there.txt", "not found"),
    }


@pytest.mark.parametrize("case", [
    "empty", "binary junk", "docx not a zip", "docx entity expansion", "docx external entity",
    "zip bomb", "unknown extension", "missing file",
])
def test_bad_transcript(case: str, project: Path, tmp_path: Path,
                        cli: Callable[..., Run]) -> None:
    path, reason = _bad_files(tmp_path)[case]
    before = _dump(project)
    run = cli("import", str(project), str(path))
    assert run.code == 1
    assert path.name in run.err, run.err
    assert reason.lower() in run.err.lower(), run.err
    assert "Traceback" not in run.err
    assert _dump(project) == before


def test_one_bad_file_does_not_stop_the_others(project: Path, tmp_path: Path,
                                               cli: Callable[..., Run]) -> None:
    good = tmp_path / "PB.txt"
    good.write_text("Interviewer: Hi.\nPB: Hello.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    run = cli("import", str(project), str(empty), str(good))
    assert run.code == 1 and "empty.txt" in run.err and "PB.txt: imported as 'PB'" in run.out


def test_project_path_that_is_not_a_project(tmp_path: Path, cli: Callable[..., Run]) -> None:
    fake = tmp_path / "thesis.docx"
    fake.write_bytes(b"PK\x03\x04 not a project")
    run = cli("documents", str(fake))
    assert run.code == 1 and "thesis.docx" in run.err and "not a Thematic Workbench project" \
        in run.err
    assert fake.read_bytes() == b"PK\x03\x04 not a project"


def test_read_only_project_file(project: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    good = tmp_path / "PC.txt"
    good.write_text("PC: hello", encoding="utf-8")
    before = _dump(project)
    os.chmod(project, 0o444)
    try:
        run = cli("import", str(project), str(good))
    finally:
        os.chmod(project, 0o644)
    assert run.code == 1 and project.name in run.err and "read-only" in run.err
    assert _dump(project) == before


def test_match_text_that_is_absent(project: Path, cli: Callable[..., Run]) -> None:
    before = _dump(project)
    run = cli("code", str(project), "PA", "Coercion", "--match", "wholly voluntary")
    assert run.code == 1 and "'wholly voluntary' is not in 'PA'" in run.err
    assert _dump(project) == before  # not even the new code was kept


def test_bad_usage_exits_2(project: Path, cli: Callable[..., Run]) -> None:
    assert cli("code", str(project), "PA", "Coercion").code == 2
    assert cli("phase", str(project), "7", "--note", "x").code == 2
    assert cli("import", str(project), "x.txt", "--wrap", "wide").code == 2
