"""The line-number gutter: the stable numbers from import, and whole-line selection.

Only numbered lines get a number (blank lines have none), so the numbers a researcher
cites (``[PA, lines 120-134]``) are the ones on screen. Dragging down or up the numbers
selects whole lines. A margin note shows as a note sign on its first line and an amber
rule down the lines it covers; hovering the sign shows the note, clicking it edits it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QStaticText,
)
from PySide6.QtWidgets import QToolTip, QWidget

from thematic_workbench.core.queries.transcript_data import AnnotationSpan
from thematic_workbench.core.text.textlayout import LineSpan, lines_of_span
from thematic_workbench.gui.transcript.editor import ScreenLines, TranscriptEditor

BACKGROUND = QColor("#F4F5F7")
NUMBER = QColor("#9AA3AE")
SELECTED_NUMBER = QColor("#1F3A5A")
SELECTED_BAND = QColor("#DCE6F2")
RULE = QColor("#E1E4E8")
NOTE_MARK = QColor("#E0A030")
NOTE_INK = QColor("#8A5A00")
NOTE_ZONE = 16  # pixels at the gutter's left where the note signs are
GUTTER_HINT = "Line numbers fixed at import. Drag across them to select whole lines."


class LineGutter(QWidget):
    """Paints the numbers of the visible lines; a drag emits the anchor and current line."""

    lines_dragged = Signal(int, int)
    note_clicked = Signal(int)  # an annotation id

    def __init__(self, editor: TranscriptEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.lines: tuple[LineSpan, ...] = ()
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._note_lines: set[int] = set()
        self._notes: list[tuple[int, int, AnnotationSpan]] = []  # first line, last line, note
        self._note_starts: set[int] = set()  # the first lines of notes (they get the sign)
        self._notes_of: tuple[object, object] = ((), ())  # the notes and starts marked
        self._anchor: int | None = None
        self.setFont(self._number_font())
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # The paint covers every pixel: Qt need not paint the window beneath first.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._numbers: dict[str, QStaticText] = {}
        self._placed: tuple[tuple[object, ...], ScreenLines,
                            list[tuple[int, float, float, QPointF]]] | None = None
        editor.selectionChanged.connect(self.update)

    @staticmethod
    def _number_font() -> QFont:
        font = QFont()
        font.setPointSize(9)
        font.setStyleHint(QFont.StyleHint.SansSerif)
        return font

    def set_lines(self, lines: Sequence[LineSpan], starts: list[int] | None = None,
                  ends: list[int] | None = None) -> None:
        """Number these lines; ``starts`` and ``ends``, if given, are theirs, worked out."""
        self.lines = tuple(lines)
        self._starts = [line.start for line in self.lines] if starts is None else starts
        self._ends = [line.end for line in self.lines] if ends is None else ends
        self.update()

    def set_notes(self, notes: Sequence[AnnotationSpan]) -> None:
        """Mark the lines that carry a margin note, and keep the notes for hover and click."""
        if notes is self._notes_of[0] and self._starts is self._notes_of[1]:
            return  # the same notes on the same lines (a transcript shown again)
        self._notes_of = (notes, self._starts)
        marked: set[int] = set()
        self._notes = []
        for note in notes:
            first, last = lines_of_span(self._starts, note.start, note.end,
                                        [line.number for line in self.lines])
            if first:
                self._notes.append((first, last, note))
                marked.update(range(first, last + 1))
        self._note_lines = marked
        self._note_starts = {first for first, _last, _note in self._notes}
        self.update()

    def notes_at(self, line: int) -> list[AnnotationSpan]:
        """The notes on stable line ``line``: those starting there first, then the longer."""
        found = [(first != line, last - first, note.id, note)
                 for first, last, note in self._notes if first <= line <= last]
        return [item[-1] for item in sorted(found, key=lambda item: item[:3])]

    def note_at(self, point: QPointF) -> AnnotationSpan | None:
        """The note whose sign or rule is under ``point``, if any."""
        if point.x() > NOTE_ZONE or not self._notes:
            return None
        line = self.line_at(point.y(), below=False)
        notes = self.notes_at(line) if line is not None else []
        return notes[0] if notes else None

    def preferred_width(self) -> int:
        digits = len(str(len(self.lines))) if self.lines else 1
        return QFontMetrics(self.font()).horizontalAdvance("9" * max(digits, 3)) + 28

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
        selected = self.lines_in_selection() or (0, -1)
        bold = QFont(self.font())
        bold.setBold(True)
        strong = QFontMetrics(bold)
        right = self.width() - 10
        painter.setPen(NUMBER)
        for number, top, bottom, place in self._numbers_on(screen):
            if number in self._note_lines:
                self._paint_note_mark(painter, top, bottom, number in self._note_starts)
            if not selected[0] <= number <= selected[1]:  # most numbers: laid out once
                painter.drawStaticText(place, self._number_text(str(number)))
                continue
            painter.fillRect(QRectF(0, top, right + 9, bottom - top), SELECTED_BAND)
            painter.setFont(bold)
            painter.setPen(SELECTED_NUMBER)
            label = str(number)
            painter.drawText(QPointF(right - strong.horizontalAdvance(label),
                                     (top + bottom + strong.ascent() - strong.descent()) / 2),
                             label)
            painter.setFont(self.font())
            painter.setPen(NUMBER)

    def _numbers_on(self, screen: ScreenLines) -> list[tuple[int, float, float, QPointF]]:
        """Each numbered line on ``screen``: its number, top, bottom and where its number
        goes; kept while the lines on screen stay where they are (the selection moving
        over them, a transcript shown again)."""
        key = (self.lines, self.editor.positions, self.width())
        kept = self._placed
        if kept is not None and kept[1] == screen and kept[0][0] is key[0] \
                and kept[0][1] is key[1] and kept[0][2] == key[2]:
            return kept[2]
        positions = self.editor.positions
        low = positions.to_code_point(screen.start)
        high = positions.to_code_point(screen.end)
        metrics = QFontMetrics(self.font())
        right = self.width() - 10
        placed = []
        for index in range(bisect_left(self._starts, low), bisect_left(self._starts, high)):
            line = self.lines[index]
            box = screen.box(positions.to_view(line.start))
            if box is None:
                continue
            top, bottom = box
            baseline = (top + bottom + metrics.ascent() - metrics.descent()) / 2
            width = self._number_text(str(line.number)).size().width()
            placed.append((line.number, top, bottom,
                           QPointF(right - width, baseline - metrics.ascent())))
        self._placed = (key, screen, placed)
        return placed

    def _number_text(self, label: str) -> QStaticText:
        static = self._numbers.get(label)
        if static is None:
            static = self._numbers[label] = QStaticText(label)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(font=self.font())
        return static

    def _paint_note_mark(self, painter: QPainter, top: float, bottom: float,
                         first: bool) -> None:
        """A rule down a note's lines; on its first line a small note sign (lines of text)."""
        pen = painter.pen()
        painter.fillRect(QRectF(2, top, 3, bottom - top), NOTE_MARK)
        if first:
            middle = (top + bottom) / 2
            sign = QRectF(2, middle - 6, 11, 12)
            painter.setPen(QPen(NOTE_INK, 1))
            painter.setBrush(NOTE_MARK)
            painter.drawRoundedRect(sign, 2, 2)
            painter.setPen(QPen(QColor("#FFFFFF"), 1))
            for row in (3, 6, 9):
                painter.drawLine(QPointF(sign.left() + 2.5, sign.top() + row),
                                 QPointF(sign.right() - 2.5, sign.top() + row))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen)

    # -- notes: hover and click --------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            note = self.note_at(QPointF(event.pos()))
            if note is not None:
                line = self.line_at(event.pos().y(), below=False) or 0
                QToolTip.showText(event.globalPos(), self.note_tooltip(line), self)
            else:
                QToolTip.showText(event.globalPos(), GUTTER_HINT, self)
            return True
        return super().event(event)

    def note_tooltip(self, line: int) -> str:
        """The notes on a line as rich text, with how to edit them."""
        rows = []
        for note in self.notes_at(line):
            body = escape(note.body).replace("\n", "<br>")
            rows.append(f"<span style='color:#C77800'>&#9998;</span> {body}")
        return ("<br>".join(rows) + "<br><span style='color:#6B7480'>Margin note: click the "
                "sign to edit it.</span>")

    # -- dragging across the numbers ---------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        note = self.note_at(event.position())
        if note is not None:
            self.note_clicked.emit(note.id)
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
