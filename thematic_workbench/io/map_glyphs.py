"""Labels as glyph outlines, for the raster figure: one path for every word on the map.

Matplotlib shapes and rasterises each text artist on its own, a few milliseconds apiece; a
map of 500 codes spent seconds there. Here each character's outline is read once from
DejaVu Sans, placed by its advance width (the same widths ``core.reports.map_boxes`` wraps
labels with, so a line fills its box exactly as measured), and the whole map's text is
drawn as a single filled path. Vector formats keep real text instead: SVG and PDF stay
searchable and editable.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
from matplotlib import ft2font
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.path import Path

from thematic_workbench.core.reports.map_boxes import (
    BOLD,
    FONT,
    FONT_PX,
    LINE_PX,
    MISSING_GLYPH,
    text_width,
)

try:  # matplotlib 3.10 and later
    from matplotlib.ft2font import LoadFlags

    NO_HINTING = LoadFlags.NO_HINTING
except ImportError:  # pragma: no cover - matplotlib 3.8 and 3.9
    NO_HINTING = vars(ft2font)["LOAD_NO_HINTING"]  # a plain int there, unknown to newer stubs

UNITS = 100.0  # outlines are read at a size of 100, i.e. in hundredths of an em
CAP_HEIGHT = 0.73  # DejaVu Sans, in ems: a line is centred on its capitals
_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _font(bold: bool) -> FT2Font:
    font = FT2Font(findfont(FontProperties(family=FONT, weight="bold" if bold else "normal")))
    font.set_size(UNITS, 72)
    return font


@lru_cache(maxsize=4096)
def _outline(char: str, bold: bool) -> tuple[np.ndarray, np.ndarray, float]:
    """The character's outline (vertices in ems, y up; path codes) and its advance."""
    with _LOCK:
        font = _font(bold)
        try:
            glyph = font.load_char(ord(char), flags=NO_HINTING)
        except RuntimeError:  # a character the font lacks is drawn as the square
            glyph = font.load_char(ord(MISSING_GLYPH), flags=NO_HINTING)
        vertices, codes = font.get_path()
        return (np.asarray(vertices, dtype=float) / UNITS, np.asarray(codes, dtype=np.uint8),
                glyph.linearHoriAdvance / 65536 / UNITS)


Glyphs = list[tuple[str, bool, float, float, float]]  # character, bold, x, baseline, size


def baselines(lines: int, level: str, middle: float) -> list[float]:
    """Each line's baseline when the lines are centred on ``middle`` (scene pixels, y down),
    one line height apart, each line centred on its capitals."""
    first = middle - (lines - 1) * LINE_PX[level] / 2
    return [first + n * LINE_PX[level] + CAP_HEIGHT * FONT_PX[level] / 2 for n in range(lines)]


def label_glyphs(lines: tuple[str, ...], level: str, centre_x: float, middle: float) -> Glyphs:
    """Where each character of a label goes, its lines centred on (``centre_x``,
    ``middle``)."""
    bold, size = BOLD[level], FONT_PX[level]
    placed: Glyphs = []
    for line, baseline in zip(lines, baselines(len(lines), level, middle), strict=True):
        x = centre_x - text_width(line, level) / 2
        for char in line:
            placed.append((char, bold, x, baseline, size))
            x += _outline(char, bold)[2] * size
    return placed


def compound_path(glyphs: Glyphs) -> Path | None:
    """Every glyph's outline, moved into place, as one path (None when there is no text);
    the moving is one numpy operation, not one per character."""
    drawn = [(_outline(char, bold), x, y, size) for char, bold, x, y, size in glyphs
             if char != " "]
    drawn = [item for item in drawn if len(item[0][0])]
    if not drawn:
        return None
    vertices = np.concatenate([item[0][0] for item in drawn])
    counts = [len(item[0][0]) for item in drawn]
    x, y, size = (np.repeat([item[n] for item in drawn], counts) for n in (1, 2, 3))
    return Path(np.column_stack((x + vertices[:, 0] * size, y - vertices[:, 1] * size)),
                np.concatenate([item[0][1] for item in drawn]))
