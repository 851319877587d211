"""Review views (phase 4): a theme's collated extracts, the theme × participant matrix and
the code × theme table; and how they follow the project's changes.

These views summarise the whole project, so they reload after a burst of edits rather
than on each one, and a view nobody can see waits until it is shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from thematic_workbench.core.changes import Change
from thematic_workbench.gui.models.changes import kinds_of
from thematic_workbench.gui.session import ProjectSession

REVIEW_KINDS = frozenset({"coding", "code", "theme", "document", "participant"})


class ChangeFollower(QObject):
    """Calls ``reload`` shortly after a change that matters, or when the widget is shown."""

    DELAY_MS = 150

    def __init__(self, widget: QWidget, session: ProjectSession,
                 reload: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._reload = reload
        self.stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.flush)
        session.changed.connect(self._on_changed)
        widget.installEventFilter(self)

    def _on_changed(self, change: Change) -> None:
        if kinds_of(change) & REVIEW_KINDS:
            self.stale = True
            if self._widget.isVisible():
                self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self.stale:
            self._timer.start()
        return False

    def flush(self) -> None:
        """Reload now if a change is pending."""
        self._timer.stop()
        if self.stale:
            self.stale = False
            self._reload()


class ClickOrEnter(QObject):
    """Calls ``act(index)`` when an item is clicked or Enter is pressed on it, once for a
    double-click (whose first click has already acted)."""

    def __init__(self, view: QAbstractItemView, act: Callable[[QModelIndex], None]) -> None:
        super().__init__(view)
        self._act = act
        self._last: tuple[int, int, float] | None = None
        view.clicked.connect(self._clicked)
        view.activated.connect(self._activated)

    def _clicked(self, index: QModelIndex) -> None:
        self._last = (index.row(), index.column(), time.monotonic())
        self._act(index)

    def _activated(self, index: QModelIndex) -> None:
        last = self._last
        if last is not None and last[:2] == (index.row(), index.column()) and \
                time.monotonic() - last[2] < QApplication.doubleClickInterval() / 1000:
            return
        self._act(index)
