"""The strip of Braun and Clarke's six phases across the top of the window."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from thematic_workbench.core.phases import PHASES

CURRENT = QColor("#2F5D8A")
DONE = QColor("#DCE6F0")
AHEAD = QColor("#F3F4F6")


class PhaseStrip(QWidget):
    """Six segments; the current phase is filled, earlier ones tinted, later ones plain."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current = 1
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Phases of the analysis")
        self._update_tooltip()

    @property
    def current(self) -> int:
        return self._current

    def set_current(self, phase: int) -> None:
        self._current = phase
        self._update_tooltip()
        self.update()

    def _update_tooltip(self) -> None:
        info = PHASES[self._current - 1]
        self.setToolTip(f"Current phase: {info.number}. {info.name} ({info.reflexive_name})")

    def sizeHint(self) -> QSize:
        return QSize(900, 46)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        gap = 4.0
        width = (self.width() - gap * (len(PHASES) + 1)) / len(PHASES)
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 0.95)
        subtitle_font = QFont(self.font())
        subtitle_font.setPointSizeF(self.font().pointSizeF() * 0.8)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        for index, info in enumerate(PHASES):
            rect = QRectF(gap + index * (width + gap), 4, width, self.height() - 8)
            if info.number == self._current:
                fill, ink = CURRENT, QColor("white")
            elif info.number < self._current:
                fill, ink = DONE, text_colour
            else:
                fill, ink = AHEAD, QColor("#6B7280")
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 5, 5)
            painter.setPen(ink)
            title_font.setBold(info.number == self._current)
            painter.setFont(title_font)
            top = QRectF(rect.x() + 8, rect.y() + 3, rect.width() - 16, rect.height() / 2)
            painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(
                                 f"{info.number}  {info.name}", Qt.TextElideMode.ElideRight,
                                 int(top.width())))
            painter.setFont(subtitle_font)
            bottom = QRectF(top.x(), rect.y() + rect.height() / 2 - 1, top.width(),
                            rect.height() / 2 - 2)
            painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(
                                 info.reflexive_name, Qt.TextElideMode.ElideRight,
                                 int(bottom.width())))
        painter.end()
