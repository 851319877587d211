"""The Search tab: type a query, see keyword-in-context rows, narrow them with filters, open
the transcript at a hit, export the hits, hand them to autocoding."""

from __future__ import annotations

import csv
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.services import participants
from thematic_workbench.core.services.documents import delete_document, import_document
from thematic_workbench.core.services.speakers import map_speaker
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.gui.search import view as search_view
from thematic_workbench.gui.search.model import BEFORE, HIT, SPAN_ROLE
from thematic_workbench.gui.search.view import SearchView
from thematic_workbench.gui.session import ProjectSession

WAIT_MS = 10_000
PA_TEXT = ("Interviewer: What helps when it feels risky?\n"
           "PA: 😀 Supervision helps, and café chats after a risky session.\n"
           "Interviewer: Anything else?\n"
           "PA: Supervision, again. Always supervision, whatever the risks.")
GROUP = ("Moderator: Where does support come from?\n"
         "Anna: Supervision, and the risk talk we have after it.\n"
         "Ben: Peer supervision keeps me going.\n")


def _import(project: ProjectSession, text: str, name: str, participant: str | None) -> int:
    document = replace(imported(text, name), turns=tuple(detect_turns(text)))
    return project.run(import_document, document, participant).new_id("document")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[ProjectSession]:
    store = ProjectStore.create(tmp_path / "study.thematic", "Test study")
    project = ProjectSession(store, "tester")
    _import(project, PA_TEXT, "PA interview", "PA")
    group = _import(project, GROUP, "Group 1", None)
    with store.transaction("tester") as tx:
        anna = participants.create_participant(tx, "P1").new_id("participant")
        participants.define_attribute(tx, "profession", "text")
        participants.set_participant_attribute(tx, anna, "profession", "nurse")
        map_speaker(tx, group, "Anna", anna)
    yield project
    QThreadPool.globalInstance().waitForDone(WAIT_MS)  # no search may outlive its test
    project.close()


@pytest.fixture
def view(qtbot: QtBot, session: ProjectSession) -> SearchView:
    widget = SearchView(session)
    qtbot.addWidget(widget)
    widget.resize(1300, 500)
    qtbot.waitUntil(lambda: not widget.busy, timeout=WAIT_MS)  # the choosers are filled
    return widget


def _search(qtbot: QtBot, view: SearchView, query: str) -> int:
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS) as done:
        view.search(query)
    return done.args[0]


def _rows(view: SearchView) -> list[list[str]]:
    model = view.model
    return [[str(model.index(row, column).data()) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def test_typing_a_query_shows_keyword_in_context_rows(
        qtbot: QtBot, view: SearchView, qtmodeltester: object,
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS) as done:
        qtbot.keyClicks(view.query_edit, "supervision")  # one search, once typing pauses
    assert done.args == [5]
    assert _rows(view) == [
        ["PA interview", "PA", "PA", "2", "PA: 😀 ", "Supervision",
         " helps, and café chats after a risky session."],
        ["PA interview", "PA", "PA", "4", "PA: ", "Supervision", ", again. Always supervision, "
         "whatever the risks."],
        ["PA interview", "PA", "PA", "4", "PA: Supervision, again. Always ", "supervision",
         ", whatever the risks."],
        ["Group 1", "P1", "Anna", "2", "Anna: ", "Supervision", ", and the risk talk we have "
         "after it."],
        ["Group 1", "", "Ben", "3", "Ben: Peer ", "supervision", " keeps me going."],
    ]
    model = view.model
    assert model.index(0, HIT).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, BEFORE).data(Qt.ItemDataRole.TextAlignmentRole) & \
        Qt.AlignmentFlag.AlignRight
    assert view.status.text() == "5 hits in 2 transcripts"
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_operators_and_word_forms(qtbot: QtBot, view: SearchView) -> None:
    assert _search(qtbot, view, "risk") == 1  # Anna's "risk" only
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        view.forms_check.setChecked(True)  # searches again at once
    assert [row[HIT] for row in _rows(view)] == ["risky", "risky", "risks", "risk"]
    assert _search(qtbot, view, "supervision NOT risk") == 0  # both transcripts say it
    _search(qtbot, view, "supervision NEAR/3 risk")
    # words between are counted in the text as it reads: "risky? PA: 😀 Supervision" has one
    assert [(row[3], row[HIT]) for row in _rows(view)] == [
        ("1", "risky"), ("2", "Supervision"), ("4", "supervision"), ("4", "risks"),
        ("2", "Supervision"), ("2", "risk")]


def test_filters_change_the_rows(qtbot: QtBot, view: SearchView) -> None:
    _search(qtbot, view, "supervision")
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        view.choose(view.participant_choice, "P1")
    assert [(row[1], row[2]) for row in _rows(view)] == [("P1", "Anna")]
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        view.choose(view.participant_choice, "Everyone")
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        view.choose(view.not_speaker_choice, "Ben")
    assert [row[2] for row in _rows(view)] == ["PA", "PA", "PA", "Anna"]
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        view.choose(view.document_choice, "Group 1")
    assert [row[2] for row in _rows(view)] == ["Anna"]
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        view.choose(view.document_choice, "All transcripts")
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        view.choose(view.attribute_choice, "profession = nurse")
    assert [row[2] for row in _rows(view)] == ["Anna"]
    assert view.scope() == Scope(attributes=(("profession", "nurse"),),
                                 not_speakers=frozenset({"Ben"}))
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        view.choose(view.speaker_choice, "Interviewer")
    assert view.model.rowCount() == 0
    assert view.status.text() == "No hits for supervision"


def test_enter_and_double_click_open_the_hit(qtbot: QtBot, view: SearchView) -> None:
    _search(qtbot, view, "cafe")
    view.show()
    qtbot.waitExposed(view)
    index = view.model.index(0, HIT)
    document_id, start, end = index.data(SPAN_ROLE)
    assert PA_TEXT[start:end] == "café"  # after an emoji: code points, not UTF-16 units
    view.view.setFocus()
    view.view.setCurrentIndex(index)
    with qtbot.waitSignal(view.result_activated, timeout=WAIT_MS) as opened:
        qtbot.keyClick(view.view, Qt.Key.Key_Return)
    assert opened.args == [document_id, start, end]
    rect = view.view.visualRect(view.model.index(0, 0))
    qtbot.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.result_activated, timeout=WAIT_MS) as opened:
        qtbot.mouseDClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [document_id, start, end]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_every_hit(qtbot: QtBot, view: SearchView, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    monkeypatch.setattr(search_view, "MAX_RESULTS", 2)  # the export is not cut short
    assert _search(qtbot, view, "supervision") == 2
    target = tmp_path / f"hits{suffix}"
    monkeypatch.setattr(view, "ask_export_path", lambda: target)
    with qtbot.waitSignal(view.export_finished, timeout=WAIT_MS) as done:
        view.export_button.click()
    assert done.args == [f"Exported 5 hits to {target.name}"]
    if suffix == ".csv":
        with target.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))
    else:
        sheet = load_workbook(target).active
        rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(
            values_only=True)]
    assert rows[0] == ["document", "participant", "speaker", "line", "start", "end", "text",
                       "before", "after"]
    assert [[*row[:4], row[6]] for row in rows[1:]] == [
        ["PA interview", "PA", "PA", "2", "Supervision"],
        ["PA interview", "PA", "PA", "4", "Supervision"],
        ["PA interview", "PA", "PA", "4", "supervision"],
        ["Group 1", "P1", "Anna", "2", "Supervision"],
        ["Group 1", "", "Ben", "3", "supervision"]]


def test_code_all_hits_hands_the_search_to_autocoding(
        qtbot: QtBot, view: SearchView, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[object, ...]] = []
    fake = types.ModuleType("thematic_workbench.gui.autocode.dialogs")
    fake.ask_autocode_search = lambda session, parent, **options: asked.append(  # type: ignore[attr-defined]
        (session, parent, options))
    monkeypatch.setitem(sys.modules, "thematic_workbench.gui.autocode.dialogs", fake)
    assert not view.code_button.isEnabled()
    view.forms_check.setChecked(True)
    view.choose(view.not_speaker_choice, "Interviewer")  # no query yet: no search
    assert _search(qtbot, view, "risk") == 3
    view.code_button.click()
    assert asked == [(view.session, view, {
        "query": "risk", "forms": True,
        "scope": Scope(not_speakers=frozenset({"Interviewer"}))})]


@pytest.mark.parametrize("query", ['"', "AND", "NEAR(", "col:x", "😀", "(", "*", "a NOT"])
def test_odd_queries_give_no_error(qtbot: QtBot, view: SearchView, query: str) -> None:
    _search(qtbot, view, query)
    assert "failed" not in view.status.text()


def test_new_and_deleted_transcripts_refresh_rows_and_choosers(
        qtbot: QtBot, view: SearchView, session: ProjectSession) -> None:
    _search(qtbot, view, "supervision")
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        change = session.run(import_document, imported("PC: supervision, yes.", "PC"), "PC")
    assert ["PC", "PC"] in [row[:2] for row in _rows(view)]
    qtbot.waitUntil(lambda: view.participant_choice.findText("PC") > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(view.search_finished, timeout=WAIT_MS):
        session.run(delete_document, change.new_id("document"))
    assert view.model.rowCount(QModelIndex()) == 5
