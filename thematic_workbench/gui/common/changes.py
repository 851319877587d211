"""Reading a core Change the way the models need it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from thematic_workbench.core.changes import Change, Kind


def kinds_of(change: Change) -> set[str]:
    """The kinds of entity a change added, changed or removed."""
    return set(change.kinds())


def coding_ids(change: Change) -> set[int]:
    """Every coding a change added, changed or removed."""
    return change.ids(Kind.CODING)


class CodingBatch(QObject):
    """Collects the codings changed in a burst of edits and hands them over once.

    Counts in the side panels need not change within the same frame as the highlight in
    the transcript: recounting shortly after the last edit keeps coding itself fast and
    turns a burst of codings (or an undo of many) into one recount.
    """

    DELAY_MS = 120

    def __init__(self, recount: Callable[[set[int]], None], parent: QObject) -> None:
        super().__init__(parent)
        self._recount = recount
        self._pending: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def route(self, change: Change, structure_kinds: frozenset[str],
              reload: Callable[[], None]) -> None:
        """Reload at once when rows come or go; batch a recount when only codings changed."""
        kinds = kinds_of(change)
        if kinds & structure_kinds:
            self.discard()
            reload()
        elif Kind.CODING in kinds:
            self.add(coding_ids(change))

    def add(self, ids: set[int]) -> None:
        self._pending |= ids
        self._timer.start()

    def discard(self) -> None:
        """Forget what is pending (a full reload covers it)."""
        self._pending.clear()
        self._timer.stop()

    def flush(self) -> None:
        """Recount now what is pending."""
        self._timer.stop()
        if self._pending:
            pending, self._pending = self._pending, set()
            self._recount(pending)
