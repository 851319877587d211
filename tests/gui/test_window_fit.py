"""The window on a laptop screen: it fits 1366x768 and 1280x720 with every default panel,
a geometry remembered from a larger screen comes back inside the screen, banners never
raise the minimum size, the reading layout hides the panels and brings them back, and a
read-only window says so before the user tries anything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, QSize
from pytestqt.qtbot import QtBot

from tests.gui.eleven_interviews import build_eleven
from tests.gui.window_helpers import held_for_writing
from thematic_workbench.core.queries.project import find_document
from thematic_workbench.gui.window.main_window import MainWindow
from thematic_workbench.gui.window.window_layout import MOST_MINIMUM, fitted

ROOT = Path(__file__).resolve().parents[2]

# Shown on a screen of the given size, with a remembered geometry larger than the screen,
# the window reports where it and its parts are, in screen coordinates.
PROBE = r"""
import json, sys
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QTabBar
from thematic_workbench.gui.window.app import make_application
from thematic_workbench.gui.window.main_window import MainWindow

project, settings_path = sys.argv[1], sys.argv[2]
app = make_application()
settings = QSettings(settings_path, QSettings.Format.IniFormat)
first = MainWindow("alice", settings)
first.show()
first.setGeometry(0, 0, 1700, 1050)  # as if last used on a big monitor
app.processEvents()
first.close()
del first

window = MainWindow("alice", settings)
window.show()
assert window.open_project(project)
for _ in range(20):
    app.processEvents()

def rect(widget):
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]

def cut_names(key):
    # names in panel KEY that show fewer than 16 of their characters
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView
    window.docks[key].raise_()  # as the user clicks its tab
    for _ in range(5):
        app.processEvents()
    cut = []
    for view in window.docks[key].findChildren(QAbstractItemView):
        if not view.isVisible() or isinstance(view, QHeaderView):
            continue
        model, metrics = view.model(), view.fontMetrics()
        pending = [model.index(row, 0) for row in range(model.rowCount())]
        while pending:
            index = pending.pop()
            pending += [model.index(row, 0, index) for row in range(model.rowCount(index))]
            name = str(index.data() or "")
            cell = view.visualRect(index)
            icon = 24 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
            room = cell.width() - 8 - icon  # margins, and a colour swatch if any
            lines = max(1, cell.height() // metrics.lineSpacing()) if view.wordWrap() else 1
            if room * lines < metrics.horizontalAdvance(name[:16]):
                cut.append([name, room, lines])
    return cut

frame = window.frameGeometry()
tab_bars = [bar for bar in window.findChildren(QTabBar)
            if bar.isVisible() and bar.parent() is window and bar.count()]
print(json.dumps({
    "screen": list(window.screen().availableGeometry().getRect()),
    "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
    "status": rect(window.statusBar()),
    "dock_tabs": [rect(bar) for bar in tab_bars],
    "docks": {key: rect(dock) for key, dock in window.docks.items()
              if dock.isVisible() and not dock.visibleRegion().isEmpty()},
    "transcript": rect(window.transcript),
    "height": window.height(),
    "cut": {key: cut_names(key) for key in ("documents", "codes")},
}))
window.close_project()
"""


@pytest.fixture(scope="module")
def eleven_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_eleven(tmp_path_factory.mktemp("eleven") / "study.thematic")


def _inside(rect: list[int], screen: list[int]) -> bool:
    x, y, w, h = rect
    sx, sy, sw, sh = screen
    return sx <= x and sy <= y and x + w <= sx + sw and y + h <= sy + sh


@pytest.mark.parametrize("width,height", [(1366, 768), (1280, 720)])
def test_window_fits_a_laptop_screen_with_every_default_panel(
        tmp_path: Path, eleven_project: Path, width: int, height: int) -> None:
    """Eleven interviews open on a laptop screen: everything on screen, names readable."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    project = tmp_path / "study.thematic"
    project.write_bytes(eleven_project.read_bytes())
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(project), str(tmp_path / "settings.ini")],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    screen = seen["screen"]
    assert screen == [0, 0, width, height]
    assert _inside(seen["frame"], screen), seen["frame"]
    assert _inside(seen["status"], screen), seen["status"]
    assert seen["dock_tabs"], "the bottom and side panel tabs are shown"
    for bar in seen["dock_tabs"]:
        assert _inside(bar, screen), bar
    for key in ("documents", "extracts"):
        assert key in seen["docks"], f"{key} is a default panel"
    for key, where in seen["docks"].items():
        assert _inside(where, screen), (key, where)
    # The transcript has most of the height of the window.
    assert seen["transcript"][3] > seen["height"] * 0.55, seen
    # No document or code name is cut to a few letters.
    assert seen["cut"] == {"documents": [], "codes": []}


def test_minimum_size_leaves_room_for_a_title_bar_and_a_panel(
        window: MainWindow, qtbot: QtBot) -> None:
    assert window.workspace is not None and window.session is not None
    with window.session.read() as session:  # a transcript open: its heading is long
        window.open_document(find_document(session, "PA-forensic-psychologist").id)
    for key in list(window.workspace.views):
        window.workspace.show_tab(key)
        qtbot.wait(10)  # the layout settles
        hint = window.minimumSizeHint()
        assert hint.width() <= MOST_MINIMUM.width(), (key, hint)
        assert hint.height() <= MOST_MINIMUM.height(), (key, hint)
    before = window.minimumSizeHint()
    long_text = "A notice that runs long enough to wrap over several lines. " * 6
    window.notice.show_message(long_text)
    window.readonly_banner.show_message(long_text, "readonly")
    qtbot.wait(10)
    assert window.notice.isVisible() and window.readonly_banner.isVisible()
    assert window.minimumSizeHint().height() <= before.height()


def test_fitted_pulls_a_rectangle_inside_the_screen() -> None:
    screen = QRect(0, 0, 1366, 768)
    assert fitted(QRect(100, 50, 800, 600), screen) == QRect(100, 50, 800, 600)
    assert fitted(QRect(0, 0, 1700, 1050), screen) == QRect(0, 0, 1366, 768)
    assert fitted(QRect(900, 500, 800, 600), screen) == QRect(566, 168, 800, 600)
    assert fitted(QRect(-50, -20, 800, 600), screen, QSize(10, 40)) == \
        QRect(0, 0, 800, 600)
    assert fitted(QRect(0, 0, 1366, 768), screen, QSize(10, 40)) == QRect(0, 0, 1356, 728)


def test_reading_layout_hides_the_panels_and_brings_them_back(
        window: MainWindow, qtbot: QtBot) -> None:
    qtbot.wait(20)
    shown = {key for key, dock in window.docks.items() if dock.isVisible()}
    assert {"documents", "codes", "extracts"} <= shown
    action = window.actions_by_key["reading_layout"]
    assert action.shortcut().toString() == "Ctrl+Shift+R"
    action.trigger()
    assert action.isChecked()
    assert not any(dock.isVisible() for dock in window.docks.values())
    action.trigger()
    assert not action.isChecked()
    assert {key for key, dock in window.docks.items() if dock.isVisible()} == shown


def test_read_only_window_disables_editing_before_use_and_says_so_in_the_title(
        qtbot: QtBot, settings: QSettings, project: Path) -> None:
    with held_for_writing(project):
        main = MainWindow("bob", settings)
        qtbot.addWidget(main)
        main.show()
        assert main.open_project(project)
        assert "(read-only)" in main.windowTitle()
        for key in ("new_theme", "diary_entry", "snapshot", "next_phase", "apply_code",
                    "import", "mark_read", "recode"):
            assert not main.actions_by_key[key].isEnabled(), key
        documents = main.documents
        first = documents.model.index(0, 0)
        documents.view.setCurrentIndex(documents.model.index(0, 0, first))
        assert documents.selected_document_id() is not None
        assert documents.actions_by_name["open"].isEnabled()
        for name in ("comment", "rename", "delete", "read"):
            assert not documents.actions_by_name[name].isEnabled(), name
        assert not main.notes.edit_action.isEnabled()
        assert main.actions_by_key["find_project"].isEnabled()
        workspace = main.workspace
        assert workspace is not None
        assert not workspace.board.new_emerging.isEnabled()
        assert not workspace.board.new_final.isEnabled()
        assert not workspace.diary.new_button.isEnabled()
        assert not workspace.definitions.save.isEnabled()
        assert workspace.phase_panel.rows
        assert not any(row.box.isEnabled() for row in workspace.phase_panel.rows.values())
        board = workspace.board.board
        assert board is not None
        card = next(theme for group in board.emerging.values() for theme in group)
        menu = workspace.board.menu_actions.theme_menu(card, workspace.board)
        enabled = [a.text() for a in menu.actions() if a.isEnabled() and a.text()]
        assert enabled == [], enabled
        main.close_project()
        assert "(read-only)" not in main.windowTitle()
