"""OpenDocument text: paragraphs, headings, lists and tables in order; ODF white space."""

from __future__ import annotations

from pathlib import Path

from tests.io.samples import odt_bytes, patch_central_sizes, refusal_reason, write_sample, zip_bytes
from thematic_workbench.io.reader import read_document


def _write(tmp_path: Path, data: bytes, name: str = "doc.odt") -> Path:
    return write_sample(tmp_path, data, name)


_refused = refusal_reason


def test_structure_in_document_order(tmp_path: Path) -> None:
    office_text = (
        "<text:sequence-decls><text:sequence-decl text:name='Table'/></text:sequence-decls>"
        "<text:h text:outline-level='1'>Interview with PB</text:h>"
        "<text:p>INTERVIEWER: First<text:s text:c='3'/>question?<text:tab/>(tab)</text:p>"
        "<text:p>PB: Line one<text:line-break/>line two<text:soft-page-break/> and on.</text:p>"
        "<text:list><text:list-item><text:p>a list item</text:p>"
        "<text:list><text:list-item><text:p>nested item</text:p></text:list-item></text:list>"
        "</text:list-item></text:list>"
        "<table:table><table:table-columns><table:table-column/></table:table-columns>"
        "<table:table-row><table:table-cell><text:p>cell A1</text:p></table:table-cell>"
        "<table:table-cell><text:p>cell B1</text:p><text:p>more B1</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        "<text:section><text:p>in a section"
        "<office:annotation><text:p>a comment</text:p></office:annotation>"
        "<text:note><text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>a footnote</text:p></text:note-body></text:note>, after notes</text:p>"
        "</text:section>"
        "<text:p/>"
        "<text:p>INTERVIEWER: <text:span>Thanks</text:span> <text:a>very</text:a> much.</text:p>"
    )
    meta = (
        "<dc:title>PB interview</dc:title><meta:initial-creator>Ann</meta:initial-creator>"
        "<meta:document-statistic meta:page-count='2'/>"
    )
    doc = read_document(_write(tmp_path, odt_bytes(office_text, meta)))
    assert doc.text == (
        "Interview with PB\n"
        "INTERVIEWER: First   question?\t(tab)\n"
        "PB: Line one\nline two and on.\n"
        "a list item\nnested item\n"
        "cell A1\ncell B1\nmore B1\n"
        "in a section, after notes\n"
        "\n"
        "INTERVIEWER: Thanks very much."
    )
    assert doc.metadata == {"title": "PB interview", "author": "Ann", "pages": "2"}
    assert [t.speaker for t in doc.turns] == ["INTERVIEWER", "PB", "INTERVIEWER"]


def test_white_space_collapses_as_odf_says(tmp_path: Path) -> None:
    office_text = """
        <text:p>
            Pretty   printed
            paragraph <text:span> with </text:span>  spans
        </text:p>
        <text:p><text:s/>kept<text:s text:c="2"/>spaces</text:p>
    """
    doc = read_document(_write(tmp_path, odt_bytes(office_text)))
    assert doc.text == "Pretty printed paragraph with spans \n kept  spaces"


def test_wrong_kind_of_opendocument(tmp_path: Path) -> None:
    mimetype = b"application/vnd.oasis.opendocument.spreadsheet"
    data = odt_bytes("<text:p>x</text:p>", mimetype=mimetype)
    assert _refused(_write(tmp_path, data)) == (
        "is an OpenDocument spreadsheet, not a text document"
    )


def test_missing_content(tmp_path: Path) -> None:
    data = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"})
    assert _refused(_write(tmp_path, data)) == (
        "is not an OpenDocument text (content.xml is missing)"
    )


def test_not_a_zip(tmp_path: Path) -> None:
    path = _write(tmp_path, b"<office:document/>")
    assert _refused(path) == "is not an OpenDocument text (not a ZIP archive)"


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    prolog = '<!DOCTYPE office:document-content [<!ENTITY x SYSTEM "http://example.org/x">]>'
    data = odt_bytes("<text:p>&x;</text:p>", content_prolog=prolog)
    assert _refused(_write(tmp_path, data)) == (
        "contains XML entity declarations, which are refused for safety (in content.xml)"
    )


def test_zip_bomb_declaration_is_refused(tmp_path: Path) -> None:
    data = patch_central_sizes(odt_bytes("<text:p>x</text:p>"), "content.xml", file_size=2**31)
    assert _refused(_write(tmp_path, data)).startswith(
        f"declares a member of {2**31} bytes (content.xml)"
    )


def test_no_text(tmp_path: Path) -> None:
    data = odt_bytes("<text:p/><text:p>   </text:p>")
    assert _refused(_write(tmp_path, data)) == "contains no text"
