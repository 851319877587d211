"""The map of themes as a graph: what is connected to what, before anything is placed.

One ``networkx.MultiDiGraph``, because two nodes can be joined in more than one way (a final
theme groups an emerging theme *and* the user drew a link between them). Nodes are keyed
``("theme", id)`` or ``("code", id)``, as saved map positions are. Each edge's key is its
kind, so ``graph.edges[u, v, "link"]`` reads one directly:

- ``"membership"``: theme -> its emerging theme, theme -> its code (``position``: the order);
- ``"link"``: the links the user draws, theme -> theme or theme -> code (``label``,
  ``link_id``);
- ``"cooccurrence"``: code -> code, smaller id first, ``weight`` = how often the two are
  applied together (computed by :mod:`thematic_workbench.analysis.cooccurrence`).

The board decides what is on the map (discarded themes and merged codes are not) and in
what order, so the map reads as Table 1 does. :func:`map_data` gives the same graph as plain
tuples (core/reports/theme_map.py) for the two things that draw it: the map on screen and
the figure for the paper.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.analysis.cooccurrence import code_cooccurrence
from thematic_workbench.core.queries.theme_board import Board, BoardCode, BoardTheme, read_board
from thematic_workbench.core.reports.theme_map import MapData, MapEdge, MapNode, NodeKey
from thematic_workbench.core.storage.models import ThemeLink

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

LEVELS = ("final", "emerging", "code")
STRONGEST_PAIRS = 150  # co-occurrence lines the map draws at most, on screen and in figures
EDGE_KINDS = ("membership", "link", "cooccurrence")
# building the graph, and the map's plain model the map on screen reads here


def theme_key(theme_id: int) -> NodeKey:
    return ("theme", theme_id)


def code_key(code_id: int) -> NodeKey:
    return ("code", code_id)


def _walk(board: Board) -> Iterator[tuple[BoardTheme, BoardTheme | None]]:
    """Every theme on the board in reading order, with the final theme it sits under."""
    for final in board.finals:
        yield final, None
        for child in board.emerging.get(final.id, ()):
            yield child, final
    for child in board.emerging.get(None, ()):
        yield child, None


def _add_theme_nodes(graph: nx.MultiDiGraph, board: Board, include_codes: bool) -> None:
    """Themes and codes in the board's reading order; ``order`` numbers that order and a
    code's ``parent`` is the first theme it is met in (where a layout puts it)."""
    order = 0
    themes = list(_walk(board))
    children: dict[int, list[BoardTheme]] = {}
    for theme, final in themes:
        if final is not None:
            children.setdefault(final.id, []).append(theme)
    place = {child.id: number for group in children.values()
             for number, child in enumerate(group)}
    for theme, final in themes:
        codes = {code.id: code for code in theme.codes}
        for child in children.get(theme.id, ()):
            codes.update((code.id, code) for code in child.codes if code.id not in codes)
        graph.add_node(theme_key(theme.id), level=theme.level, label=theme.name,
                       definition=theme.definition, colour=None, order=order,
                       codings=sum(code.codings for code in codes.values()),
                       parent=None if final is None else theme_key(final.id))
        order += 1
        if final is not None:
            graph.add_edge(theme_key(final.id), theme_key(theme.id), key="membership",
                           kind="membership", position=place[theme.id])
        if not include_codes:
            continue
        for position, code in enumerate(theme.codes):
            if code_key(code.id) not in graph:
                _add_code(graph, code, order, theme_key(theme.id))
                order += 1
            graph.add_edge(theme_key(theme.id), code_key(code.id), key="membership",
                           kind="membership", position=position)
    if include_codes:
        for code in board.miscellaneous:
            _add_code(graph, code, order, None)
            order += 1


def _add_code(graph: nx.MultiDiGraph, code: BoardCode, order: int,
              parent: NodeKey | None) -> None:
    graph.add_node(code_key(code.id), level="code", label=code.name, definition=code.definition,
                   colour=code.colour, codings=code.codings, order=order, parent=parent)


def _add_links(graph: nx.MultiDiGraph, session: Session) -> None:
    """The user's links whose two ends are both on the map."""
    for link in session.execute(select(ThemeLink).order_by(ThemeLink.id)).scalars():
        source = theme_key(link.source_theme_id)
        if link.target_theme_id is not None:
            target = theme_key(link.target_theme_id)
        elif link.target_code_id is not None:
            target = code_key(link.target_code_id)
        else:  # a link ends at a theme or at a code
            continue
        if source in graph and target in graph:
            graph.add_edge(source, target, key="link", kind="link", label=link.label,
                           link_id=link.id)


def build_theme_graph(session: Session, include_codes: bool = True,
                      cooccurrence: str | None = "overlap", min_weight: int = 1,
                      strongest: int | None = None) -> nx.MultiDiGraph:
    """The map's graph: themes (and codes) on the board, memberships, links, co-occurrence.

    ``cooccurrence`` is ``"overlap"``, ``"turn"`` or None (no co-occurrence edges); only
    pairs applied together at least ``min_weight`` times get an edge, and with ``strongest``
    only that many of them, the most frequent (a large study has tens of thousands of pairs,
    which no reader can take in and no screen can draw quickly). Without codes there
    are no co-occurrence edges and no links to codes.
    """
    graph = nx.MultiDiGraph()
    _add_theme_nodes(graph, read_board(session), include_codes)
    _add_links(graph, session)
    if include_codes and cooccurrence is not None:
        counts = code_cooccurrence(session, cooccurrence)
        pairs = sorted(((pair, weight) for pair, weight in counts.items()
                        if weight >= min_weight and code_key(pair[0]) in graph
                        and code_key(pair[1]) in graph), key=lambda item: (-item[1], item[0]))
        graph.graph["cooccurrence_pairs"] = len(pairs)
        for (low, high), weight in sorted(pairs[:strongest]):
            graph.add_edge(code_key(low), code_key(high), key="cooccurrence",
                           kind="cooccurrence", weight=weight)
    return graph


def map_data(graph: nx.MultiDiGraph) -> MapData:
    """The graph's nodes and edges as frozen dataclasses (no networkx needed to draw)."""
    nodes = sorted((MapNode(key, **_fields(values, MapNode)) for key, values
                    in graph.nodes(data=True)), key=lambda node: node.order)
    order = {node.key: node.order for node in nodes}
    edges = [MapEdge(source, target, kind, label=values.get("label", ""),
                     weight=values.get("weight", 1), link_id=values.get("link_id"))
             for source, target, kind, values in graph.edges(keys=True, data=True)]
    rank = {kind: number for number, kind in enumerate(EDGE_KINDS)}
    edges.sort(key=lambda e: (rank[e.kind], -e.weight if e.kind == "cooccurrence" else 0,
                              order[e.source], order[e.target]))
    return MapData(tuple(nodes), tuple(edges))


def _fields(values: dict[str, Any], kind: type[DataclassInstance]) -> dict[str, Any]:
    names = {field.name for field in fields(kind)} - {"key"}
    return {name: values.get(name) for name in names}
