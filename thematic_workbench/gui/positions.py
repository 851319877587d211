"""The one place where the GUI's positions meet the core's code-point positions.

The transcript view shows the canonical text with a line separator (U+2028) inserted at
each wrap point of the stable line map, so that every numbered line is one visual line
whatever the window width. Qt counts UTF-16 units, so a character outside the Basic
Multilingual Plane (most emoji) takes two. :class:`PositionMap` converts between the
core's code points and the view's positions, in both directions. Positions are
boundaries between characters.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from thematic_workbench.core.text.textlayout import LineSpan

SOFT_BREAK = "\u2028"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class PositionMap:
    """Code point <-> view position for one document and its stable line map."""

    def __init__(self, text: str, lines: Sequence[LineSpan] = ()) -> None:
        self.text = text
        # A soft break goes before each line that continues a wrapped paragraph.
        self.breaks = [line.start for line in lines
                       if line.start > 0 and text[line.start - 1] != "\n"]
        self.break_set = frozenset(self.breaks)
        # Counting UTF-16 units is much faster than searching: most texts have no emoji.
        has_astral = len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if has_astral else []
        pieces = []
        previous = 0
        for cut in self.breaks:
            pieces.append(text[previous:cut])
            previous = cut
        pieces.append(text[previous:])
        self.display_text = SOFT_BREAK.join(pieces)

    def to_view(self, cp: int) -> int:
        """View (UTF-16) position of the boundary before code point ``cp``."""
        return cp + bisect_left(self._astral, cp) + bisect_right(self.breaks, cp)

    def to_code_point(self, view: int) -> int:
        """The code-point boundary at view position ``view``.

        A position inside a surrogate pair, or just before a soft break, belongs to the
        next code point boundary: the smallest ``cp`` whose view position is ``>= view``.
        """
        low, high = 0, len(self.text)
        while low < high:
            middle = (low + high) // 2
            if self.to_view(middle) >= view:
                high = middle
            else:
                low = middle + 1
        return low

    def span_to_view(self, start: int, end: int) -> tuple[int, int]:
        return self.to_view(start), self.to_view(end)

    def span_to_code_points(self, start: int, end: int) -> tuple[int, int]:
        """A view selection as a code-point span; soft breaks at its edges are not text."""
        return self.to_code_point(start), self.to_code_point(end)
