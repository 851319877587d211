"""GUI test fixtures: offscreen Qt, isolated settings, screenshots on request."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own, never the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


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
