"""Reading and writing tables of participants' attributes (CSV and XLSX)."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.io.attribute_table import (
    read_attribute_table,
    write_attribute_table,
)


def _rows(path: Path) -> list[tuple[str, tuple[str | None, ...]]]:
    table = read_attribute_table(path)
    return [(row.label, row.values) for row in table.rows]


@pytest.mark.parametrize(("raw", "encoding"), [
    ("participant,gender,years\nPA,female,12\nPB,,7\n", "utf-8"),
    ("participant;gender;years\r\nPA;female;12\r\nPB;;7\r\n", "utf-8"),
    ("participant\tgender\tyears\nPA\tfemale\t12\nPB\t\t7\n", "utf-8"),
    ("participant,gender,years\nPA,female,12\nPB,,7\n", "utf-8-sig"),
    ("participant;gender;years\nPA;female;12\nPB;;7\n", "cp1252"),
])
def test_csv_variants(tmp_path: Path, raw: str, encoding: str) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(raw.encode(encoding))
    table = read_attribute_table(path)
    assert table.source == "staff.csv"
    assert table.attributes == ("gender", "years")
    assert _rows(path) == [("PA", ("female", "12")), ("PB", (None, "7"))]


def test_semicolons_with_decimal_commas_and_quoted_separators(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text('Participant;profession;score\nPÄ;"nurse; therapist";12,5\n'
                    'P2;"psychologist, forensic";3\n', encoding="utf-8")
    assert _rows(path) == [("PÄ", ("nurse; therapist", "12,5")),
                           ("P2", ("psychologist, forensic", "3"))]


def test_blank_rows_stray_columns_and_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("\n,,,\nparticipant,gender,,\nPA,female,,\n,,,\nPB,male,,\n",
                    encoding="utf-8")
    table = read_attribute_table(path)
    assert table.attributes == ("gender",)
    assert table.header_row == 3
    assert [(row.row, row.label) for row in table.rows] == [(4, "PA"), (6, "PB")]


def test_xlsx_first_sheet_with_numbers_and_dates(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["participant", "years", "interviewed", "site"])
    sheet.append(["PA", 12, datetime(2024, 3, 1), "Hospital"])
    sheet.append(["PB", 7.5, date(2024, 3, 2), None])
    book.create_sheet("notes").append(["not", "read"])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    assert _rows(path) == [("PA", ("12", "2024-03-01", "Hospital")),
                           ("PB", ("7.5", "2024-03-02", None))]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("staff.csv", b"", "staff.csv: is empty: it needs a header row and a row per participant"),
    ("staff.csv", b"participant,gender\n",
     "staff.csv: has only a header row: it needs a row per participant"),
    ("staff.csv", b"PK\x03\x04rest", "staff.csv: is not CSV text but a ZIP archive (an Excel "
                                     "workbook?); name it .xlsx or save it as CSV"),
    ("staff.csv", b"a\x00b", "staff.csv: is not a text file, so not CSV"),
    ("staff.csv", codecs.BOM_UTF16_LE + "a,b\nc".encode("utf-16-le")[:-1],
     "staff.csv: is damaged UTF-16 text"),
    ("staff.xlsx", b"participant,gender\n", "staff.xlsx: is not an Excel workbook (.xlsx) "
                                            "(not a ZIP archive)"),
    ("staff.ods", b"x", "staff.ods: is not a table of attributes; use a .csv or .xlsx file, "
                        "not '.ods'"),
])
def test_bad_files_one_line(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentReadError) as refused:
        read_attribute_table(path)
    assert str(refused.value) == reason


def test_utf16_as_excel_saves_unicode_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "participant\tsite\nPA\tHôpital\n".encode("utf-16-le"))
    assert _rows(path) == [("PA", ("Hôpital",))]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentReadError, match=r"^gone.csv: no such file$"):
        read_attribute_table(tmp_path / "gone.csv")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_written_tables_read_back(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    rows = [["P2", "female", -3, "=cmd"], ["P10", None, 12.5, "2024-01-01"]]
    assert write_attribute_table(path, ["participant", "gender", "score", "note"], rows) == 2
    assert _rows(path) == [("P2", ("female", "-3", "=cmd")),
                           ("P10", (None, "12.5", "2024-01-01"))]
    if suffix == ".csv":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
        assert "'=cmd" in path.read_text(encoding="utf-8-sig")
    else:
        cell = load_workbook(path).active["D2"]
        assert cell.value == "=cmd" and cell.data_type == "s"


def test_write_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"out.docx: attributes are written as \.csv"):
        write_attribute_table(tmp_path / "out.docx", ["participant"], [])
