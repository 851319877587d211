"""The map of themes as a figure for the paper: PNG (300 dpi), SVG or PDF.

It is the map as the researcher arranged it on screen (saved positions; the hierarchical
layout for nodes never placed), scaled as a whole to a journal's full column width (17 cm)
and at most a page's depth, so it keeps its look rather than being redrawn. Final themes are
large grey boxes, emerging themes white boxes (dashed when in no final theme), codes small
pills with a dot in their colour; memberships thin grey brackets, the user's links dark
arrows with their labels, co-occurrence dashed lines as wide as it is frequent.

Drawn on a ``matplotlib.figure.Figure`` with the Agg canvas, never pyplot: no global figure
state, safe on a worker thread. Text is DejaVu Sans (shipped with matplotlib) and each label
is wrapped as its box on screen wraps it (see ``core.reports.map_boxes``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import BoxStyle, FancyArrowPatch, PathPatch
from matplotlib.path import Path as MplPath

from thematic_workbench.core.reports.map_boxes import (
    BOLD,
    CODE_DOT_PX,
    FONT,
    FONT_PX,
    INDENT,
    LINE_PX,
    LINK_FONT_PX,
    Point,
    label_lines,
    node_size,
    text_width,
)
from thematic_workbench.core.reports.theme_map import MapData, MapEdge, MapNode, NodeKey
from thematic_workbench.io.atomic import atomic_path
from thematic_workbench.io.map_glyphs import baselines, compound_path, label_glyphs

WIDTH_CM, MAX_HEIGHT_CM = 17.0, 22.0  # a journal's full text width; a page less a caption
DPI = 300  # what journals ask of line art
MARGIN_PT = 6.0
MAX_SCALE = 0.6  # points per scene pixel: a small map is not blown up past 9.6 pt text
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
LINK_BEND = 0.15  # a link's curve bulges at least this much of its length
INK, GREY, RULE = "#1A1A1A", "#8C8C8C", "#555555"
USUAL_SCALE = 0.5  # points per pixel of a five-column map at full width
NODE_STYLE = {  # face, edge, line width (pt), rounding (px); greys, so that it prints
    "final": ("#E6E6E6", INK, 0.9, 10.0),
    "emerging": ("white", RULE, 0.7, 8.0),
    "code": ("white", "#A0A0A0", 0.5, 9.0),
}
Box = tuple[float, float, float, float]  # centre x, centre y, width, height (scene pixels)


def _boxes(data: MapData, positions: Mapping[NodeKey, Point]) -> dict[NodeKey, Box]:
    return {node.key: (*positions[node.key], *node_size(node.level, node.label))
            for node in data.nodes if node.key in positions}


def _edge_point(box: Box, towards: Point) -> Point:
    """Where the line from the box's centre to ``towards`` leaves the box."""
    x, y, w, h = box
    dx, dy = towards[0] - x, towards[1] - y
    if dx == dy == 0:
        return x, y
    t = min(w / 2 / abs(dx) if dx else math.inf, h / 2 / abs(dy) if dy else math.inf)
    return x + dx * t, y + dy * t


def _membership_path(parent: Box, child: Box, home: bool, code: bool,
                     final: bool) -> list[Point]:
    """A bracket down the left of a theme's codes, a bus from a final theme to its emerging
    themes, as in the hierarchical layout; a straight line where the child is elsewhere."""
    px, py, pw, ph = parent
    cx, cy, cw, ch = child
    bottom, top = py + ph / 2, cy - ch / 2
    if home and top > bottom:
        if not code:
            mid = bottom + (top - bottom) / 2
            return [(px, bottom), (px, mid), (cx, mid), (cx, top)]
        spine, left = cx - cw / 2 - INDENT / 2, cx - cw / 2
        if px - pw / 2 < spine < px + pw / 2:
            return [(spine, bottom), (spine, cy), (left, cy)]
        if final:  # codes straight under a final theme, in a column of their own
            mid = bottom + min(20.0, (top - bottom) / 2)
            return [(px, bottom), (px, mid), (spine, mid), (spine, cy), (left, cy)]
    return [_edge_point(parent, (cx, cy)), _edge_point(child, (px, py))]


def _bend(source: Box, target: Box) -> tuple[float, Point]:
    """The arc's bend (matplotlib's arc3 ``rad``) and the middle of the curve, where the
    label goes. The curve bulges up (or right, when vertical) far enough to clear the two
    boxes, so a link between neighbours is not hidden between them."""
    (x1, y1, w1, h1), (x2, y2, w2, h2) = source, target
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    across = max(abs(dy) * w / 2 + abs(dx) * h / 2 for w, h in ((w1, h1), (w2, h2))) / length
    bulge = max(LINK_BEND * length, across + 14.0)
    rad = min(1.0, 2 * bulge / length)
    rad = -rad if dx > 0 or (dx == 0 and dy > 0) else rad
    # matplotlib puts the control point at mid + rad * (dy, -dx) in display space (y up);
    # with y growing down here, that is mid + rad * (-dy, dx); the curve's middle lies
    # half-way to it.
    return rad, (x1 + dx / 2 - rad * dy / 2, y1 + dy / 2 + rad * dx / 2)


def _extent(data: MapData, boxes: Mapping[NodeKey, Box]) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of everything drawn: boxes, link curves and labels."""
    xs = [x + sign * w / 2 for x, _y, w, _h in boxes.values() for sign in (-1, 1)]
    ys = [y + sign * h / 2 for _x, y, _w, h in boxes.values() for sign in (-1, 1)]
    for edge in data.edges_of_kind("link"):
        if edge.source in boxes and edge.target in boxes:
            _rad, (mx, my) = _bend(boxes[edge.source], boxes[edge.target])
            half = text_width(edge.label, "code") / 2 + 4
            xs += [mx - half, mx + half]
            ys += [my - LINE_PX["code"], my + LINE_PX["code"]]
    return min(xs), min(ys), max(xs), max(ys)


def _line(width: float, scale: float) -> float:
    """A line's width in points: as designed at the usual scale, thinner when a large map
    is shrunk to fit the page, so the lines do not drown the words."""
    return max(0.2, width * min(1.0, scale / USUAL_SCALE))


def _outline(box: Box, level: str) -> MplPath:
    """The node's rounded box as a path in scene pixels."""
    x, y, w, h = box
    rounding = min(NODE_STYLE[level][3], h / 2)
    return BoxStyle.Round(pad=0, rounding_size=rounding)(x - w / 2, y - h / 2, w, h, 1.0)


def _label_at(node: MapNode, box: Box) -> Point:
    """The middle of the label: a code's text is centred right of its dot."""
    x, y, _w, _h = box
    return (x + (CODE_DOT_PX - 6) / 2 if node.level == "code" else x), y


def _draw_nodes(axes: Axes, data: MapData, boxes: Mapping[NodeKey, Box], scale: float,
                text_as_paths: bool) -> None:
    """Boxes as one collection, dots as another, labels as one path or as text artists."""
    placed = [node for node in data.nodes if node.key in boxes]
    styles = [NODE_STYLE[node.level] for node in placed]
    axes.add_collection(PathCollection(
        [_outline(boxes[node.key], node.level) for node in placed],
        facecolors=[style[0] for style in styles], edgecolors=[style[1] for style in styles],
        linewidths=[_line(style[2], scale) for style in styles], zorder=2,
        linestyles=[(0, (3, 2)) if node.level == "emerging" and node.parent is None else "-"
                    for node in placed]), autolim=False)
    codes = [node for node in placed if node.level == "code"]
    if codes:
        axes.scatter([boxes[n.key][0] - boxes[n.key][2] / 2 + CODE_DOT_PX / 2 + 2
                      for n in codes], [boxes[n.key][1] for n in codes],
                     s=(8 * scale) ** 2, c=[n.colour or GREY for n in codes],
                     linewidths=0, zorder=3)
    if text_as_paths:
        glyphs = []
        for node in placed:
            glyphs += label_glyphs(label_lines(node.level, node.label), node.level,
                                   *_label_at(node, boxes[node.key]))
        text = compound_path(glyphs)
        if text is not None:
            axes.add_artist(PathPatch(text, facecolor=INK, edgecolor="none", zorder=3))
        return
    for node in placed:  # a text artist a line, on the baselines the outlines use
        level, (x, middle) = node.level, _label_at(node, boxes[node.key])
        lines = label_lines(level, node.label)
        for number, (line, baseline) in enumerate(zip(
                lines, baselines(len(lines), level, middle), strict=True)):
            artist = axes.text(x, baseline, line, ha="center", va="baseline",
                               fontsize=FONT_PX[level] * scale, fontfamily=FONT,
                               fontweight="bold" if BOLD[level] else "normal", color=INK,
                               zorder=3)
            artist.set_gid(f"label-{node.key[0]}-{node.key[1]}-{number}")


def _draw_edges(axes: Axes, data: MapData, boxes: Mapping[NodeKey, Box],
                scale: float) -> None:
    """Memberships and co-occurrence as one line collection each, links one by one."""
    nodes = {node.key: node for node in data.nodes}
    paths, together, widths = [], [], []
    for edge in data.edges:
        if edge.source not in boxes or edge.target not in boxes:
            continue
        source, target = boxes[edge.source], boxes[edge.target]
        if edge.kind == "membership":
            child = nodes[edge.target]
            paths.append(_membership_path(source, target, child.parent == edge.source,
                                          child.level == "code",
                                          nodes[edge.source].level == "final"))
        elif edge.kind == "cooccurrence":
            together.append([source[:2], target[:2]])
            widths.append(_line(0.4 + 0.5 * math.log2(edge.weight), scale))
        else:
            _draw_link(axes, edge, source, target,
                       (nodes[edge.source].level, nodes[edge.target].level), scale)
    axes.add_collection(LineCollection(paths, colors=GREY, linewidths=_line(0.5, scale),
                                       zorder=1, capstyle="butt", joinstyle="miter"),
                        autolim=False)
    if together:
        axes.add_collection(LineCollection(together, colors="#4E79A7", alpha=0.55,
                                           linewidths=widths, linestyles=(0, (4, 2)),
                                           zorder=0.5), autolim=False)


def _draw_link(axes: Axes, edge: MapEdge, source: Box, target: Box, levels: tuple[str, str],
               scale: float) -> None:
    """A curved arrow from box edge to box edge, its label on the curve's middle."""
    ends = [PathPatch(_outline(box, level), transform=axes.transData)
            for box, level in zip((source, target), levels, strict=True)]
    rad, middle = _bend(source, target)
    arrow = FancyArrowPatch(source[:2], target[:2], patchA=ends[0], patchB=ends[1],
                            arrowstyle="-|>", mutation_scale=max(2.5, 14 * scale),
                            linewidth=_line(0.9, scale), color=INK, zorder=4,
                            connectionstyle=f"arc3,rad={rad}", shrinkA=1, shrinkB=1)
    arrow.set_gid(f"link-{edge.link_id}")
    axes.add_artist(arrow)
    if edge.label:
        axes.text(*middle, edge.label, ha="center", va="center", fontsize=LINK_FONT_PX * scale,
                  fontfamily=FONT, fontstyle="italic", color=INK, zorder=5,
                  bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                        "edgecolor": "none"})


def map_figure(data: MapData, positions: Mapping[NodeKey, Point],
               text_as_paths: bool = False) -> Figure:
    """The map as a figure 17 cm wide, every node where ``positions`` puts it.

    ``text_as_paths`` draws the labels as outlines: much faster to rasterise, for PNG.
    """
    width_pt, most_pt = WIDTH_CM / 2.54 * 72, MAX_HEIGHT_CM / 2.54 * 72
    boxes = _boxes(data, positions)
    if not boxes:
        figure = Figure(figsize=(width_pt / 72, 0.5), dpi=DPI)
        FigureCanvasAgg(figure)
        figure.text(0.5, 0.5, "No themes on the board yet", ha="center", va="center",
                    fontsize=7, fontfamily=FONT, fontstyle="italic", color=RULE)
        return figure
    left, top, right, bottom = _extent(data, boxes)
    room = width_pt - 2 * MARGIN_PT
    scale = min(MAX_SCALE, room / max(right - left, 1.0),
                (most_pt - 2 * MARGIN_PT) / max(bottom - top, 1.0))
    height_pt = (bottom - top) * scale + 2 * MARGIN_PT
    figure = Figure(figsize=(width_pt / 72, height_pt / 72), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    half_width = width_pt / scale / 2  # scene pixels either side of the centre
    middle = (left + right) / 2
    axes.set_xlim(middle - half_width, middle + half_width)
    axes.set_ylim(bottom + MARGIN_PT / scale, top - MARGIN_PT / scale)  # y grows down
    axes.set_axis_off()
    _draw_nodes(axes, data, boxes, scale, text_as_paths)
    _draw_edges(axes, data, boxes, scale)
    return figure


def _save(figure: Figure, target: str | Path | BinaryIO, fmt: str) -> None:
    metadata = {"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    # SVG keeps its words as text (searchable, editable) with stable ids; both settings
    # exist only as rcParams, so they hold for this one save. PNG: zlib level 3 writes a
    # map of 500 codes a fifth faster than the default level, and no larger.
    # (savefig hands its keywords on to the writer of the format, untyped)
    for_format: dict[str, Any] = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "thematic-workbench"}):
        figure.savefig(target, format=fmt, dpi=DPI, metadata=metadata, facecolor="white",
                       **for_format)


def render_map(data: MapData, positions: Mapping[NodeKey, Point],
               target: str | Path | BinaryIO, fmt: str | None = None) -> None:
    """Write the map to a file (format from its extension unless given; replaced only once
    complete) or to a binary buffer (``fmt`` required)."""
    if fmt is None:
        suffix = Path(target).suffix.lower() if isinstance(target, str | Path) else ""
        fmt = FORMATS.get(suffix, suffix or "no extension")
    if fmt not in FORMATS.values():
        raise ValueError(f"the map of themes can be written as {', '.join(FORMATS)}, "
                         f"not {fmt!r}")
    figure = map_figure(data, positions, text_as_paths=fmt == "png")
    if isinstance(target, str | Path):
        with atomic_path(target, "the map of themes") as partial, partial.open("wb") as stream:
            _save(figure, stream, fmt)
    else:
        _save(figure, target, fmt)


def figure_size_cm(figure: Figure) -> tuple[float, float]:
    """(width, height) of a figure in centimetres, as written."""
    width, height = figure.get_size_inches()
    return float(width) * 2.54, float(height) * 2.54


def preview_map(data: MapData, positions: Mapping[NodeKey, Point], dpi: float = 100.0
                ) -> tuple[bytes, tuple[float, float], tuple[int, int]]:
    """The figure :func:`render_map` writes, as PNG bytes at ``dpi`` (to show before
    writing), its size in centimetres and its size in pixels as a PNG at :data:`DPI`."""
    figure = map_figure(data, positions, text_as_paths=True)
    width, height = figure.bbox.size  # at DPI: what Agg makes of it, to the pixel
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue(), figure_size_cm(figure), (int(width), int(height))


def write_map_figure(data: MapData, positions: Mapping[NodeKey, Point],
                     path: str | Path) -> None:
    """The map as PNG, SVG or PDF by ``path``'s extension; ``data`` and ``positions`` as
    ``analysis.map_layouts.read_map`` reads them (with codes or not, with co-occurrence or
    not)."""
    render_map(data, positions, Path(path))


def theme_map_png(data: MapData, positions: Mapping[NodeKey, Point]) -> bytes:
    """The map as PNG bytes, e.g. for the extracts report."""
    buffer = io.BytesIO()
    render_map(data, positions, buffer, "png")
    return buffer.getvalue()
