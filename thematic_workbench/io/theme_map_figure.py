"""The map of themes as a figure for the write-up: final themes on top, their emerging themes
below, joined by lines, optionally each emerging theme's codes underneath.

It is drawn on a ``matplotlib.figure.Figure`` with the Agg canvas (never pyplot: no global
figure state, safe on a worker thread) at a journal's full column width (17 cm), in
DejaVu Sans (shipped with matplotlib, so the layout is the same on every machine), grey on
white so it prints. Text is wrapped by measuring it in that one font, so the layout is a pure
function of the frame. A later, interactive
map will replace this; it stays small and self-contained until then.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch
from matplotlib.textpath import TextToPath
from sqlalchemy.orm import Session

from thematic_workbench.analysis.extracts_report import ExtractsReport, report_board
from thematic_workbench.core.theme_board import Board, read_board
from thematic_workbench.io.atomic import atomic_path

WIDTH_CM = 17.0  # a journal's full text width; 300 dpi is what they ask for line art
DPI = 300
FONT = "DejaVu Sans"
MARGIN, GAP, PAD, BULLET = 6.0, 8.0, 4.0, 8.0  # points
MAX_SLOTS, WIDEST_SLOT = 6, 130.0  # emerging themes per band; widest slot, in points
FINAL_PT, EMERGING_PT, CODE_PT, NOTE_PT = 8.5, 7.5, 6.0, 7.0
LEADING = 1.25
FORMATS = ("png", "svg", "pdf")
_MEASURE = TextToPath()


@dataclass(frozen=True)
class _Group:
    """One final theme (``title`` None for the emerging themes in no final theme) and its
    emerging themes, each with its code names."""

    title: str | None
    children: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def slots(self) -> int:
        return max(1, len(self.children))


def _groups(board: Board) -> list[_Group]:
    found = [_Group(final.name, tuple((child.name, tuple(code.name for code in child.codes))
                                      for child in board.emerging.get(final.id, ())))
             for final in board.finals]
    loose = board.emerging.get(None, ())
    if loose:
        found.append(_Group(None, tuple((child.name, tuple(code.name for code in child.codes))
                                        for child in loose)))
    return found


def _bands(groups: list[_Group]) -> list[list[_Group]]:
    """Groups packed in order into rows of at most MAX_SLOTS emerging themes (a larger group
    gets a row of its own)."""
    bands: list[list[_Group]] = []
    for group in groups:
        if bands and sum(g.slots for g in bands[-1]) + group.slots <= MAX_SLOTS:
            bands[-1].append(group)
        else:
            bands.append([group])
    return bands


def _width(text: str, size: float, bold: bool) -> float:
    """The width of ``text`` in points, measured from the font itself."""
    font = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    return _MEASURE.get_text_width_height_descent(text, font, ismath=False)[0]


def _wrap(text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
    """Words filled greedily into lines that fit ``width_pt`` less the padding; a word too
    long for a line of its own is hyphenated where it has to be."""
    room = width_pt - 2 * PAD
    lines: list[str] = []
    for word in text.split():
        if lines and _width(f"{lines[-1]} {word}", size, bold) <= room:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while len(word) > 1 and _width(word, size, bold) > room:
            cut = next((n for n in range(len(word) - 1, 1, -1)
                        if _width(word[:n] + "-", size, bold) <= room), 1)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def _height(lines: int, size: float) -> float:
    return lines * size * LEADING + 2 * PAD


@dataclass
class _Canvas:
    """Drawing calls collected first, so the figure's height is known before it is made."""

    width: float
    calls: list[tuple[str, tuple]]

    def box(self, x: float, y: float, w: float, h: float, lines: list[str], size: float,
            final: bool, dashed: bool = False) -> None:
        self.calls.append(("box", (x, y, w, h, "\n".join(lines), size, final, dashed)))

    def line(self, xs: Iterable[float], ys: Iterable[float]) -> None:
        self.calls.append(("line", (tuple(xs), tuple(ys))))

    def text(self, x: float, y: float, text: str, size: float, italic: bool = False,
             colour: str = "#333333", align: str = "left") -> None:
        self.calls.append(("text", (x, y, text, size, italic, colour, align)))


def _lay_out_band(canvas: _Canvas, band: list[_Group], top: float,
                  include_codes: bool) -> float:
    """Draw one row of groups from ``top``; return where the row ends."""
    usable = canvas.width - 2 * MARGIN
    slots = sum(group.slots for group in band)
    slot = min(usable / slots, WIDEST_SLOT * (1 if slots > 1 else 1.6))
    left = MARGIN + (usable - slot * slots) / 2
    has_title = any(group.title is not None for group in band)
    titles = {id(g): _wrap(g.title, slot * g.slots - GAP, FINAL_PT, True) for g in band
              if g.title is not None}
    final_h = max((_height(len(lines), FINAL_PT) for lines in titles.values()), default=0.0)
    names = {(id(g), i): _wrap(name, slot - GAP, EMERGING_PT)
             for g in band for i, (name, _codes) in enumerate(g.children)}
    child_h = max((_height(len(lines), EMERGING_PT) for lines in names.values()), default=0.0)
    child_top = top + (final_h + 2 * GAP if has_title else NOTE_PT * LEADING + 2)
    bottom = child_top + child_h
    for group in band:
        width = slot * group.slots
        centre = left + width / 2
        if group.title is None:
            canvas.text(centre, top, "Not in a final theme", NOTE_PT, italic=True,
                        align="center")
        else:
            canvas.box(left + GAP / 2, top, width - GAP, final_h, titles[id(group)],
                       FINAL_PT, final=True)
        centres = [left + slot * (i + 0.5) for i in range(len(group.children))]
        if group.title is not None and centres:
            bus = top + final_h + GAP
            canvas.line([centre, centre], [top + final_h, bus])
            canvas.line([min(centres), max(centres)], [bus, bus])
            for x in centres:
                canvas.line([x, x], [bus, child_top])
        for i, (_name, codes) in enumerate(group.children):
            x = left + slot * i
            canvas.box(x + GAP / 2, child_top, slot - GAP, child_h, names[(id(group), i)],
                       EMERGING_PT, final=False, dashed=group.title is None)
            if include_codes and codes:
                y = child_top + child_h + PAD
                for code in codes:  # a bullet each, so a wrapped code reads as one
                    lines = _wrap(code, slot - GAP / 2 - BULLET, CODE_PT)
                    canvas.text(x + GAP / 2, y, "\u2022", CODE_PT, colour="#555555")
                    canvas.text(x + GAP / 2 + BULLET - PAD, y, "\n".join(lines), CODE_PT,
                                colour="#555555")
                    y += len(lines) * CODE_PT * LEADING + 2
                bottom = max(bottom, y)
        left += width
    return bottom


def _draw(axes: Axes, canvas: _Canvas) -> None:
    for kind, values in canvas.calls:
        if kind == "box":
            x, y, w, h, text, size, final, dashed = values
            axes.add_patch(FancyBboxPatch(
                (x, y), w, h, boxstyle="round,pad=0,rounding_size=5",
                facecolor="#E6E6E6" if final else "white",
                edgecolor="#222222" if final else "#555555", linewidth=0.9 if final else 0.6,
                linestyle="--" if dashed else "-"))
            axes.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=size,
                      fontfamily=FONT, fontweight="bold" if final else "normal",
                      linespacing=LEADING, color="#111111")
        elif kind == "line":
            xs, ys = values
            axes.plot(xs, ys, color="#555555", linewidth=0.6, solid_capstyle="butt")
        else:
            x, y, text, size, italic, colour, align = values
            axes.text(x, y, text, ha=align, va="top", fontsize=size, fontfamily=FONT,
                      fontstyle="italic" if italic else "normal", linespacing=LEADING,
                      color=colour)


def theme_map_figure(board: Board, include_codes: bool = False) -> Figure:
    """The map as a matplotlib figure on an Agg canvas, sized for a journal column."""
    width = WIDTH_CM / 2.54 * 72
    canvas = _Canvas(width, [])
    y = MARGIN
    bands = _bands(_groups(board))
    for number, band in enumerate(bands):
        y = _lay_out_band(canvas, band, y, include_codes) + (3 * GAP if number + 1 <
                                                               len(bands) else 0)
    if not bands:
        canvas.text(width / 2, y, "No themes on the board yet", NOTE_PT, italic=True,
                    align="center")
        y += NOTE_PT * LEADING
    height = y + MARGIN
    figure = Figure(figsize=(width / 72, height / 72), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    _draw(axes, canvas)
    return figure


def _save(figure: Figure, target: str | Path | BinaryIO, fmt: str) -> None:
    metadata = {"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    # SVG keeps its words as text (searchable, editable), with stable ids; these two settings
    # exist only as rcParams, so they are set for this one save and put back.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "thematic-workbench"}):
        figure.savefig(target, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")


def render_theme_map(board_or_model: Board | ExtractsReport,
                     path_or_buffer: str | Path | BinaryIO, fmt: str = "png",
                     include_codes: bool = False) -> None:
    """Write the map of themes as PNG (300 dpi), SVG or PDF to a file or a binary buffer;
    a file is replaced only once complete."""
    if fmt not in FORMATS:
        raise ValueError(f"the map of themes can be written as {', '.join(FORMATS)}, "
                         f"not {fmt!r}")
    board = report_board(board_or_model) if isinstance(board_or_model, ExtractsReport) \
        else board_or_model
    figure = theme_map_figure(board, include_codes)
    if isinstance(path_or_buffer, str | Path):
        with atomic_path(path_or_buffer, "the map of themes") as partial, \
                partial.open("wb") as stream:
            _save(figure, stream, fmt)
    else:
        _save(figure, path_or_buffer, fmt)


def theme_map_png(session: Session, include_codes: bool = False) -> bytes:
    """The project's map of themes as PNG bytes, e.g. for the extracts report."""
    buffer = io.BytesIO()
    render_theme_map(read_board(session), buffer, "png", include_codes)
    return buffer.getvalue()
