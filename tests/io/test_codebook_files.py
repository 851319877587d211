"""Codebooks as CSV, XLSX and Word: what a user opens, and spreadsheets read back."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_word
from docx.enum.section import WD_ORIENT

from tests.io.test_qdc import build_rich_demo, counts, frame_of
from thematic_workbench.analysis.codebook import build_codebook
from thematic_workbench.app.exchange import write_codebook_file
from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.core.services.codebook_import import import_codebook
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.codebook_files import (
    COLUMNS,
    WORD_COLUMNS,
    read_codebook,
    read_codebook_table,
    write_codebook,
)
from thematic_workbench.io.docx_style import is_header_row

CODER = "Ann Analyst"


@pytest.fixture(scope="module")
def rich_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rich_demo(tmp_path_factory.mktemp("demo") / "rich.thematic")


def export(project: Path, target: Path) -> Path:
    with ProjectStore.open(project, readonly=True) as source, source.read() as db:
        write_codebook_file(db, target)
    return target


def import_into(store: ProjectStore, path: Path):
    with store.transaction(CODER) as tx:
        return import_codebook(tx, read_codebook(path))


def shape(plan) -> list[tuple[str, str, str | None, list[str]]]:
    names = {c.key: c.name for c in plan.codes}
    themes = {t.key: t.name for t in plan.themes}
    return [(t.name, t.level, themes.get(t.parent_key), [names[k] for k in t.code_keys])
            for t in plan.themes]


def table_file(folder: Path, name: str, rows: list[list[str]], encoding: str = "utf-8",
               delimiter: str = ",") -> Path:
    path = folder / name
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


# -- round trips --------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_table_round_trip_gives_the_same_codes_and_themes(rich_demo, tmp_path, store, suffix):
    target = export(rich_demo, tmp_path / f"codebook{suffix}")
    result = import_into(store, target)
    with ProjectStore.open(rich_demo, readonly=True) as source:
        expected = frame_of(source, theme_definitions=False)
    expected["emerging"] = [row for row in expected["emerging"] if row[3]]  # no empty themes
    assert frame_of(store, theme_definitions=False) == expected
    assert {row[0]: row[2] for row in expected["codes"]}["=Unplaced code"] == "-no theme yet"
    assert result.notes == []


def test_csv_is_what_excel_expects(rich_demo, tmp_path):
    target = export(rich_demo, tmp_path / "codebook.csv")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == COLUMNS
    unplaced = next(row for row in rows if "Unplaced" in row[0])
    assert unplaced[0] == "'=Unplaced code"  # shown as text, never run as a formula
    with ProjectStore.open(rich_demo, readonly=True) as source, source.read() as db:
        assert len(rows) - 1 == len(build_codebook(db).entries)


def test_word_codebook_has_a_header_row_and_a_row_per_entry(rich_demo, tmp_path):
    target = export(rich_demo, tmp_path / "codebook.docx")
    with ProjectStore.open(rich_demo, readonly=True) as source, source.read() as db:
        model = build_codebook(db)
    document = open_word(str(target))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert any(p.text.startswith("Codebook: ") for p in document.paragraphs)
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == list(WORD_COLUMNS)
    assert is_header_row(table.rows[0])
    assert len(table.rows) == 1 + len(model.entries)
    for row, entry in zip(table.rows[1:], model.entries, strict=True):
        cells = [cell.text for cell in row.cells]
        assert cells[:6] == [entry.code, entry.definition, entry.emerging_theme,
                             entry.final_theme, str(entry.codings), str(entry.participants)]
        if entry.citation:
            assert cells[6].endswith(entry.citation)
    homes = [row for row in table.rows[1:] if row.cells[0].text == "Carrying it home"]
    assert [row.cells[2].text for row in homes] == ["Serving two masters", "Carrying the work"]


def test_qdc_goes_to_the_refi_writer_and_unknown_formats_are_refused(rich_demo, tmp_path):
    assert read_codebook(export(rich_demo, tmp_path / "codebook.QDC")).codes
    with ProjectStore.open(rich_demo, readonly=True) as source, source.read() as db:
        model = build_codebook(db)
        with pytest.raises(WorkbenchError, match=r"codebook\.pdf: .*\.qdc, \.csv"):
            write_codebook(model, tmp_path / "codebook.pdf")
    with pytest.raises(WorkbenchError, match="written from the project"):
        write_codebook(model, tmp_path / "codebook.qdc")
    write_codebook(model, tmp_path / "from-model.xlsx")
    assert read_codebook_table(tmp_path / "from-model.xlsx").codes


# -- spreadsheets from people -------------------------------------------------------------
def test_three_level_csv_with_loose_headers(tmp_path):
    path = table_file(tmp_path, "team.csv", [
        ["Code ", "Emerging_Theme", "FINAL THEME", "Definition", "Colour", "Notes"],
        ["Run after work", "Putting it down", "Sustaining the self", "Exercise", "#0a0", "x"],
        [],
        ["Supervision", "Putting it down", "Sustaining the self", "", "", ""],
        ["supervision", "Talking", "", "Talking it through", "", ""],
        ["Craft", "", "Sustaining the self", "Skill", "teal", ""],
        ["Loose end", "", "", "", "", ""],
        ["", "Empty for now", "", "", "", ""],
    ])
    plan = read_codebook_table(path)
    assert shape(plan) == [
        ("Sustaining the self", "final", None, ["Craft"]),
        ("Putting it down", "emerging", "Sustaining the self", ["Run after work",
                                                               "Supervision"]),
        ("Talking", "emerging", None, ["Supervision"]),
        ("Empty for now", "emerging", None, []),
    ]
    assert [(c.name, c.definition, c.colour) for c in plan.codes] == [
        ("Run after work", "Exercise", "#00AA00"), ("Supervision", "Talking it through", None),
        ("Craft", "Skill", None), ("Loose end", "", None)]
    assert plan.source == "team.csv"
    assert any("row 6: 'teal' is not a colour" in note for note in plan.notes)


def test_two_level_semicolon_csv_in_windows_1252(tmp_path, store):
    path = table_file(tmp_path, "excel.csv", [
        ["Codes", "Emerging themes", "Description"],
        ["Café talk", "Informal spaces", "Talk over coffee; not in session"],
        ["Corridor chats", "Informal spaces", ""]], encoding="cp1252", delimiter=";")
    import_into(store, path)
    frame = frame_of(store)
    assert frame["emerging"] == [("Informal spaces", "", None, ["Café talk",
                                                                 "Corridor chats"])]
    assert {row[0]: row[2] for row in frame["codes"]}["Café talk"] == \
        "Talk over coffee; not in session"


def test_utf8_with_bom_and_tabs(tmp_path):
    path = table_file(tmp_path, "bom.csv", [["code", "final_theme"], ["Ærlig", "Åpen"]],
                      encoding="utf-8-sig", delimiter="\t")
    assert shape(read_codebook_table(path)) == [("Åpen", "final", None, ["Ærlig"])]


@pytest.mark.parametrize("name, content, reason", [
    ("nocode.csv", "Theme,Definition\nA,B\n", "has no 'code' column (its first row names "
                                              "'Theme', 'Definition')"),
    ("empty.csv", "\n,,\n", "is empty"),
    ("binary.csv", b"\x00\x01\x02code", "is not a text file"),
    ("text.xlsx", "code,theme\na,b\n", "is not an Excel workbook (.xlsx) (not a ZIP"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old binary format"),
    ("notes.txt", "code\n", "use a .csv or .xlsx file"),
])
def test_bad_tables_are_refused_naming_the_file(tmp_path, store, name, content, reason):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = counts(store)
    with pytest.raises(DocumentReadError) as caught:
        import_into(store, path)
    assert str(caught.value).startswith(f"{name}: ")
    assert reason in str(caught.value)
    assert counts(store) == before


def test_a_zip_that_is_not_a_workbook_or_holds_entities_is_refused(tmp_path):
    other = tmp_path / "report.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(DocumentReadError, match=r"report\.xlsx: .*without a workbook"):
        read_codebook_table(other)
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY a "b">]><workbook/>')
    with pytest.raises(DocumentReadError, match=r"hostile\.xlsx: .*entity declarations"):
        read_codebook_table(hostile)


def test_xlsx_from_a_spreadsheet_program(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([None, None])
    sheet.append(["Final theme", "code", "Extra"])
    sheet.append(["Trust", 1999, "ignored"])
    sheet.append([None, None, None])
    sheet.append(["Trust", "=not a formula", None])
    sheet["B5"].data_type = "s"
    book.save(tmp_path / "sheet.xlsx")
    plan = read_codebook_table(tmp_path / "sheet.xlsx")
    assert shape(plan) == [("Trust", "final", None, ["1999", "=not a formula"])]
