"""Table 1 as files, read back: the Word table's caption, header row, merged theme cells and
their order; the CSV and XLSX rows; a refused extension."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from thematic_workbench.analysis.table1 import build_table1
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.reports.table1 import Table1, Table1Options, Table1Row
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.docx_style import is_header_row
from thematic_workbench.io.table1_files import write_table1


def _table1(project: Path, **options: object):
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        return build_table1(session, Table1Options(**options))  # type: ignore[arg-type]


def _column(table, index: int) -> list[str]:
    """The texts down one column, a merged cell once (as a reader sees it)."""
    seen: list[str] = []
    last = None
    for row in table.rows[1:]:
        cell = row.cells[index]
        if cell._tc is not last:
            seen.append(cell.text)
        last = cell._tc
    return seen


def test_word_table_has_caption_header_and_merged_themes(demo_file: Path, tmp_path: Path) -> None:
    table1 = _table1(demo_file, caption_title="Codes and themes in mandated therapy")
    target = tmp_path / "table1.docx"
    write_table1(table1, target)
    document = Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["Table 1", "Codes and themes in mandated therapy"]
    assert document.paragraphs[0].runs[0].bold
    [table] = document.tables
    header = table.rows[0]
    assert [c.text for c in header.cells] == ["Initial codes", "Emerging themes",
                                              "Final themes"]
    assert is_header_row(header) and not is_header_row(table.rows[1])
    assert len(table.rows) == 1 + len(table1.rows)
    assert [row.cells[0].text for row in table.rows[1:]] == [r.code for r in table1.rows]
    emerging = list(dict.fromkeys((r.final_id, r.emerging) for r in table1.rows))
    finals = list(dict.fromkeys(r.final for r in table1.rows))
    assert _column(table, 1) == [name for _final, name in emerging]
    assert _column(table, 2) == finals
    # Merged for real: every row of a final theme holds the same cell, restarted once.
    first_final = [i for i, r in enumerate(table1.rows, 1) if r.final == finals[0]]
    cells = {table.rows[i].cells[2]._tc for i in first_final}
    assert len(cells) == 1 and len(first_final) > 1
    merges = [tc.tcPr.find(qn("w:vMerge")) for tc in
              (table.rows[i]._tr.tc_lst[2] for i in first_final)]
    assert merges[0].get(qn("w:val")) == "restart"
    assert all(m is not None and m.get(qn("w:val")) in (None, "continue") for m in merges[1:])
    # Journal style: no vertical rules anywhere.
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    for side in ("left", "right", "insideV"):
        assert borders.find(qn(f"w:{side}")).get(qn("w:val")) == "nil"


def _vmerges(table) -> list[list[str | None]]:
    """Per column, top to bottom, each cell's w:vMerge: "restart", "continue" or None."""
    return [list(column) for column in zip(*[[tc.vMerge for tc in tr.tc_lst]
                                             for tr in table._tbl.tr_lst], strict=True)]


def _loose_table1() -> Table1:
    """One-code themes, codes directly in a final theme, an emerging theme in none."""
    def row(code: str, emerging: tuple[int | None, str], final: tuple[int | None, str]):
        return Table1Row(len(code), code, 1, 1, *emerging, *final)

    care, money = (1, "Care"), (2, "Money")
    return Table1(Table1Options(), (
        row("a", (11, "Night"), care), row("bb", (11, "Night"), care),
        row("ccc", (12, "Alone"), care), row("dddd", (None, ""), care),
        row("eeeee", (None, ""), care), row("ffffff", (13, "Pay"), money),
        row("ggggggg", (14, "Loose"), (None, "")), row("hhhhhhhh", (14, "Loose"), (None, ""))))


@pytest.mark.parametrize("levels", [3, 2, None])
def test_merged_cells_are_those_python_docx_merge_makes(demo_file: Path, tmp_path: Path,
                                                        levels: int | None) -> None:
    """The writer marks merged cells itself (w:vMerge) rather than through python-docx's
    slow ``cell.merge``: the cells it merges must be exactly those ``merge`` would."""
    table1 = _table1(demo_file, levels=levels) if levels else _loose_table1()
    write_table1(table1, tmp_path / "t.docx")
    written = _vmerges(Document(str(tmp_path / "t.docx")).tables[0])
    expected = Document().add_table(rows=1 + len(table1.rows), cols=len(table1.headers))
    for column, spans in enumerate(table1.theme_columns(), start=1):
        for span in spans:
            if span.last > span.first:
                expected.cell(span.first + 1, column).merge(expected.cell(span.last + 1, column))
    assert written == _vmerges(expected)
    assert written[0] == [None] * (1 + len(table1.rows))  # codes are never merged
    assert all("restart" in column and "continue" in column for column in written[1:])


def test_counts_two_levels_and_landscape(demo_file: Path, tmp_path: Path) -> None:
    table1 = _table1(demo_file, levels=2, show_counts=True, landscape=True)
    target = tmp_path / "two.docx"
    write_table1(table1, target)
    document = Document(str(target))
    section = document.sections[0]
    assert section.page_width > section.page_height
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Initial codes", "Themes"]
    first = table1.rows[0]
    assert table.rows[1].cells[0].text == f"{first.code} ({first.codings}, {first.participants})"
    assert any(p.text.startswith("Note.") for p in document.paragraphs)


def test_csv_and_xlsx_repeat_the_themes(demo_file: Path, tmp_path: Path) -> None:
    table1 = _table1(demo_file, show_counts=True)
    write_table1(table1, tmp_path / "t.csv")
    write_table1(table1, tmp_path / "t.xlsx")
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["Initial codes", "Emerging themes", "Final themes", "Codings",
                       "Participants"]
    expected = [[r.code, r.emerging, r.final, str(r.codings), str(r.participants)]
                for r in table1.rows]
    assert rows[1:] == expected
    sheet = load_workbook(tmp_path / "t.xlsx").active
    values = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(
        values_only=True)]
    assert values == rows


def test_unknown_extension_is_refused(demo_file: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"table\.pdf: Table 1 can be written as"):
        write_table1(_table1(demo_file), tmp_path / "table.pdf")
    assert list(tmp_path.iterdir()) == []


def test_control_characters_do_not_break_word_or_excel(store, tmp_path: Path) -> None:
    """A definition pasted from elsewhere may hold a bell or a vertical tab, which XML (and
    so Word and XLSX) cannot hold: the exports drop them instead of failing."""
    from thematic_workbench.analysis.codebook import build_codebook
    from thematic_workbench.core.services import codes, themes
    from thematic_workbench.io.codebook_files import write_codebook

    with store.transaction("ana") as tx:
        code = codes.create_code(tx, "Bell\x07 code", definition="rings\x0b twice").new_id(
            "code")
        themes.assign_code(tx, code, themes.create_theme(tx, "Theme").new_id("theme"))
    with store.read() as session:
        table1 = build_table1(session)
        write_table1(table1, tmp_path / "t.docx")
        write_table1(table1, tmp_path / "t.xlsx")
        codebook = build_codebook(session)
        write_codebook(codebook, tmp_path / "c.xlsx")
        write_codebook(codebook, tmp_path / "c.docx")
    assert Document(str(tmp_path / "t.docx")).tables[0].rows[1].cells[0].text == "Bell code"
    assert load_workbook(tmp_path / "c.xlsx").active["A2"].value == "Bell code"
