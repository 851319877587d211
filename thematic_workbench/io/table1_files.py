"""Table 1 written out: a Word table for the paper, CSV and XLSX for the researcher's own use.

The Word table is what a journal prints: the caption above, horizontal rules only, the
header row repeated on every page, each theme one vertically merged cell over its codes,
and a light rule between final themes so the groups read at a glance.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.oxml.table import CT_Tc
from docx.shared import Cm, Length
from docx.table import _Cell

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.reports.table1 import Table1
from thematic_workbench.io.docx_style import (
    add_caption,
    journal_table,
    new_document,
    rule_below,
    save_document,
    set_cell_text,
    text_width,
)
from thematic_workbench.io.tabular import write_csv, write_xlsx

FORMATS = (".docx", ".csv", ".xlsx")
WHAT = "Table 1"
# Shares of the text width: codes get the most room; themes are short names.
_SHARES = {3: (0.44, 0.30, 0.26), 2: (0.58, 0.42)}
_BEFORE_VMERGE = {qn(f"w:{tag}") for tag in ("cnfStyle", "tcW", "gridSpan", "hMerge")}


def _merge_down(top: CT_Tc, below: list[CT_Tc]) -> None:
    """Make ``top`` and the fresh (empty, unmerged) cells ``below`` it one cell.

    This writes what python-docx's ``cell.merge`` writes for a vertical span, which is how
    Word merges cells: w:vMerge "restart" on the top cell and "continue" (the attribute's
    default, so no w:val) on each cell below. ``merge`` finds every cell of the span by
    searching the whole table again, which made a table of 500 codes slow.
    """
    if below:
        _add_vmerge(top, ST_Merge.RESTART)
        for tc in below:
            _add_vmerge(tc, None)


def _add_vmerge(tc: CT_Tc, value: str | None) -> None:
    """w:vMerge in its place in the cell's properties: after those the schema puts first."""
    properties = tc.get_or_add_tcPr()
    merge = OxmlElement("w:vMerge", {qn("w:val"): value} if value else None)
    properties.insert(sum(child.tag in _BEFORE_VMERGE for child in properties), merge)


def write_table1_docx(table1: Table1, path: str | Path) -> None:
    options = table1.options
    document = new_document(landscape=options.landscape)
    add_caption(document, options.caption_label, table1.title)
    table = journal_table(document, list(table1.headers), len(table1.rows))
    section = document.sections[0]
    room = text_width(section)
    table.autofit = False
    widths = [int(room * share) for share in _SHARES[options.levels]]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    rows = list(table.rows)  # once: table.rows builds the list anew on every use
    cells = [row._tr.tc_lst for row in rows]  # each row's w:tc, left to right
    for row_cells in cells:  # each cell's width too, without column.cells' grid walk
        for tc, width in zip(row_cells, widths, strict=True):
            tc.width = Length(width)
    for index, row in enumerate(table1.rows, start=1):
        set_cell_text(_Cell(cells[index][0], table), table1.code_text(row))
    for column, spans in enumerate(table1.theme_columns(), start=1):
        for span in spans:
            cell = _Cell(cells[span.first + 1][column], table)
            _merge_down(cell._tc, [cells[i][column] for i in range(span.first + 2, span.last + 2)])
            set_cell_text(cell, span.text)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    finals = table1.theme_columns()[-1]
    for span in finals[:-1]:  # between final themes, not under the last row (the table's rule)
        rule_below(rows[span.last + 1])
    if not table1.rows:
        document.add_paragraph("No code is in a theme yet.")
    if options.show_counts:
        note = document.add_paragraph()
        note.paragraph_format.space_before = Cm(0.2)
        note.add_run("Note. ").italic = True
        note.add_run("Numbers after each code: coded segments, and the participants they "
                     "come from.")
    save_document(document, path, WHAT)


def write_table1(table1: Table1, path: str | Path) -> None:
    """Write Table 1 in the format the file name asks for (.docx, .csv or .xlsx)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".docx":
        write_table1_docx(table1, target)
    elif suffix == ".csv":
        write_csv(target, table1.flat_headers(), table1.flat_rows(), WHAT)
    elif suffix == ".xlsx":
        widths = [40, 30, 30, 10, 12][:len(table1.flat_headers())]
        write_xlsx(target, "Table 1", table1.flat_headers(), table1.flat_rows(), WHAT, widths)
    else:
        raise WorkbenchError(f"{target.name}: Table 1 can be written as "
                             f"{', '.join(FORMATS)}, not '{target.suffix or 'no extension'}'")
