"""The snapshots panel: save the coding frame, change it, save again, and read the
comparison; checked on screen and in the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.core.helpers_docs import last_event
from thematic_workbench.core.services import codes, themes
from thematic_workbench.core.services.snapshots import (
    FrameDiff,
    Merged,
    Named,
    StatusChange,
    ThemeMove,
)
from thematic_workbench.core.storage.models import Snapshot
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.theme_words import INITIAL_DEVELOPED
from thematic_workbench.gui.review import snapshots_panel as panel_module
from thematic_workbench.gui.review.dialogs import SnapshotDialog
from thematic_workbench.gui.review.snapshots_model import SNAPSHOT_ID_ROLE, SnapshotsModel
from thematic_workbench.gui.review.snapshots_panel import (
    CURRENT_LABEL,
    SnapshotsPanel,
    diff_html,
)
from thematic_workbench.gui.session import ProjectSession

ARROW = "\N{RIGHTWARDS ARROW}"


def _panel(qtbot: QtBot, session: ProjectSession) -> SnapshotsPanel:
    panel = SnapshotsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    return panel


def _save(qtbot: QtBot, panel: SnapshotsPanel, monkeypatch: pytest.MonkeyPatch, name: str,
          note: str) -> int:
    monkeypatch.setattr(panel_module, "ask_snapshot", lambda _parent, _suggested: (name, note))
    before = panel.model.rowCount()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == before + 1
    return panel.model.index(before, 0).data(SNAPSHOT_ID_ROLE)


def _snapshots(session: ProjectSession) -> list[tuple[int, str, str, str]]:
    with session.read() as s:
        return [(r.id, r.name, r.note, r.frame_json)
                for r in s.execute(select(Snapshot).order_by(Snapshot.id)).scalars()]


def _rework_frame(session: ProjectSession, frame: dict[str, int]) -> None:
    """Rename a code, and move another from one theme to another."""
    session.run(codes.rename_code, frame["run"], "Running to decompress")

    def move(tx: Tx) -> object:
        themes.unassign_code(tx, frame["head"], frame["outlets"])
        return themes.assign_code(tx, frame["head"], frame["support"])

    session.run_in(move)  # type: ignore[arg-type]


def test_save_two_snapshots_and_compare_them(qtbot: QtBot, qtmodeltester: object,
                                             session: ProjectSession, frame: dict[str, int],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    assert "No snapshots yet" in panel.diff_text()
    assert panel.suggested_name().startswith("Phase 1 (Familiarisation), ")
    first = _save(qtbot, panel, monkeypatch, "Before supervision", "For Sam, 3 May")
    assert [s[:3] for s in _snapshots(session)] == [(first, "Before supervision",
                                                     "For Sam, 3 May")]
    assert [panel.model.index(0, c).data() for c in (SnapshotsModel.NAME, SnapshotsModel.BY,
                                                     SnapshotsModel.FRAME)] == [
        "Before supervision", "alice", "4 codes, 3 themes"]
    assert (panel.older.currentData(), panel.newer.currentText()) == (first, CURRENT_LABEL)

    _rework_frame(session, frame)
    second = _save(qtbot, panel, monkeypatch, "After supervision", "")
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]

    # Choose both rows, as a user would with Ctrl+click, then Compare.
    selection = panel.view.selectionModel()
    for row in (0, 1):
        selection.select(panel.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    assert (panel.older.currentData(), panel.newer.currentData()) == (first, second)
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    text = panel.diff_text()
    assert f"Before supervision {ARROW} After supervision" in text
    assert "2 changes to the coding frame" in text
    assert "Renamed (1)" in text and f"Code: Running {ARROW} Running to decompress" in text
    assert "Moved (1)" in text
    assert f"Code Clearing my head: Physical outlets {ARROW} Support" in text
    assert "Added" not in text and "Removed" not in text

    # One snapshot against the frame as it is now, which follows later edits.
    selection.clearSelection()
    selection.select(panel.model.index(1, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    assert panel.newer.currentText() == CURRENT_LABEL
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    assert "No changes: the coding frame is the same in both." in panel.diff_text()
    session.run(codes.create_code, "Mistrust of the system")
    assert "Added (1)" in panel.diff_text() and "Code Mistrust of the system" in \
        panel.diff_text()


def test_undo_and_redo_saving_a_snapshot_keep_the_frame_first_frozen(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    snapshot_id = _save(qtbot, panel, monkeypatch, "End of coding", "Saved for the record")
    (saved,) = _snapshots(session)
    session.undo_stack.undo()
    assert _snapshots(session) == [] and panel.model.rowCount() == 0
    with session.read() as s:
        assert last_event(s).action == "snapshot.delete"
    session.run(codes.rename_code, frame["sup"], "Formal supervision")  # off the stack
    session.undo_stack.redo()
    assert _snapshots(session) == [saved]  # same id, same frame as when first saved
    assert panel.model.index(0, 0).data(SNAPSHOT_ID_ROLE) == snapshot_id
    with session.read() as s:
        assert last_event(s).action == "snapshot.restore"


def test_a_refused_name_saves_nothing(qtbot: QtBot, session: ProjectSession,
                                      frame: dict[str, int],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    _save(qtbot, panel, monkeypatch, "Draft", "")
    errors: list[str] = []
    session.error.connect(errors.append)
    monkeypatch.setattr(panel_module, "ask_snapshot", lambda *_args: ("DRAFT", ""))
    assert panel.save_snapshot() is None
    assert errors == ["a snapshot named 'Draft' already exists"]
    assert len(_snapshots(session)) == 1
    monkeypatch.setattr(panel_module, "ask_snapshot", lambda *_args: None)
    assert panel.save_snapshot() is None
    assert session.undo_stack.count() == 1


def test_diff_wording_for_merges_status_and_nothing() -> None:
    same = diff_html(FrameDiff(), "A", "B")
    assert "No changes" in same
    html = diff_html(FrameDiff(
        codes_merged=(Merged(3, "run", 4, "running"), Merged(5, "jog", None, None)),
        themes_status=(StatusChange(1, "Support", "candidate", "final"),),
        themes_removed=(Named(2, "Misc <old>"),)), "A", "B")
    assert "Merged (2)" in html and "<b>run</b> merged into <b>running</b>" in html
    assert "merged into a code since removed" in html
    assert f"<b>Support</b>: candidate {ARROW} final" in html
    assert "Theme <b>Misc &lt;old&gt;</b>" in html
    assert "4 changes" in html


def test_snapshot_dialog_needs_a_name(qtbot: QtBot) -> None:
    dialog = SnapshotDialog(None, "Phase 2 (Coding), 3 May 2025")
    qtbot.addWidget(dialog)
    assert dialog.ok.isEnabled()
    dialog.name.setText("   ")
    assert not dialog.ok.isEnabled()
    dialog.name.setText(" After supervision ")
    dialog.note.setPlainText("Sam's comments addressed")
    assert dialog.value() == ("After supervision", "Sam's comments addressed")


def test_snapshot_diff_screenshot(qtbot: QtBot, session: ProjectSession,
                                  frame: dict[str, int], monkeypatch: pytest.MonkeyPatch,
                                  screenshot: Callable[[QWidget, str], Path | None]) -> None:
    panel = _panel(qtbot, session)
    first = _save(qtbot, panel, monkeypatch, "Before supervision", "Frame as sent to Sam")
    _rework_frame(session, frame)

    def more(tx: Tx) -> object:
        codes.create_code(tx, "Mistrust of the system")
        themes.create_theme(tx, "Boundaries")
        themes.set_theme_parent(tx, frame["support"], frame["final"])
        themes.set_theme_status(tx, frame["outlets"], "final")
        return codes.merge_codes(tx, [frame["unused"]], frame["sup"])

    session.run_in(more)  # type: ignore[arg-type]
    second = _save(qtbot, panel, monkeypatch, "After supervision", "Sam's comments addressed")
    panel.choose(first, second)
    diff = panel.compare_chosen()
    assert diff is not None and diff.codes_merged and diff.themes_moved
    text = panel.diff_text()
    assert f"Theme Support: no final theme {ARROW} Looking after oneself" in text
    assert "Code Unused merged into Supervision" in text
    qtbot.wait(50)
    screenshot(panel, "snapshot-diff")


def test_the_comparison_gets_room_in_a_low_strip_and_in_its_own_window(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch,
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    panel = _panel(qtbot, session)
    first = _save(qtbot, panel, monkeypatch, "Before supervision", "Frame as sent to Sam")
    _rework_frame(session, frame)
    assert not panel.window_button.isEnabled()  # nothing compared yet
    panel.resize(1000, 150)  # the low strip under the transcript on a laptop
    qtbot.waitUntil(lambda: panel.splitter.orientation() == Qt.Orientation.Horizontal)
    panel.resize(1000, 150)  # side by side, the panel can be as low as that
    qtbot.waitUntil(lambda: panel.height() < 200)
    listing, reading = panel.splitter.sizes()
    assert reading >= 0.6 * (listing + reading)  # the comparison takes most of the width
    panel.choose(first, None)
    assert panel.cramped()
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    window = panel.diff_window
    assert window is not None and window.isVisible()  # too low to read: its own window
    assert "Running to decompress" in window.text.toPlainText()
    assert window.height() > 3 * panel.result.height() and window.width() >= 450
    assert window.isSizeGripEnabled()
    qtbot.wait(50)
    screenshot(window, "snapshot-diff-window")
    window.close()

    panel.resize(520, 700)  # a tall panel, e.g. beside the transcript: one above the other
    qtbot.waitUntil(lambda: panel.splitter.orientation() == Qt.Orientation.Vertical)
    assert not panel.cramped()
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()  # room enough in the panel
    assert panel.window_button.isEnabled()
    qtbot.mouseClick(panel.window_button, Qt.MouseButton.LeftButton)
    assert window.isVisible() and window.text.toPlainText() == panel.diff_text()
    window.close()


def test_diff_names_the_levels_with_the_project_words() -> None:
    moved = FrameDiff(themes_moved=(ThemeMove(1, "Trust", None, "Alliance"),))
    assert "no final theme" in diff_html(moved, "A", "B")
    html = diff_html(moved, "A", "B", INITIAL_DEVELOPED)
    assert "no developed theme" in html and "final" not in html
