"""Table 1 written out: a Word table for the paper, CSV and XLSX for the researcher's own use.

The Word table is what a journal prints: the caption above, horizontal rules only, the
header row repeated on every page, each theme one vertically merged cell over its codes,
and a light rule between final themes so the groups read at a glance.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Cm

from thematic_workbench.analysis.table1 import Table1
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.io.docx_style import (
    add_caption,
    journal_table,
    new_document,
    rule_below,
    save_document,
    set_cell_text,
)
from thematic_workbench.io.tabular import write_csv, write_xlsx

FORMATS = (".docx", ".csv", ".xlsx")
WHAT = "Table 1"
# Shares of the text width: codes get the most room; themes are short names.
_SHARES = {3: (0.44, 0.30, 0.26), 2: (0.58, 0.42)}


def write_table1_docx(table1: Table1, path: str | Path) -> None:
    options = table1.options
    document = new_document(landscape=options.landscape)
    add_caption(document, options.caption_label, options.title)
    table = journal_table(document, list(table1.headers), len(table1.rows))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    table.autofit = False
    for column, share in zip(table.columns, _SHARES[options.levels], strict=True):
        width = int(text_width * share)
        column.width = width
        for cell in column.cells:
            cell.width = width
    rows = table.rows
    for index, row in enumerate(table1.rows, start=1):
        set_cell_text(rows[index].cells[0], table1.code_text(row))
    for column, spans in enumerate(table1.theme_columns(), start=1):
        for span in spans:
            cell = rows[span.first + 1].cells[column]
            if span.last > span.first:
                cell = cell.merge(rows[span.last + 1].cells[column])
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
