"""Reading a table a researcher made in a spreadsheet: CSV or the first sheet of an XLSX.

One reader for every table we import (codebooks, participants' attributes), so they accept
the same files and refuse bad ones with the same words. CSV may be UTF-8 with or without a
byte-order mark, UTF-16 with one, or Windows-1252 (as Excel writes it), separated by commas,
semicolons (where a comma is the decimal mark) or tabs. XLSX is read in openpyxl's
read-only mode after the archive is checked for XML entity declarations and zip bombs.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.safety import open_zip, read_limited, read_member

DELIMITERS = ",;\t"
XLSX = "an Excel workbook (.xlsx)"


def decode_csv(raw: bytes, path: Path) -> str:
    """The text of a CSV file, or a one-line reason it is not CSV text."""
    if raw.startswith(b"PK\x03\x04"):
        raise DocumentReadError(path, "is not CSV text but a ZIP archive (an Excel workbook?); "
                                      "name it .xlsx or save it as CSV")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise DocumentReadError(path, "is damaged UTF-16 text") from error
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


def csv_delimiter(text: str) -> str:
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


def csv_rows(path: Path, max_bytes: int, what: str) -> list[list[object]]:
    text = decode_csv(read_limited(path, max_bytes, what), path)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                delimiter=csv_delimiter(text))]
    except csv.Error as error:
        raise DocumentReadError(path, f"is not valid CSV ({error})") from error


def xlsx_rows(path: Path, max_bytes: int, what: str) -> list[list[object]]:
    """The rows of the first worksheet, cells as openpyxl gives them."""
    from openpyxl import load_workbook

    data = read_limited(path, max_bytes, what)
    archive = open_zip(data, path, XLSX)
    names = archive.namelist()
    if "xl/workbook.xml" not in names:
        raise DocumentReadError(path, f"is not {XLSX}: it is a ZIP archive without a workbook")
    for name in names:
        if name.endswith((".xml", ".rels")) and re.search(
                rb"<!(DOCTYPE|ENTITY)", read_member(archive, name, path) or b""):
            raise DocumentReadError(path, f"contains XML entity declarations, which are "
                                          f"refused for safety (in {name})")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise DocumentReadError(path, "has no worksheet")
            return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except DocumentReadError:
        raise
    except Exception as error:  # openpyxl raises many kinds on damaged parts
        raise DocumentReadError(path, f"is damaged: it could not be read as {XLSX} "
                                      f"({type(error).__name__})") from error


def table_rows(path: Path, max_bytes: int, what: str) -> list[list[object]]:
    """The rows of a .csv or .xlsx (.xlsm) file; other names are refused."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return csv_rows(path, max_bytes, what)
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_rows(path, max_bytes, what)
    raise DocumentReadError(path, f"is not a table of {what}; use a .csv or .xlsx file")
