"""Participants' attributes as CSV or XLSX: the first column the participant label, a header
row naming the attributes, a row per participant.

Reading gives the plain :class:`~thematic_workbench.core.attribute_table.AttributeTable`
(every cell as text, a blank cell as ``None``); whether the values fit the project is the
core's business. CSV may be UTF-8 with or without a byte-order mark (Windows-1252 is
accepted too, as Excel writes it), separated by commas, semicolons or tabs: the separator
is the one ``csv.Sniffer`` finds in the header row, checked against the rows that follow.
XLSX is read from its first worksheet, in openpyxl's read-only mode. Any file we cannot
read raises one line naming the file and the reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from thematic_workbench.core.attribute_table import AttributeTable, TableRow
from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.io.safety import open_zip, read_limited, read_member
from thematic_workbench.io.tabular import FORMULA_STARTS, Cell, write_csv, write_xlsx

FORMATS = (".csv", ".xlsx")
MAX_BYTES = 20 * 1024 * 1024
WHAT = "the participants' attributes"
DELIMITERS = ",;\t"


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise DocumentReadError(path, "is an Excel workbook or other ZIP archive, not CSV "
                                      "text; name it .xlsx or save it as CSV")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DocumentReadError(path, "is UTF-16 text; save it as CSV UTF-8")
    if b"\x00" in raw:
        raise DocumentReadError(path, "is not a text file, so not CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DocumentReadError(path, "is neither UTF-8 nor Windows-1252 text") from error


def _delimiter(text: str) -> str:
    """The separator: what the Sniffer finds in the first lines, when it splits the header
    into more than one column; else the separator the header holds most of (a file with a
    single column has none, and a comma does no harm)."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if not lines:
        return ","
    try:
        found = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    header = lines[0]
    if found and header.count(found):
        return found
    return max(DELIMITERS, key=header.count) if any(map(header.count, DELIMITERS)) else ","


def _csv_rows(path: Path) -> list[list[object]]:
    text = _decode(read_limited(path, MAX_BYTES, "table of attributes"), path)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                delimiter=_delimiter(text))]
    except csv.Error as error:
        raise DocumentReadError(path, f"is not valid CSV ({error})") from error


def _xlsx_rows(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    data = read_limited(path, MAX_BYTES, "table of attributes")
    kind = "an Excel workbook (.xlsx)"
    archive = open_zip(data, path, kind)
    if "xl/workbook.xml" not in archive.namelist():
        raise DocumentReadError(path, f"is not {kind}: it is a ZIP archive without a workbook")
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")) and re.search(
                rb"<!(DOCTYPE|ENTITY)", read_member(archive, name, path) or b""):
            raise DocumentReadError(path, f"contains XML entity declarations, refused for "
                                          f"safety (in {name})")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on damaged parts
        raise DocumentReadError(path, f"is damaged: it could not be read as {kind} "
                                      f"({type(error).__name__})") from error
    try:
        if not book.worksheets:
            raise DocumentReadError(path, "has no worksheet")
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    except DocumentReadError:
        raise
    except Exception as error:
        raise DocumentReadError(path, f"is damaged: its first worksheet could not be read "
                                      f"({type(error).__name__})") from error
    finally:
        book.close()


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
    rows = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
    return table_from_rows(rows, path)


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
