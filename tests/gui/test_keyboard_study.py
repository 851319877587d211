"""The whole method by keyboard on a laptop screen: no mouse event and no handler call.

The eleven-interview study is taken from phase 1 to phase 6 in the main window at
1366x768 with keys alone, sent to whatever has the focus: a transcript is opened from the
documents list and marked read, a margin note and a diary entry written; text is coded
with the quick-code box and with a number key, which says what it coded, and Ctrl+Z undoes
it; a theme is made on the board and a code moved into it; an extract's memo is edited in
the review; a theme is defined; Table 1 is exported to Word and a snapshot saved. Each
phase move is Ctrl+Alt+Right. Only dialogs that would block are stood in for, and they too
are answered by typing. After each step the database shows what the user did.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from tests.gui.eleven_interviews import build_eleven
from tests.gui.test_board_keyboard import CTRL, SHIFT, Keys
from tests.gui.window_helpers import open_window
from thematic_workbench.core.services.reading import reading_progress
from thematic_workbench.core.storage.models import (
    Annotation,
    Code,
    Coding,
    DiaryEntry,
    Project,
    ReadingMark,
    Snapshot,
    Theme,
    ThemeMembership,
)
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.board.cards import CodeChip
from thematic_workbench.gui.coding.quick_code import QuickCodeBox
from thematic_workbench.gui.exchange.table1_dialog import Table1Dialog
from thematic_workbench.gui.review.dialogs import SnapshotDialog
from thematic_workbench.gui.window.main_window import MainWindow

CODED = re.compile(r"Coded lines? \d+(-\d+)? as 'Reporting as a form of care'"
                   r" — Ctrl\+Z undoes it")


def _count(path: Path, what: object, *where: object) -> int:
    """What another reader of the project file sees (every change is committed at once)."""
    with ProjectStore.open(path, readonly=True) as store, store.read() as s:
        return s.execute(select(func.count()).select_from(what).where(*where)).scalar_one()


def _one(path: Path, column: object, *where: object) -> object:
    with ProjectStore.open(path, readonly=True) as store, store.read() as s:
        return s.execute(select(column).where(*where)).scalar_one()


class Study(Keys):
    """Keys (from the phase 3 test) plus what the other phases need."""

    def __init__(self, qtbot: QtBot, window: MainWindow,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(qtbot, window, monkeypatch)

        def answer(dialog: QDialog) -> int:  # type what is due into the dialog, then Enter
            dialog.show()
            qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
            while not isinstance(QApplication.focusWidget(), QLineEdit):  # Tab to the field
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            field = QApplication.focusWidget()
            qtbot.keyClicks(field, self.typed.pop(0))
            qtbot.keyClick(field, Qt.Key.Key_Return)
            window.activateWindow()  # as the window system does when a dialog closes
            QApplication.processEvents()
            return int(dialog.result())

        for dialog in (QuickCodeBox, SnapshotDialog):
            monkeypatch.setattr(dialog, "exec", answer)

    def tab_to(self, wanted: Callable[[QWidget], bool], backwards: bool = False,
               limit: int = 40) -> QWidget:
        """Tab (or Shift+Tab) through the window until ``wanted`` has the focus."""
        for _ in range(limit):
            if wanted(self.focused()):
                return self.focused()
            self.press(Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached it; the focus is on {self.focused()!r}")

    def next_phase(self, phase: int, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
        workspace = self.window.workspace
        assert workspace is not None
        monkeypatch.setattr(workspace.phases, "ask_note",
                            lambda *_args: f"On to phase {phase}, by keyboard.")
        self.shortcut("Ctrl+Alt+Right")
        assert workspace.phases.strip.current == phase == _one(path, Project.current_phase)


def test_phases_one_to_six_by_keyboard_on_a_laptop_screen(
        qtbot: QtBot, settings: QSettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_eleven(tmp_path / "eleven.thematic")
    window = open_window(qtbot, settings, path, "researcher")
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.activateWindow()
    assert window.size() == QSize(1366, 768)
    keys = Study(qtbot, window, monkeypatch)
    workspace = window.workspace
    assert workspace is not None and window.session is not None

    # Phase 1. Tab to the documents list, arrow down to a transcript, open it, mark it read.
    keys.tab_to(lambda w: w is window.documents.view)
    while window.documents.selected_document_id() is None:
        keys.press(Qt.Key.Key_Down)
    document_id = window.documents.selected_document_id()
    keys.press(Qt.Key.Key_Return)
    assert window.transcript.current_document_id == document_id
    assert workspace.current_tab() == "transcript"
    keys.shortcut("Ctrl+Alt+R")  # the list's own key for its current row
    with window.session.read() as s:
        assert reading_progress(s, "researcher").read == 1
    assert _count(path, ReadingMark, ReadingMark.document_id == document_id) == 1

    # A margin note on a line chosen with the arrows (Shift+Down selects it), Ctrl+Alt+M.
    editor = keys.tab_to(lambda w: w is window.transcript.editor, backwards=True)
    for _ in range(3):
        keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Home)
    keys.press(Qt.Key.Key_Down, SHIFT)
    assert window.transcript.selected_text()
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *_args, **_kw: (keys.typed.pop(0), True))
    keys.typed.append("They expect me to write it all down.")
    keys.shortcut("Ctrl+Alt+M")
    assert _one(path, Annotation.body, Annotation.document_id == document_id) == \
        "They expect me to write it all down."

    # A diary entry: Ctrl+Shift+D, type, Ctrl+S.
    keys.shortcut("Ctrl+Shift+D")
    assert keys.focused() is workspace.diary.body_edit
    qtbot.keyClicks(keys.focused(), "Read PA twice; I notice my own discomfort with reporting.")
    keys.shortcut("Ctrl+S")
    assert _one(path, DiaryEntry.phase, DiaryEntry.body.like("Read PA twice%")) == 1
    keys.next_phase(2, monkeypatch, path)

    # Phase 2. Back to the transcript (Shift+Tab), a line further down, Ctrl+K, a new code.
    keys.tab_to(lambda w: w is editor, backwards=True)
    for _ in range(4):
        keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Down, SHIFT)
    keys.typed.append("Reporting as a form of care")
    keys.shortcut("Ctrl+K")
    assert not keys.typed
    new_code = Code.name == "Reporting as a form of care"
    assert _count(path, Coding, Coding.code_id.in_(select(Code.id).where(new_code))) == 1

    # Key 1 applies that code to the next line and says so; Ctrl+Z takes it back.
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Down, SHIFT)
    keys.press(Qt.Key.Key_1)
    assert _count(path, Coding, Coding.code_id.in_(select(Code.id).where(new_code))) == 2
    assert CODED.fullmatch(window.statusBar().currentMessage())
    keys.shortcut("Ctrl+Z")
    assert _count(path, Coding, Coding.code_id.in_(select(Code.id).where(new_code))) == 1
    keys.next_phase(3, monkeypatch, path)

    # Phase 3 (tested in full in test_board_keyboard.py): Ctrl+Shift+T makes a theme, the
    # new code goes into it from Miscellaneous with Shift+F10, Move to theme…, typing.
    assert workspace.current_tab() == "board"
    keys.typed.append("Reporting as care")
    keys.shortcut("Ctrl+Shift+T")
    theme_id = _one(path, Theme.id, Theme.name == "Reporting as care")
    keys.press(Qt.Key.Key_Right)
    code_id = _one(path, Code.id, new_code)
    keys.walk_to(lambda w: isinstance(w, CodeChip) and w.code.id == code_id)
    keys.menu("m", "reporting as")
    assert _count(path, ThemeMembership, ThemeMembership.theme_id == theme_id,
                  ThemeMembership.code_id == code_id) == 1
    keys.next_phase(4, monkeypatch, path)

    # Phase 4: the Review tab is in front. Tab to the theme picker, Down picks a theme; Tab
    # into its extracts and to a citation; Shift+F10, Edit memo…, a memo on that coding.
    assert workspace.current_tab() == "review"
    review = workspace.theme_review
    keys.tab_to(lambda w: w is review.picker)
    keys.press(Qt.Key.Key_Down)
    assert review.theme_id is not None and review.targets
    keys.tab_to(lambda w: w is review.browser)
    keys.press(Qt.Key.Key_Tab)  # to the first citation
    target = review.menu.locate(None)
    assert target is not None
    keys.press(Qt.Key.Key_F10, SHIFT)
    menu = review.menu.menu
    assert menu is not None and menu.isVisible()
    while not (menu.activeAction() and menu.activeAction().text().startswith("Edit memo")):
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    keys.typed.append("Said twice in the interview: worth a quote.")
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    window.activateWindow()  # as the window system does when a popup closes
    assert _count(path, Coding, Coding.id == target[0].coding_id,
                  Coding.memo == "Said twice in the interview: worth a quote.") == 1
    keys.next_phase(5, monkeypatch, path)

    # Phase 5: Define and name. Tab to the themes, Down to one, Tab to its definition,
    # type it, Ctrl+S.
    assert workspace.current_tab() == "definitions"
    definitions = workspace.definitions
    keys.tab_to(lambda w: w is definitions.themes)
    keys.press(Qt.Key.Key_Down)
    chosen = definitions.theme_id
    keys.tab_to(lambda w: w is definitions.definition)
    keys.press(Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(keys.focused(), "Therapists name the limits of confidentiality early.")
    keys.shortcut("Ctrl+S")
    assert _count(path, Theme, Theme.id == chosen, Theme.definition ==
                  "Therapists name the limits of confidentiality early.") == 1
    keys.next_phase(6, monkeypatch, path)

    # Phase 6: Ctrl+E shows Table 1; Enter exports it (to the file the dialog would ask
    # for), Escape closes the preview. Ctrl+Shift+S saves a snapshot, named by typing.
    table1 = tmp_path / "table1.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kw: (str(table1), "Word document (*.docx)"))

    def preview(dialog: QDialog) -> int:
        dialog.show()
        qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
        model = dialog.model  # the preview shows the theme made on the board
        assert "Reporting as care" in {model.index(row, column).data() for row in range(
            model.rowCount()) for column in range(model.columnCount())}
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table1.exists() and not window.exchange.jobs, timeout=20_000)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        window.activateWindow()
        return int(dialog.result())

    monkeypatch.setattr(Table1Dialog, "exec", preview)
    keys.shortcut("Ctrl+E")
    assert table1.exists()
    tables = docx.Document(str(table1)).tables
    assert tables and "Reporting as care" in {cell.text for row in tables[0].rows
                                              for cell in row.cells}
    keys.typed.append("Write-up draft")
    keys.shortcut("Ctrl+Shift+S")
    assert _count(path, Snapshot, Snapshot.name == "Write-up draft", Snapshot.phase == 6) == 1
