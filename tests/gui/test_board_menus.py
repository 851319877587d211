"""The board's menus: every drag has an entry (cards, chips, lanes), each one undo step;
the chooser and the new-theme dialog; the screenshot of a card's menu at 1366x768."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QContextMenuEvent, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.window_helpers import open_window
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.storage.models import Theme, ThemeMembership
from thematic_workbench.gui.board.choosers import NEW, NewThemeDialog, ThemeChooser
from thematic_workbench.gui.board.view import ThemeBoard
from thematic_workbench.gui.session import ProjectSession


def _entries(menu: QMenu) -> dict[str, object]:
    """The menu's entries by their words (no accelerator, no key column)."""
    return {a.text().split("\t")[0].replace("&", ""): a for a in menu.actions()
            if not a.isSeparator()}


def _trigger(menu: QMenu, text: str) -> None:
    action = _entries(menu)[text]
    assert action.isEnabled(), f"{text} is disabled"  # type: ignore[attr-defined]
    action.trigger()  # type: ignore[attr-defined]


def _choosing(board: ThemeBoard, monkeypatch: pytest.MonkeyPatch,
              answer: int) -> list[list[tuple[int, str]]]:
    """The theme chooser answers ``answer``; returns the theme lists it was asked to offer."""
    offered: list[list[tuple[int, str]]] = []

    def choose(_title: str, _label: str, themes: list[tuple[int, str]],
               _new: str | None = None) -> int:
        offered.append(themes)
        return answer

    monkeypatch.setattr(board, "choose_theme", choose)
    return offered


def _context(reason: QContextMenuEvent.Reason, at: QPoint | None = None) -> QContextMenuEvent:
    """A right-click (``Mouse``) or the Menu key (``Keyboard``) as Qt delivers them."""
    where = at or QPoint(0, 0)
    return QContextMenuEvent(reason, where, where)


def _parent(session: ProjectSession, theme_id: int) -> int | None:
    with session.read() as s:
        theme = s.get(Theme, theme_id)
        assert theme is not None
        return theme.parent_id


def _members(session: ProjectSession, theme_id: int) -> list[int]:
    with session.read() as s:
        return list(s.execute(select(ThemeMembership.code_id)
                              .where(ThemeMembership.theme_id == theme_id)
                              .order_by(ThemeMembership.position)).scalars())


def test_a_cards_menu_is_the_same_by_button_right_click_and_key(
        board: ThemeBoard, frame: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[list[str]] = []
    monkeypatch.setattr(board, "popup",
                        lambda menu, _where: shown.append(list(_entries(menu))))
    card = board.cards[frame["outlets"]]
    assert card.menu_button is not None
    card.menu_button.click()
    QApplication.sendEvent(card, _context(QContextMenuEvent.Reason.Mouse, QPoint(20, 10)))
    card.setFocus()
    QApplication.sendEvent(card, _context(QContextMenuEvent.Reason.Keyboard))  # the Menu key
    assert len(shown) == 3 and shown[0] == shown[1] == shown[2]
    assert shown[0] == ["Move to final theme…", "Make loose (under no final theme)",
                        "Move up", "Move down", "Rename…", "Define…", "Split off codes…",
                        "Merge into…", "Discard", "Delete…"]
    chip = card.chips[0]
    QApplication.sendEvent(chip, _context(QContextMenuEvent.Reason.Mouse, QPoint(5, 5)))
    assert shown[-1] == ["Show extracts", "Move to theme…", "Send to Miscellaneous",
                         "Move up", "Move down"]


def test_move_to_final_theme_make_loose_and_undo(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    offered = _choosing(board, monkeypatch, frame["final"])
    theme = board.board.theme(frame["support"])  # type: ignore[union-attr]
    menu = board.menu_actions.theme_menu(theme, board)  # type: ignore[arg-type]
    assert not _entries(menu)["Make loose (under no final theme)"].isEnabled()  # type: ignore[attr-defined]
    _trigger(menu, "Move to final theme…")
    assert offered == [[(frame["final"], "Looking after oneself")]]
    assert _parent(session, frame["support"]) == frame["final"]
    assert frame["support"] in board.cards  # rebuilt, in the final theme's lane
    assert session.undo_stack.undoText() == "Group theme"
    theme = board.board.theme(frame["support"])  # type: ignore[union-attr]
    _trigger(board.menu_actions.theme_menu(theme, board), "Make loose (under no final theme)")  # type: ignore[arg-type]
    assert _parent(session, frame["support"]) is None
    session.undo_stack.undo()
    assert _parent(session, frame["support"]) == frame["final"]
    session.undo_stack.undo()
    assert _parent(session, frame["support"]) is None


def test_a_new_final_theme_from_the_chooser_is_one_undo_step(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board, "choose_theme", lambda *_args: NEW)
    monkeypatch.setattr(board, "ask_new_theme", lambda *_args: ("Being held", None))
    assert board.menu_actions.run(frame["support"], "move_to_final")
    with session.read() as s:
        final = s.execute(select(Theme).where(Theme.name == "Being held")).scalar_one()
        assert final.level == "final"
        final_id = final.id
    assert _parent(session, frame["support"]) == final_id
    count = session.undo_stack.count()
    session.undo_stack.undo()
    assert session.undo_stack.index() == count - 1  # one step took both back
    assert _parent(session, frame["support"]) is None
    with session.read() as s:
        assert s.get(Theme, final_id) is None


def test_cards_move_up_and_down_in_their_lane(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int]) -> None:
    with session.store.transaction("alice") as tx:
        from thematic_workbench.core.services import themes
        third = themes.create_theme(tx, "Third").new_id("theme")
    board.refresh()
    loose = [t.id for t in board.board.emerging[None]]  # type: ignore[union-attr]
    assert loose == [frame["support"], third]
    assert not board.can_move_theme(frame["support"], -1)
    assert board.move_theme(third, -1)
    assert [t.id for t in board.board.emerging[None]] == [third, frame["support"]]  # type: ignore[union-attr]
    assert board.move_theme(third, 1)
    assert [t.id for t in board.board.emerging[None]] == [frame["support"], third]  # type: ignore[union-attr]
    session.undo_stack.undo()
    assert [t.id for t in board.board.emerging[None]] == [third, frame["support"]]  # type: ignore[union-attr]


def test_chip_menu_moves_sends_and_reorders_each_one_undo_step(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    offered = _choosing(board, monkeypatch, frame["support"])
    menu = board.menu_actions.code_menu(frame["run"], frame["outlets"], board)
    assert not _entries(menu)["Move up"].isEnabled()  # type: ignore[attr-defined]
    _trigger(menu, "Move to theme…")
    assert offered == [[(frame["support"], "Support")]]  # not the theme it is in
    assert _members(session, frame["outlets"]) == [frame["head"]]
    assert _members(session, frame["support"]) == [frame["sup"], frame["run"]]
    session.undo_stack.undo()
    assert _members(session, frame["outlets"]) == [frame["run"], frame["head"]]
    assert _members(session, frame["support"]) == [frame["sup"]]

    _trigger(board.menu_actions.code_menu(frame["head"], frame["outlets"], board), "Move up")
    assert _members(session, frame["outlets"]) == [frame["head"], frame["run"]]
    _trigger(board.menu_actions.code_menu(frame["head"], frame["outlets"], board), "Move down")
    assert _members(session, frame["outlets"]) == [frame["run"], frame["head"]]
    session.undo_stack.undo()
    assert _members(session, frame["outlets"]) == [frame["head"], frame["run"]]

    _trigger(board.menu_actions.code_menu(frame["run"], frame["outlets"], board),
             "Send to Miscellaneous")
    assert _members(session, frame["outlets"]) == [frame["head"]]
    assert [c.code.id for c in board.cards[None].chips] == [frame["run"], frame["unused"]]
    session.undo_stack.undo()
    assert _members(session, frame["outlets"]) == [frame["head"], frame["run"]]
    misc_menu = board.menu_actions.code_menu(frame["unused"], None, board)
    assert not _entries(misc_menu)["Send to Miscellaneous"].isEnabled()  # type: ignore[attr-defined]

    shown: list[int] = []
    board.code_activated.connect(shown.append)
    _trigger(misc_menu, "Show extracts")
    assert shown == [frame["unused"]]


def test_the_chooser_filters_as_you_type_and_enter_picks(qtbot: QtBot) -> None:
    chooser = ThemeChooser("Move", "Move to:", [(1, "Looking after oneself"),
                                                (2, "Keeping limits"), (3, "Support")],
                           "New final theme…")
    qtbot.addWidget(chooser)
    chooser.show()
    qtbot.keyClicks(chooser.filter, "lim")
    visible = [chooser.list.item(r).text() for r in range(chooser.list.count())
               if not chooser.list.item(r).isHidden()]
    assert visible == ["Keeping limits", "New final theme…"]
    assert chooser.chosen() == 2
    qtbot.keyClick(chooser.filter, Qt.Key.Key_Down)
    assert chooser.chosen() == NEW
    qtbot.keyClick(chooser.filter, Qt.Key.Key_Up)
    qtbot.keyClick(chooser.filter, Qt.Key.Key_Return)
    assert chooser.result() == 1 and chooser.chosen() == 2


def test_new_emerging_theme_dialog_offers_the_final_theme_in_focus(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    seen: list[NewThemeDialog] = []

    def run(dialog: NewThemeDialog) -> int:
        seen.append(dialog)
        dialog.show()
        assert not dialog.ok.isEnabled()  # no name yet
        qtbot.keyClicks(dialog.name, "Rest")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        return int(dialog.result())

    monkeypatch.setattr(NewThemeDialog, "exec", run)
    board.cards[frame["outlets"]].setFocus()
    assert board.focused_final() == frame["final"]
    assert board.menu_actions.create("emerging")
    assert seen[0].under.currentText() == "Looking after oneself"
    with session.read() as s:
        rest = s.execute(select(Theme).where(Theme.name == "Rest")).scalar_one()
        assert rest.parent_id == frame["final"] and rest.level == "emerging"
    session.undo_stack.undo()
    board.cards[frame["support"]].setFocus()  # a loose theme: no final theme offered
    assert board.menu_actions.create("emerging")
    assert seen[1].under.currentData() is None


def test_board_card_menu_screenshot(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                                    screenshot: Callable[[QWidget, str], Path | None],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo project's board with a card's menu open, in a 1366x768 window."""
    path = build_demo(tmp_path / "demo.thematic")
    window = open_window(qtbot, settings, path, "alice")
    window.resize(1366, 768)
    assert window.workspace is not None
    window.workspace.show_tab("board")
    board = window.workspace.board
    qtbot.wait(50)
    themes = [t for group in board.board.emerging.values() for t in group]  # type: ignore[union-attr]
    card = board.cards[themes[0].id]
    # Every card title shows in full: wrapped, never cut to a few letters.
    for theme_id, each in board.cards.items():
        if theme_id is not None:
            assert each.title.heightForWidth(each.title.width()) <= each.title.height()
    menus: list[QMenu] = []
    monkeypatch.setattr(board, "popup", lambda menu, where: (menu.popup(where),
                                                             menus.append(menu)))
    card.setFocus()
    QApplication.sendEvent(card, _context(QContextMenuEvent.Reason.Keyboard))
    qtbot.wait(50)
    assert menus and "Move to final theme" in menus[0].actions()[0].text()
    # The menu is a window of its own: draw it onto the window's picture where it is.
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(menus[0].pos()), menus[0].grab())
    painter.end()
    menus[0].close()
    shot = QLabel()
    shot.setPixmap(picture)
    shot.resize(picture.size())
    qtbot.addWidget(shot)
    saved = screenshot(shot, "theme-board-card-menu")
    if saved is None:
        pytest.skip("set TWB_SCREENSHOT_DIR to save screenshots")
    mine = os.environ.get("TWB_BOARD_SHOTS")
    if mine:
        Path(mine).mkdir(parents=True, exist_ok=True)
        shutil.copy(saved, Path(mine) / saved.name)
    assert QPixmap(str(saved)).width() == 1366
    board.fit_button.click()
    qtbot.wait(50)
    assert board.zoom.factor < 1
    fitted = screenshot(window, "theme-board-fit")
    if mine and fitted is not None:
        shutil.copy(fitted, Path(mine) / fitted.name)
