"""Word documents: text in document order, and the archive and XML safety checks."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK

from tests.io.samples import (
    docx_bytes,
    docx_xml,
    patch_central_sizes,
    refusal_reason,
    write_sample,
    zip_bytes,
)
from thematic_workbench.io.reader import read_document

STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def _write(tmp_path: Path, data: bytes, name: str = "doc.docx") -> Path:
    return write_sample(tmp_path, data, name)


_refused = refusal_reason


def test_python_docx_document_with_table_and_line_break(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Interview PA"
    document.core_properties.author = "R. Searcher"
    document.add_paragraph("Interviewer: How did it start?")
    answer = document.add_paragraph("PA: It started")
    run = answer.add_run(" slowly.")
    run.add_break()
    answer.add_run("Then\tfast.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Code"
    table.cell(0, 1).text = "Extract"
    table.cell(1, 0).text = "trust"
    cell = table.cell(1, 1)
    cell.text = "first line"
    cell.add_paragraph("second paragraph")
    document.add_paragraph("")
    document.add_paragraph("Interviewer: Thank you.")
    path = tmp_path / "PA.docx"
    document.save(path)

    doc = read_document(path)
    assert doc.text == (
        "Interviewer: How did it start?\n"
        "PA: It started slowly.\nThen\tfast.\n"
        "Code\nExtract\ntrust\nfirst line\nsecond paragraph\n"
        "\n"
        "Interviewer: Thank you."
    )
    assert doc.source_format == "docx"
    assert doc.metadata == {"title": "Interview PA", "author": "R. Searcher"}
    assert [t.speaker for t in doc.turns] == ["Interviewer", "PA", "Interviewer"]
    pa = doc.turns[1]
    assert doc.text[pa.start : pa.end].endswith("second paragraph")
    assert "Then\tfast." in [doc.text[line.start : line.end] for line in doc.lines]


def test_only_visible_body_text_is_read(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t>kept </w:t></w:r>"
        "<w:del><w:r><w:delText>deleted </w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>inserted</w:t></w:r></w:ins>"
        '<w:hyperlink><w:r><w:t xml:space="preserve"> link</w:t></w:r></w:hyperlink>'
        "<w:r><w:instrText>PAGE \\* MERGEFORMAT</w:instrText></w:r>"
        "<w:r><w:t>well</w:t><w:noBreakHyphen/><w:t>being</w:t><w:cr/><w:t>x</w:t></w:r>"
        "<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>text box</w:t></w:r></w:p>"
        "</w:txbxContent></w:drawing></w:r></w:p>"
        "<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>in a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:tbl><w:tblPr/><w:tr><w:tc><w:tcPr/><w:tbl><w:tr><w:tc><w:p><w:r><w:t>nested</w:t>"
        "</w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>"
        "<w:sectPr/>"
    )
    doc = read_document(_write(tmp_path, docx_bytes(docx_xml(body))))
    assert doc.text == "kept inserted linkwell-being\nx\nin a content control\nnested"


def test_strict_ooxml_namespace_and_main_part_from_relationships(tmp_path: Path) -> None:
    xml = (
        f'<w:document xmlns:w="{STRICT_NS}"><w:body><w:p><w:r><w:t>strict</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="r1" Target="/word/document2.xml" '
        b'Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"/>'
        b"</Relationships>"
    )
    data = zip_bytes({"_rels/.rels": rels, "word/document2.xml": xml})
    assert read_document(_write(tmp_path, data)).text == "strict"


def test_not_a_zip(tmp_path: Path) -> None:
    path = _write(tmp_path, b"This is plain text saved with a .docx name.")
    assert _refused(path) == "is not a Word document (not a ZIP archive)"


def test_old_binary_or_encrypted_word_file(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert "password-protected or in an old binary format" in _refused(path)


def test_missing_main_part(tmp_path: Path) -> None:
    path = _write(tmp_path, zip_bytes({"[Content_Types].xml": b"<Types/>"}))
    assert _refused(path) == "is not a Word document (word/document.xml is missing)"


def test_a_zip_that_is_not_wordprocessingml(tmp_path: Path) -> None:
    data = docx_bytes(b"<html><body><p>hi</p></body></html>")
    assert "is not WordprocessingML" in _refused(_write(tmp_path, data))


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(("prolog", "entity"), [(BILLION_LAUGHS, "&lol3;"), (EXTERNAL, "&xxe;")])
def test_xml_entity_declarations_are_refused(tmp_path: Path, prolog: str, entity: str) -> None:
    body = f"<w:p><w:r><w:t>{entity}</w:t></w:r></w:p>"
    path = _write(tmp_path, docx_bytes(docx_xml(body, prolog)))
    assert _refused(path) == (
        "contains XML entity declarations, which are refused for safety (in word/document.xml)"
    )


def test_entity_declarations_hidden_by_utf16_are_refused_too(tmp_path: Path) -> None:
    xml = docx_xml("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", EXTERNAL).decode()
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = _write(tmp_path, docx_bytes(xml.encode("utf-16")))
    assert "contains XML entity declarations" in _refused(path)


def test_entity_declarations_in_core_properties_are_refused(tmp_path: Path) -> None:
    core = f'<?xml version="1.0"?>{EXTERNAL}<cp:coreProperties xmlns:cp="x"/>'.encode()
    data = docx_bytes(docx_xml("<w:p/>"), {"docProps/core.xml": core})
    assert "(in docProps/core.xml)" in _refused(_write(tmp_path, data))


def test_a_member_declaring_a_huge_size_is_refused(tmp_path: Path) -> None:
    data = docx_bytes(docx_xml("<w:p><w:r><w:t>small</w:t></w:r></w:p>"))
    forged = patch_central_sizes(data, "word/document.xml", file_size=3_000_000_000)
    reason = _refused(_write(tmp_path, forged))
    assert reason.startswith("declares a member of 3000000000 bytes (word/document.xml)")
    assert "ZIP bomb" in reason


def test_an_absurd_compression_ratio_is_refused(tmp_path: Path) -> None:
    data = docx_bytes(docx_xml("<w:p><w:r><w:t>small</w:t></w:r></w:p>"))
    forged = patch_central_sizes(data, "word/document.xml", file_size=150_000_000)
    assert _refused(_write(tmp_path, forged)).startswith("declares a member of 150000000 bytes")


def test_a_damaged_member_is_reported(tmp_path: Path) -> None:
    data = docx_bytes(docx_xml("<w:p><w:r><w:t>hello</w:t></w:r></w:p>"))
    forged = patch_central_sizes(data, "word/document.xml", crc=0x12345678)
    assert _refused(_write(tmp_path, forged)) == (
        "is damaged: its part word/document.xml cannot be decompressed"
    )


def test_malformed_xml_is_reported(tmp_path: Path) -> None:
    data = docx_bytes(b'<?xml version="1.0"?>\n<w:document><w:body>')
    reason = _refused(_write(tmp_path, data))
    assert reason.startswith("is damaged: its part word/document.xml is not well-formed XML")


def test_a_document_without_text(tmp_path: Path) -> None:
    data = docx_bytes(docx_xml("<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>"))
    assert _refused(_write(tmp_path, data)) == "contains no text"


def test_page_breaks_and_empty_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("one")
    document.add_paragraph()
    document.add_paragraph("two").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("three")
    path = tmp_path / "breaks.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.text == "one\n\ntwo\n\nthree"
    assert [line.number for line in doc.lines] == [1, 2, 3]
