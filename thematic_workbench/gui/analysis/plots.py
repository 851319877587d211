"""The analysis charts, drawn on a plain ``matplotlib.figure.Figure`` (never pyplot).

Written to be read without help: names along horizontal bars, labels wrapped or cut with an
ellipsis so they never overlap, a title that says what is counted and a note that says
what is left out. One calm palette: the house blue, greys, a few muted colours for groups.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, PercentFormatter

INK, MUTED, RULE = "#1F2933", "#6B7280", "#E3E7ED"
BLUE, LIGHT_BLUE = "#2F5D8A", "#9DB8D6"
GROUP_COLOURS = ("#2F5D8A", "#C9822B", "#5E8C61", "#8C6A9E", "#B65F5F", "#6A8CAF", "#A39A4E")
HEAT = LinearSegmentedColormap.from_list("calm", ["#F7F9FC", "#C9D9EA", "#5F87B3", "#1B3A5C"])
TITLE_PT, LABEL_PT, TICK_PT, NOTE_PT, CELL_PT = 10.5, 9.0, 8.5, 8.0, 7.5
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
MIN_ROWS = 8


def short(text: str, width: int = 30, lines: int = 2) -> str:
    """``text`` wrapped into at most ``lines`` lines of ``width``, the last cut with an
    ellipsis if the text goes on."""
    wrapped = textwrap.wrap(" ".join(text.split()), width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][:width - 1].rstrip() + ELLIPSIS
    return "\n".join(wrapped)


def labels_for(names: Sequence[str], two_lines: bool) -> list[str]:
    """Two-line labels when the rows are tall enough for them, else one longer line."""
    return [short(name, 30, 2) if two_lines else short(name, 38, 1) for name in names]


def _heading(figure: Figure, title: str, note: str = "") -> None:
    figure.suptitle(title, x=0.01, ha="left", fontsize=TITLE_PT, color=INK, fontweight="bold")
    if note:  # as the figure's x label, so the constrained layout makes room for it
        fits = max(40, int(figure.get_figwidth() * 72 / (NOTE_PT * 0.55)))
        figure.supxlabel(textwrap.fill(note, fits), x=0.01, ha="left", fontsize=NOTE_PT,
                         color=MUTED)


def _plain(axes: Axes, grid_axis: Literal["both", "x", "y"] = "x") -> None:
    """No box, a light grid behind the bars, grey ticks."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(RULE)
    axes.tick_params(colors=MUTED, labelcolor=INK, labelsize=TICK_PT, length=0)
    axes.grid(axis=grid_axis, color=RULE, linewidth=0.8)
    axes.set_axisbelow(True)


def _row_pitch(figure: Figure, rows: int) -> float:
    """Points of height per row, roughly (the axes take most of the figure)."""
    return figure.get_figheight() * 72 * 0.78 / max(rows, 1)


def _names(axes: Axes, figure: Figure, names: Sequence[str]) -> None:
    """Names down the left, in a size that never overlaps: smaller type for many rows."""
    pitch = _row_pitch(figure, len(names))
    two_lines = pitch >= 2.5 * TICK_PT
    size = TICK_PT if two_lines else max(6.0, min(TICK_PT, pitch * 0.8))
    axes.set_yticks(range(len(names)), labels_for(names, two_lines), fontsize=size)


def _rows_down(axes: Axes, rows: int) -> None:
    """First row on top; fewer than MIN_ROWS rows keep the thickness of MIN_ROWS, centred,
    so four transcripts do not look like slabs."""
    pad = max(0, MIN_ROWS - rows) / 2
    axes.set_ylim(rows - 0.5 + pad, -0.5 - pad)


def message(figure: Figure, title: str, text: str) -> None:
    """A chart with nothing to show says why, where the chart would be."""
    _heading(figure, title)
    figure.text(0.5, 0.5, textwrap.fill(text, 60), ha="center", va="center",
                fontsize=LABEL_PT, color=MUTED)


def bar_panels(figure: Figure, names: Sequence[str],
               panels: Sequence[tuple[str, Sequence[int], str, int | None]],
               title: str, note: str = "") -> None:
    """Side-by-side horizontal bars sharing the names down the left: one panel per
    (axis label, values, colour, axis maximum or None)."""
    _heading(figure, title, note)
    grid = figure.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    ticks = list(range(len(names)))
    for axes, (axis_label, values, colour, most) in zip(grid, panels, strict=True):
        _plain(axes)
        axes.barh(ticks, values, color=colour, height=0.7)
        top = max(most or 0, max(values, default=0), 1)
        axes.set_xlim(0, top * 1.12)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        axes.set_xlabel(axis_label, fontsize=LABEL_PT, color=MUTED)
        for y, value in zip(ticks, values, strict=True):
            if value:
                axes.text(value + top * 0.01, y, f"{value:,}", va="center", fontsize=CELL_PT,
                          color=MUTED)
    _names(grid[0], figure, names)
    _rows_down(grid[0], len(names))


def grouped_bars(figure: Figure, names: Sequence[str],
                 groups: Sequence[tuple[str, Sequence[int]]], title: str, axis_label: str,
                 note: str = "") -> None:
    """Horizontal bars per name, one bar per group (an attribute's values), with a legend."""
    _heading(figure, title, note)
    axes = figure.subplots()
    _plain(axes)
    count = max(1, len(groups))
    height = 0.8 / count
    for number, (group, values) in enumerate(groups):
        offsets = [row - 0.4 + height * (number + 0.5) for row in range(len(names))]
        axes.barh(offsets, values, height=height * 0.92, label=group,
                  color=GROUP_COLOURS[number % len(GROUP_COLOURS)])
    _names(axes, figure, names)
    _rows_down(axes, len(names))
    axes.set_xlim(0, max([1, *(v for _group, values in groups for v in values)]) * 1.06)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.set_xlabel(axis_label, fontsize=LABEL_PT, color=MUTED)
    axes.legend(loc="lower right", fontsize=TICK_PT, frameon=False,
                ncols=min(count, 3), bbox_to_anchor=(1.0, 1.0))


def heat_map(figure: Figure, rows: Sequence[str], columns: Sequence[str],
             cells: Sequence[Sequence[int | None]], title: str, scale_label: str,
             note: str = "") -> None:
    """Rows × columns shaded by count, numbers written in when the cells are large enough;
    a None cell (a code with itself) is left grey."""
    _heading(figure, title, note)
    axes = figure.subplots()
    values = [[0 if value is None else value for value in row] for row in cells]
    peak = max((value for row in values for value in row), default=0)
    image = axes.imshow(values, cmap=HEAT, vmin=0, vmax=max(peak, 1), aspect="auto",
                        interpolation="nearest")
    for number, row in enumerate(cells):
        for column, value in enumerate(row):
            if value is None:
                axes.add_patch(_blank(column, number))
    _names(axes, figure, rows)
    pitch = figure.get_figwidth() * 72 * 0.55 / max(len(columns), 1)
    longest = max((len(name) for name in columns), default=0)
    size = max(6.0, min(TICK_PT, pitch * 0.8))
    # Names that would run into each other are slanted; upright if even slanted they would.
    turn = 0 if longest * size * 0.6 <= pitch else 40 if pitch >= 1.6 * size else 90
    axes.set_xticks(range(len(columns)), [short(name, 18, 1) for name in columns],
                    rotation=turn, ha="right" if turn else "center", rotation_mode="anchor",
                    va="center" if turn == 90 else "top", fontsize=size)
    axes.tick_params(colors=MUTED, labelcolor=INK, length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    if len(rows) * len(columns) <= 400 and len(columns) <= 24:
        for number, row in enumerate(values):
            for column, value in enumerate(row):
                if value and cells[number][column] is not None:
                    axes.text(column, number, f"{value:,}", ha="center", va="center",
                              fontsize=CELL_PT, color="white" if value > peak * 0.55 else INK)
    bar = figure.colorbar(image, ax=axes, shrink=0.6, aspect=25, pad=0.02)
    bar.set_label(scale_label, fontsize=TICK_PT, color=MUTED)
    bar.ax.tick_params(labelsize=TICK_PT, colors=MUTED, length=0)
    bar.ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    bar.outline.set_visible(False)


def _blank(column: int, row: int) -> Rectangle:
    return Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor="#EEF0F3", edgecolor="white",
                     linewidth=0.5)


def share_bars(figure: Figure, names: Sequence[str], shares: Sequence[float], mean: float,
               title: str, note: str = "") -> None:
    """Horizontal bars of a share (0..1) per name, written at each bar's end, and a dashed
    line at the mean of all items so one given less attention stands out."""
    _heading(figure, title, note)
    axes = figure.subplots()
    _plain(axes)
    ticks = list(range(len(names)))
    axes.barh(ticks, shares, color=BLUE, height=0.7)
    _names(axes, figure, names)
    _rows_down(axes, len(names))
    # Up to the next tenth above the highest share: room for the labels, no empty acres.
    top = min(1.0, max(0.3, math.ceil((max([*shares, mean]) + 0.06) * 10) / 10))
    axes.set_xlim(0, top)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_xlabel("Share of the characters coded", fontsize=LABEL_PT,
                    color=MUTED)
    size = max(6.0, min(CELL_PT, _row_pitch(figure, len(names)) * 0.8))
    for y, share in zip(ticks, shares, strict=True):
        axes.text(share + top * 0.006, y, f"{share:.0%}", va="center", fontsize=size,
                  color=MUTED)
    axes.axvline(mean, color=MUTED, linestyle="--", linewidth=1,
                 label=f"Mean of all transcripts: {mean:.0%}")
    axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=TICK_PT, frameon=False)
