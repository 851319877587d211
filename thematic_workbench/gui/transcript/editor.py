"""The read-only text area of the transcript view and the geometry its margins share.

``QPlainTextEdit`` lays out only the blocks it paints, which keeps long transcripts fast;
the gutter and the stripe margin ask this class where the visible blocks and lines are,
so all three agree to the pixel and none of them lays out a block nobody sees.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from thematic_workbench.gui.positions import PositionMap
from thematic_workbench.gui.transcript.highlighter import SpanHighlighter

READING_POINT_SIZE = 11
TEXT_MARGIN = 14


def reading_font(family: str = "", size: int = READING_POINT_SIZE) -> QFont:
    """A comfortable proportional font for reading long interviews, or the family the
    user chose in Preferences ("": the default)."""
    font = QFont()
    font.setFamilies([family] if family else
                     ["Noto Sans", "Segoe UI", "Helvetica Neue", "DejaVu Sans", "Arial"])
    font.setPointSize(size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


class ScreenLines(NamedTuple):
    """The visual lines on screen: view position of each start, top and bottom (pixels)."""

    starts: list[int]
    tops: list[float]
    bottoms: list[float]
    end: int  # view position just past the last block on screen
    height: float

    @property
    def start(self) -> int:
        return self.starts[0] if self.starts else self.end

    def box(self, position: int) -> tuple[float, float] | None:
        """Top and bottom of the line holding view ``position``, if it is on screen."""
        index = bisect_right(self.starts, position) - 1
        if index < 0 or position >= self.end:
            return None
        return self.tops[index], self.bottoms[index]

    def extent(self, start: int, end: int) -> tuple[float, float] | None:
        """From the top of ``start``'s line to the bottom of the line of the last character.

        Ends off screen are clamped just outside it; ``None`` if all of it is off screen.
        """
        if not self.starts or end <= self.start or start >= self.end:
            return None
        top_box = self.box(start)
        bottom_box = self.box(max(start, end - 1))
        return (top_box[0] if top_box else -4.0,
                bottom_box[1] if bottom_box else self.height + 4.0)


class TranscriptEditor(QPlainTextEdit):
    """Read-only, unwrapped (lines are the stable ones), selectable by mouse and keyboard."""

    find_requested = Signal()
    escape_pressed = Signal()
    menu_requested = Signal(QPoint, QPoint)  # where in the viewport, where on the screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.positions = PositionMap("")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(reading_font())
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.document().setDocumentMargin(TEXT_MARGIN)
        self.setCursorWidth(2)
        # Always there, so opening a short or a long transcript never resizes the text area.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.highlighter = SpanHighlighter(self.document())
        self.margin_widgets: tuple[QWidget | None, QWidget | None] = (None, None)
        self.max_right_share = 0.4
        self.text_width = 0  # what the longest line needs, set when a text is shown
        self._longest_line = 0
        self._prepared: tuple[int, int, int] = (-1, -1, -1)
        self._screen: tuple[tuple[object, ...], ScreenLines] | None = None
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    def set_margin_widgets(self, left: QWidget, right: QWidget) -> None:
        """The widgets beside the text (gutter, stripes); each has ``preferred_width()``,
        the right one ``least_width()`` too."""
        self.margin_widgets = (left, right)
        self.update_margins()

    def fit_text(self, longest_line: int) -> None:
        """Note the room the text needs: its longest stable line, in characters."""
        self._longest_line = longest_line
        self.text_width = self.fontMetrics().averageCharWidth() * longest_line \
            + 2 * TEXT_MARGIN + self.cursorWidth()

    def apply_font(self, font: QFont) -> None:
        """Show the text in another font now: the room it needs and the margins follow."""
        self.setFont(font)
        self._prepared, self._screen = (-1, -1, -1), None
        self.fit_text(self._longest_line)
        self.update_margins()
        self.viewport().update()
        for widget in self.margin_widgets:
            if widget is not None:
                widget.update()

    def update_margins(self) -> None:
        """Reserve room for the margin widgets and lay them out beside the viewport."""
        left, right = self.margin_widgets
        if left is None or right is None:
            return
        left_width = left.preferred_width()  # type: ignore[attr-defined]
        wanted = right.preferred_width()  # type: ignore[attr-defined]
        # The text comes first: the stripes take what its lines leave, squeezed if need be
        # but never below their least width (asked only then: it may take some working out).
        room = self.width() - left_width - self.verticalScrollBar().sizeHint().width() \
            - self.text_width
        if room < wanted:
            room = max(room, min(wanted, right.least_width()))  # type: ignore[attr-defined]
        right_width = min(wanted, room, int(self.width() * self.max_right_share))
        if self.viewportMargins().left() != left_width \
                or self.viewportMargins().right() != right_width:
            self.setViewportMargins(left_width, 0, right_width, 0)
        port = self.viewport().geometry()
        left.setGeometry(port.left() - left_width, port.top(), left_width, port.height())
        right.setGeometry(port.right() + 1, port.top(), right_width, port.height())

    # -- formats before paint --------------------------------------------------------------
    def prepare_visible(self) -> None:
        """Format the blocks that the next paint can show (each block is at least one line)."""
        first = self.firstVisibleBlock().blockNumber()
        rows = self.viewport().height() // max(1, self.fontMetrics().lineSpacing()) + 2
        key = (first, rows, self.highlighter.generation)
        if key != self._prepared:  # the same blocks, unchanged since: nothing to do
            self.highlighter.ensure(first - 1, first + rows)
            self._prepared = key

    def _scrolled(self, _value: int) -> None:
        self.prepare_visible()

    def paintEvent(self, event: QPaintEvent) -> None:
        self.prepare_visible()
        super().paintEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.update_margins()
        self.prepare_visible()

    # -- geometry shared with the margins ---------------------------------------------------
    def screen_lines(self) -> ScreenLines:
        """Where each visual line on screen starts (view position) and its top and bottom.

        The gutter and the stripe margin both ask in each paint: the answer is kept until
        the scroll position, the size, the text or its formats change.
        """
        self.prepare_visible()
        key = (self.verticalScrollBar().value(), self.contentOffset().toTuple(),
               self.viewport().size().toTuple(), self.highlighter.generation,
               self.document().revision(), self.document().blockCount())
        if self._screen is not None and self._screen[0] == key:
            return self._screen[1]
        lines = self._measure_screen_lines()
        self._screen = (key, lines)
        return lines

    def _measure_screen_lines(self) -> ScreenLines:
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        height = self.viewport().height()
        starts: list[int] = []
        tops: list[float] = []
        bottoms: list[float] = []
        end = block.position() if block.isValid() else 0
        # Only the first block's place is asked for: Qt finds each by walking down from the
        # top block, so asking for every block would cost a walk per block. Blocks follow
        # one another without gaps, so each starts where the one before it ends.
        block_top = self.blockBoundingGeometry(block).translated(offset).top() \
            if block.isValid() else 0.0
        while block.isValid():
            rect = self.blockBoundingRect(block).translated(0.0, block_top)
            block_top = rect.bottom()
            if rect.top() > height:
                break
            position = block.position()
            layout = block.layout()
            count = layout.lineCount()
            if count == 0:
                starts.append(position)
                tops.append(rect.top())
                bottoms.append(rect.bottom())
            for index in range(count):
                line = layout.lineAt(index)
                top = rect.top() + line.y()
                starts.append(position + line.textStart())
                tops.append(top)
                bottoms.append(top + line.height())
            end = position + block.length()
            block = block.next()
        return ScreenLines(starts, tops, bottoms, end, float(height))

    def view_position_at(self, y: float) -> int:
        """The view position nearest to the left end of the line at height ``y``."""
        return self.cursorForPosition(QPoint(TEXT_MARGIN + 2, int(y))).position()

    # -- keys, copy -------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Ctrl+F here means "find in this transcript": take it before window shortcuts do.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.matches(QKeySequence.StandardKey.Find):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Find):
            self.find_requested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_canonical()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # The transcript view builds the menu (coding, notes, copy with citation); Qt's own
        # would copy the soft breaks of the display.
        self.menu_requested.emit(event.pos(), event.globalPos())
        event.accept()

    def copy_canonical(self) -> None:
        """Copy the canonical text: soft breaks are display, not text.

        The clipboard gets plain text through QClipboard.setText, never a QMimeData made in
        Python: Qt would free that one at exit after Python had, and crash.
        """
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return
        start, end = self.positions.span_to_code_points(cursor.selectionStart(),
                                                        cursor.selectionEnd())
        QApplication.clipboard().setText(self.positions.text[start:end])
