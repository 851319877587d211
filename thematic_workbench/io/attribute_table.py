"""Participants' attributes as CSV or XLSX: the first column the participant label, a header
row naming the attributes, a row per participant.

Reading gives the plain :class:`~thematic_workbench.core.services.attribute_table.AttributeTable`
(every cell as text, a blank cell as ``None``); whether the values fit the project is the
core's business. CSV may be UTF-8 with or without a byte-order mark (Windows-1252 is
accepted too, as Excel writes it), separated by commas, semicolons or tabs: the separator
is the one ``csv.Sniffer`` finds in the header row, checked against the rows that follow.
XLSX is read from its first worksheet, in openpyxl's read-only mode (io/table_reading.py,
shared with codebook tables). Any file we cannot read raises one line naming the file and
the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.core.services.attribute_table import AttributeTable, TableRow
from thematic_workbench.io.table_reading import table_rows
from thematic_workbench.io.tabular import FORMULA_STARTS, Cell, write_csv, write_xlsx

FORMATS = (".csv", ".xlsx")
MAX_BYTES = 20 * 1024 * 1024
WHAT = "the participants' attributes"


def cell_text(value: object) -> str | None:
    """A cell as text: whole numbers without ".0", dates as YYYY-MM-DD, blank as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value).strip()
        if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
            text = text[1:]  # our own CSV guards formula-like text so: take the guard off
    return text or None


def table_from_rows(rows: Sequence[Sequence[object]], path: Path) -> AttributeTable:
    """The table in ``rows``: the first row with anything in it is the header."""
    cells = [[cell_text(value) for value in row] for row in rows]
    numbered = [(number, row) for number, row in enumerate(cells, 1) if any(row)]
    if not numbered:
        raise DocumentReadError(path, "is empty: it needs a header row and a row per "
                                      "participant")
    header_number, header = numbered[0]
    width = max(len(row) for _n, row in numbered)
    header = header + [None] * (width - len(header))
    # A column with no name and nothing in it (Excel's stray trailing cells) is no column.
    used = [index for index in range(1, width)
            if header[index] or any(index < len(row) and row[index] for _n, row in numbered)]
    if not used and len(numbered) == 1:
        raise DocumentReadError(path, "has only a header row: it needs a row per participant")
    table_rows = []
    for number, row in numbered[1:]:
        row = row + [None] * (width - len(row))
        table_rows.append(TableRow(number, row[0] or "",
                                   tuple(row[index] for index in used)))
    if not table_rows:
        raise DocumentReadError(path, "has only a header row: it needs a row per participant")
    return AttributeTable(path.name, tuple(header[index] or "" for index in used),
                          tuple(table_rows), header_number)


def read_attribute_table(path: str | Path) -> AttributeTable:
    """The table in a .csv or .xlsx file; one-line errors name the file and the reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DocumentReadError(path, f"is not a table of attributes; use a .csv or .xlsx "
                                      f"file, not '{suffix or 'no extension'}'")
    if not path.is_file():
        raise DocumentReadError(path, "no such file")
    return table_from_rows(table_rows(path, MAX_BYTES, "attributes"), path)


def write_attribute_table(path: str | Path, headers: Sequence[str],
                          rows: Sequence[Sequence[Cell]]) -> int:
    """Write the table (CSV or XLSX by the extension); return how many rows were written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_csv(path, headers, rows, WHAT)
    if suffix == ".xlsx":
        widths = [max(12, min(40, len(h) + 4)) for h in headers]
        return write_xlsx(path, "Participants", headers, rows, WHAT, widths=widths)
    raise WorkbenchError(f"{path.name}: attributes are written as .csv or .xlsx, "
                         f"not '{suffix or 'no extension'}'")
