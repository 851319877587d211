"""The boxes of the map of themes: a node's size follows from its level and its label alone,
wrapped at the width of its box in DejaVu Sans (matplotlib's own font, so the same on every
machine). The layouts (``analysis.map_layouts``), the map on screen and the figure for the
paper (``io.map_figure``) all measure with these, so they agree on every box.

Sizes are scene pixels, y growing down (as in a Qt scene and as saved in ``map_position``).
"""

from __future__ import annotations

import threading
from functools import lru_cache

from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font

Point = tuple[float, float]

# Per level: box width, font size and line height (pixels), padding above and below, room
# for the text across the box, and the most lines a label shows.
WIDTH = {"final": 240.0, "emerging": 172.0, "code": 156.0}
FONT_PX = {"final": 16.0, "emerging": 14.0, "code": 12.0}
LINE_PX = {"final": 20.0, "emerging": 18.0, "code": 15.0}
PAD_PX = {"final": 10.0, "emerging": 8.0, "code": 5.0}
TEXT_WIDTH = {"final": 216.0, "emerging": 152.0, "code": 132.0}
MAX_LINES = {"final": 5, "emerging": 5, "code": 4}
BOLD = {"final": True, "emerging": False, "code": False}
CODE_DOT_PX = 14.0  # a code's coloured dot sits in this strip at the box's left
LINK_FONT_PX = 12.0
FONT = "DejaVu Sans"  # ships with matplotlib: the same metrics on every machine
INDENT = 16.0  # codes sit this far right of their theme's left edge: room for the bracket
_METRICS_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _font(bold: bool) -> FT2Font:
    """A private FT2Font (matplotlib's cached ones are shared with its renderers)."""
    path = findfont(FontProperties(family=FONT, weight="bold" if bold else "normal"))
    font = FT2Font(path)
    font.set_size(1000, 72)  # advances in thousandths of an em
    return font


MISSING_GLYPH = "\u25a1"  # a white square: what a character DejaVu Sans lacks takes the place of


@lru_cache(maxsize=8192)
def _advance(char: str, bold: bool) -> float:
    with _METRICS_LOCK:
        try:
            glyph = _font(bold).load_char(ord(char))
        except RuntimeError:  # an emoji or a CJK character: measured as the square
            glyph = _font(bold).load_char(ord(MISSING_GLYPH))
        return glyph.linearHoriAdvance / 65536 / 1000


def text_width(text: str, level: str) -> float:
    """Width of ``text`` in a node of ``level``, in scene pixels (kerning left out)."""
    return sum(_advance(char, BOLD[level]) for char in text) * FONT_PX[level]


def _fill(words: list[str], level: str) -> list[str]:
    """Words filled greedily into lines; a word too long for a line is broken."""
    room = TEXT_WIDTH[level]
    lines: list[str] = []
    for word in words:
        if lines and text_width(f"{lines[-1]} {word}", level) <= room:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while len(word) > 1 and text_width(word, level) > room:
            cut = max([1, *(n for n in range(2, len(word))
                            if text_width(word[:n] + "-", level) <= room)])
            lines.append(word[:cut] + "-")
            word = word[cut:]
        lines.append(word)
    return lines or [""]


@lru_cache(maxsize=4096)
def label_lines(level: str, label: str) -> tuple[str, ...]:
    """The label as its node shows it: wrapped to fit the box in DejaVu Sans, long words
    broken, anything past the last line elided."""
    lines = _fill(label.split(), level)
    most = MAX_LINES[level]
    if len(lines) > most:
        last = lines[most - 1]
        while last and text_width(last + " …", level) > TEXT_WIDTH[level]:
            last = last[:-1].rstrip()
        lines = [*lines[:most - 1], last + " …"]
    return tuple(lines)


def node_size(level: str, label: str) -> Point:
    """(width, height) of a node's box in scene pixels."""
    lines = len(label_lines(level, label))
    return WIDTH[level], 2 * PAD_PX[level] + lines * LINE_PX[level]
