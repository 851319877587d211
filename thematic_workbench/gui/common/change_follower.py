"""Reloading a view that summarises the project after a burst of edits, not on each one.

A view nobody can see waits until it is shown: coding a passage must not rebuild the
theme board or the matrix behind the transcript (measured: it made coding 30x slower).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.session import ProjectSession

REVIEW_KINDS = frozenset({Kind.CODING, Kind.CODE, Kind.THEME, Kind.DOCUMENT, Kind.PARTICIPANT})


class ChangeFollower(QObject):
    """Calls ``reload`` shortly after a change that matters, or when the widget is shown."""

    DELAY_MS = 150

    def __init__(self, widget: QWidget, session: ProjectSession,
                 reload: Callable[[], None], kinds: frozenset[str] = REVIEW_KINDS) -> None:
        super().__init__(widget)
        self._kinds = kinds
        self._session = session
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
        if kinds_of(change) & self._kinds:
            self.touch()

    def touch(self) -> None:
        """What the view shows is out of date (a change, or another choice of whose
        codings the window shows): reload soon if it is seen, else when it is shown."""
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
        if self._session.store.closed:
            return  # the project was closed before the pending reload came due
        if self.stale:
            self.stale = False
            self._reload()
