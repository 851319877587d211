"""Coded segments as files, read back: the CSV and XLSX rows under the contract's headers
(text that looks like a formula stays text), the Word table's header, rows and page."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.reports.coded_segments import HEADERS, CodedSegment
from thematic_workbench.io.docx_style import is_header_row
from thematic_workbench.io.segments_files import WORD_COLUMNS, word_cells, write_segments

SEGMENTS = [
    CodedSegment(1, "PA", "PA interview", "2-3", "PA", "Running", "Routines",
                 "Care of self", "alice", "before the clients", "2026-01-02T10:00:00Z", 58, 112,
                 "I run every morning before work. | And supervision?"),
    CodedSegment(2, "", "Focus group 1", "3", "Ben", "=HYPERLINK(\"x\")", "", "", "bob",
                 "-not a sum", "2026-01-02T11:00:00Z", 70, 102,
                 "Cooking for friends, ça va \N{GRINNING FACE}"),
]


def test_csv_reads_back_row_for_row(tmp_path: Path) -> None:
    target = tmp_path / "segments.csv"
    assert write_segments(SEGMENTS, target) == 2
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == list(HEADERS)
    assert {"participant", "document", "lines", "code", "text"} <= set(rows[0])
    assert rows[1] == [str(value) for value in SEGMENTS[0].cells()]
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["code"] == "'=HYPERLINK(\"x\")"  # shown, never run
    assert second["memo"] == "'-not a sum"
    assert second["text"] == SEGMENTS[1].text
    assert second["participant"] == ""


def test_xlsx_reads_back_with_text_kept_as_text(tmp_path: Path) -> None:
    target = tmp_path / "segments.xlsx"
    assert write_segments(SEGMENTS, target) == 2
    sheet = load_workbook(target).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == list(HEADERS)
    assert rows[1][HEADERS.index("text")] == SEGMENTS[0].text
    assert rows[1][HEADERS.index("start")] == 58
    code = sheet.cell(row=3, column=HEADERS.index("code") + 1)
    assert (code.value, code.data_type) == ("=HYPERLINK(\"x\")", "s")
    assert sheet.freeze_panes == "A2"


def test_word_table_has_a_repeated_header_and_a_row_per_coding(tmp_path: Path) -> None:
    target = tmp_path / "segments.docx"
    assert write_segments(SEGMENTS, target, "Code \N{LEFT SINGLE QUOTATION MARK}Running"
                                             "\N{RIGHT SINGLE QUOTATION MARK}") == 2
    document = Document(str(target))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert [p.text for p in document.paragraphs[:2]] == [
        "Coded segments", "Code \N{LEFT SINGLE QUOTATION MARK}Running"
        "\N{RIGHT SINGLE QUOTATION MARK}"]
    (table,) = document.tables
    header = table.rows[0]
    assert [cell.text for cell in header.cells] == [name for name, _share in WORD_COLUMNS]
    assert is_header_row(header)
    assert len(table.rows) == 1 + len(SEGMENTS)
    for row, segment in zip(table.rows[1:], SEGMENTS, strict=True):
        assert [cell.text for cell in row.cells] == list(word_cells(segment))
    widths = [column.width for column in table.columns]
    assert widths[-1] == max(widths)  # the words get the most room


def test_an_empty_choice_says_so_in_word(tmp_path: Path) -> None:
    target = tmp_path / "none.docx"
    assert write_segments([], target) == 0
    document = Document(str(target))
    assert len(document.tables[0].rows) == 1
    assert "No coded segment" in document.paragraphs[-1].text


def test_other_extensions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"segments\.pdf: coded segments can be written "
                                             r"as \.csv, \.xlsx, \.docx, not '\.pdf'"):
        write_segments(SEGMENTS, tmp_path / "segments.pdf")
    assert not list(tmp_path.iterdir())
