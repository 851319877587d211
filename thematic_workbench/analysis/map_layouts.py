"""Where the map's nodes go: two deterministic layouts, and the saved positions kept.

Positions are node *centres* in scene pixels, y growing down (as in a Qt scene and as saved
in ``map_position``). A node's size follows from its level and its label alone
(core/reports/map_boxes.py), so the map on screen and the figure for the paper agree on
every box, and a layout is a pure function of the graph.

- :func:`hierarchical_layout` reads like Table 1: final themes along the top in board
  order, each over its emerging themes, each over its codes; emerging themes in no final
  theme after them, codes in no theme last. Rows wrap at five columns, which keeps the
  figure legible at a journal's column width.
- :func:`spring_layout` is networkx's seeded spring layout, scaled to the scene, each box
  then snapped to the nearest free place on a grid: no overlaps, the same picture every run.
- :func:`arrange` keeps the positions the researcher saved; the rest stay where the
  hierarchy puts them, moved aside only where a saved node is in the way.
"""

from __future__ import annotations

import importlib.util
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx
import numpy as np
from sqlalchemy.orm import Session

from thematic_workbench.analysis.theme_graph import STRONGEST_PAIRS, build_theme_graph, map_data
from thematic_workbench.core.reports.map_boxes import (
    INDENT,
    WIDTH,
    Point,
    node_size,
)
from thematic_workbench.core.reports.theme_map import MapData, NodeKey
from thematic_workbench.core.services.map_layout import node_positions

COLUMN = 184.0  # one emerging theme and its codes
COLUMNS_PER_ROW = 5
FINAL_GAP, CODE_GAP, CODE_STEP, GROUP_GAP, ROW_GAP = 40.0, 14.0, 6.0, 12.0, 64.0
CODES_PER_LOOSE_COLUMN = 8


def _size(graph: nx.MultiDiGraph, key: NodeKey) -> Point:
    values = graph.nodes[key]
    return node_size(values["level"], values["label"])


@dataclass
class _Column:
    head: NodeKey | None  # an emerging theme; None for codes straight under a final theme
    codes: list[NodeKey] = field(default_factory=list)


@dataclass
class _Group:
    final: NodeKey | None
    columns: list[_Column]

    @property
    def width(self) -> float:
        return max(len(self.columns) * COLUMN,
                   WIDTH["final"] + GROUP_GAP if self.final is not None else 0.0)


def _groups(graph: nx.MultiDiGraph) -> list[_Group]:
    """Final themes with their columns, then loose emerging themes, then loose codes.

    A parent that is not in the graph counts as none (the graph may be a part of the map).
    """
    ordered = sorted(graph.nodes(data=True), key=lambda item: item[1]["order"])
    under: dict[NodeKey | None, list[NodeKey]] = defaultdict(list)
    for key, values in ordered:
        parent = values.get("parent")
        under[parent if parent in graph else None].append(key)
    level = {key: values["level"] for key, values in ordered}

    def columns(theme: NodeKey | None) -> list[_Column]:
        own = [key for key in under[theme] if level[key] == "code"]
        found = [_Column(None, own)] if own and theme is not None else []
        return found + [_Column(child, [key for key in under[child] if level[key] == "code"])
                        for child in under[theme] if level[child] == "emerging"]

    groups = [_Group(key, columns(key)) for key, _values in ordered if level[key] == "final"]
    loose = columns(None)
    if loose:
        groups.append(_Group(None, loose))
    codes = [key for key in under[None] if level[key] == "code"]
    if codes:
        count = min(COLUMNS_PER_ROW, math.ceil(len(codes) / CODES_PER_LOOSE_COLUMN))
        per = math.ceil(len(codes) / count)
        groups.append(_Group(None, [_Column(None, codes[i:i + per])
                                    for i in range(0, len(codes), per)]))
    return groups


def _rows(groups: list[_Group]) -> list[list[_Group]]:
    """Groups in order, a new row whenever the next would pass five columns' width."""
    rows: list[list[_Group]] = []
    width = 0.0
    for group in groups:
        if rows and width + group.width <= COLUMNS_PER_ROW * COLUMN:
            rows[-1].append(group)
            width += group.width
        else:
            rows.append([group])
            width = group.width
    return rows


def hierarchical_layout(graph: nx.MultiDiGraph) -> dict[NodeKey, Point]:
    """Final themes on top in board order, their emerging themes below, codes under those."""
    positions: dict[NodeKey, Point] = {}
    rows = _rows(_groups(graph))
    widest = max((sum(group.width for group in row) for row in rows), default=0.0)
    top = 0.0
    for row in rows:
        finals = [group.final for group in row if group.final is not None]
        band = max((_size(graph, key)[1] for key in finals), default=0.0)
        heads_top = top + (band + FINAL_GAP if finals else 0.0)
        bottom = top + band
        left = (widest - sum(group.width for group in row)) / 2
        for group in row:
            if group.final is not None:
                positions[group.final] = (left + group.width / 2, top + band / 2)
            slot = left + (group.width - len(group.columns) * COLUMN) / 2
            for column in group.columns:
                y = heads_top
                if column.head is not None:
                    height = _size(graph, column.head)[1]
                    positions[column.head] = (slot + COLUMN / 2, y + height / 2)
                    y += height + (CODE_GAP if column.codes else 0.0)
                code_x = slot + (COLUMN - WIDTH["emerging"]) / 2 + INDENT + WIDTH["code"] / 2
                for code in column.codes:
                    height = _size(graph, code)[1]
                    positions[code] = (code_x, y + height / 2)
                    y += height + CODE_STEP
                bottom = max(bottom, y)
                slot += COLUMN
            left += group.width
        top = bottom + ROW_GAP
    return positions


def _spring_weights(graph: nx.MultiDiGraph) -> nx.Graph:
    """The map as a simple weighted graph: memberships and links pull hardest."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph, key=lambda key: graph.nodes[key]["order"]))
    for source, target, kind, values in graph.edges(keys=True, data=True):
        pull = 0.1 * min(values.get("weight", 1), 10) if kind == "cooccurrence" else 1.0
        if simple.has_edge(source, target):
            simple[source][target]["weight"] += pull
        else:
            simple.add_edge(source, target, weight=pull)
    return simple


def _numpy_spring(simple: nx.Graph, seed: int, iterations: int = 50) -> np.ndarray:
    """Fruchterman-Reingold as networkx computes it for small graphs; networkx needs SciPy
    from 500 nodes on, which is not a dependency of ours."""
    adjacency = nx.to_numpy_array(simple, weight="weight")
    count = len(adjacency)
    x, y = np.random.default_rng(seed).random((2, count))
    k = math.sqrt(1.0 / count)
    temperature = 0.1
    for _ in range(iterations):
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        distance = np.maximum(np.sqrt(dx * dx + dy * dy), 0.01)
        force = k * k / (distance * distance) - adjacency * distance / k
        shift_x, shift_y = (dx * force).sum(axis=1), (dy * force).sum(axis=1)
        step = temperature / np.maximum(np.hypot(shift_x, shift_y), 0.01)
        x, y = x + shift_x * step, y + shift_y * step
        temperature -= 0.1 / (iterations + 1)
    return np.column_stack((x - x.mean(), y - y.mean()))


CELL = (COLUMN / 2, 16.0)  # the grid spring-laid-out nodes snap to, in pixels
SNAP_GAP = 8.0


@lru_cache(maxsize=1)
def _nearest_offsets(reach: float = 4000.0) -> tuple[tuple[int, int], ...]:
    """Grid steps (columns, rows) in order of distance in pixels, nearest first."""
    across, down = int(reach // CELL[0]), int(reach // CELL[1])
    steps = [(i, j) for i in range(-across, across + 1) for j in range(-down, down + 1)
             if math.hypot(i * CELL[0], j * CELL[1]) <= reach]
    return tuple(sorted(steps, key=lambda s: (math.hypot(s[0] * CELL[0], s[1] * CELL[1]),
                                              s[1], s[0])))


def _snap(xy: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each node, in turn, moved to the free place on a grid nearest to where the spring
    put it: boxes never overlap, and the result depends only on the input."""
    taken: set[tuple[int, int]] = set()
    placed = np.empty_like(xy)
    lowest = 0
    for index, ((x, y), (w, h)) in enumerate(zip(xy, sizes, strict=True)):
        span = (math.ceil((w + SNAP_GAP) / CELL[0]), math.ceil((h + SNAP_GAP) / CELL[1]))
        home = (round(x / CELL[0] - span[0] / 2), round(y / CELL[1] - span[1] / 2))
        steps = _nearest_offsets()
        for i, j in (*steps, (0, lowest + 1 - home[1])):  # past reach: below everything
            corner = (home[0] + i, home[1] + j)
            cells = {(corner[0] + a, corner[1] + b)
                     for a in range(span[0]) for b in range(span[1])}
            if not cells & taken:
                break
        taken |= cells
        lowest = max(lowest, corner[1] + span[1])
        placed[index] = ((corner[0] + span[0] / 2) * CELL[0], (corner[1] + span[1] / 2) * CELL[1])
    return placed


def spring_layout(graph: nx.MultiDiGraph, seed: int = 7) -> dict[NodeKey, Point]:
    """A force-directed layout, the same every run for the same graph and seed."""
    if len(graph) == 0:
        return {}
    simple = _spring_weights(graph)
    keys = list(simple)
    if len(keys) >= 500 and importlib.util.find_spec("scipy") is None:
        xy = _numpy_spring(simple, seed)
    else:
        raw = nx.spring_layout(simple, seed=seed, weight="weight")
        xy = np.array([raw[key] for key in keys], dtype=float)
    sizes = np.array([_size(graph, key) for key in keys])
    room = math.sqrt(3 * ((sizes + SNAP_GAP).prod(axis=1).sum()) / math.pi)  # a third filled
    xy = _snap(xy / (np.abs(xy).max() or 1.0) * room, sizes)
    xy -= (xy - sizes / 2).min(axis=0)  # top-left corner at the origin, as in the hierarchy
    return {key: (round(float(x), 2), round(float(y), 2)) for key, (x, y) in zip(keys, xy,
                                                                              strict=True)}


def bounds(graph: nx.MultiDiGraph, positions: Mapping[NodeKey, Point]) -> tuple[float, ...]:
    """(left, top, right, bottom) of the placed nodes' boxes; zeros for none."""
    if not positions:
        return (0.0, 0.0, 0.0, 0.0)
    boxes = [(x, y, *_size(graph, key)) for key, (x, y) in positions.items()]
    return (min(x - w / 2 for x, _y, w, _h in boxes), min(y - h / 2 for _x, y, _w, h in boxes),
            max(x + w / 2 for x, _y, w, _h in boxes), max(y + h / 2 for _x, y, _w, h in boxes))


def _clear(boxes: np.ndarray, where: Point, half: np.ndarray) -> bool:
    """Whether a box at ``where`` keeps clear of ``boxes`` (rows: x, y, half sizes)."""
    apart = np.abs(boxes[:, :2] - where) - boxes[:, 2:] - half
    return bool((apart >= CODE_STEP - 0.01).any(axis=1).all())  # as close as codes come


def arrange(session_positions: Mapping[NodeKey, Point],
            graph: nx.MultiDiGraph) -> dict[NodeKey, Point]:
    """A position for every node: the saved one where there is one, else the node's place in
    the hierarchical layout; a node whose place a saved node has taken (say, a theme added
    after the researcher arranged the map) moves to the nearest free spot instead."""
    saved = {key: (float(x), float(y)) for key, (x, y) in session_positions.items()
             if key in graph}
    laid = hierarchical_layout(graph)
    if not saved:
        return laid
    half = {key: np.array(_size(graph, key)) / 2 for key in graph}
    boxes = np.array([(*saved[key], *half[key]) for key in saved])
    placed = dict(saved)
    moving = []
    for key in sorted(graph, key=lambda key: graph.nodes[key]["order"]):
        if key not in saved:
            if _clear(boxes, laid[key], half[key]):
                placed[key] = laid[key]  # the hierarchy's places never overlap each other
            else:
                moving.append(key)
    boxes = np.array([(*placed[key], *half[key]) for key in placed])
    for key in moving:
        x, y = laid[key]
        where = next(((x + i * CELL[0], y + j * CELL[1]) for i, j in _nearest_offsets()
                      if _clear(boxes, (x + i * CELL[0], y + j * CELL[1]), half[key])),
                     (x, float((boxes[:, 1] + boxes[:, 3]).max() + ROW_GAP + half[key][1])))
        placed[key] = where
        boxes = np.vstack((boxes, (*where, *half[key])))
    return placed


def read_map(session: Session, include_codes: bool = True,
             cooccurrence: str | None = "overlap", min_weight: int = 1,
             strongest: int | None = STRONGEST_PAIRS) -> tuple[MapData, dict[NodeKey, Point]]:
    """The map as drawn, on screen or in the figure: its data and every node's position."""
    graph = build_theme_graph(session, include_codes, cooccurrence, min_weight, strongest)
    return map_data(graph), arrange(node_positions(session), graph)
