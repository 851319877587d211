"""Moving between the six phases from the strip, with a note; the checklist; sign-offs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from thematic_workbench.core.services.coders import set_coder_role
from thematic_workbench.core.services.review import sign_off_phase
from thematic_workbench.core.storage.models import AuditEvent, ChecklistItem, Project
from thematic_workbench.gui.phases.dialog import MovePhaseDialog
from thematic_workbench.gui.window.main_window import MainWindow


def _phase(window: MainWindow) -> int:
    with window.session.read() as s:  # type: ignore[union-attr]
        return s.execute(select(Project.current_phase)).scalar_one()


def _click_phase(qtbot: QtBot, window: MainWindow, number: int) -> None:
    centre = window.phase_strip.segment(number).center().toPoint()
    qtbot.mouseClick(window.phase_strip, Qt.MouseButton.LeftButton, pos=QPoint(centre))


def test_clicking_a_phase_asks_for_a_note_moves_and_audits(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = window.workspace
    assert workspace is not None
    start = _phase(window)
    target = 4 if start != 4 else 5
    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(workspace.phases, "ask_note",
                        lambda current, goal, _open: asked.append((current, goal)) or None)
    _click_phase(qtbot, window, target)
    assert asked == [(start, target)] and _phase(window) == start  # cancelled: no move

    monkeypatch.setattr(workspace.phases, "ask_note",
                        lambda *_args: "Themes need checking against all eleven interviews")
    _click_phase(qtbot, window, target)
    assert _phase(window) == target
    assert window.phase_strip.current == target
    with window.session.read() as s:  # type: ignore[union-attr]
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "phase.move")
                          .order_by(AuditEvent.seq.desc())).scalars().first()
        assert json.loads(event.after_json)["note"] == \
            "Themes need checking against all eleven interviews"
        assert event.coder == "alice"
    assert workspace.phase_panel.heading.text().count(f"Phase {target} of 6") == 1
    window.undo()  # the move back is a move of its own, recorded too
    assert _phase(window) == start and window.phase_strip.current == start


def test_moving_to_phase_3_brings_the_theme_board_forward(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = window.workspace
    assert workspace is not None
    monkeypatch.setattr(workspace.phases, "ask_note", lambda *_args: "Looking for patterns")
    for phase, tab in ((2, "transcript"), (3, "board"), (5, "definitions")):
        if _phase(window) != phase:
            assert workspace.phases.request_move(phase)
        assert workspace.current_tab() == tab, phase


def test_ticking_the_checklist_and_its_note_are_saved_and_undoable(
        window: MainWindow) -> None:
    panel = window.workspace.phase_panel  # type: ignore[union-attr]
    panel.show_phase(4)
    row = panel.rows["themes-coherent"]
    row.note.setText("Checked each theme's extracts with my supervisor")
    row.note.editingFinished.emit()
    panel.rows["themes-coherent"].box.setChecked(True)
    with window.session.read() as s:  # type: ignore[union-attr]
        item = s.execute(select(ChecklistItem).where(
            ChecklistItem.key == "themes-coherent")).scalar_one()
        assert item.done and item.note == "Checked each theme's extracts with my supervisor"
    assert window.phase_strip.marks.ticked[4][0] == 1
    window.undo()
    with window.session.read() as s:  # type: ignore[union-attr]
        assert not s.execute(select(ChecklistItem.done).where(
            ChecklistItem.key == "themes-coherent")).scalar_one()


def test_a_supervisor_sign_off_shows_on_the_strip_and_the_panel(window: MainWindow) -> None:
    session = window.session
    assert session is not None
    session.run(set_coder_role, "alice", "supervisor")
    session.run(sign_off_phase, 2, "Coding frame is thorough")
    assert 2 in window.phase_strip.marks.signed_off
    assert "alice" in window.phase_strip.tooltip_for(2)
    assert "Coding frame is thorough" in window.workspace.phase_panel.history.text()  # type: ignore[union-attr]


def test_the_move_dialog_needs_a_note(qtbot: QtBot) -> None:
    dialog = MovePhaseDialog(2, 3, ["Each data item has been given equal attention."])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.note.setPlainText("  ")
    assert not ok.isEnabled()
    dialog.note.setPlainText("Codes feel settled")
    assert ok.isEnabled() and dialog.note_text() == "Codes feel settled"


def test_phase_screenshots(window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                           screenshot: Callable[[QWidget, str], Path | None]) -> None:
    workspace = window.workspace
    assert workspace is not None
    monkeypatch.setattr(workspace.phases, "ask_note", lambda *_args: "Grouping codes")
    if _phase(window) != 3:
        workspace.phases.request_move(3)
    window.docks["phase"].raise_()
    QApplication.processEvents()
    shot = screenshot(window, "phase-strip-and-checklist")
    dialog = MovePhaseDialog(3, 4, ["All relevant extracts for each theme have been collated."])
    dialog.note.setPlainText("Candidate themes are in place; checking them against the data.")
    dialog.resize(520, 320)
    dialog.show()
    QApplication.processEvents()
    screenshot(dialog, "move-phase-dialog")
    if shot is None:
        pytest.skip("set TWB_SCREENSHOT_DIR to save screenshots")
