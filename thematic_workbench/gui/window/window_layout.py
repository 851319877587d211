"""How the main window sits on a laptop screen: sizes, the default panels, reading layout.

Researchers work on 1366x768 and 1280x720 screens. The window's minimum size must leave
room for the title bar and a desktop panel there, so no panel or central view may raise
it: each is wrapped in a scroll area that scrolls when squeezed instead. A geometry
remembered from a larger screen is pulled back inside the current one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

# The most the window may ask for at least (tested): 1280x720 less a title bar and a panel.
MOST_MINIMUM = QSize(860, 560)
# A comfortable first size where the screen allows it.
PREFERRED = QSize(1440, 900)

LEFT_DOCKS = ("documents",)
RIGHT_DOCKS = ("codes", "history", "phase")  # tabified, codes in front
RIGHT_LOWER = ("extracts",)  # under the codes, sharing the right column
BOTTOM_DOCKS = ("notes", "diary", "comments", "snapshots", "audit")

AREAS = {
    **dict.fromkeys(LEFT_DOCKS, Qt.DockWidgetArea.LeftDockWidgetArea),
    **dict.fromkeys(RIGHT_DOCKS + RIGHT_LOWER, Qt.DockWidgetArea.RightDockWidgetArea),
    **dict.fromkeys(BOTTOM_DOCKS, Qt.DockWidgetArea.BottomDockWidgetArea),
}


def dock_area(key: str) -> Qt.DockWidgetArea:
    """Where panel ``key`` lives by default (an unknown panel goes to the bottom)."""
    return AREAS.get(key, Qt.DockWidgetArea.BottomDockWidgetArea)


def squeezable(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: it scrolls when squeezed below its minimum,
    so its minimum never becomes the window's."""
    area = QScrollArea()
    area.setObjectName(f"scroll_{widget.objectName() or type(widget).__name__}")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setMinimumSize(120, 60)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own: its contents have them
    return area


def _present(docks: Mapping[str, QDockWidget], keys: Sequence[str]) -> list[QDockWidget]:
    return [docks[key] for key in keys if key in docks]


def arrange_default(window: QMainWindow, docks: Mapping[str, QDockWidget],
                    left_wanted: int = 230) -> None:
    """The first-run layout: documents left; codes above extracts on the right; the other
    panels tabbed along a low bottom strip; the transcript gets most of the room."""
    # The side columns run the full height; the bottom strip sits under the centre only.
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    right = _present(docks, RIGHT_DOCKS)
    lower = _present(docks, RIGHT_LOWER)
    if right and lower:  # split before tabbing: a tabbed dock would take it as a tab
        window.splitDockWidget(right[0], lower[0], Qt.Orientation.Vertical)
    for dock in right[1:]:
        window.tabifyDockWidget(right[0], dock)
    bottom = _present(docks, BOTTOM_DOCKS)
    for dock in bottom[1:]:
        window.tabifyDockWidget(bottom[0], dock)
    for dock in (*bottom[:1], *right[:1]):
        dock.raise_()
    # Sizes take only once the new docks are laid out: set them on the next turn.
    QTimer.singleShot(0, window, lambda: size_default(window, docks, left_wanted))


def size_default(window: QMainWindow, docks: Mapping[str, QDockWidget],
                 left_wanted: int) -> None:
    """The first-run panel sizes, for the screen the window is on; the left column gets
    what its names want (``left_wanted``) within what the transcript can spare."""
    right, lower, bottom = (_present(docks, keys)
                            for keys in (RIGHT_DOCKS, RIGHT_LOWER, BOTTOM_DOCKS))
    screen = available_geometry(window)
    side = _present(docks, LEFT_DOCKS)[:1] + right[:1]
    if len(side) == 2:
        wide = screen.width() >= 1360
        left = min(max(left_wanted, 190), 250 if wide else 215)
        window.resizeDocks(side, [left, 315 if wide else 290],
                           Qt.Orientation.Horizontal)
    if right and lower:
        column = max(300, screen.height() - 160)  # what the right column roughly has
        window.resizeDocks([right[0], lower[0]], [column * 3 // 5, column * 2 // 5],
                           Qt.Orientation.Vertical)
    if bottom:
        window.resizeDocks(bottom[:1], [max(120, screen.height() // 6)],
                           Qt.Orientation.Vertical)


def available_geometry(window: QWidget) -> QRect:
    """The usable part of the screen the window is on (or of the primary screen)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def frame_extra(window: QWidget) -> QSize:
    """How much the window manager's frame adds around the client area (none offscreen)."""
    frame, inner = window.frameGeometry(), window.geometry()
    return QSize(max(0, frame.width() - inner.width()), max(0, frame.height() - inner.height()))


def fitted(rect: QRect, available: QRect, extra: QSize | None = None) -> QRect:
    """``rect`` (a client area) moved and shrunk so that with its frame it lies inside
    ``available``."""
    extra = extra or QSize(0, 0)
    width = min(rect.width(), available.width() - extra.width())
    height = min(rect.height(), available.height() - extra.height())
    left = min(max(rect.left(), available.left()),
               available.right() + 1 - width - extra.width())
    top = min(max(rect.top(), available.top()),
              available.bottom() + 1 - height - extra.height())
    return QRect(left, top, width, height)


def place_window(window: QMainWindow, geometry: object) -> None:
    """Restore a remembered geometry, or choose a first one, always inside the screen."""
    if isinstance(geometry, QByteArray) and window.restoreGeometry(geometry):
        clamp_to_screen(window)
        return
    available = available_geometry(window)
    size = PREFERRED.boundedTo(available.size())
    rect = QRect(available.topLeft(), size)
    rect.moveCenter(available.center())
    window.setGeometry(fitted(rect, available))


def clamp_to_screen(window: QMainWindow) -> None:
    """Pull the window back inside its screen: a size remembered from a larger monitor
    must not put the status bar and the bottom tabs off screen."""
    available = available_geometry(window)
    inside = fitted(window.geometry(), available, frame_extra(window))
    if inside != window.geometry():
        if window.isMaximized() or window.isFullScreen():
            return
        window.setGeometry(inside)


class ReadingLayout:
    """View → Reading layout: hide every panel to read a transcript on a small screen, and
    bring them back exactly as they were."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self._saved: QByteArray | None = None

    @property
    def active(self) -> bool:
        return self._saved is not None

    def set_active(self, on: bool, docks: Mapping[str, QDockWidget]) -> None:
        if on == self.active:
            return
        if on:
            self._saved = self.window.saveState()
            for dock in docks.values():
                dock.hide()
        else:
            saved, self._saved = self._saved, None
            if saved is not None:
                self.window.restoreState(saved)


def _first_focusable(area: QWidget) -> QWidget | None:
    """The first widget inside ``area`` that a Tab would stop at."""
    for widget in area.findChildren(QWidget):
        if widget.isVisible() and widget.isEnabled() and \
                widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            return widget
    return None


def cycle_panels(window: QMainWindow, docks: Mapping[str, QDockWidget], step: int) -> None:
    """F6 / Shift+F6: the focus goes to the next (or previous) part of the window that is on
    show (the central view, then each panel in turn), rather than many Tabs away."""
    shown = [dock for dock in docks.values()
             if dock.isVisible() and not dock.visibleRegion().isEmpty()]
    centre = window.centralWidget()
    areas: list[QWidget] = [*([centre] if centre is not None else []),
                            *sorted(shown, key=lambda d: d.mapTo(window, QPoint()).toTuple())]
    if not areas:
        return
    focus = window.focusWidget()
    here = next((i for i, area in enumerate(areas)
                 if focus is not None and (area is focus or area.isAncestorOf(focus))), -1)
    for offset in range(1, len(areas) + 1):
        target = _first_focusable(areas[(here + step * offset) % len(areas)])
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)
            return
