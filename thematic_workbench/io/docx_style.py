"""The house style of every Word document we write: one font, journal-style tables.

Journals (APA 7 and most of those our users publish in) set tables with horizontal rules
only: one above the header, one below it, one under the last row; no vertical lines, no
shading. The caption sits above the table: the number in bold on one line, the title in
italics on the next. python-docx has no API for borders, header-row repetition or rows
that must not split across pages, so those few properties are set on the XML here, once.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from collections.abc import Callable
from pathlib import Path

from docx import Document as new_word_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Emu, Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.font import Font

from thematic_workbench.io.atomic import atomic_path

FONT = "Times New Roman"
BODY_PT = 11
TABLE_PT = 10
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RULE = {"val": "single", "sz": "8", "space": "0", "color": "000000"}  # sz in 1/8 pt: 1 pt


def new_document(landscape: bool = False, font: str = FONT) -> Document:
    """An empty A4 document in the house font, 2.54 cm margins; landscape turns the page.

    The template's styles also name theme fonts (``w:asciiTheme``), which Word and
    LibreOffice prefer over the named font, and give the title a coloured rule: both go.
    """
    document = new_word_document()
    for style_name in ("Normal", "Caption", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[style_name]
        style.font.name = font
        style.font.color.rgb = None
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), font)
        properties = style.element.pPr
        border = properties.find(qn("w:pBdr")) if properties is not None else None
        if border is not None:
            properties.remove(border)
    document.styles["Normal"].font.size = Pt(BODY_PT)
    document.styles["Title"].font.size = Pt(20)
    section = document.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.54))
    return document


def text_width(section: Section) -> Length:
    """The width between the side margins, which :func:`new_document` sets on every page."""
    page, left, right = section.page_width, section.left_margin, section.right_margin
    if page is None or left is None or right is None:
        raise ValueError("the section does not set its page width and side margins")
    return Emu(page - left - right)


def add_row(table: Table) -> _Row:
    """``table.add_row()``: python-docx leaves the method unannotated."""
    adding: Callable[[], _Row] = table.add_row
    return adding()


def add_caption(document: Document, label: str, title: str) -> None:
    """"Table 1" in bold, then the title in italics on its own line, kept with the table."""
    for text, bold in ((label, True), (title, False)):
        if not text.strip():
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text.strip())
        run.bold, run.italic = bold, not bold
        paragraph.paragraph_format.space_after = Pt(0 if bold else 6)
        paragraph.paragraph_format.keep_with_next = True


def xml_safe(text: str) -> str:
    """Text without the control characters XML (and so Word) cannot hold."""
    return _NOT_XML.sub("", text)


def _borders(element: BaseOxmlElement, tag: str, sides: dict[str, dict[str, str] | None]) -> None:
    """Set (or clear, with None) the named borders in ``tag`` (w:tblBorders, w:tcBorders)."""
    container = element.find(qn(tag))
    if container is None:
        container = OxmlElement(tag)
        element.append(container)
    for side, spec in sides.items():
        old = container.find(qn(f"w:{side}"))
        if old is not None:
            container.remove(old)
        border = OxmlElement(f"w:{side}")
        for key, value in (spec or {"val": "nil"}).items():
            border.set(qn(f"w:{key}"), value)
        container.append(border)


def journal_table(document: Document, headers: list[str], rows: int) -> Table:
    """A table with a header row and ``rows`` body rows, ruled as journals rule them."""
    table: Table = document.add_table(rows=1 + rows, cols=len(headers))  # untyped in docx
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    _borders(properties, "w:tblBorders", {"top": RULE, "left": None, "bottom": RULE,
                                          "right": None, "insideH": None, "insideV": None})
    header = table.rows[0]
    mark_header_row(header)
    for cell, text in zip(header.cells, headers, strict=True):
        set_cell_text(cell, text, bold=True)
        _borders(cell._tc.get_or_add_tcPr(), "w:tcBorders", {"bottom": RULE})
    for row in table.rows:
        keep_row_whole(row)
    return table


def mark_header_row(row: _Row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def keep_row_whole(row: _Row) -> None:
    """A row is never split across two pages."""
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.append(cant_split)


def is_header_row(row: _Row) -> bool:
    properties = row._tr.trPr
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def set_cell_text(cell: _Cell, text: str, bold: bool = False, italic: bool = False,
                  size: float = TABLE_PT) -> None:
    """The cell's text as one paragraph (line breaks kept), in the table's size."""
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.paragraph_format.space_after = Pt(0)
    for number, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        run._r.insert(0, copy.deepcopy(_run_properties(bold, italic, size)))
        if number:
            run.add_break()
        run.add_text(xml_safe(line))


@functools.cache
def _run_properties(bold: bool, italic: bool, size: float) -> CT_RPr:
    """The w:rPr that setting ``run.bold``, ``run.italic`` and ``run.font.size`` writes.

    Made once and copied into each run: setting them run by run makes python-docx look for
    its place among some forty properties every time, which was most of the time a table
    of 500 codes took to write.
    """
    font = Font(OxmlElement("w:r"))
    font.bold, font.italic, font.size = bold, italic, Pt(size)
    properties: CT_RPr = font._element.rPr  # an lxml-based attribute, untyped in docx
    return properties


def merge_down(table: Table, column: int, first: int, last: int, text: str,
               bold: bool = False) -> _Cell:
    """Cells ``first``..``last`` (table rows) of ``column`` as one cell holding ``text``."""
    cell = table.cell(first, column)
    if last > first:
        cell = cell.merge(table.cell(last, column))
    set_cell_text(cell, text, bold=bold)
    return cell


def rule_below(row: _Row, light: bool = True) -> None:
    """A thin rule under a body row: separates groups (final themes) without a grid."""
    spec = {"val": "single", "sz": "4" if light else "8", "space": "0", "color": "808080"}
    for tc in row._tr.tc_lst:  # the row's own cells, merged continuations included
        _borders(tc.get_or_add_tcPr(), "w:tcBorders", {"bottom": spec})


def save_document(document: Document, path: str | Path, what: str) -> None:
    """Save whole or not at all (io/atomic.py).

    The package is built in memory first: a zip file that fails to close on a full disk
    would otherwise complain again, with a traceback, when it is garbage-collected.
    """
    buffer = io.BytesIO()
    document.save(buffer)
    with atomic_path(path, what) as partial:
        partial.write_bytes(buffer.getvalue())
