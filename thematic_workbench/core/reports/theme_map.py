"""The map of themes as plain values: its nodes in reading order and its edges
(``analysis.theme_graph.map_data`` makes them from the graph; the map on screen and the
figure for the paper, ``io.map_figure``, draw them)."""

from __future__ import annotations

from dataclasses import dataclass

NodeKey = tuple[str, int]  # ("theme", 3) or ("code", 17), as in core.services.map_layout


@dataclass(frozen=True)
class MapNode:
    key: NodeKey
    level: str  # "final", "emerging" or "code"
    label: str
    definition: str
    colour: str | None  # codes only
    codings: int  # a theme: the codings of its codes (a final theme's include its children's)
    order: int  # place in the board's reading order
    parent: NodeKey | None  # the final theme of an emerging theme, the first theme of a code


@dataclass(frozen=True)
class MapEdge:
    source: NodeKey
    target: NodeKey
    kind: str  # "membership", "link" or "cooccurrence"
    label: str = ""
    weight: int = 1
    link_id: int | None = None


@dataclass(frozen=True)
class MapData:
    """The graph as plain values, nodes in reading order: what a view or a figure draws.

    Edges come membership first, then links, then co-occurrence (heaviest first), each in
    a fixed order, so what is drawn on top is the same every time.
    """

    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]

    def node(self, key: NodeKey) -> MapNode:
        return next(node for node in self.nodes if node.key == key)

    def edges_of_kind(self, kind: str) -> tuple[MapEdge, ...]:
        return tuple(edge for edge in self.edges if edge.kind == kind)
