"""GUI test fixtures: offscreen Qt, isolated settings, a small project, the demo project in
a window, screenshots."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.frame_data import build_frame
from tests.gui.window_helpers import open_window
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.board.view import ThemeBoard
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.window.main_window import MainWindow


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own, never the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def frame(store: ProjectStore) -> dict[str, int]:
    """The small project of frame_data, built in the test's own store."""
    return build_frame(store)


@pytest.fixture
def session(qtbot: object, store: ProjectStore) -> Iterator[ProjectSession]:
    """The test's store as the GUI sees it."""
    project = ProjectSession(store, "alice")
    yield project
    project.undo_stack.clear()


@pytest.fixture
def board(qtbot: QtBot, session: ProjectSession, frame: dict[str, int]) -> ThemeBoard:
    """The theme board on the small project, shown at 1200x600."""
    widget = ThemeBoard(session)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    QApplication.processEvents()
    return widget


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, built once per test module (building it is the slow part)."""
    path = tmp_path_factory.mktemp("demo") / "demo.thematic"
    build_demo(path, coder="researcher")
    return path


@pytest.fixture
def project(tmp_path: Path, demo_source: Path) -> Path:
    """The test's own copy of the demo project, so no test sees another's changes.

    Modules whose tests need a different project define their own ``project``."""
    copy = tmp_path / "study.thematic"
    copy.write_bytes(demo_source.read_bytes())
    return copy


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings, project: Path) -> Iterator[MainWindow]:
    """The main window with the test's copy of the demo project open as alice.

    Modules whose tests need another window define their own ``window``."""
    main = open_window(qtbot, settings, project, "alice")
    yield main
    main.close_project()


@pytest.fixture
def screenshot() -> Callable[[QWidget, str], Path | None]:
    """Save a PNG of a widget into $TWB_SCREENSHOT_DIR, when that is set."""
    folder = os.environ.get("TWB_SCREENSHOT_DIR")

    def save(widget: QWidget, name: str) -> Path | None:
        if not folder:
            return None
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = Path(folder) / f"{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        return path

    return save
