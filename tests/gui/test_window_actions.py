"""Window-level actions of issue 11 that no single panel owns: marking the transcript one is
reading as read from the keyboard, and the Code menu after its project is closed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from thematic_workbench.core.queries.project import find_document
from thematic_workbench.core.services.reading import reading_progress
from thematic_workbench.gui.window.main_window import MainWindow


def _read_by_alice(window: MainWindow) -> tuple[int, int]:
    assert window.session is not None
    with window.session.read() as session:
        progress = reading_progress(session, "alice")
    return progress.read, progress.reread


def test_ctrl_alt_r_in_the_transcript_marks_it_read_and_ctrl_z_takes_it_back(
        window: MainWindow, qtbot: QtBot) -> None:
    assert window.session is not None and window.transcript is not None
    with window.session.read() as session:
        document_id = find_document(session, "PA-forensic-psychologist").id
    window.open_document(document_id)
    editor = window.transcript.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    assert _read_by_alice(window) == (0, 0)
    qtbot.keyClick(editor, Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert _read_by_alice(window) == (1, 0)
    qtbot.keyClick(editor, Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert _read_by_alice(window) == (1, 1)  # read, then re-read
    window.actions_by_key["undo"].trigger()
    window.actions_by_key["undo"].trigger()
    assert _read_by_alice(window) == (0, 0)
    assert "Mark transcript as read" in window.actions_by_key["mark_read"].text().replace(
        "&", "")


def test_the_code_menu_after_the_project_is_closed_does_nothing_and_does_not_fail(
        window: MainWindow, qtbot: QtBot) -> None:
    window.close_project()
    qtbot.wait(10)  # the closed project's transcript and controller are freed
    assert window.coding is None
    keys = window.actions_by_key["number_keys"]
    keys.trigger()  # a preference: it may be changed with no project open
    keys.trigger()
    assert keys.isChecked()
    for key in ("mark_read", "apply_code", "recode", "remove_coding"):
        assert not window.actions_by_key[key].isEnabled(), key


def test_f6_walks_the_focus_through_the_parts_of_the_window_and_back(
        window: MainWindow, qtbot: QtBot) -> None:
    assert window.transcript is not None
    qtbot.wait(20)  # the first-run panel sizes
    window.activateWindow()
    editor = window.transcript.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    shown = {key: dock for key, dock in window.docks.items()
             if dock.isVisible() and not dock.visibleRegion().isEmpty()}
    visited = []
    for _ in range(len(shown) + 1):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F6)
        focus = window.focusWidget()
        owner = next((key for key, dock in shown.items() if dock.isAncestorOf(focus)),
                     "centre" if window.centralWidget().isAncestorOf(focus) else None)
        visited.append(owner)
    assert set(visited) == {*shown, "centre"}, visited
    assert visited[-1] == "centre"  # round the window and back to the transcript's side
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert shown[visited[-2]].isAncestorOf(window.focusWidget())
