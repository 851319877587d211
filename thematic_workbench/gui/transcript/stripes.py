"""The coding-stripe margin: a coloured bar per coding beside the lines it covers.

As in NVivo and MAXQDA, each code present in the transcript has its own column, with
its name written along its bars. When a transcript carries more codes than fit beside
the text, codes whose passages never meet share a column (each bar still names its
code), so the margin stays readable instead of turning into hairlines.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from html import escape

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from thematic_workbench.core.transcript_data import CodingSpan
from thematic_workbench.gui.transcript.editor import TranscriptEditor
from thematic_workbench.gui.transcript.spans import SpanIndex

COLUMN = 18
BAR = 5
PADDING = 6
OWN_COLUMNS = 24  # up to this many codes, one column each
LABELLED_PITCH = 14  # narrower columns show bars only (names in tooltips)
BACKGROUND = QColor("#FAFAFB")
RULE = QColor("#E1E4E8")


def assign_columns(codings: Sequence[CodingSpan], line_starts: Sequence[int],
                   own_columns: int = OWN_COLUMNS,
                   previous: Mapping[int, int] | None = None) -> dict[int, int]:
    """Column of each code: by name when there is room, else packed by line overlap.

    When packing, a code keeps its ``previous`` column while its bars still fit there, so
    coding a passage does not shuffle the margin (and only new codes are searched for).
    """
    names: dict[int, str] = {}
    for coding in codings:
        names.setdefault(coding.code_id, coding.code_name)
    if len(names) <= own_columns:
        ordered = sorted(names, key=lambda code: (names[code].casefold(), code))
        return {code: column for column, code in enumerate(ordered)}
    height = len(line_starts) + 2
    spans: dict[int, list[tuple[int, int]]] = {}
    for coding in codings:  # in text order, so codes are placed by first appearance
        first = bisect_right(line_starts, coding.start)
        last = bisect_right(line_starts, max(coding.start, coding.end - 1))
        spans.setdefault(coding.code_id, []).append((first - 1, last + 1))  # a line of air
    # One byte per line and column marks it taken: checking and marking run in C.
    columns: list[bytearray] = []
    placed: dict[int, int] = {}

    def fits(number: int, wanted: list[tuple[int, int]]) -> bool:
        taken = columns[number]
        return all(taken.find(1, a, b) < 0 for a, b in wanted)

    def place(code: int, number: int) -> None:
        while len(columns) <= number:
            columns.append(bytearray(height))
        taken = columns[number]
        for a, b in spans[code]:
            taken[a:b] = b"\x01" * (b - a)
        placed[code] = number

    kept = previous or {}
    for code, number in sorted(kept.items(), key=lambda item: item[1]):
        if code in spans and (number >= len(columns) or fits(number, spans[code])):
            place(code, number)
    for code, wanted in spans.items():
        if code not in placed:
            place(code, next((i for i in range(len(columns)) if fits(i, wanted)),
                             len(columns)))
    used = sorted(set(placed.values()))  # a code gone from the text leaves no empty column
    return {code: used.index(number) for code, number in placed.items()} \
        if len(used) < len(columns) else placed


def coding_tooltip(codings: Sequence[CodingSpan]) -> str:
    """Rich text listing codings: colour, code name, coder and memo."""
    rows = []
    for coding in codings:
        memo = f"<br><i>{escape(coding.memo)}</i>" if coding.memo else ""
        rows.append(f"<span style='color:{coding.colour}'>&#9632;</span> "
                    f"<b>{escape(coding.code_name)}</b> "
                    f"<span style='color:#6B7480'>({escape(coding.coder)})</span>{memo}")
    return "<br>".join(rows)


class StripeMargin(QWidget):
    """Paints the bars of the visible codings; a click on a bar emits its coding id."""

    coding_clicked = Signal(int)

    def __init__(self, editor: TranscriptEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.index: SpanIndex[CodingSpan] = SpanIndex()
        self.columns: dict[int, int] = {}
        self.selected: int | None = None
        self._painted: list[tuple[QRectF, CodingSpan]] = []
        self._colours: dict[tuple[str, bool], QColor] = {}
        self._widths: dict[str, int] = {}
        font = QFont()
        font.setPointSize(8)
        self.setFont(font)
        self.setMouseTracking(True)

    def set_codings(self, index: SpanIndex[CodingSpan], line_starts: Sequence[int],
                    keep_columns: bool = False) -> None:
        """Show these codings; ``keep_columns`` when they are the same text's, changed."""
        self.index = index
        codings = index.items
        self.columns = assign_columns(codings, line_starts,
                                      previous=self.columns if keep_columns else None)
        if self.selected is not None and all(c.id != self.selected for c in codings):
            self.selected = None
        self.update()

    def column_count(self) -> int:
        return max(self.columns.values(), default=-1) + 1

    def preferred_width(self) -> int:
        count = self.column_count()
        return PADDING * 2 + COLUMN * count if count else PADDING

    def select(self, coding_id: int | None) -> None:
        self.selected = coding_id
        self.update()

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        painter.setPen(RULE)
        painter.drawLine(0, 0, 0, self.height())
        self._painted = []
        screen = self.editor.screen_lines()
        if not screen.starts or not self.columns:
            return
        positions = self.editor.positions
        low = positions.to_code_point(screen.start)
        high = positions.to_code_point(screen.end) + 1
        by_column: dict[int, list[tuple[float, float, CodingSpan]]] = {}
        for coding in self.index.overlapping(low, high):
            extent = screen.extent(*positions.span_to_view(coding.start, coding.end))
            if extent is not None:
                column = self.columns.get(coding.code_id, 0)
                by_column.setdefault(column, []).append((extent[0], extent[1], coding))
        labels: list[tuple[QRectF, CodingSpan, float]] = []
        pitch = self.pitch()
        bar = min(BAR, max(pitch - 1, 2.0))
        for column, bars in by_column.items():
            bars.sort(key=lambda bar: (bar[0], -bar[1]))
            tops = [top for top, _, _ in bars]
            for number, (top, bottom, coding) in enumerate(bars):
                rect = QRectF(PADDING + pitch * column, top + 1, bar, max(bottom - top - 2, 3.0))
                painter.fillRect(rect, self._colour(coding.colour))
                self._painted.append((rect, coding))
                later = [other for other in tops[number + 1:] if other > top + 2]
                labels.append((rect, coding, min(later, default=float(self.height()))))
        self._paint_selection(painter)
        if pitch >= LABELLED_PITCH:
            self._paint_labels(painter, labels)

    def pitch(self) -> float:
        """Width of a column: full size when there is room, squeezed (unlabelled) when not."""
        count = self.column_count()
        return min(float(COLUMN), (self.width() - 2 * PADDING) / count) if count else COLUMN

    def _colour(self, name: str, label: bool = False) -> QColor:
        """Colours by name, made once: a bar's fill, or (darker) its label's ink."""
        key = (name, label)
        colour = self._colours.get(key)
        if colour is None:
            colour = QColor(name).darker(150) if label else QColor(name)
            self._colours[key] = colour
        return colour

    def _paint_selection(self, painter: QPainter) -> None:
        for rect, coding in self._painted:
            if coding.id == self.selected:
                painter.setPen(QPen(QColor("#1F2933"), 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5))

    def _paint_labels(self, painter: QPainter,
                      labels: list[tuple[QRectF, CodingSpan, float]]) -> None:
        """Each bar's code name, read downwards beside it, up to the next bar in its column."""
        metrics = QFontMetrics(self.font())
        widths = self._widths
        painter.rotate(90)  # screen (x, y) is (y, -x) here
        for rect, coding, next_top in labels:
            top = max(rect.top(), 2.0)
            room = min(next_top, float(self.height())) - top - 4
            if room < metrics.height() * 1.5:
                continue
            text = coding.code_name
            width = widths.get(text)
            if width is None:
                width = widths[text] = metrics.horizontalAdvance(text)
            if width > room:
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room))
            painter.setPen(self._colour(coding.colour, label=True))
            painter.drawText(QPointF(top, -(rect.right() + 3 + metrics.descent())), text)
        painter.resetTransform()

    # -- clicks and tooltips -----------------------------------------------------------------
    def codings_at(self, point: QPointF) -> list[CodingSpan]:
        """Codings whose bar (or the column slot beside it) is under ``point``, shortest first."""
        hits = [(rect.height(), coding) for rect, coding in self._painted
                if rect.left() - 3 <= point.x() <= rect.left() + max(self.pitch(), 8) - 3
                and rect.top() - 1 <= point.y() <= rect.bottom() + 1]
        return [coding for _, coding in sorted(hits, key=lambda hit: hit[0])]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hits = self.codings_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and hits:
            self.select(hits[0].id)
            self.coding_clicked.emit(hits[0].id)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = bool(self.codings_at(event.position()))
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hits = self.codings_at(QPointF(event.pos()))
            if hits:
                QToolTip.showText(event.globalPos(), coding_tooltip(hits), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
