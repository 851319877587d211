"""The review views driven as a researcher would: the theme × participant matrix, the
code × theme table and a theme's collated extracts, over the four-therapist study of
tests/analysis/test_theme_matrix.py (its CODINGS list every phrase and its length)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.analysis.test_theme_matrix import TRANSCRIPTS, build_study
from thematic_workbench.core.services import codings, themes
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.review import ChangeFollower
from thematic_workbench.gui.review.matrix_models import CodeThemeModel
from thematic_workbench.gui.review.matrix_view import CodeThemeTableView, ThemeMatrixView
from thematic_workbench.gui.review.theme_review import ThemeReviewView
from thematic_workbench.gui.session import ProjectSession

Shot = Callable[[QWidget, str], Path | None]
PEOPLE = ["PA", "PB", "PC", "PD"]


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


def _shown(qtbot: QtBot, widget: QWidget, width: int, height: int) -> None:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)


def _row(view: ThemeMatrixView, theme_id: int | None) -> list[str]:
    return [view.cell_text(theme_id, who) for who in [*PEOPLE, None]]


def _headers(view: ThemeMatrixView, orientation: Qt.Orientation) -> list[str]:
    count = view.model.columnCount() if orientation == Qt.Orientation.Horizontal \
        else view.model.rowCount()
    return [view.model.headerData(n, orientation) for n in range(count)]


def _click_cell(qtbot: QtBot, view: ThemeMatrixView, theme_id: int, who: str | None) -> None:
    model = view.model
    (row,) = [r for r in range(model.rowCount()) if model.theme_at(r) == theme_id]
    (column,) = [c for c in range(model.columnCount()) if model.participant_at(c) == who]
    rect = view.view.visualRect(model.index(row, column))
    qtbot.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_matrix_shows_segments_characters_and_both(
        qtmodeltester: object, qtbot: QtBot, session: ProjectSession,
        study: dict[str, int], screenshot: Shot) -> None:
    view = ThemeMatrixView(session)
    _shown(qtbot, view, 1000, 500)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    assert _headers(view, Qt.Orientation.Horizontal) == [*PEOPLE, "Total"]
    assert _headers(view, Qt.Orientation.Vertical) == [
        "Emotional residue", "Boundaries at the door", "Physical outlets",
        "Being held by supervision", "All themes"]
    assert _row(view, study["outlets"]) == ["1", "1", "2", "1", "5"]
    assert _row(view, study["held"]) == ["1", "2", "\N{EN DASH}", "2", "5"]
    assert _row(view, None) == ["6", "6", "4", "5", "21"]

    qtbot.mouseClick(view.findChild(QWidget, "characters"), Qt.MouseButton.LeftButton)
    # PA: "I go for a run" (14) lies inside "I go for a run and it clears my head" (36)
    assert _row(view, study["outlets"]) == ["36", "47", "93", "51", "227"]
    # PD's "burnt out" (32) inside "Without it ..." (43) counts once across the themes
    assert _row(view, None) == ["202", "315", "199", "259", "975"]
    qtbot.mouseClick(view.findChild(QWidget, "both"), Qt.MouseButton.LeftButton)
    assert view.cell_text(study["residue"], "PB") == "2 · 107 chars"
    assert "more coded text" in view.legend.text()
    screenshot(view, "theme-participant-matrix")

    # Shading: PC's two outlets segments (93 characters) darker than PA's one, none at 0
    view.set_measure("segments")
    shade = {who: view.model.index(2, column).data(Qt.ItemDataRole.BackgroundRole)
             for column, who in enumerate(PEOPLE)}
    assert isinstance(shade["PC"], QColor) and isinstance(shade["PA"], QColor)
    assert shade["PC"].lightness() < shade["PA"].lightness()
    assert view.model.index(3, 2).data(Qt.ItemDataRole.BackgroundRole) is None  # held × PC

    qtbot.mouseClick(view.findChild(QWidget, "final"), Qt.MouseButton.LeftButton)
    assert _headers(view, Qt.Orientation.Vertical) == [
        "Carrying the work home", "Finding ways to let go", "All themes"]
    assert _row(view, study["home"]) == ["4", "3", "2", "3", "12"]
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]


def test_clicking_a_cell_names_theme_and_participant_and_finds_its_extracts(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int]) -> None:
    view = ThemeMatrixView(session)
    _shown(qtbot, view, 1000, 500)
    with qtbot.waitSignal(view.cell_activated) as blocker:
        _click_cell(qtbot, view, study["held"], "PB")
    assert blocker.args == [study["held"], "PB"]
    extracts = view.cell_extracts(study["held"], "PB")
    assert extracts is not None
    assert [(e.extract.citation, e.extract.text) for e in extracts.extracts] == [
        ("[PB, line 6]", "My supervisor just lets me offload without judging"),
        ("[PB, line 7]", "Supervision keeps me safe to keep doing this work")]
    with qtbot.waitSignal(view.theme_activated) as blocker:
        _click_cell(qtbot, view, study["residue"], None)  # the theme's total
    assert blocker.args == [study["residue"]]
    with qtbot.waitSignal(view.cell_activated) as blocker:  # an empty cell: "none yet"
        _click_cell(qtbot, view, study["held"], "PC")
    assert blocker.args == [study["held"], "PC"]


def test_transcripts_without_a_participant_get_their_own_column(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int]) -> None:
    view = ThemeMatrixView(session)
    _shown(qtbot, view, 800, 300)
    assert _headers(view, Qt.Orientation.Horizontal) == ["PA", "PB", "No participant", "Total"]
    # "Physical outlets": PA's and PB's run, and the pilot's clear head
    assert [view.cell_text(frame["outlets"], who) for who in ["PA", "PB", "", None]] == \
        ["1", "1", "1", "3"]
    with qtbot.waitSignal(view.cell_activated) as blocker:
        _click_cell(qtbot, view, frame["outlets"], "")
    assert blocker.args == [frame["outlets"], ""]


def test_matrix_and_table_follow_a_new_coding(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int]) -> None:
    matrix = ThemeMatrixView(session)
    table = CodeThemeTableView(session)
    qtbot.addWidget(matrix)
    _shown(qtbot, table, 900, 400)
    assert matrix.cell_text(study["held"], "PC") == "\N{EN DASH}"
    phrase = "it keeps us going"  # 17 characters of PC's last line
    start = TRANSCRIPTS["PC"].index(phrase)
    session.run(codings.apply_coding, study["PC"], study["supervision"], start,
                start + len(phrase))
    qtbot.wait(ChangeFollower.DELAY_MS * 2)  # hidden: it waits until it is seen
    assert matrix.cell_text(study["held"], "PC") == "\N{EN DASH}"
    _shown(qtbot, matrix, 1000, 500)
    qtbot.waitUntil(lambda: matrix.cell_text(study["held"], "PC") == "1")
    matrix.set_measure("characters")
    assert _row(matrix, study["held"]) == ["53", "99", "17", "95", "264"]
    qtbot.waitUntil(lambda: table.row_texts()[6][:3] ==
                    ("Supervision as a safe space", "6", "4"))


def test_code_theme_table_flags_codes_in_no_theme_and_sorts(
        qtmodeltester: object, qtbot: QtBot, session: ProjectSession,
        study: dict[str, int], screenshot: Shot) -> None:
    view = CodeThemeTableView(session)
    _shown(qtbot, view, 900, 400)
    screenshot(view, "code-theme-table")
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    rows = view.row_texts()
    assert rows[0] == ("Replaying sessions", "4", "3", "Emotional residue",
                       "Carrying the work home")
    assert rows[-1] == ("Gallows humour", "2", "2", "", "")
    assert [r[0] for r in rows[4:7]] == ["Running", "Clearing my head",
                                         "Supervision as a safe space"]
    assert "1 in no theme yet" in view.summary.text()
    tint = [view.proxy.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
            for row in range(view.proxy.rowCount())]
    assert tint[:-1] == [None] * 7 and isinstance(tint[-1], QColor)

    header = view.view.horizontalHeader()
    x = header.sectionViewportPosition(CodeThemeModel.CODINGS) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    counts = [int(r[1]) for r in view.row_texts()]
    assert counts == sorted(counts) and counts[-1] == 5
    with qtbot.waitSignal(view.code_activated) as blocker:
        index = view.proxy.index(view.proxy.rowCount() - 1, 0)
        qtbot.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.view.visualRect(index).center())
    assert blocker.args == [study["supervision"]]


def test_theme_review_collates_extracts_by_code_with_citations(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int],
        screenshot: Shot) -> None:
    view = ThemeReviewView(session)
    _shown(qtbot, view, 900, 600)
    assert [view.picker.itemText(n).strip() for n in range(view.picker.count())] == [
        "Carrying the work home", "Emotional residue", "Boundaries at the door",
        "Finding ways to let go", "Physical outlets", "Being held by supervision"]
    view.picker.setCurrentIndex(3)
    view.picker.activated.emit(3)  # as choosing it from the list does
    text = view.text()
    assert "Finding ways to let go" in text
    assert "Final theme · 2 emerging themes · 3 codes · 12 extracts from 4 participants" in text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    running = lines.index("■ Running  3 extracts from 2 participants")
    assert lines[running + 1:running + 5] == [
        "from Physical outlets",
        "“I go for a run”  [PA, line 4]",
        "“I run three mornings a week, it is non-negotiable”  [PC, line 4]",
        "“Running gives the adrenaline somewhere to go”  [PC, line 5]",
    ]
    assert lines.index("■ Clearing my head  4 extracts from 4 participants") > running
    assert lines.index("■ Supervision as a safe space  5 extracts from 3 participants") > running
    screenshot(view, "theme-review")


def test_clicking_a_citation_opens_the_transcript_there(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int]) -> None:
    view = ThemeReviewView(session)
    _shown(qtbot, view, 900, 600)
    view.show_theme(study["held"])
    cursor = view.browser.document().find("[PB, line 7]", 0,
                                          QTextDocument.FindFlag.FindCaseSensitively)
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 3)
    where = view.browser.cursorRect(cursor).center()
    with qtbot.waitSignal(view.extract_activated) as blocker:
        qtbot.mouseClick(view.browser.viewport(), Qt.MouseButton.LeftButton, pos=where)
    phrase = "Supervision keeps me safe to keep doing this work"
    start = TRANSCRIPTS["PB"].index(phrase)
    assert blocker.args == [study["PB"], start, start + len(phrase)]


def test_theme_review_follows_new_codings_and_says_when_the_theme_is_gone(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int]) -> None:
    view = ThemeReviewView(session)
    _shown(qtbot, view, 900, 600)
    view.show_theme(study["held"])
    assert "5 extracts from 3 participants" in view.text()
    phrase = "it keeps us going"
    start = TRANSCRIPTS["PC"].index(phrase)
    session.run(codings.apply_coding, study["PC"], study["supervision"], start,
                start + len(phrase))
    qtbot.waitUntil(lambda: "6 extracts from 4 participants" in view.text())
    assert "“it keeps us going”  [PC, line 6]" in view.text()
    session.run(themes.delete_theme, study["held"])
    qtbot.waitUntil(lambda: "no longer exists" in view.text())
    assert view.picker.count() == 5  # the other themes remain to pick


def test_empty_project_says_what_to_do(qtmodeltester: object, qtbot: QtBot,
                                      session: ProjectSession) -> None:
    review, matrix = ThemeReviewView(session), ThemeMatrixView(session)
    table = CodeThemeTableView(session)
    for widget in (review, matrix, table):
        _shown(qtbot, widget, 600, 300)
    qtmodeltester.check(matrix.model)  # type: ignore[attr-defined]
    qtmodeltester.check(table.model)  # type: ignore[attr-defined]
    assert table.summary.text() == "No codes yet."
    assert "No themes yet" in review.text() and not review.picker.isEnabled()
    assert "No emerging themes yet" in matrix.legend.text()
    assert matrix.model.rowCount() == 0


def test_representative_extract_list_holds_each_passage_once(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int]) -> None:
    """PC's "Running gives the adrenaline somewhere to go" is coded both Running and
    Clearing my head, both in "Physical outlets": one passage, listed once."""
    from thematic_workbench.core.storage.models import Coding, Theme
    from thematic_workbench.gui.board.definitions import ThemeDefinitions

    view = ThemeDefinitions(session)
    _shown(qtbot, view, 1000, 600)
    view.show_theme(study["outlets"])
    entries = [view.extract.itemText(n) for n in range(1, view.extract.count())]
    phrase = "Running gives the adrenaline"
    assert len(entries) == 6  # 7 codings of the theme's codes, one passage coded twice
    assert len(set(entries)) == len(entries)
    (twice,) = [n + 1 for n, text in enumerate(entries) if phrase in text]
    tip = view.extract.itemData(twice, Qt.ItemDataRole.ToolTipRole)
    assert "coded Running, Clearing my head" in tip or "coded Clearing my head, Running" in tip

    # Chosen through its second coding, the passage is still listed once, and shown chosen
    start = TRANSCRIPTS["PC"].index("Running gives")
    with session.read() as s:
        second = s.query(Coding.id).filter(Coding.code_id == study["clear"],
                                           Coding.document_id == study["PC"],
                                           Coding.start == start).scalar()
    session.run(themes.set_representative_extract, study["outlets"], second)
    view.show_theme(study["outlets"])
    assert view.extract.count() == 7
    assert phrase in view.extract.currentText()
    assert view.extract.currentData()[0] == second
    assert view.save_theme()  # nothing changed: the choice is kept as it was
    with session.read() as s:
        assert s.get(Theme, study["outlets"]).representative_coding_id == second
