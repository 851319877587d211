"""read_document: dispatch, the document it builds, and the failures every format shares."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.text.textlayout import compute_lines
from thematic_workbench.io import reader as reader_module
from thematic_workbench.io.reader import SUPPORTED_EXTENSIONS, read_document


def _error(path: Path, **kwargs: object) -> DocumentReadError:
    with pytest.raises(DocumentReadError) as info:
        read_document(path, **kwargs)
    assert str(info.value).startswith(f"{path.name}: ")
    assert info.value.path == str(path)
    return info.value


def test_supported_extensions_cover_every_format() -> None:
    assert SUPPORTED_EXTENSIONS == (
        ".txt",
        ".md",
        ".docx",
        ".odt",
        ".rtf",
        ".pdf",
        ".vtt",
        ".srt",
    )


def test_builds_the_document_from_a_text_file(tmp_path: Path) -> None:
    data = b"Interviewer: Hello.\r\n\r\nP1: Hi there.\r\n"
    path = tmp_path / "PA interview.TXT"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.name == "PA interview"
    assert doc.source_name == "PA interview.TXT"
    assert doc.source_format == "txt"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.text == "Interviewer: Hello.\n\nP1: Hi there."
    assert doc.wrap_width == 80
    assert doc.lines == tuple(compute_lines(doc.text, 80))
    assert [(t.speaker, doc.text[t.speech_start : t.end]) for t in doc.turns] == [
        ("Interviewer", "Hello."),
        ("P1", "Hi there."),
    ]
    assert doc.metadata == {"encoding": "utf-8"}


def test_name_and_wrap_can_be_chosen(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("word " * 30, encoding="utf-8")
    doc = read_document(path, wrap=20, name="  PB  ")
    assert doc.name == "PB"
    assert doc.source_format == "md"
    assert doc.wrap_width == 20
    assert len(doc.lines) > 1
    assert all(line.end - line.start <= 20 for line in doc.lines)


def test_a_wrap_width_out_of_range_is_a_programming_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="wrap width"):
        read_document(path, wrap=5)


def test_missing_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "nowhere.docx")
    assert err.reason == "file not found"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "interviews.txt"
    folder.mkdir()
    assert _error(folder).reason == "is a folder, not a file"


def test_unknown_extension_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "notes.xyz"
    path.write_text("hello", encoding="utf-8")
    err = _error(path)
    assert "unsupported file type '.xyz'" in err.reason
    for ext in SUPPORTED_EXTENSIONS:
        assert ext in err.reason


def test_no_extension(tmp_path: Path) -> None:
    path = tmp_path / "README"
    path.write_text("hello", encoding="utf-8")
    assert "no extension" in _error(path).reason


@pytest.mark.parametrize("ext", SUPPORTED_EXTENSIONS)
def test_empty_file_of_every_format(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"empty{ext}"
    path.write_bytes(b"")
    assert _error(path).reason == "is empty (0 bytes)"


@pytest.mark.parametrize("content", [" \n\t\n", "\ufeff\n\n", "\n\r\n"])
def test_a_file_with_only_white_space_contains_no_text(tmp_path: Path, content: str) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(content, encoding="utf-8")
    assert _error(path).reason == "contains no text"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("hello", encoding="utf-8")
    path.chmod(0)
    try:
        assert _error(path).reason == "cannot be read (permission denied)"
    finally:
        path.chmod(0o600)


def test_an_unforeseen_library_failure_becomes_a_read_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: bytes, path: Path) -> None:
        raise KeyError("word/styles.xml")

    monkeypatch.setitem(reader_module._READERS, ".docx", (broken, "a Word document"))
    path = tmp_path / "odd.docx"
    path.write_bytes(b"PK")
    err = _error(path)
    assert err.reason.startswith("could not be read as a Word document")
    assert "KeyError" in err.reason
    assert isinstance(err.__cause__, KeyError)
