"""The strip that says what keys 1-9 apply, and the preference that turns those keys off.

A stray digit used to code a passage silently; the legend shows, before any key is
pressed, which code each key applies (and a click on an entry applies it too).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

NUMBER_KEYS_SETTING = "coding/number_keys"
NAME_WIDTH = 190  # a long code name is elided here, so that more keys fit on the line
MIN_NAME_WIDTH = 90  # a name squeezed below this gives way to "+N more"
GAP = 16
EMPTY_HINT = ("Keys 1-9 apply your recent codes: each code you apply takes a free key and "
              "keeps it while it is among your nine most recent")


def number_keys_on(settings: QSettings) -> bool:
    """Whether keys 1-9 apply recent codes (the default: on)."""
    return bool(settings.value(NUMBER_KEYS_SETTING, True, type=bool))


def bind_number_keys_action(action: QAction, settings: QSettings) -> None:
    """Make ``action`` the checkable preference, kept in ``settings`` at each toggle."""
    action.setCheckable(True)
    action.setChecked(number_keys_on(settings))
    action.toggled.connect(lambda on: settings.setValue(NUMBER_KEYS_SETTING, bool(on)))


class KeyLegend(QWidget):
    """One slim line under the transcript heading: ``1 Dual role  2 Trust built slowly …``."""

    key_clicked = Signal(int)  # the key's index: 0 for key 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyLegend")
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() - 1))
        self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().height() + 10)
        self.setMouseTracking(True)
        self.keys: list[tuple[str, str]] = []  # (name, colour) by key
        self._hits: list[tuple[QRect, int]] = []
        self.setAccessibleName("Number keys")
        self._describe()

    def set_keys(self, keys: list[tuple[str, str]]) -> None:
        """The codes on keys 1, 2, ... as (name, colour)."""
        if keys == self.keys:
            return
        self.keys = list(keys)
        self._describe()
        self.update()

    def _describe(self) -> None:
        self.setToolTip(self.describe())
        self.setAccessibleDescription(self.describe())

    def describe(self) -> str:
        """The whole legend in words: the tooltip, and what a screen reader reads."""
        if not self.keys:
            return EMPTY_HINT
        return "\n".join(f"{number}  {name}" for number, (name, _colour)
                         in enumerate(self.keys, start=1))

    def sizeHint(self) -> QSize:
        return QSize(200, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.height())  # never widens the window

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#F6F7F9"))
        painter.setPen(QColor("#E1E4E8"))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        metrics = self.fontMetrics()
        middle = self.height() // 2
        x = 12
        self._hits = []
        if not self.keys:
            painter.setPen(QColor("#6B7280"))
            text = metrics.elidedText(EMPTY_HINT, Qt.TextElideMode.ElideRight,
                                      self.width() - 2 * x)
            painter.drawText(QRect(x, 0, self.width() - 2 * x, self.height()),
                             Qt.AlignmentFlag.AlignVCenter, text)
            return
        right = self.width() - 10
        for index, (name, colour) in enumerate(self.keys):
            rest = len(self.keys) - index
            more = f"+{rest} more" if rest > 1 else ""
            reserve = metrics.horizontalAdvance(more) + GAP if more else 0
            cap = metrics.horizontalAdvance("9") + 8
            room = right - x - cap - 14 - reserve
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                       min(NAME_WIDTH, max(room, 0)))
            if room < min(metrics.horizontalAdvance(name), MIN_NAME_WIDTH):  # no stubs
                painter.setPen(QColor("#6B7280"))
                painter.drawText(QRect(x, 0, right - x, self.height()),
                                 Qt.AlignmentFlag.AlignVCenter, f"+{rest} more")
                break
            start = x
            key_box = QRectF(x, middle - metrics.height() / 2 - 1, cap, metrics.height() + 2)
            painter.setPen(QPen(QColor("#B8BEC7"), 1))
            painter.setBrush(QColor("#FFFFFF"))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.drawRoundedRect(key_box, 3, 3)
            painter.setPen(QColor("#374151"))
            painter.drawText(key_box, Qt.AlignmentFlag.AlignCenter, str(index + 1))
            x += cap + 5
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(QRectF(x, middle - 4, 8, 8), 2, 2)
            x += 12
            painter.setPen(QColor("#1F2937"))
            width = metrics.horizontalAdvance(shown)
            painter.drawText(QRect(x, 0, width + 2, self.height()),
                             Qt.AlignmentFlag.AlignVCenter, shown)
            x += width + GAP
            self._hits.append((QRect(start, 0, x - start - GAP // 2, self.height()), index))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = any(rect.contains(event.position().toPoint()) for rect, _i in self._hits)
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            for rect, index in self._hits:
                if rect.contains(event.position().toPoint()):
                    self.key_clicked.emit(index)
                    return
        super().mousePressEvent(event)

    def entries_shown(self) -> int:
        """How many keys the last paint found room for (the rest are '+N more')."""
        return len(self._hits)
