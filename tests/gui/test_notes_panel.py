"""The margin notes panel: every note of the project, a jump to each, kept up to date."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import SAMPLE_TEXT
from tests.gui.frame_data import OTHER_TEXT
from thematic_workbench.core.services.annotations import add_annotation, list_annotations
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.coding.commands import AddAnnotationCommand
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.notes_panel import NotesModel, NotesPanel


@pytest.fixture
def notes(store: ProjectStore, frame: dict[str, int]) -> dict[str, int]:
    """Two notes on PA's transcript (by alice), one on PB's (by bob)."""
    ids = dict(frame)
    with store.transaction("alice") as tx:
        start = SAMPLE_TEXT.index("run")
        ids["pa_note"] = add_annotation(tx, frame["pa"], start, start + 3,
                                        "Running comes first").new_id("annotation")
        ids["pa_long"] = add_annotation(tx, frame["pa"], 0, len(SAMPLE_TEXT) - 1,
                                        "The whole answer\nreads as rehearsed").new_id(
            "annotation")
    with store.transaction("bob") as tx:
        start = OTHER_TEXT.index("honest")
        ids["pb_note"] = add_annotation(tx, frame["pb"], start, start + 6,
                                        "Honest: a word she uses often").new_id("annotation")
    return ids


@pytest.fixture
def panel(qtbot: QtBot, session: ProjectSession, notes: dict[str, int]) -> NotesPanel:
    widget = NotesPanel(session)
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    return widget


def _rows(panel: NotesPanel) -> list[tuple[str, ...]]:
    model = panel.model
    return [tuple(str(model.index(row, column).data()) for column in range(4))
            for row in range(model.rowCount())]


def test_every_note_is_listed_with_where_it_is_and_who_wrote_it(
        panel: NotesPanel, qtmodeltester: object) -> None:
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    rows = _rows(panel)
    assert ("PB, line 3", "Honest: a word she uses often", "bob", "PB interview") in rows
    assert ("PA, line 2", "Running comes first", "alice", "PA interview") in rows
    long = next(row for row in rows if row[1].startswith("The whole answer"))
    assert long[0].startswith("PA, lines 1-") and long[1] == "The whole answer reads as rehearsed"
    assert panel.title.text() == "3 margin notes in the project"
    assert [r.document for r in panel.model.rows] == sorted(r.document for r in panel.model.rows)


def test_the_list_can_keep_to_the_open_transcript(
        panel: NotesPanel, notes: dict[str, int]) -> None:
    panel.set_current_document(notes["pb"])
    assert panel.model.rowCount() == 3  # the switch is off: every note
    panel.only_open.setChecked(True)
    assert [r.id for r in panel.model.rows] == [notes["pb_note"]]
    assert panel.title.text() == "1 note in this transcript, 3 in the project"
    panel.set_current_document(notes["pa"])
    assert {r.id for r in panel.model.rows} == {notes["pa_note"], notes["pa_long"]}
    menu = panel.context_menu(panel.model.index(0, 0))
    toggle = next(a for a in menu.actions() if a.text() == "Only the open transcript")
    assert toggle.isChecked()
    toggle.trigger()
    assert not panel.only_open.isChecked() and panel.model.rowCount() == 3


def test_enter_or_a_double_click_jumps_to_the_note(
        qtbot: QtBot, panel: NotesPanel, notes: dict[str, int]) -> None:
    row = next(r for r, note in enumerate(panel.model.rows) if note.id == notes["pb_note"])
    index = panel.model.index(row, 1)
    panel.view.setFocus()
    panel.view.setCurrentIndex(index)
    start = OTHER_TEXT.index("honest")
    with qtbot.waitSignal(panel.note_activated) as jumped:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert jumped.args == [notes["pb"], start, start + 6]
    rect = panel.view.visualRect(index)
    viewport = panel.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # as a hand does
    with qtbot.waitSignal(panel.note_activated) as jumped:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert jumped.args == [notes["pb"], start, start + 6]
    go = next(a for a in panel.context_menu(index).actions() if a.text() == "Go to note")
    with qtbot.waitSignal(panel.note_activated) as jumped:
        go.trigger()
    assert jumped.args == [notes["pb"], start, start + 6]


def test_a_note_added_or_undone_elsewhere_appears_and_goes(
        qtbot: QtBot, panel: NotesPanel, session: ProjectSession,
        notes: dict[str, int]) -> None:
    assert session.push(AddAnnotationCommand(session, notes["anon"], 0, 10, "Pilot: too short"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4)
    assert ("Pilot, line 1", "Pilot: too short", "alice", "Pilot") in _rows(panel)
    session.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)


def test_f2_or_the_menu_edits_a_note_and_undo_restores_it(
        qtbot: QtBot, panel: NotesPanel, session: ProjectSession, notes: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *_args: ("Running comes first, always", True))
    row = next(r for r, note in enumerate(panel.model.rows) if note.id == notes["pa_note"])
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(row, 1))
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)

    def body() -> str:
        with session.read() as s:
            return next(n.body for n in list_annotations(s, notes["pa"])
                        if n.id == notes["pa_note"])

    assert body() == "Running comes first, always"
    qtbot.waitUntil(lambda: "Running comes first, always" in
                    [r.body for r in panel.model.rows])
    session.undo_stack.undo()
    assert body() == "Running comes first"
    menu = panel.context_menu(panel.model.index(row, 0))
    assert "Edit note…" in [a.text() for a in menu.actions()]


def test_an_empty_project_says_how_to_write_a_note(
        qtbot: QtBot, session: ProjectSession) -> None:
    panel = NotesPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    QApplication.processEvents()
    assert panel.empty.isVisible() and not panel.view.isVisible()
    assert "Margin note" in panel.empty.text()
    assert panel.title.text() == "0 margin notes in the project"
    assert panel.context_menu(panel.view.indexAt(QPoint(5, 5))).actions()[0].text() == \
        "Only the open transcript"
    assert NotesModel().rowCount() == 0
