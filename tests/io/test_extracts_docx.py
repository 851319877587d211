"""The extracts report: its model and its Word document, read back as a reader sees it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as open_document
from docx.document import Document
from docx.text.paragraph import Paragraph
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from thematic_workbench.analysis.extracts_report import build_extracts_report
from thematic_workbench.analysis.map_layouts import read_map
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.queries.project import Extract, extracts_of_code
from thematic_workbench.core.queries.theme_board import read_board
from thematic_workbench.core.reports.extracts import ExtractsReport
from thematic_workbench.core.services import codes, themes
from thematic_workbench.core.storage.models import Coding, Line
from thematic_workbench.core.storage.models import Document as Transcript
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.extracts_docx import write_extracts_report
from thematic_workbench.io.theme_map_figure import theme_map_png

QUOTE = re.compile(r"^\u201c(?P<text>.*)\u201d (?P<citation>\[P[A-Z], lines? \d+(?:-\d+)?\])$",
                   re.DOTALL)


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path) -> Iterator[ProjectStore]:
    target = tmp_path / "copy.thematic"
    shutil.copyfile(demo_file, target)
    with ProjectStore.open(target) as store:
        yield store


def _text(paragraph: Paragraph) -> str:
    return paragraph.text.replace("\N{NO-BREAK SPACE}", " ")


def _write(store: ProjectStore, path: Path, per_code: int | None = 3,
           figure: bool = False) -> tuple[ExtractsReport, Document]:
    with store.read() as db:
        report = build_extracts_report(db, per_code)
        png = theme_map_png(*read_map(db, False, None)) if figure else None
    write_extracts_report(report, path, png)
    return report, open_document(str(path))


def _headings(document: Document, level: int) -> list[str]:
    style = f"Heading {level}" if level else "Title"
    return [_text(p) for p in document.paragraphs if p.style.name == style]


def _quotes_by_code(document: Document) -> dict[str, list[re.Match[str]]]:
    """Each code heading's quotations (the text up to its count, then the quotations)."""
    found: dict[str, list[re.Match[str]]] = {}
    code: str | None = None
    for paragraph in document.paragraphs:
        if paragraph.style.name in ("Heading 1", "Heading 2"):
            code = None
        elif paragraph.style.name == "Heading 3":
            code = _text(paragraph).rsplit(" (", 1)[0]
            found[code] = []
        elif code is not None and (match := QUOTE.match(_text(paragraph))):
            found[code].append(match)
    return found


def test_headings_follow_the_board_order(demo: ProjectStore, tmp_path: Path) -> None:
    _report, document = _write(demo, tmp_path / "extracts.docx")
    with demo.read() as db:
        board = read_board(db)
    assert _headings(document, 0) == ["Extracts report"]
    assert _headings(document, 1) == [f"Final theme {n}: {final.name}"
                                      for n, final in enumerate(board.finals, start=1)]
    assert _headings(document, 2) == [
        f"Emerging theme {n}.{m}: {theme.name}"
        for n, final in enumerate(board.finals, start=1)
        for m, theme in enumerate(board.emerging[final.id], start=1)]
    expected = [code for final in board.finals for theme in board.emerging[final.id]
                for code in theme.codes]
    assert [h.rsplit(" (", 1)[0] for h in _headings(document, 3)] == [c.name for c in expected]
    first = _headings(document, 3)[0]
    assert first == f"{expected[0].name} ({expected[0].codings} codings, 4 participants)"
    body = [_text(p) for p in document.paragraphs]
    assert "Working alliance in mandated therapy (demo)" in body
    assert any(line.startswith("Up to 3 extracts per code") for line in body)
    assert any(line.startswith("Not reported: 2 codes in no theme (Engagement outside the "
                               "therapy room; Rupture after") for line in body)


def _line_of(db: Session, document_id: int, position: int) -> int:
    return db.execute(select(Line.number).where(Line.document_id == document_id,
                                                Line.start <= position)
                      .order_by(Line.start.desc()).limit(1)).scalar_one()


def test_citations_name_the_participant_and_lines_of_the_coded_text(
        demo: ProjectStore, tmp_path: Path) -> None:
    report, document = _write(demo, tmp_path / "extracts.docx", per_code=None)
    quotes = _quotes_by_code(document)
    checked = 0
    with demo.read() as db:
        for code_name, matches in quotes.items():
            extracts: dict[tuple[str, str], Extract] = {
                (x.citation, " ".join(x.text.split())): x
                for x in extracts_of_code(db, codes.find_code(db, code_name).id)}
            assert len(matches) == len(extracts)
            for match in matches:
                key = (match["citation"], " ".join(match["text"].split()))
                assert key in extracts, key
                extract = extracts[key]
                coding = db.get(Coding, extract.coding_id)
                transcript = db.get(Transcript, coding.document_id)
                assert transcript.text[coding.start:coding.end].strip() == extract.text.strip()
                first = _line_of(db, coding.document_id, coding.start)
                last = _line_of(db, coding.document_id, coding.end - 1)
                lines = f"line {first}" if first == last else f"lines {first}-{last}"
                assert match["citation"] == f"[{extract.participant}, {lines}]"
                checked += 1
    assert checked == sum(code.codings for final in report.finals
                          for code in final.all_codes()) == 41
    assert any(", line " in match["citation"] for found in quotes.values() for match in found)


@pytest.mark.parametrize("per_code", [0, 1, 2])
def test_the_number_of_extracts_per_code_is_respected(
        demo: ProjectStore, tmp_path: Path, per_code: int) -> None:
    report, document = _write(demo, tmp_path / "extracts.docx", per_code=per_code)
    counts = {code.name: code.codings for final in report.finals for code in final.all_codes()}
    quotes = _quotes_by_code(document)
    assert quotes.keys() == counts.keys()
    for name, found in quotes.items():
        assert len(found) == min(per_code, counts[name])
    body = [_text(p) for p in document.paragraphs]
    if per_code == 1:
        assert "1 of 4 extracts shown." in body
        assert any(line.startswith("Up to 1 extract per code") for line in body)
    if per_code == 0:
        assert not any(line.endswith("extracts shown.") for line in body)


def test_extracts_are_spread_across_participants_then_in_reading_order(
        demo: ProjectStore) -> None:
    with demo.read() as db:
        report = build_extracts_report(db, 2)
    for final in report.finals:
        for code in final.all_codes():
            people = [x.participant for x in code.extracts]
            assert len(set(people)) == min(2, code.participants), code.name
            assert people == sorted(people)


def test_the_report_reads_the_store_in_a_few_queries(demo: ProjectStore) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        if str(args[2]).startswith("SELECT"):
            statements.append(str(args[2]))

    with demo.read() as db:
        engine = db.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            report = build_extracts_report(db)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert sum(len(final.all_codes()) for final in report.finals) == 15
    assert len(statements) <= 10  # board (4), title, notes, codings, extracts, speaker labels,
    # the project's words for the theme levels


def test_the_map_is_embedded_only_when_asked(demo: ProjectStore, tmp_path: Path) -> None:
    _report, with_figure = _write(demo, tmp_path / "with.docx", figure=True)
    _report, without = _write(demo, tmp_path / "without.docx")
    assert len(with_figure.inline_shapes) == 1
    assert len(without.inline_shapes) == 0
    body = [_text(p) for p in with_figure.paragraphs]
    assert body[body.index("Figure 1") + 1] == "Map of themes"
    assert body.index("Figure 1") < body.index(_headings(with_figure, 1)[0])
    assert "Figure 1" not in [_text(p) for p in without.paragraphs]


def test_representative_extract_scope_notes_and_themes_in_no_final_theme(
        demo_copy: ProjectStore, tmp_path: Path) -> None:
    with demo_copy.transaction("researcher") as tx:
        final = themes.find_theme(tx, "Trust as slow, unglamorous work")
        code = codes.find_code(tx, "Trust built slowly")
        coding = extracts_of_code(tx.session, code.id)[-1]
        themes.set_representative_extract(tx, final.id, coding.coding_id)
        themes.define_theme(tx, final.id, final.definition, scope_notes="Not about safety.")
        loose = themes.create_theme(tx, "Rupture and repair").new_id("theme")
        themes.assign_code(tx, codes.find_code(tx, "Rupture after disclosure or reporting").id,
                           loose)
    _report, document = _write(demo_copy, tmp_path / "extracts.docx")
    body = [_text(p) for p in document.paragraphs]
    start = body.index("Final theme 2: Trust as slow, unglamorous work")
    assert body[start + 2] == "Scope. Not about safety."
    assert body[start + 3] == "Representative extract"
    assert body[start + 4].endswith(f"\u201d {coding.citation}")
    assert _headings(document, 1)[-1] == "Emerging themes in no final theme"
    assert _headings(document, 2)[-1] == "Emerging theme: Rupture and repair"
    assert _headings(document, 3)[-1].startswith("Rupture after disclosure or reporting (")
    assert any(line.startswith("Not reported: 1 code in no theme (Engagement outside")
               for line in body)


def test_an_empty_project_and_an_unwritable_path(store: ProjectStore, tmp_path: Path) -> None:
    _report, document = _write(store, tmp_path / "empty.docx")
    assert "There are no themes on the board yet." in [_text(p) for p in document.paragraphs]
    with store.read() as db:
        report = build_extracts_report(db)
    with pytest.raises(WorkbenchError, match="the extracts report could not be written"):
        write_extracts_report(report, tmp_path / "missing" / "x.docx")
    with store.read() as db, pytest.raises(ValueError):
        build_extracts_report(db, -1)
