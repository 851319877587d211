"""Zooming the theme board and scrolling it while something is dragged over its edges.

The board is made of ordinary widgets (labels wrap, chips elide), so a zoom is a real
re-layout rather than a picture scaled down: lanes get narrower and the fonts smaller,
never below a size that can still be read.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QDragMoveEvent, QFont
from PySide6.QtWidgets import QScrollArea, QWidget

MIN_ZOOM, MAX_ZOOM = 0.55, 1.6
STEP = 1.15
MIN_POINT_SIZE = 7.0  # the smallest text the board shows, whatever the zoom
EDGE = 40  # px from a viewport edge where a drag starts scrolling
SCROLL_STEP = 18  # px per tick at the very edge
TICK_MS = 30


class BoardZoom(QObject):
    """The board's scale; ``changed`` asks the board to lay itself out again."""

    changed = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.factor = 1.0

    def set(self, factor: float) -> None:
        factor = round(min(MAX_ZOOM, max(MIN_ZOOM, factor)), 3)
        if factor != self.factor:
            self.factor = factor
            self.changed.emit(factor)

    def zoom_in(self) -> None:
        self.set(self.factor * STEP)

    def zoom_out(self) -> None:
        self.set(self.factor / STEP)

    def reset(self) -> None:
        self.set(1.0)

    def fit(self, available: int, needed_at_100: int) -> None:
        """Scale so that what needs ``needed_at_100`` px at 100 % fits ``available`` px;
        never above 100 % (fitting is for seeing everything, not for magnifying)."""
        if needed_at_100 > 0:  # whole per cents, rounded down: sizes round to pixels
            self.set(min(1.0, math.floor(100 * available / needed_at_100) / 100))

    def px(self, size: int) -> int:
        return max(1, round(size * self.factor))

    def pt(self, size: float) -> float:
        """A font size in points at this zoom, kept legible."""
        return round(max(MIN_POINT_SIZE, size * self.factor), 1)

    def font(self, base: QFont) -> QFont:
        font = QFont(base)
        size = base.pointSizeF() if base.pointSizeF() > 0 else 9.0
        font.setPointSizeF(self.pt(size))
        return font

    def label(self) -> str:
        return f"{round(self.factor * 100)} %"


class DragAutoscroll(QObject):
    """Scrolls a scroll area while a drag hovers near its edges.

    Installed as an event filter on the widgets of the board that receive drag moves
    (the viewport, the lanes, the cards); a timer keeps scrolling while the pointer rests
    at an edge, and stops when the drag leaves, drops or moves back inside.
    """

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self.area = area
        self.velocity = QPoint(0, 0)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragMove, QEvent.Type.DragEnter) \
                and isinstance(watched, QWidget) and isinstance(event, QDragMoveEvent):
            where = watched.mapTo(self.area.viewport(), event.position().toPoint()) \
                if watched is not self.area.viewport() else event.position().toPoint()
            self.hover(where)
        elif kind in (QEvent.Type.Drop, QEvent.Type.DragLeave):
            self.stop()
        return False

    def hover(self, where: QPoint) -> None:
        """A drag is at ``where`` (viewport coordinates): scroll if it is near an edge."""
        size = self.area.viewport().size()

        def speed(at: int, length: int) -> int:
            if at < EDGE:
                return -max(1, SCROLL_STEP * (EDGE - at) // EDGE)
            if at > length - EDGE:
                return max(1, SCROLL_STEP * (at - (length - EDGE)) // EDGE)
            return 0

        self.velocity = QPoint(speed(where.x(), size.width()), speed(where.y(), size.height()))
        if self.velocity.isNull():
            self.timer.stop()
        elif not self.timer.isActive():
            self.timer.start()

    def tick(self) -> None:
        bars = (self.area.horizontalScrollBar(), self.area.verticalScrollBar())
        moved = False
        for bar, delta in zip(bars, (self.velocity.x(), self.velocity.y()), strict=True):
            if delta:
                before = bar.value()
                bar.setValue(before + delta)
                moved = moved or bar.value() != before
        if not moved:
            self.timer.stop()

    def stop(self) -> None:
        self.velocity = QPoint(0, 0)
        self.timer.stop()
