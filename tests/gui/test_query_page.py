"""The "Coding query" tab driven as a researcher would: typing or building an expression,
reading the passages, a mistake shown under the box, filters by who said it, opening a
passage, saving the result as a code and undoing it; and a screenshot in the window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from tests.core.test_coding_query import build_query_study
from tests.gui.window_helpers import open_window
from thematic_workbench.core.storage.models import Code, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.analysis.query_page import QueryPage
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.window.main_window import MainWindow

LOAD_MS = 15_000
Shot = Callable[[QWidget, str], Path | None]


@pytest.fixture
def page(qtbot: QtBot, session: ProjectSession, store: ProjectStore) -> Iterator[QueryPage]:
    """The query tab over the small study, shown and ready."""
    build_query_study(store)
    shown = QueryPage(session)
    qtbot.addWidget(shown)
    shown.resize(1000, 600)
    with qtbot.waitSignal(shown.loaded, timeout=LOAD_MS):
        shown.show()  # read when first shown
    yield shown
    assert shown.wait(), "a read was still running"


def run(qtbot: QtBot, page: QueryPage, typed: str | None = None) -> None:
    """Type ``typed`` into the box (if given) and press Enter; wait for the answer."""
    if typed is not None:
        page.editor.clear()
        qtbot.keyClicks(page.editor, typed)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        qtbot.keyClick(page.editor, Qt.Key.Key_Return)


def shown_rows(page: QueryPage) -> list[list[str]]:
    model = page.proxy
    return [[str(model.index(row, column).data()) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def extracts(page: QueryPage) -> list[str]:
    return [row[3] for row in shown_rows(page)]


def test_a_typed_expression_lists_its_passages_with_citations(qtbot: QtBot,
                                                              page: QueryPage) -> None:
    run(qtbot, page, '"Risk" not "Trust"')
    assert shown_rows(page) == [
        ["PA", "PA interview", "line 3", "The risk report can break it"],
        ["P1", "Group 1", "line 2", "Honesty about the risk report"],
        ["P1", "Group 1", "line 5", "Risk talk"]]
    assert page.summary.text() == '3 passages in 2 transcripts match "Risk" NOT "Trust".'
    assert page.save_button.isEnabled() and not page.error.isVisible()


def test_the_chooser_and_buttons_build_the_expression(qtbot: QtBot, page: QueryPage) -> None:
    page.insert_name("Trust")
    qtbot.mouseClick(page.operator_buttons["AND"], Qt.MouseButton.LeftButton)
    page.insert_name("Risk")
    assert page.editor.text() == '"Trust" AND "Risk" '
    page.editor.clear()
    qtbot.mouseClick(page.operator_buttons["("], Qt.MouseButton.LeftButton)
    page.insert_name("Repair")
    page.near_box.setValue(1)
    qtbot.mouseClick(page.operator_buttons["NEAR"], Qt.MouseButton.LeftButton)
    page.insert_name("Support")
    qtbot.mouseClick(page.operator_buttons[")"], Qt.MouseButton.LeftButton)
    page.insert_name("Alliance", "emerging theme")  # a code has the name too
    assert page.editor.text() == '("Repair" NEAR/1 "Support") emerging:"Alliance" '
    # names of both kinds are offered, the theme with its prefix when inserted
    kinds = {page.chooser.itemData(i).kind for i in range(page.chooser.count())
             if page.chooser.itemData(i) is not None}
    assert kinds == {"code", "emerging theme", "final theme"}
    run(qtbot, page, '"Repair" NEAR/1 "Support"')
    assert extracts(page) == ["we repair it together",
                              "Supervision helps me carry the rest home."]


def test_a_mistake_is_shown_under_the_box_and_keeps_the_last_result(
        qtbot: QtBot, page: QueryPage) -> None:
    run(qtbot, page, '"Trust" AND "Risk"')
    assert extracts(page) == ["months"]
    run(qtbot, page, '"Trust" AND ')
    assert page.error.isVisible()
    assert page.error.text() == ('At character 13: expected a name in double quotes or '
                                 '"(", but the expression ends')
    assert page.editor.cursorPosition() == 12
    assert extracts(page) == ["months"]
    assert not page.save_button.isEnabled()  # the list is not what the box says
    run(qtbot, page, '"Trust" AND "Rsik"')
    assert 'no code or theme named "Rsik"; did you mean "Risk"?' in page.error.text()
    qtbot.keyClicks(page.editor, " ")
    assert not page.error.isVisible()  # typing again clears it


def test_filters_keep_what_the_chosen_people_said(qtbot: QtBot, page: QueryPage) -> None:
    run(qtbot, page, '"Risk" OR "Trust"')
    assert len(extracts(page)) == 6
    menu = page.participant_button.menu()
    anna = next(action for action in menu.actions() if action.text() == "P1")
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        anna.trigger()
    assert extracts(page) == ["Honesty about the risk report", "Risk talk",
                              "part of the trust"]
    assert page.participant_button.text() == "Participants: P1"
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        page.set_filters(participants=set(), attributes={("profession", "psychologist")})
    assert extracts(page) == ["the trust comes late"]
    assert page.attribute_button.text() == "Attributes: profession psychologist"


def test_a_passage_opens_in_its_transcript_and_copies_with_its_citation(
        qtbot: QtBot, page: QueryPage) -> None:
    run(qtbot, page, '"Support"')
    opened: list[tuple[int, int, int]] = []
    page.passage_activated.connect(lambda *span: opened.append(span))
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 3))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    passage = page.passage_at(0)
    assert passage is not None
    assert opened == [(passage.document_id, passage.start, passage.end)]
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == \
        "Supervision helps me carry the rest home. [PA, line 6]"


def _code_rows(store: ProjectStore, name: str) -> int | None:
    with store.read() as session:
        code_id = session.execute(select(Code.id).where(Code.name == name)).scalar()
        if code_id is None:
            return None
        return session.execute(select(func.count()).select_from(Coding)
                               .where(Coding.code_id == code_id)).scalar_one()


def test_save_as_code_adds_the_codings_and_undo_takes_them_away(
        qtbot: QtBot, page: QueryPage, session: ProjectSession, store: ProjectStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run(qtbot, page, '"Risk" NOT "Trust"')
    monkeypatch.setattr(page, "ask_code_name", lambda: "Risk without trust")
    notices: list[str] = []
    page.notice.connect(notices.append)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert _code_rows(store, "Risk without trust") == 3
    assert notices == ["Coded 3 passages as 'Risk without trust'."]
    assert session.undo_stack.undoText() == "Save query as code 'Risk without trust'"
    session.undo_stack.undo()
    assert _code_rows(store, "Risk without trust") is None
    session.undo_stack.redo()
    assert _code_rows(store, "Risk without trust") == 3
    # the chooser follows: the new code can be queried at once
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        page.follower.flush()
    run(qtbot, page, '"Risk without trust"')
    assert extracts(page) == ["The risk report can break it",
                              "Honesty about the risk report", "Risk talk"]


@pytest.fixture
def laptop_window(qtbot: QtBot, settings: QSettings, project: Path) -> Iterator[MainWindow]:
    main = open_window(qtbot, settings, project, "alice")
    main.resize(1366, 768)
    yield main
    main.close_project()


def test_screenshot_of_a_query_in_the_window(qtbot: QtBot, laptop_window: MainWindow,
                                             screenshot: Shot) -> None:
    window = laptop_window
    assert window.workspace is not None
    window.workspace.show_tab("analysis")
    view = window.workspace.analysis
    if "query" not in view.pages:
        pytest.skip("the Coding query tab is not in the analysis view yet (gui/analysis/view.py)")
    page = view.page("query")
    assert isinstance(page, QueryPage)
    opened: list[tuple[int, int, int]] = []
    view.passage_activated.connect(lambda *span: opened.append(span))
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        view.show_page("query")
    run(qtbot, page, '"Trust as slow, unglamorous work" NEAR/2 "Carrying the work"')
    assert len(extracts(page)) == 8 and page.save_button.isEnabled()
    qtbot.wait(100)
    screenshot(window, "query-results")
    page.table.setCurrentIndex(page.proxy.index(1, 3))
    page.table.activated.emit(page.table.currentIndex())  # what a double-click does
    passage = page.passage_at(1)
    assert passage is not None and opened == [(passage.document_id, passage.start,
                                               passage.end)]
    assert window.workspace.current_tab() == "transcript"
    window.workspace.show_tab("analysis")
    run(qtbot, page, '"Trust earned in small steps" AND ("Testing and holding"')
    assert page.error.isVisible()
    screenshot(window, "query-error")
