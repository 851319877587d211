"""Driving the main window as a user would, shared by the window-level GUI tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from thematic_workbench.gui.coding.quick_code import QuickCodeBox
from thematic_workbench.gui.window.main_window import MainWindow


def open_window(qtbot: QtBot, settings: QSettings, path: Path, coder: str) -> MainWindow:
    """A 1280x800 window, shown, with the project at ``path`` open as ``coder``."""
    window = MainWindow(coder, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert window.open_project(path)
    return window


@contextmanager
def held_for_writing(path: Path) -> Iterator[None]:
    """Another process holds the project at ``path`` open for writing while the block runs,
    so a window that opens it meanwhile opens it read-only."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time\n"
         "from thematic_workbench.core.storage.store import ProjectStore\n"
         f"s = ProjectStore.open({str(path)!r}); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.kill()
        holder.wait()


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


def shown_message_box(qtbot: QtBot) -> QMessageBox:
    """The one message box on screen (the window's box after an exchange), once it is up."""
    def shown() -> list[QMessageBox]:
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]
    qtbot.waitUntil(lambda: bool(shown()), timeout=20_000)
    (box,) = shown()
    return box
