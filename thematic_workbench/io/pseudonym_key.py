"""The pseudonym key as a CSV file of its own: columns ``real``, ``pseudonym``, ``kind``.

The key links pseudonyms to real names, so it is kept apart from the project (never in the
project file, an export or a report) and travels as this file. It is read as UTF-8, with
or without the byte-order mark Excel writes; the columns may come in any order, separated
by commas, semicolons or tabs, and other columns are ignored. Every row needs a real
string, a pseudonym and a kind (person, place, organisation, date, contact, other); a real
string may appear once. Anything else is refused with one line naming the file and the
reason, so a key is never half read. Writing is whole or nothing (``io/atomic.py``), with
the same guard against spreadsheet formulas as every CSV we write.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.core.records.pseudonyms import KINDS, PseudonymEntry
from thematic_workbench.io.safety import read_limited
from thematic_workbench.io.table_reading import csv_delimiter
from thematic_workbench.io.tabular import FORMULA_STARTS, write_csv

COLUMNS = ("real", "pseudonym", "kind")
MAX_BYTES = 20 * 1024 * 1024
WHAT = "the pseudonym key"
SHOWN_CHARS = 60


def _decoded(raw: bytes, path: Path) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise DocumentReadError(path, "is not CSV text but a ZIP archive (an Excel "
                                      "workbook?); save the key as CSV UTF-8")
    if b"\x00" in raw:
        raise DocumentReadError(path, "is not a text file, so not a CSV key (UTF-16? save "
                                      "the key as CSV UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentReadError(path, f"is not UTF-8 text (byte {error.start + 1}); save "
                                      "the key as CSV UTF-8") from error


def _cell(row: list[str], index: int) -> str:
    value = row[index].strip() if index < len(row) else ""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        value = value[1:]  # our own CSV guards formula-like text so: take the guard off
    return value


def _columns(header: list[str], path: Path) -> tuple[int, int, int]:
    names = [name.strip().casefold() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise DocumentReadError(path, f"has no column {', '.join(missing)}: a key's first "
                                      f"row names the columns {', '.join(COLUMNS)}")
    for column in COLUMNS:
        if names.count(column) > 1:
            raise DocumentReadError(path, f"has the column {column} twice")
    real, pseudonym, kind = (names.index(column) for column in COLUMNS)
    return real, pseudonym, kind


def read_pseudonym_key(path: str | Path) -> list[PseudonymEntry]:
    """The key's entries in file order; a bad file raises one line naming it and why."""
    path = Path(path)
    if not path.is_file():
        raise DocumentReadError(path, "no such file")
    text = _decoded(read_limited(path, MAX_BYTES, "pseudonym key"), path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text),
                        strict=True)  # an unclosed quote is an error, not the rest of the file
    entries: list[PseudonymEntry] = []
    seen: dict[str, str] = {}
    columns: tuple[int, int, int] | None = None
    line = 1  # where the next row starts (a quoted cell may hold line breaks)
    try:
        for row in reader:
            row_line, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _columns(row, path)
                continue
            real, pseudonym, kind = (_cell(row, index) for index in columns)
            entry = _entry(real, pseudonym, kind, f"line {row_line}", seen)
            if isinstance(entry, str):
                raise DocumentReadError(path, entry)
            entries.append(entry)
    except csv.Error as error:
        raise DocumentReadError(path, f"is not valid CSV (line {reader.line_num}: {error})") \
            from error
    if columns is None:
        raise DocumentReadError(path, f"is empty: a key's first row names the columns "
                                      f"{', '.join(COLUMNS)}")
    return entries


def _shown(value: str) -> str:
    """A cell on one line, cut short, for a message."""
    value = " ".join(value.split())
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS - 1] + "…"


def _entry(real: str, pseudonym: str, kind: str, place: str, seen: dict[str, str]
           ) -> PseudonymEntry | str:
    """One row's entry, or why it is refused: every cell filled, a known kind, a real string
    once. ``place`` names the row in the message ("line 4"); ``seen`` the rows so far."""
    shown = _shown(real)
    if not real:
        return f"{place}: the real string is blank"
    if not pseudonym:
        return f"{place}: the pseudonym for '{shown}' is blank; every real string needs one"
    if kind.casefold() not in KINDS:
        said = "is blank" if not kind else f"'{kind}' is not one of them"
        return f"{place}: the kind of '{shown}' {said}; a kind is one of {', '.join(KINDS)}"
    folded = " ".join(real.split()).casefold()
    if folded in seen:
        return f"{place}: '{shown}' is already in the key ({seen[folded]})"
    seen[folded] = place
    return PseudonymEntry(real, pseudonym, kind.casefold())


def write_pseudonym_key(path: str | Path, entries: Iterable[PseudonymEntry]) -> int:
    """Write the key (whole or not at all); return how many entries were written. Entries
    this module would refuse to read back are refused here, before anything is written."""
    path = Path(path)
    rows = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries, 1):
        checked = _entry(entry.real.strip(), entry.pseudonym.strip(), entry.kind,
                         f"entry {number}", seen)
        if isinstance(checked, str):
            raise WorkbenchError(f"{path.name}: the key was not written: {checked}")
        rows.append((entry.real, entry.pseudonym, checked.kind))
    return write_csv(path, COLUMNS, rows, WHAT)


def read_word_list(path: str | Path) -> list[str]:
    """A user's own strings to look for, one per line (blank lines and lines starting with
    ``#`` skipped), UTF-8 with or without a byte-order mark; a bad file raises one line."""
    path = Path(path)
    if not path.is_file():
        raise DocumentReadError(path, "no such file")
    text = _decoded(read_limited(path, MAX_BYTES, "word list"), path)
    words = (" ".join(line.split()) for line in text.splitlines())
    return [word for word in words if word and not word.startswith("#")]
