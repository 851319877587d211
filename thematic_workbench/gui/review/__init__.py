"""Review (phase 4) and supervision: a theme's collated extracts, the theme × participant
matrix and the code × theme table; the extracts panel; the review panel with comments,
sign-offs and snapshots (their models, dialogs and undo commands); and how the views
follow the project's changes.

These views summarise the whole project, so they reload after a burst of edits rather
than on each one, and a view nobody can see waits until it is shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import QAbstractItemView, QApplication

from thematic_workbench.gui.common.change_follower import REVIEW_KINDS, ChangeFollower


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


__all__ = ["REVIEW_KINDS", "ChangeFollower", "ClickOrEnter"]
