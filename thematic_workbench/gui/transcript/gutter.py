"""The line-number gutter: the stable numbers from import, and whole-line selection.

Only numbered lines get a number (blank lines have none), so the numbers a researcher
cites (``[PA, lines 120-134]``) are the ones on screen. Dragging down or up the numbers
selects whole lines; a small mark shows where a margin note is.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from thematic_workbench.core.textlayout import LineSpan
from thematic_workbench.gui.transcript.editor import TranscriptEditor

BACKGROUND = QColor("#F4F5F7")
NUMBER = QColor("#9AA3AE")
SELECTED_NUMBER = QColor("#1F3A5A")
SELECTED_BAND = QColor("#DCE6F2")
RULE = QColor("#E1E4E8")
NOTE_MARK = QColor("#E0A030")


class LineGutter(QWidget):
    """Paints the numbers of the visible lines; a drag emits the anchor and current line."""

    lines_dragged = Signal(int, int)

    def __init__(self, editor: TranscriptEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.lines: tuple[LineSpan, ...] = ()
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._note_lines: set[int] = set()
        self._anchor: int | None = None
        self.setFont(self._number_font())
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Line numbers fixed at import. Drag across them to select whole lines.")
        editor.selectionChanged.connect(self.update)

    @staticmethod
    def _number_font() -> QFont:
        font = QFont()
        font.setPointSize(9)
        font.setStyleHint(QFont.StyleHint.SansSerif)
        return font

    def set_lines(self, lines: Sequence[LineSpan]) -> None:
        self.lines = tuple(lines)
        self._starts = [line.start for line in self.lines]
        self._ends = [line.end for line in self.lines]
        self.update()

    def set_note_spans(self, spans: Sequence[tuple[int, int]]) -> None:
        """Mark the lines that carry a margin note."""
        marked: set[int] = set()
        for start, end in spans:
            first = max(1, bisect_right(self._starts, start))
            last = max(first, bisect_right(self._starts, max(start, end - 1)))
            marked.update(range(first, last + 1))
        self._note_lines = marked
        self.update()

    def preferred_width(self) -> int:
        digits = len(str(len(self.lines))) if self.lines else 1
        return QFontMetrics(self.font()).horizontalAdvance("9" * max(digits, 3)) + 22

    # -- which line is where -----------------------------------------------------------------
    def line_at(self, y: float, below: bool = True) -> int | None:
        """Number of the line at height ``y``; in a blank gap, the line below (or above)."""
        if not self.lines:
            return None
        point = self.editor.positions.to_code_point(self.editor.view_position_at(y))
        index = bisect_right(self._starts, point)  # lines starting at or before the point
        if index == 0:
            return 1
        if point > self.lines[index - 1].end and below and index < len(self.lines):
            return index + 1
        return index

    def lines_in_selection(self) -> tuple[int, int] | None:
        cursor = self.editor.textCursor()
        if not cursor.hasSelection() or not self.lines:
            return None
        positions = self.editor.positions
        start, end = positions.span_to_code_points(cursor.selectionStart(), cursor.selectionEnd())
        first = bisect_right(self._ends, start) + 1
        last = bisect_left(self._starts, end)
        return (first, last) if first <= last else None

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), BACKGROUND)
        painter.setPen(RULE)
        painter.drawLine(self.width() - 1, event.rect().top(), self.width() - 1,
                         event.rect().bottom())
        if not self.lines:
            return
        screen = self.editor.screen_lines()
        if not screen.starts:
            return
        positions = self.editor.positions
        low = positions.to_code_point(screen.start)
        high = positions.to_code_point(screen.end)
        selected = self.lines_in_selection() or (0, -1)
        plain = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        strong = QFontMetrics(bold)
        right = self.width() - 10
        painter.setPen(NUMBER)
        for index in range(bisect_left(self._starts, low), bisect_left(self._starts, high)):
            line = self.lines[index]
            box = screen.box(positions.to_view(line.start))
            if box is None:
                continue
            top, bottom = box
            label = str(line.number)
            metrics = plain
            if selected[0] <= line.number <= selected[1]:
                painter.fillRect(QRectF(0, top, right + 9, bottom - top), SELECTED_BAND)
                painter.setFont(bold)
                painter.setPen(SELECTED_NUMBER)
                metrics = strong
            if line.number in self._note_lines:
                painter.fillRect(QRectF(right + 4, top + 2, 3, bottom - top - 4), NOTE_MARK)
            baseline = (top + bottom + metrics.ascent() - metrics.descent()) / 2
            painter.drawText(QPointF(right - metrics.horizontalAdvance(label), baseline), label)
            if metrics is strong:
                painter.setFont(self.font())
                painter.setPen(NUMBER)

    # -- dragging across the numbers ---------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        line = self.line_at(event.position().y())
        if line is not None:
            self._anchor = line
            self.lines_dragged.emit(line, line)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._anchor is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        y = event.position().y()
        bar = self.editor.verticalScrollBar()
        if y < 0:
            bar.setValue(bar.value() - 1)
        elif y > self.height():
            bar.setValue(bar.value() + 1)
        y = min(max(y, 1.0), self.height() - 1.0)
        line = self.line_at(y, below=False)
        if line is not None and line < self._anchor:  # dragging upwards
            line = self.line_at(y, below=True)
        if line is not None:
            self.lines_dragged.emit(self._anchor, line)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._anchor = None
        super().mouseReleaseEvent(event)
