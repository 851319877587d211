"""Tables as CSV and XLSX files: one writer for every tabular export.

CSV is UTF-8 with a byte-order mark so that Excel reads accents correctly. Free text that
starts like a formula (``=``, ``+``, ``-``, ``@``) would be run by a spreadsheet program;
such cells get a leading apostrophe in CSV and are stored as plain strings in XLSX.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from thematic_workbench.io.atomic import atomic_path

Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Free text that a spreadsheet will show, not run."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    return safe_text(value) if isinstance(value, str) else value


def write_csv(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]],
              what: str) -> int:
    """Write a header row and ``rows``; return how many rows were written."""
    count = 0
    with atomic_path(path, what) as partial, \
            open(partial, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
            count += 1
    return count


def write_xlsx(path: str | Path, sheet: str, headers: Sequence[str],
               rows: Iterable[Sequence[Cell]], what: str,
               widths: Sequence[int] | None = None) -> int:
    """One worksheet with a bold, frozen header row; strings are never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet[:31]
    worksheet.append(list(headers))
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:  # cells made here: looking the row up again (max_row) grew with the sheet
        cells: list[Cell | int | float | str] = []
        for value in row:
            if isinstance(value, str):
                cell = Cell(worksheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"  # text that starts with "=" stays text
                cell.alignment = wrapped
                cells.append(cell)
            else:
                cells.append("" if value is None else value)
        worksheet.append(cells)
        count += 1
    worksheet.freeze_panes = "A2"
    for index, width in enumerate(widths or ()):
        worksheet.column_dimensions[chr(ord("A") + index)].width = width
    buffer = io.BytesIO()  # in memory first: a half-closed zip on a full disk says nothing
    book.save(buffer)
    with atomic_path(path, what) as partial:
        partial.write_bytes(buffer.getvalue())
    return count
