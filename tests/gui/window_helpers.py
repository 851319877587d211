"""Driving the main window as a user would, shared by the window-level GUI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from thematic_workbench.gui.main_window import MainWindow
from thematic_workbench.gui.quick_code import QuickCodeBox


def open_window(qtbot: QtBot, settings: QSettings, path: Path, coder: str) -> MainWindow:
    """A 1280x800 window, shown, with the project at ``path`` open as ``coder``."""
    window = MainWindow(coder, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert window.open_project(path)
    return window


def quick_code(window: MainWindow, qtbot: QtBot, typed: str,
               monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the quick-code box as a user would: type, then press Enter."""
    def run_box(box: QuickCodeBox) -> int:
        box.show()
        qtbot.keyClicks(box.filter, typed)
        qtbot.keyClick(box.filter, Qt.Key.Key_Return)
        return int(box.result())

    monkeypatch.setattr(QuickCodeBox, "exec", run_box)
    window.actions_by_key["apply_code"].trigger()
