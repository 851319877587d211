"""GUI test fixtures: offscreen Qt, isolated settings, a small project, screenshots."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from tests.gui.frame_data import build_frame
from thematic_workbench.core.store import ProjectStore
from thematic_workbench.gui.session import ProjectSession


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
