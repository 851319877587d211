"""Node sizes and layouts: the hierarchy reads like Table 1, nothing overlaps even with 60
themes and 500 codes, every layout is the same run to run, saved positions win."""

from __future__ import annotations

import random
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from tests.analysis.test_theme_graph import build_small_project
from thematic_workbench.analysis import map_layouts
from thematic_workbench.analysis.map_layouts import (
    COLUMN,
    COLUMNS_PER_ROW,
    arrange,
    bounds,
    hierarchical_layout,
    spring_layout,
)
from thematic_workbench.analysis.theme_graph import build_theme_graph, code_key, theme_key
from thematic_workbench.core.reports.map_boxes import (
    FONT,
    FONT_PX,
    LINE_PX,
    PAD_PX,
    TEXT_WIDTH,
    label_lines,
    node_size,
    text_width,
)
from thematic_workbench.core.storage.store import ProjectStore

WORDS = ("care", "protection", "trust", "boundaries", "the", "of", "holding", "frame",
         "supervision", "reliability", "small", "choices", "coercion", "'never'", "work",
         "Being", "held", "Minimising", "WWW", "engagement", "transparency")

Positions = Mapping[tuple[str, int], tuple[float, float]]


def synthetic_graph(finals: int = 10, emerging: int = 50, codes: int = 500,
                    seed: int = 3) -> nx.MultiDiGraph:
    """A map the size of a large study, made without a project: the layouts read only the
    node attributes. Some final themes hold many emerging themes, some codes none."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    order = iter(range(10_000))

    def label() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9)))

    final_keys = [theme_key(n) for n in range(finals)]
    for key in final_keys:
        graph.add_node(key, level="final", label=label(), order=next(order), parent=None)
    homes: list[tuple[str, int]] = []
    for n in range(emerging):
        parent = rng.choice([*final_keys, None]) if n else final_keys[0]
        graph.add_node(theme_key(1000 + n), level="emerging", label=label(),
                       order=next(order), parent=parent)
        homes.append(theme_key(1000 + n))
    homes += final_keys[:2]  # codes straight under a final theme too
    for n in range(codes):
        home = rng.choice([*homes, None])
        graph.add_node(code_key(n), level="code", label=label(), order=next(order),
                       parent=home)
        if home is not None:
            graph.add_edge(home, code_key(n), key="membership", kind="membership")
    return graph


def _overlaps(graph: nx.MultiDiGraph, positions: Positions, gap: float = 0.0) -> int:
    """Pairs of boxes that overlap (or come closer than ``gap``)."""
    keys = list(positions)
    xy = np.array([positions[key] for key in keys])
    size = np.array([node_size(graph.nodes[key]["level"], graph.nodes[key]["label"])
                     for key in keys])
    apart = np.abs(xy[:, None, :] - xy[None, :, :]) - (size[:, None, :] + size[None, :, :]) / 2
    clash = (apart < gap).all(axis=-1)
    np.fill_diagonal(clash, False)
    return int(clash.sum() // 2)


@pytest.fixture
def small_graph(store: ProjectStore) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    ids = build_small_project(store)
    with store.read() as session:
        return build_theme_graph(session), ids


def test_hierarchy_reads_like_table_1(small_graph: tuple[nx.MultiDiGraph, dict[str, int]],
                                      ) -> None:
    graph, ids = small_graph
    at = hierarchical_layout(graph)
    assert set(at) == set(graph)

    def x(key: str, kind: str = "theme") -> float:
        return at[(kind, ids[key])][0]

    def y(key: str, kind: str = "theme") -> float:
        return at[(kind, ids[key])][1]

    assert y("homeward") == y("let") and x("homeward") < x("let")  # board order, top row
    assert y("out") == y("held") > y("let") and x("out") < x("held")
    assert abs(x("out") + x("held") - 2 * x("let")) < 1  # centred over its emerging themes
    assert y("loose") == y("out") and x("loose") > x("held")  # in no final theme: after
    assert x("run", "code") == x("clear", "code") > x("out")  # indented under its theme
    assert y("out") < y("run", "code") < y("clear", "code")  # in membership order
    assert y("home", "code") > y("homeward")  # straight under its final theme
    lowest = max(position[1] for key, position in at.items() if key[1] != ids["humour"])
    assert y("humour", "code") > lowest  # the miscellaneous codes last
    assert _overlaps(graph, at, gap=5.0) == 0
    assert min(bounds(graph, at)[:2]) == 0.0  # the top-left corner at the origin


def test_large_map_wraps_rows_and_never_overlaps() -> None:
    graph = synthetic_graph()
    at = hierarchical_layout(graph)
    assert set(at) == set(graph) and len(at) == 560
    assert _overlaps(graph, at, gap=5.0) == 0
    rows = map_layouts._rows(map_layouts._groups(graph))
    widths = [sum(group.width for group in row) for row in rows]
    assert all(width <= COLUMNS_PER_ROW * COLUMN for width, row in zip(widths, rows,
                                                                      strict=True)
               if len(row) > 1)  # only a group wider than five columns has a row to itself
    left, _top, right, _bottom = bounds(graph, at)
    assert right - left <= max(widths)
    finals = sorted((key for key in graph if key_level(graph, key)),
                    key=lambda key: graph.nodes[key]["order"])
    assert len({at[key][1] for key in finals}) > 2  # wrapped, not one endless row
    reading = sorted(finals, key=lambda key: (at[key][1], at[key][0]))
    assert reading == finals  # left to right, row by row: the board's order
    assert hierarchical_layout(synthetic_graph()) == at


def key_level(graph: nx.MultiDiGraph, key: tuple[str, int]) -> bool:
    return graph.nodes[key]["level"] == "final"


def test_spring_layout_is_seeded_and_boxes_do_not_overlap(
        small_graph: tuple[nx.MultiDiGraph, dict[str, int]]) -> None:
    graph, _ids = small_graph
    first = spring_layout(graph)
    assert first == spring_layout(graph) and set(first) == set(graph)
    assert spring_layout(graph, seed=8) != first
    assert _overlaps(graph, first) == 0
    assert min(bounds(graph, first)[:2]) == pytest.approx(0.0, abs=0.01)
    assert spring_layout(nx.MultiDiGraph()) == {}


def test_spring_layout_of_a_large_map_needs_no_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    """networkx wants SciPy from 500 nodes on; without it the numpy version runs."""
    monkeypatch.setattr(map_layouts.importlib.util, "find_spec", lambda name: None)
    graph = synthetic_graph(finals=4, emerging=16, codes=480)
    at = spring_layout(graph)
    assert len(at) == 500 and at == spring_layout(graph)
    assert _overlaps(graph, at) == 0


def test_arrange_keeps_saved_positions_and_lays_out_the_rest(
        small_graph: tuple[nx.MultiDiGraph, dict[str, int]]) -> None:
    graph, ids = small_graph
    laid = hierarchical_layout(graph)
    assert arrange({}, graph) == laid
    everything = {key: (float(n * 300), 40.0) for n, key in enumerate(graph)}
    assert arrange(everything | {("theme", 999): (0.0, 0.0)}, graph) == everything
    # one theme dragged far away: the others stay where the hierarchy put them
    moved = {theme_key(ids["let"]): (2000.0, 900.0)}
    at = arrange(moved, graph)
    assert at == laid | moved
    # a code dropped onto a theme: the theme moves aside, to the nearest free place
    onto = {code_key(ids["humour"]): laid[theme_key(ids["out"])],
            code_key(ids["run"]): (0.0, 0.0)}
    at = arrange(onto, graph)
    assert set(at) == set(graph) and {key: at[key] for key in onto} == onto
    assert at[theme_key(ids["out"])] != laid[theme_key(ids["out"])]
    assert at[theme_key(ids["held"])] == laid[theme_key(ids["held"])]  # not in the way
    assert _overlaps(graph, at, gap=5.0) == 0
    assert arrange(onto, graph) == at


def test_arrange_places_new_nodes_of_a_large_map_clear_of_saved_ones() -> None:
    graph = synthetic_graph()
    saved = {key: (x + 37.0, y + 11.0) for key, (x, y) in hierarchical_layout(graph).items()
             if graph.nodes[key]["order"] % 3}  # two in three arranged, a little shifted
    at = arrange(saved, graph)
    assert len(at) == len(graph) and {key: at[key] for key in saved} == saved
    assert _overlaps(graph, at, gap=5.0) == 0


def test_labels_are_wrapped_to_fit_their_boxes() -> None:
    measure = TextToPath()
    labels = ["Dynamics of forced work: 'it can never be wholly collaborative'",
              "Transparency about confidentiality limits", '"hold the line kindly"',
              "WWWW MMMM WWWW MMMM WWWW", "Selbstfürsorgeverpflichtungsbewusstsein im Alltag",
              " ".join(WORDS)]
    for level in ("final", "emerging", "code"):
        font = FontProperties(family=FONT, size=FONT_PX[level],
                              weight="bold" if level == "final" else "normal")
        for label in labels:
            lines = label_lines(level, label)
            _width, height = node_size(level, label)
            assert height == 2 * PAD_PX[level] + len(lines) * LINE_PX[level]
            for line in lines:
                assert text_width(line, level) <= TEXT_WIDTH[level]
                drawn = measure.get_text_width_height_descent(line, font, ismath=False)[0]
                assert drawn <= TEXT_WIDTH[level] * 1.02, (level, line)  # kerning aside
    assert label_lines("code", "Running") == ("Running",)
    long_word = label_lines("code", "Selbstfürsorgeverpflichtungsbewusstsein")
    assert len(long_word) == 2 and long_word[0].endswith("-")
    assert "".join(long_word).replace("-", "") == "Selbstfürsorgeverpflichtungsbewusstsein"
    elided = label_lines("code", " ".join(WORDS))
    assert len(elided) == 4 and elided[-1].endswith(" …")
    assert label_lines("final", "") == ("",)
