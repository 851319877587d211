"""The line above a transcript: whose interview, which document, how much is in it.

It is painted directly (the participant in bold, the document's name, the counts in grey,
the name cut short with an ellipsis when the window is narrow) rather than laid out as
rich text by a ``QLabel``: a label parses and lays out its HTML on every change, which
took as long as a tenth of opening a long transcript.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor("#3A4350")
MUTED = QColor("#8A929C")
PAPER = QColor("#FFFFFF")
RULE = QColor("#E1E4E8")
PAD_X, PAD_Y = 12, 7
SEPARATOR = "  ·  "
NOTHING_OPEN = "No transcript open"


class TranscriptHeading(QWidget):
    """Participant, document name and counts of the open transcript, on one line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._parts: tuple[str, str, str] = ("", NOTHING_OPEN, "")
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self.setFixedHeight(self.fontMetrics().height() + 2 * PAD_Y)
        # A long transcript name is cut at the right rather than widening the window.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.reserved_right = 0  # room kept at the right end for a widget laid over it

    def show_transcript(self, participant: str | None, name: str, counts: str) -> None:
        self._parts = (participant or "", name, counts)
        self.setToolTip(f"{name}: {counts}")
        self.update()

    def show_nothing(self) -> None:
        self._parts = ("", NOTHING_OPEN, "")
        self.setToolTip("")
        self.update()

    def text(self) -> str:
        """What the heading says, as plain text."""
        who, name, counts = self._parts
        return "".join((f"{who}{SEPARATOR}" if who else "", name,
                        f"   {counts}" if counts else ""))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        painter.setPen(RULE)
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        who, name, counts = self._parts
        plain = self.fontMetrics()
        bold = QFontMetrics(self._bold)
        baseline = (self.height() - 1 + plain.ascent() - plain.descent()) / 2
        x = float(PAD_X)
        right = self.width() - PAD_X - self.reserved_right
        if who:
            painter.setFont(self._bold)
            painter.setPen(INK)
            who = bold.elidedText(who, Qt.TextElideMode.ElideRight, max(right - int(x), 0))
            painter.drawText(QPointF(x, baseline), who)
            x += bold.horizontalAdvance(who)
            painter.setFont(self.font())
            painter.setPen(MUTED)
            painter.drawText(QPointF(x, baseline), SEPARATOR)
            x += plain.horizontalAdvance(SEPARATOR)
        painter.setFont(self.font())
        painter.setPen(INK)
        tail = f"   {counts}" if counts else ""
        room = right - int(x) - plain.horizontalAdvance(tail)
        shown = plain.elidedText(name, Qt.TextElideMode.ElideRight, max(room, 0))
        painter.drawText(QPointF(x, baseline), shown)
        if tail:
            painter.setPen(MUTED)
            painter.drawText(QPointF(x + plain.horizontalAdvance(shown), baseline), tail)
