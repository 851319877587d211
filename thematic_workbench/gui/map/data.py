"""From the theme graph (analysis/theme_graph.py) to what the scene draws, and back to
positions when the researcher asks for a fresh layout."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from thematic_workbench.analysis.map_layouts import arrange, hierarchical_layout, spring_layout
from thematic_workbench.analysis.theme_graph import STRONGEST_PAIRS, build_theme_graph, map_data
from thematic_workbench.core.reports.theme_map import MapEdge
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.services.map_layout import NodeKey, node_positions
from thematic_workbench.core.storage.store import ReadSession
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.gui.map.scene import SceneNode

LEVEL_NAMES = {"final": "Final theme", "emerging": "Emerging theme", "code": "Code"}  # default


@dataclass(frozen=True)
class MapContent:
    nodes: tuple[SceneNode, ...]
    edges: tuple[MapEdge, ...]
    positions: dict[NodeKey, tuple[float, float]]  # every node: saved, else laid out
    graph: nx.MultiDiGraph
    words: ThemeWords = EMERGING_FINAL  # the project's words for the theme levels

    @property
    def pairs(self) -> tuple[int, int]:
        """(co-occurrence lines drawn, pairs of codes that co-occur)."""
        drawn = sum(1 for edge in self.edges if edge.kind == "cooccurrence")
        return drawn, int(self.graph.graph.get("cooccurrence_pairs", drawn))


def _tooltip(level: str, label: str, definition: str, codings: int,
             words: ThemeWords = EMERGING_FINAL) -> str:
    what = words.theme(level, True) if level in ("final", "emerging") else LEVEL_NAMES[level]
    text = f"{what}: {label}\n{codings} coding{'s' if codings != 1 else ''}"
    return f"{text}\n\n{definition}" if definition else text


def load_map(session: ReadSession, include_codes: bool, cooccurrence: str | None) -> MapContent:
    graph = build_theme_graph(session, include_codes, cooccurrence,
                              strongest=STRONGEST_PAIRS)
    data = map_data(graph)
    words = project_theme_words(session)
    nodes = tuple(SceneNode(n.key, n.level, n.label, n.colour,
                            _tooltip(n.level, n.label, n.definition, n.codings, words))
                  for n in data.nodes)
    return MapContent(nodes, data.edges, arrange(node_positions(session), graph), graph,
                      words)


def layout_positions(content: MapContent, spring: bool) -> dict[NodeKey, tuple[float, float]]:
    """A fresh arrangement of every node shown (seeded, so the same every time)."""
    return (spring_layout(content.graph) if spring else hierarchical_layout(content.graph))
