"""Find in project: results grouped by transcript, with context, and a click that jumps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from thematic_workbench.core.services.documents import delete_document, import_document
from thematic_workbench.core.store import ProjectStore
from thematic_workbench.gui.panels import search_panel
from thematic_workbench.gui.panels.search_panel import HTML_ROLE, SPAN_ROLE, SearchPanel
from thematic_workbench.gui.session import ProjectSession

WAIT_MS = 10_000
PA_TEXT = ("Interviewer: What helps?\n"
           "PA: 😀 Supervision helps, and café chats after a hard session.\n"
           "Interviewer: Anything else?\n"
           "PA: Supervision, again. Always supervision.")
PB_TEXT = "PB: Peer supervision keeps me going; so does the Cafe downstairs."


@pytest.fixture
def session(tmp_path: Path) -> Iterator[ProjectSession]:
    store = ProjectStore.create(tmp_path / "study.thematic", "Test study")
    project = ProjectSession(store, "tester")
    project.run(import_document, imported(PB_TEXT, "PB interview"), "PB")
    project.run(import_document, imported(PA_TEXT, "PA interview"), "PA")
    yield project
    QThreadPool.globalInstance().waitForDone(WAIT_MS)  # no search may outlive its test
    project.close()


@pytest.fixture
def panel(qtbot: QtBot, session: ProjectSession) -> SearchPanel:
    widget = SearchPanel(session)
    qtbot.addWidget(widget)
    widget.resize(460, 420)
    return widget


def _search(qtbot: QtBot, panel: SearchPanel, query: str) -> int:
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS) as done:
        panel.search(query)
    return done.args[0]


def _rows(panel: SearchPanel) -> list[tuple[str, list[str]]]:
    model = panel.model
    groups = []
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        children = [model.index(r, 0, group).data() for r in range(model.rowCount(group))]
        groups.append((group.data(), children))
    return groups


def test_results_are_grouped_by_transcript_with_line_and_context(
        qtbot: QtBot, panel: SearchPanel, qtmodeltester: object,
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    assert _search(qtbot, panel, "supervision") == 4
    assert _rows(panel) == [
        ("PA · PA interview (3)", [
            "line 2: PA: 😀 Supervision helps, and café chats after a hard session.",
            "line 4: PA: Supervision, again. Always supervision.",
            "line 4: PA: Supervision, again. Always supervision."]),
        ("PB · PB interview (1)", [
            "line 1: PB: Peer supervision keeps me going; so does the Cafe downstairs."]),
    ]
    first = panel.model.index(0, 0, panel.model.index(0, 0))
    assert "<b>Supervision</b>" in first.data(HTML_ROLE)
    assert panel.status.text() == "4 matches in 2 transcripts."
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    panel.show()
    qtbot.waitExposed(panel)
    screenshot(panel, "search-panel")


def test_clicking_a_result_jumps_to_its_code_point_span(
        qtbot: QtBot, panel: SearchPanel, session: ProjectSession) -> None:
    _search(qtbot, panel, "cafe")
    panel.show()
    qtbot.waitExposed(panel)
    group = panel.model.index(0, 0)
    index = panel.model.index(0, 0, group)
    document_id, start, end = index.data(SPAN_ROLE)
    assert PA_TEXT[start:end] == "café"  # after an emoji: code points, not UTF-16 units
    rect = panel.view.visualRect(index)
    with qtbot.waitSignal(panel.result_activated, timeout=WAIT_MS) as jumped:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert jumped.args == [document_id, start, end]
    # Enter on the result jumps too (once the click can no longer start a double-click);
    # a transcript (group) row does not.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    panel.view.setCurrentIndex(index)
    with qtbot.waitSignal(panel.result_activated, timeout=WAIT_MS):
        panel.view.activated.emit(index)
    with qtbot.assertNotEmitted(panel.result_activated):
        panel.view.activated.emit(group)


@pytest.mark.parametrize("query", ['"', "AND", "NEAR(", "col:x", "😀", "(", "*"])
def test_odd_queries_give_no_error(qtbot: QtBot, panel: SearchPanel, query: str) -> None:
    _search(qtbot, panel, query)
    assert "failed" not in panel.status.text()


def test_no_matches_and_an_empty_query(qtbot: QtBot, panel: SearchPanel) -> None:
    assert _search(qtbot, panel, "xylophone") == 0
    assert panel.status.text() == "No matches for “xylophone”."
    assert _search(qtbot, panel, "") == 0
    assert panel.status.text() == search_panel.HINT
    assert panel.model.rowCount(QModelIndex()) == 0


def test_too_many_matches_are_cut_and_said(qtbot: QtBot, panel: SearchPanel,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_panel, "MAX_RESULTS", 2)
    assert _search(qtbot, panel, "supervision") == 2
    assert panel.status.text().startswith("The first 2 matches in 1 transcript are shown")


def test_typing_searches_after_a_pause_and_the_last_query_wins(
        qtbot: QtBot, panel: SearchPanel) -> None:
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS) as done:
        qtbot.keyClicks(panel.query_edit, "cafe")  # one search, once typing pauses
    assert done.args == [2]
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS):
        panel.search("supervision")
        panel.search("xylophone")  # outdates the search still running
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    assert panel.model.rowCount() == 0
    assert panel.status.text() == "No matches for “xylophone”."


def test_new_and_deleted_transcripts_refresh_the_results(
        qtbot: QtBot, panel: SearchPanel, session: ProjectSession) -> None:
    _search(qtbot, panel, "supervision")
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS):
        change = session.run(import_document, imported("PC: supervision, yes.", "PC"), "PC")
    assert [group for group, _ in _rows(panel)][-1] == "PC · PC (1)"
    with qtbot.waitSignal(panel.search_finished, timeout=WAIT_MS):
        session.run(delete_document, change.new_id("document"))
    assert len(_rows(panel)) == 2
