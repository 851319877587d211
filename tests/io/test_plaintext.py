"""Plain text and Markdown: encodings are detected, binary files are refused."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.reader import read_document

SAMPLE = "Interviewer: café – ‘quoted’ “naïve” £5\nP1: Ça va… oui."


def _write(tmp_path: Path, data: bytes, name: str = "t.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16"), "utf-16-le"),  # Python writes a BOM, little-endian here
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by its NUL bytes
        (SAMPLE.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    doc = read_document(_write(tmp_path, data))
    assert doc.text == SAMPLE
    assert doc.metadata["encoding"] == encoding


def test_short_windows_1252_text_is_read_as_windows_1252(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "café – ‘quoted’".encode("cp1252")))
    assert doc.text == "café – ‘quoted’"
    assert doc.metadata["encoding"] == "cp1252"


def test_line_ends_and_normalisation_are_canonical(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "Cafe\u0301\r\nline two\rthree\n\n\n".encode()))
    assert doc.text == "Café\nline two\nthree"
    assert [doc.text[line.start : line.end] for line in doc.lines] == [
        "Café",
        "line two",
        "three",
    ]


def test_markdown_is_kept_as_written(tmp_path: Path) -> None:
    source = "# Interview 3\n\n**Interviewer:** So *how* was it?\n\n- a list item\n"
    doc = read_document(_write(tmp_path, source.encode(), "notes.md"))
    assert doc.text == source.rstrip("\n")
    assert doc.source_format == "md"


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (random.Random(7).randbytes(4000), ""),
        (b"hello\x00world\x00\x01\x02" * 50, "NUL bytes"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF file"),
        (b"PK\x03\x04\x14\x00\x00\x00" + bytes(100), "ZIP archive"),
        (bytes(range(1, 9)) * 100, "control characters"),
    ],
)
def test_binary_junk_named_txt_is_refused(tmp_path: Path, data: bytes, detail: str) -> None:
    path = _write(tmp_path, data, "junk.txt")
    with pytest.raises(DocumentReadError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith("junk.txt: does not look like a text file")
    assert detail in message


def test_broken_utf16_after_a_bom_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, codecs.BOM_UTF16_LE + b"a\x00\x00\xd8", "broken.txt")
    with pytest.raises(DocumentReadError, match=r"^broken\.txt: is not valid UTF-16-LE text"):
        read_document(path)
