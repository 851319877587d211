"""Character formats for codings, speaker labels, margin notes and find matches.

A ``QSyntaxHighlighter`` formats every block of a document whenever it is attached or the
text is set, and each formatted block is then laid out at once: on a 2,000-line transcript
that doubles the cost of showing it (measured). This highlighter does what
``QSyntaxHighlighter`` does inside (``QTextLayout.setFormats`` on a block's layout), but
only for blocks about to be painted, from ranges computed per block on demand. A block
formatted before its first layout costs nothing extra; one already laid out is marked
dirty so Qt lays it out again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextDocument, QTextLayout
from shiboken6 import isValid

from thematic_workbench.gui.positions import PositionMap
from thematic_workbench.gui.transcript.spans import (
    Layers,
    SpanIndex,
    Style,
    blocks_touched,
    paragraph_starts,
    segments,
)

LABEL_COLOUR = QColor("#5B6B7F")
NOTE_COLOUR = QColor("#C77800")
MATCH_COLOUR = QColor("#FFD84D")
PAPER = QColor("#FFFFFF")


def coding_background(colours: tuple[str, ...]) -> QColor:
    """A light tint of the codes' colours; each further overlapping coding deepens it."""
    picked = [QColor(c) for c in colours]
    red = sum(c.red() for c in picked) / len(picked)
    green = sum(c.green() for c in picked) / len(picked)
    blue = sum(c.blue() for c in picked) / len(picked)
    alpha = min(0.22 + 0.16 * (len(picked) - 1), 0.70)

    def mix(paper: int, ink: float) -> int:
        return round(paper * (1 - alpha) + ink * alpha)

    return QColor(mix(PAPER.red(), red), mix(PAPER.green(), green), mix(PAPER.blue(), blue))


def style_format(style: Style) -> QTextCharFormat:
    """The character format that shows one style."""
    fmt = QTextCharFormat()
    if style.colours:
        fmt.setBackground(coding_background(style.colours))
    if style.match:
        fmt.setBackground(MATCH_COLOUR)
    if style.label:
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setForeground(LABEL_COLOUR)
    if style.note:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(NOTE_COLOUR)
    return fmt


class SpanHighlighter:
    """Formats the blocks of one document from its layers, lazily and incrementally."""

    def __init__(self, document: QTextDocument) -> None:
        self.document = document
        self.positions = PositionMap("")
        self.layers = Layers(SpanIndex(), SpanIndex(), SpanIndex(), SpanIndex())
        self._starts: list[int] = [0]
        self._breaks: frozenset[int] = frozenset()
        self._formats: dict[Style, QTextCharFormat] = {}
        self.memo: dict[int, list[QTextLayout.FormatRange]] = {}  # block -> its ranges
        self._applied: set[int] = set()  # blocks whose layout has their current formats
        self._formatted: set[int] = set()  # blocks whose layout has any format at all
        self.active = False  # off while a new text is being set
        self.generation = 0  # changes whenever blocks may need formatting again

    def suspend(self) -> None:
        """Format nothing until :meth:`reset` (the blocks are about to be replaced)."""
        self.active = False
        self.generation += 1

    def reset(self, positions: PositionMap, layers: Layers, starts: list[int] | None = None,
              memo: dict[int, list[QTextLayout.FormatRange]] | None = None) -> None:
        """A new text was set: no block has formats yet.

        ``starts`` are its paragraphs' starts; ``memo`` the format ranges of its blocks
        worked out when the same text was last shown with the same codings and notes.
        """
        self.positions = positions
        self.layers = layers
        self.memo = {} if memo is None else memo
        self._starts = paragraph_starts(positions.text) if starts is None else starts
        self._breaks = positions.break_set
        self._applied.clear()
        self._formatted.clear()
        self.active = True
        self.generation += 1

    def replace(self, **changed: SpanIndex[Any]) -> set[int]:
        """Swap some layers; the blocks where anything differs are formatted again."""
        touched: set[int] = set()
        for name, index in changed.items():
            before = set(getattr(self.layers, name).items)
            touched |= blocks_touched(self._starts, before.symmetric_difference(index.items))
        self.layers = self.layers._replace(**changed)
        self._applied -= touched
        for number in touched:
            self.memo.pop(number, None)
        self.generation += 1
        return touched

    def ensure(self, first: int, last: int) -> None:
        """Give blocks ``first``..``last`` their current formats before they are painted."""
        if not self.active or not isValid(self.document):  # torn down with its editor
            return
        block = self.document.findBlockByNumber(max(first, 0))
        dirty_from = dirty_to = -1
        while block.isValid() and block.blockNumber() <= last:
            number = block.blockNumber()
            if number not in self._applied:
                self._applied.add(number)
                ranges = self._block_ranges(number, block.position())
                if ranges or number in self._formatted:
                    layout = block.layout()
                    layout.setFormats(ranges)
                    if ranges:
                        self._formatted.add(number)
                    else:
                        self._formatted.discard(number)
                    if layout.lineCount():  # already laid out: lay it out again
                        if dirty_from < 0:
                            dirty_from = block.position()
                        dirty_to = block.position() + block.length()
            block = block.next()
        if dirty_from >= 0:
            self.document.markContentsDirty(dirty_from, dirty_to - dirty_from)

    def style_at(self, position: int) -> Style | None:
        """The style of the code point at ``position`` (what the view paints there)."""
        found = [style for start, end, style in segments(self.layers, position, position + 1)
                 if start <= position < end]
        return found[0] if found else None

    def _block_ranges(self, number: int, position: int) -> list[QTextLayout.FormatRange]:
        """A block's format ranges: remembered while no find matches are shown."""
        ranges = self.memo.get(number)
        if ranges is None:
            ranges = self._ranges(number, position)
            if not self.layers.matches.items:
                self.memo[number] = ranges
        elif self.layers.matches.items:
            ranges = self._ranges(number, position)
        return ranges

    def _ranges(self, number: int, block_position: int) -> list[QTextLayout.FormatRange]:
        start = self._starts[number]
        end = self._starts[number + 1] - 1 if number + 1 < len(self._starts) \
            else len(self.positions.text)
        ranges = []
        to_view = self.positions.to_view
        for seg_start, seg_end, style in segments(self.layers, start, end):
            view_start = to_view(seg_start) - block_position
            view_end = to_view(seg_end) - block_position
            if seg_end in self._breaks:  # stop before the soft break that ends the line
                view_end -= 1
            if view_end <= view_start:
                continue
            fmt = self._formats.get(style)
            if fmt is None:
                fmt = self._formats[style] = style_format(style)
            item = QTextLayout.FormatRange()
            item.start, item.length, item.format = view_start, view_end - view_start, fmt
            ranges.append(item)
        return ranges
