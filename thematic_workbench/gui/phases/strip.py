"""The strip of Braun and Clarke's six phases across the top of the window.

Each segment shows the phase's number and name, its reflexive name beneath, how much
of its checklist is ticked and whether a supervisor has signed it off. Clicking a
segment asks to move there (with a note); the current phase is filled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from thematic_workbench.core.phases import PHASES

CURRENT = QColor("#2F5D8A")
DONE = QColor("#DCE6F0")
AHEAD = QColor("#F3F4F6")
HOVER = QColor("#C9D8E8")
SIGNED = QColor("#2E7D32")
GAP = 4.0


@dataclass
class PhaseMarks:
    """What the strip shows besides the current phase: checklist counts and sign-offs."""

    ticked: dict[int, tuple[int, int]] = field(default_factory=dict)  # phase: (done, all)
    signed_off: dict[int, str] = field(default_factory=dict)  # phase: who signed, and when


class PhaseStrip(QWidget):
    """Six segments; the current phase is filled, earlier ones tinted, later ones plain."""

    phase_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current = 1
        self._hovered: int | None = None
        self.marks = PhaseMarks()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Phases of the analysis")
        self.setMouseTracking(True)

    @property
    def current(self) -> int:
        return self._current

    def set_current(self, phase: int, marks: PhaseMarks | None = None) -> None:
        self._current = phase
        if marks is not None:
            self.marks = marks
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, 50)

    def segment(self, number: int) -> QRectF:
        """Where phase ``number`` is drawn (tests click its centre)."""
        width = (self.width() - GAP * (len(PHASES) + 1)) / len(PHASES)
        return QRectF(GAP + (number - 1) * (width + GAP), 4, width, self.height() - 8)

    def phase_at(self, point: QPointF) -> int | None:
        return next((info.number for info in PHASES
                     if self.segment(info.number).contains(point)), None)

    def tooltip_for(self, number: int) -> str:
        info = PHASES[number - 1]
        lines = [f"<b>{info.number}. {info.name}</b><br>{info.reflexive_name}"]
        done, total = self.marks.ticked.get(number, (0, 0))
        if total:
            lines.append(f"Checklist: {done} of {total} ticked")
        if number in self.marks.signed_off:
            lines.append(f"Signed off by {self.marks.signed_off[number]}")
        lines.append("The current phase" if number == self._current
                     else "Click to move the project to this phase")
        return "<br>".join(lines)

    # -- mouse -----------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hovered = self.phase_at(event.position())
        if hovered != self._hovered:
            self._hovered = hovered
            self.setToolTip(self.tooltip_for(hovered) if hovered else "")
            self.setCursor(Qt.CursorShape.PointingHandCursor
                           if hovered and hovered != self._current
                           else Qt.CursorShape.ArrowCursor)
            self.update()

    def leaveEvent(self, event: object) -> None:
        self._hovered = None
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        number = self.phase_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and number is not None:
            self.phase_clicked.emit(number)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 0.95)
        small_font = QFont(self.font())
        small_font.setPointSizeF(self.font().pointSizeF() * 0.8)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        for info in PHASES:
            rect = self.segment(info.number)
            current = info.number == self._current
            if current:
                fill, ink = CURRENT, QColor("white")
            elif info.number == self._hovered:
                fill, ink = HOVER, text_colour
            elif info.number < self._current:
                fill, ink = DONE, text_colour
            else:
                fill, ink = AHEAD, QColor("#4B5563")
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 5, 5)
            marks = self._marks_text(info.number)
            painter.setFont(small_font)
            marks_width = painter.fontMetrics().horizontalAdvance(marks) + 6 if marks else 0
            top = QRectF(rect.x() + 8, rect.y() + 3, rect.width() - 16, rect.height() / 2)
            bottom = QRectF(top.x(), rect.y() + rect.height() / 2 - 1, top.width(),
                            rect.height() / 2 - 2)
            title_font.setBold(current)
            painter.setFont(title_font)
            painter.setPen(ink)
            self._draw(painter, top, f"{info.number}  {info.name}")
            painter.setFont(small_font)
            self._draw(painter, bottom.adjusted(0, 0, -marks_width, 0), info.reflexive_name)
            if marks:
                signed = info.number in self.marks.signed_off
                painter.setPen(QColor("#BBF7D0") if current and signed else
                               SIGNED if signed else ink)
                painter.drawText(bottom, Qt.AlignmentFlag.AlignRight
                                 | Qt.AlignmentFlag.AlignVCenter, marks)
        painter.end()

    def _marks_text(self, number: int) -> str:
        done, total = self.marks.ticked.get(number, (0, 0))
        parts = [f"{done}/{total}"] if total else []
        if number in self.marks.signed_off:
            parts.append("\u2713 signed off")
        return "  ".join(parts)

    @staticmethod
    def _draw(painter: QPainter, rect: QRectF, text: str) -> None:
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                          int(rect.width())))
