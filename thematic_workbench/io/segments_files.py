"""Coded segments written out: CSV and XLSX with every column, a Word table to read.

The spreadsheet columns are :data:`core.reports.coded_segments.HEADERS` (``participant``,
``document``, ``lines``, ... ``text``), a contract other tools read. The Word table is for
people: landscape, the header row repeated on every page, and the columns a reader needs
(not the code points or the time), the words getting the most room.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from pathlib import Path

from docx.oxml.table import CT_Row
from docx.shared import Emu, Length, Pt
from docx.table import Table

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.reports.coded_segments import HEADERS, CodedSegment
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.io.docx_style import (
    add_caption,
    add_row,
    journal_table,
    keep_row_whole,
    new_document,
    rule_below,
    save_document,
    set_cell_text,
    text_width,
    xml_safe,
)
from thematic_workbench.io.tabular import write_csv, write_xlsx

FORMATS = (".csv", ".xlsx", ".docx")
WHAT = "the coded segments"
SHEET = "Coded segments"
XLSX_WIDTHS = (14, 24, 10, 14, 24, 24, 24, 14, 30, 22, 8, 8, 80)
# The Word table's columns: (header, share of the text width)
# (The spreadsheet's HEADERS are a contract and keep their words; the Word table, read by
# people, names the levels with the project's words.)
def word_columns(words: ThemeWords) -> tuple[tuple[str, float], ...]:
    return (
        ("Participant", 0.085), ("Document", 0.09), ("Lines", 0.05), ("Speaker", 0.07),
        ("Code", 0.105), (words.themes("emerging", True), 0.095),
        (words.themes("final", True), 0.095), ("Coder", 0.06), ("Memo", 0.095), ("Text", 0.255),
    )


WORD_COLUMNS = word_columns(EMERGING_FINAL)
WORD_PT = 9  # ten columns on a landscape page: a point smaller than the house's tables


def word_cells(segment: CodedSegment) -> tuple[str, ...]:
    """A row's values in :data:`WORD_COLUMNS` order."""
    return (segment.participant, segment.document, segment.lines, segment.speaker,
            segment.code, segment.emerging_themes, segment.final_themes, segment.coder,
            segment.memo, segment.text)


def _template_row(table: Table, widths: Sequence[Length], ruled: bool) -> CT_Row:
    """A body row as every segment's row starts: widths, kept whole on a page, the table's
    size of type, a light rule under it (``ruled``: rows apart; not under the last row)."""
    row = add_row(table)
    keep_row_whole(row)
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = width
        set_cell_text(cell, " ", size=WORD_PT)
    if ruled:
        rule_below(row)
    template: CT_Row = row._tr  # untyped in docx
    table._tbl.remove(template)
    return template


def write_segments_docx(segments: Sequence[CodedSegment], path: str | Path,
                        description: str = "", words: ThemeWords = EMERGING_FINAL) -> None:
    """The table under a caption: "Coded segments", then ``description`` (what was chosen).

    Each row is a copy of a template row with its texts put in: setting the same properties
    cell by cell through python-docx took minutes for tens of thousands of codings."""
    document = new_document(landscape=True)
    add_caption(document, SHEET, description)
    headed = word_columns(words)
    table = journal_table(document, [header for header, _share in headed], 0)
    section = document.sections[0]
    room = text_width(section)
    widths: list[Length] = [Emu(int(room * share)) for _header, share in headed]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(WORD_PT)
    ruled, last = _template_row(table, widths, True), _template_row(table, widths, False)
    for number, segment in enumerate(segments, start=1):
        row = deepcopy(ruled if number < len(segments) else last)
        for tc, value in zip(row.tc_lst, word_cells(segment), strict=True):
            run = tc.p_lst[0].r_lst[0]
            if "\n" in value or "\t" in value:
                run.text = xml_safe(value)  # line breaks and tabs as Word's own
            else:
                run.t_lst[0].text = xml_safe(value)
        table._tbl.append(row)
    if not segments:
        document.add_paragraph("No coded segment matches what was chosen.")
    save_document(document, path, WHAT)


def write_segments(segments: Sequence[CodedSegment], path: str | Path,
                   description: str = "", words: ThemeWords = EMERGING_FINAL) -> int:
    """Write the segments in the format the file name asks for; return the rows written.
    ``description`` (what was chosen) titles the Word table."""
    target = Path(path)
    suffix = target.suffix.lower()
    rows = (segment.cells() for segment in segments)
    if suffix == ".csv":
        return write_csv(target, HEADERS, rows, WHAT)
    if suffix == ".xlsx":
        return write_xlsx(target, SHEET, HEADERS, rows, WHAT, XLSX_WIDTHS)
    if suffix == ".docx":
        write_segments_docx(segments, target, description, words)
        return len(segments)
    raise WorkbenchError(f"{target.name}: coded segments can be written as "
                         f"{', '.join(FORMATS)}, not '{target.suffix or 'no extension'}'")
