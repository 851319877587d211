"""The projects opened lately, newest first: kept in the settings, shown in File → Open
Recent and on the start page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QWidget

MAX_RECENT_PROJECTS = 10
SETTINGS_KEY = "recent/projects"


class RecentProjects:
    """The list and its menu; choosing an entry calls ``open_project(path)``."""

    def __init__(self, settings: QSettings, parent: QWidget,
                 open_project: Callable[[str], object]) -> None:
        self.settings = settings
        self.open_project = open_project
        self.menu = QMenu("Open &Recent", parent)
        self.refresh_menu()

    def paths(self) -> list[str]:
        value = self.settings.value(SETTINGS_KEY, [])
        if isinstance(value, str):
            return [value]
        return [str(path) for path in value] if isinstance(value, (list, tuple)) else []

    def remember(self, path: str) -> None:
        recent = [p for p in self.paths() if p != path]
        recent.insert(0, path)
        self.settings.setValue(SETTINGS_KEY, recent[:MAX_RECENT_PROJECTS])
        self.refresh_menu()

    def refresh_menu(self) -> None:
        self.menu.clear()
        recent = self.paths()
        for path in recent:
            action = self.menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_project(p))
        self.menu.setEnabled(bool(recent))
