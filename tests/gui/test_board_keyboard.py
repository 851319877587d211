"""Phase 3 with the keyboard alone: no mouse event anywhere in this file.

In the main window: a new emerging theme (Ctrl+Shift+T), codes moved into it from
Miscellaneous and from another theme (Shift+F10, Move to theme…, typing), a new final
theme from a lane's menu, the emerging theme put under it, cards and codes reordered
(Alt+Up), the theme made loose again, Enter on a code showing its extracts; the database
checked after each step, and Ctrl+Z undoing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.frame_data import build_frame
from tests.gui.window_helpers import open_window
from thematic_workbench.core.queries.theme_board import emerging_order, read_board
from thematic_workbench.core.storage.models import Theme, ThemeMembership
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.board.cards import CodeChip, ThemeCard
from thematic_workbench.gui.board.choosers import NewThemeDialog, ThemeChooser
from thematic_workbench.gui.board.view import Lane, ThemeBoard
from thematic_workbench.gui.window.main_window import MainWindow

CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)


class Keys:
    """A user at the keyboard: keys go to whatever has the focus."""

    def __init__(self, qtbot: QtBot, window: MainWindow,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot, self.window = qtbot, window
        self.typed: list[str] = []  # what to type into the next dialogs, in order
        self.menu_letters: list[str] = []  # the accelerator to press in the next menus
        qtbot_ = qtbot

        def run_dialog(dialog: QDialog) -> int:
            dialog.show()
            field = dialog.focusWidget()
            assert field is not None
            qtbot_.keyClicks(field, self.typed.pop(0))
            qtbot_.keyClick(field, Qt.Key.Key_Return)
            window.activateWindow()  # as the window system does when a dialog closes
            QApplication.processEvents()
            return int(dialog.result())

        def popup(board: ThemeBoard, menu: QMenu, where: QPoint) -> None:
            menu.popup(where)
            self.last_menu = [a.text() for a in menu.actions()]
            qtbot_.keyClick(menu, self.menu_letters.pop(0))
            menu.deleteLater()
            window.activateWindow()  # as the window system does when a popup closes
            QApplication.processEvents()

        monkeypatch.setattr(ThemeChooser, "exec", run_dialog)
        monkeypatch.setattr(NewThemeDialog, "exec", run_dialog)
        monkeypatch.setattr(ThemeBoard, "popup", popup)

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget() or self.window.focusWidget()
        assert widget is not None
        return widget

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier =
              Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focused(), key, modifiers)
        QApplication.processEvents()

    def shortcut(self, sequence: QKeySequence | str) -> None:
        combo = QKeySequence(sequence)[0]
        self.press(combo.key(), combo.keyboardModifiers())

    def menu(self, letter: str, *typed: str) -> None:
        """Open the focused item's menu with Shift+F10 and pick an entry by its letter."""
        self.menu_letters.append(letter)
        self.typed.extend(typed)
        self.press(Qt.Key.Key_F10, SHIFT)
        assert not self.menu_letters and not self.typed

    def walk_to(self, wanted: Callable[[QWidget], bool], key: Qt.Key = Qt.Key.Key_Down,
                limit: int = 30) -> QWidget:
        """Arrow through the lane until ``wanted`` has the focus; at the lane's end, back."""
        back = Qt.Key.Key_Up if key == Qt.Key.Key_Down else Qt.Key.Key_Down
        for _ in range(limit):
            if wanted(self.focused()):
                return self.focused()
            before = self.focused()
            self.press(key)
            if self.focused() is before:
                key = back
        raise AssertionError(f"never reached; the focus is on {self.focused()!r}")


def _project(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "keys.thematic"
    store = ProjectStore.create(path, "Keys")
    ids = build_frame(store)
    store.close()
    return path, ids


def _at_the_keyboard(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                     monkeypatch: pytest.MonkeyPatch) -> tuple[MainWindow, Keys, dict[str, int]]:
    """The project open in the active window, the keys to drive it, and the project's ids."""
    path, ids = _project(tmp_path)
    window = open_window(qtbot, settings, path, "alice")
    with qtbot.waitActive(window):
        window.activateWindow()
    return window, Keys(qtbot, window, monkeypatch), ids


def _theme(window: MainWindow, name: str) -> Theme | None:
    with window.session.read() as s:
        theme = s.execute(select(Theme).where(Theme.name == name)).scalar_one_or_none()
        if theme is not None:
            s.expunge(theme)
        return theme


def _members(window: MainWindow, theme_id: int) -> list[int]:
    with window.session.read() as s:
        return list(s.execute(select(ThemeMembership.code_id)
                              .where(ThemeMembership.theme_id == theme_id)
                              .order_by(ThemeMembership.position)).scalars())


def _is_card(theme_id: int) -> Callable[[QWidget], bool]:
    return lambda w: isinstance(w, ThemeCard) and w.theme_id == theme_id


def _is_chip(code_id: int) -> Callable[[QWidget], bool]:
    return lambda w: isinstance(w, CodeChip) and w.code.id == code_id


def test_phase_three_with_the_keyboard_alone(
        qtbot: QtBot, settings: QSettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, keys, ids = _at_the_keyboard(qtbot, settings, tmp_path, monkeypatch)
    assert window.workspace is not None
    board = window.workspace.board

    # 1. Ctrl+Shift+T: a new emerging theme, named in the dialog; it is not under a final.
    keys.typed.append("Boundaries")
    keys.shortcut("Ctrl+Shift+T")
    assert not keys.typed and window.workspace.current_tab() == "board"
    boundaries = _theme(window, "Boundaries")
    assert boundaries is not None and boundaries.level == "emerging"
    assert boundaries.parent_id is None
    assert _is_card(boundaries.id)(keys.focused())  # the new card has the focus

    # 2. Right to Miscellaneous, Down to the code "Unused", Move to theme… "bound" Enter.
    keys.press(Qt.Key.Key_Right)
    keys.walk_to(_is_chip(ids["unused"]))
    keys.menu("m", "bound")
    assert _members(window, boundaries.id) == [ids["unused"]]
    assert _is_chip(ids["unused"])(keys.focused())  # the focus follows the code
    keys.shortcut(QKeySequence.StandardKey.Undo)
    assert _members(window, boundaries.id) == []
    with window.session.read() as s:
        assert [c.name for c in read_board(s).miscellaneous] == ["Unused"]
    keys.menu("m", "bound")  # again, from Miscellaneous where the undo put it back
    assert _members(window, boundaries.id) == [ids["unused"]]

    # "Supervision" from the card "Support" into "Boundaries" too: a move, one undo step.
    keys.walk_to(_is_chip(ids["sup"]), Qt.Key.Key_Up)  # up the same lane, from "Unused"
    keys.menu("m", "bound")
    assert _members(window, boundaries.id) == [ids["unused"], ids["sup"]]
    assert _members(window, ids["support"]) == []

    # Alt+Up: "Supervision" before "Unused" in the theme (Table 1's order); Ctrl+Z.
    assert _is_chip(ids["sup"])(keys.focused())
    keys.press(Qt.Key.Key_Up, ALT)
    assert _members(window, boundaries.id) == [ids["sup"], ids["unused"]]
    keys.shortcut(QKeySequence.StandardKey.Undo)
    assert _members(window, boundaries.id) == [ids["unused"], ids["sup"]]

    # Delete sends a code back to Miscellaneous; Ctrl+Z brings it back.
    keys.walk_to(_is_chip(ids["unused"]))
    keys.press(Qt.Key.Key_Delete)
    assert _members(window, boundaries.id) == [ids["sup"]]
    keys.shortcut(QKeySequence.StandardKey.Undo)
    assert _members(window, boundaries.id) == [ids["unused"], ids["sup"]]  # where it was

    # 3. A new final theme from the lane's menu (Up to the lane heading, Shift+F10).
    keys.walk_to(lambda w: isinstance(w, Lane), Qt.Key.Key_Up)
    keys.menu("n", "Keeping limits")
    limits = _theme(window, "Keeping limits")
    assert limits is not None and limits.level == "final"
    assert isinstance(keys.focused(), Lane) and keys.focused().final_id == limits.id

    # 4. Move "Boundaries" under it: Move to final theme…, typed, Enter; Ctrl+Z undoes.
    keys.press(Qt.Key.Key_Right)
    keys.walk_to(_is_card(boundaries.id))
    keys.menu("m", "keep")
    assert _theme(window, "Boundaries").parent_id == limits.id  # type: ignore[union-attr]
    assert _is_card(boundaries.id)(keys.focused())
    keys.shortcut(QKeySequence.StandardKey.Undo)
    assert _theme(window, "Boundaries").parent_id is None  # type: ignore[union-attr]
    keys.menu("m", "keep")
    assert _theme(window, "Boundaries").parent_id == limits.id  # type: ignore[union-attr]

    # "Support" under it too, then Alt+Up puts "Boundaries" first in the lane.
    keys.walk_to(lambda w: isinstance(w, Lane), Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_Right)
    keys.walk_to(_is_card(ids["support"]))
    keys.menu("m", "keep")
    with window.session.read() as s:
        order = [t for t in emerging_order(s) if t in (ids["support"], boundaries.id)]
        assert order == [ids["support"], boundaries.id]
    assert _is_card(ids["support"])(keys.focused())  # the focus went along with the card
    keys.walk_to(_is_card(boundaries.id))
    keys.press(Qt.Key.Key_Up, ALT)
    with window.session.read() as s:
        order = [t for t in emerging_order(s) if t in (ids["support"], boundaries.id)]
        assert order == [boundaries.id, ids["support"]]
    assert _is_card(boundaries.id)(keys.focused())

    # 5. Make loose: under no final theme again; Ctrl+Z puts it back.
    keys.menu("l")
    assert _theme(window, "Boundaries").parent_id is None  # type: ignore[union-attr]
    keys.shortcut(QKeySequence.StandardKey.Undo)
    assert _theme(window, "Boundaries").parent_id == limits.id  # type: ignore[union-attr]

    # 6. Enter on a code shows its extracts.
    keys.walk_to(_is_chip(ids["sup"]))
    keys.press(Qt.Key.Key_Return)
    assert window.extracts.model.target == ("code", ids["sup"])
    assert board.isVisible()


def test_a_new_emerging_theme_goes_under_the_final_theme_in_focus(
        qtbot: QtBot, settings: QSettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, keys, ids = _at_the_keyboard(qtbot, settings, tmp_path, monkeypatch)
    assert window.workspace is not None
    window.workspace.show_tab("board")
    board = window.workspace.board
    board.cards[ids["outlets"]].setFocus()  # the user works in "Looking after oneself"
    keys.typed.append("Rest")
    keys.shortcut("Ctrl+Shift+T")
    rest = _theme(window, "Rest")
    assert rest is not None and rest.parent_id == ids["final"]
    keys.shortcut(QKeySequence.StandardKey.Undo)
    assert _theme(window, "Rest") is None
