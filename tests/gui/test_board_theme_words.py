"""The board names the theme levels with the project's words and follows a switch at once:
lane headings, the "New" buttons, the empty lane's note and the lane menu change when the
design sheet's choice is saved, without reopening the board. A screenshot at 1366x768."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from thematic_workbench.core.queries.theme_board import read_board
from thematic_workbench.core.services.design import set_design
from thematic_workbench.gui.board.view import ThemeBoard
from thematic_workbench.gui.coding.codes_model import CodesModel
from thematic_workbench.gui.exchange.table1_dialog import Table1Dialog
from thematic_workbench.gui.map.data import load_map
from thematic_workbench.gui.review.matrix_view import CodeThemeTableView, ThemeMatrixView
from thematic_workbench.gui.review.theme_review import ThemeReviewView
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.window.main_window import MainWindow


def _texts(board: ThemeBoard) -> list[str]:
    return [label.text() for label in board.findChildren(QLabel)]


def _menu_entries(board: ThemeBoard) -> list[str]:
    menu = board.menu_actions.lane_menu(None, board)
    return [a.text().split("\t")[0].replace("&", "") for a in menu.actions()
            if not a.isSeparator()]


def test_board_follows_the_chosen_words(board: ThemeBoard, session: ProjectSession) -> None:
    assert any("FINAL THEME" in text for text in _texts(board))
    assert board.new_emerging.text() == "New emerging theme…"
    assert _menu_entries(board) == ["New emerging theme…", "New final theme…"]

    session.run(set_design, {"theme_words": "initial_developed"})
    QApplication.processEvents()

    texts = _texts(board)
    assert any("DEVELOPED THEME" in text for text in texts)
    assert not any("FINAL THEME" in text or "final theme" in text for text in texts)
    assert any("Not yet under a developed theme" in text for text in texts)
    assert (board.new_emerging.text(), board.new_final.text()) == (
        "New initial theme…", "New developed theme…")
    assert _menu_entries(board) == ["New initial theme…", "New developed theme…"]
    final = board.board.finals[0] if board.board else None
    assert final is not None
    entries = [a.text().replace("&", "") for a in
               board.menu_actions.theme_menu(final, board).actions()]
    assert "New initial theme here…" in entries

    session.undo_stack.clear()
    session.run(set_design, {"theme_words": "emerging_final"})
    QApplication.processEvents()
    assert board.new_final.text() == "New final theme…"


def test_board_screenshot_with_initial_developed(
        board: ThemeBoard, session: ProjectSession,
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    session.run(set_design, {"theme_words": "initial_developed"})
    board.resize(1366, 768)
    board.move(QPoint(0, 0))
    QApplication.processEvents()
    assert board.new_emerging.text() == "New initial theme…"
    screenshot(board, "board_initial_developed")


def test_window_action_and_table1_preview_follow_the_words(window: MainWindow) -> None:
    action = window.actions_by_key["new_theme"]
    assert action.text().replace("&", "") == "New emerging theme…"
    session = window.session
    assert session is not None
    session.run(set_design, {"theme_words": "initial_developed"})
    QApplication.processEvents()
    assert action.text().replace("&", "") == "New initial theme…"
    assert "initial themes, developed themes" in window.actions_by_key["table1"].statusTip()
    dialog = Table1Dialog(session, lambda _options: None, window)
    headers = [dialog.model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(dialog.model.columnCount())]
    assert headers == ["Initial codes", "Initial themes", "Developed themes"]
    assert dialog.title_edit.text() == "Coding frame for initial and developed themes"
    dialog.two.setChecked(True)
    assert dialog.title_edit.text() == "Coding frame: initial codes and themes"
    dialog.close()


def test_review_views_follow_the_words(qtbot: QtBot, session: ProjectSession,
                                       frame: dict[str, int]) -> None:
    matrix, table, review = (ThemeMatrixView(session), CodeThemeTableView(session),
                             ThemeReviewView(session))
    for view in (matrix, table, review):
        qtbot.addWidget(view)
        view.resize(1000, 500)
        view.show()
    final = next(iter(board_themes_of(session)))
    review.show_theme(final)
    session.run(set_design, {"theme_words": "initial_developed"})
    qtbot.waitUntil(lambda: [b.text() for b in matrix.levels.buttons()] ==
                    ["Initial themes", "Developed themes"])
    qtbot.waitUntil(lambda: [table.model.headerData(i, Qt.Orientation.Horizontal)
                             for i in (3, 4)] == ["Initial themes", "Developed themes"])
    qtbot.waitUntil(lambda: "Developed theme" in review.text())
    assert "Final theme" not in review.text()


def board_themes_of(session: ProjectSession) -> list[int]:
    """The final themes' ids, in board order."""
    with session.read() as s:
        return [theme.id for theme in read_board(s).finals]


def test_frame_tooltip_and_map_tooltips_follow_the_words(qtbot: QtBot, session: ProjectSession,
                                                          frame: dict[str, int]) -> None:
    model = CodesModel(session)
    session.run(set_design, {"theme_words": "initial_developed"})
    first = model.index(0, 0)
    tip = str(model.data(first, Qt.ItemDataRole.ToolTipRole))
    assert tip.startswith("Developed theme: "), tip
    with session.read() as s:
        content = load_map(s, True, None)
    tips = {node.level: node.tooltip for node in content.nodes}
    assert tips["final"].startswith("Developed theme: ")
    assert tips["emerging"].startswith("Initial theme: ")
