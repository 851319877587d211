"""RTF through striprtf and PDF through pypdf's text layer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from tests.io.samples import pdf_bytes, refusal_reason, write_sample
from thematic_workbench.io.reader import read_document

RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}"
    r"{\info{\title Interview PC}{\author Ann}}"
    "\n"
    r"\f0\fs24 Interviewer: How was the caf\'e9 \u8211? honestly?\par"
    "\n"
    r"PC: It was \b fine\b0 .\line Really.\par"
    "\n"
    r"Interviewer: Good.\tab Thanks.\par}"
)


def _write(tmp_path: Path, data: bytes, name: str) -> Path:
    return write_sample(tmp_path, data, name)


_refused = refusal_reason


def test_rtf_text_and_speakers(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, RTF.encode("ascii"), "PC.rtf"))
    assert doc.text == (
        "Interviewer: How was the café – honestly?\n"
        "PC: It was fine.\nReally.\n"
        "Interviewer: Good.\tThanks."
    )
    assert [t.speaker for t in doc.turns] == ["Interviewer", "PC", "Interviewer"]
    assert doc.metadata["encoding"] == "cp1252"


def test_rtf_with_raw_8bit_bytes(tmp_path: Path) -> None:
    data = rb"{\rtf1\ansi Caf" + "é – ok\\par}".encode("cp1252")
    assert read_document(_write(tmp_path, data, "raw.rtf")).text == "Café – ok"


def test_not_rtf(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Just text with an .rtf name", "fake.rtf")
    assert _refused(path) == r"is not an RTF file (it does not start with {\rtf)"


def test_pdf_pages_in_order(tmp_path: Path) -> None:
    data = pdf_bytes(
        [["Interviewer: First question (about trust)?", "PD: An answer."], ["PD: Page two."]],
        title="PD interview",
    )
    doc = read_document(_write(tmp_path, data, "PD.pdf"))
    assert doc.text == (
        "Interviewer: First question (about trust)?\nPD: An answer.\n\nPD: Page two."
    )
    assert doc.metadata == {"title": "PD interview", "pages": "2"}
    assert [t.speaker for t in doc.turns] == ["Interviewer", "PD", "PD"]


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = _write(tmp_path, buffer.getvalue(), "scan.pdf")
    assert _refused(path) == (
        "has no text layer (it may be a scanned image); run OCR first and import the result"
    )


def _encrypted(user_password: str, owner_password: str) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes([["Secret words."]]))))
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_password_protected_pdf(tmp_path: Path) -> None:
    path = _write(tmp_path, _encrypted("secret", "owner"), "locked.pdf")
    assert _refused(path).startswith("is protected by a password;")


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    path = _write(tmp_path, _encrypted("", "owner"), "restricted.pdf")
    assert read_document(path).text == "Secret words."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\nthis is not really a pdf\n", "could not be read as a PDF"),
        (pdf_bytes([["Some text."]])[:60], "could not be read as a PDF"),
        (b"Not a PDF at all", "is not a PDF file (no %PDF header)"),
    ],
)
def test_corrupt_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, reason: str
) -> None:
    path = _write(tmp_path, data, "broken.pdf")
    assert _refused(path).startswith(reason)
    captured = capsys.readouterr()
    assert captured.err == ""


def test_recoverable_pdf_damage_is_read_quietly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = pdf_bytes([["Still readable."]])
    head, _, _ = data.rpartition(b"startxref\n")
    path = _write(tmp_path, head + b"startxref\n9999\n%%EOF\n", "damaged.pdf")
    assert read_document(path).text == "Still readable."
    assert capsys.readouterr().err == ""
