"""The theme graph of a small project: which nodes, which edges, what weights, in what order."""

from __future__ import annotations

import networkx as nx
import pytest

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.theme_graph import (
    build_theme_graph,
    code_key,
    map_data,
    theme_key,
)
from thematic_workbench.core.reports.theme_map import MapData, MapEdge
from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore

TEXT = "I go for a run and it clears my head. " * 3  # 111 characters


def build_small_project(store: ProjectStore) -> dict[str, int]:
    """Two final themes (the second made first, then moved to the front), three emerging
    themes (one in no final theme) and a discarded one; five codes, one of them in two
    themes, one straight under a final theme, one in no theme, and a sixth merged away."""
    ids: dict[str, int] = {}
    with store.transaction("alice") as tx:
        doc = import_document(tx, imported(TEXT, "PA interview")).new_id("document")
        for key, name in (("run", "Running"), ("clear", "Clearing my head"),
                          ("super", "Supervision"), ("home", "Carrying it home"),
                          ("humour", "Gallows humour"), ("old", "Old code")):
            ids[key] = codes.create_code(tx, name, colour="#E15759").new_id("code")
        for key, name in (("let", "Finding ways to let go"),
                          ("homeward", "Carrying the work home")):
            ids[key] = themes.create_theme(tx, name, "final").new_id("theme")
        themes.reorder_theme(tx, ids["homeward"], 0)
        for key, name, parent in (("out", "Physical outlets", "let"),
                                  ("held", "Being held", "let"),
                                  ("loose", "Loose ends", None),
                                  ("gone", "Abandoned", "homeward")):
            ids[key] = themes.create_theme(tx, name, parent_id=ids.get(parent or "")).new_id(
                "theme")
        for code, theme in (("run", "out"), ("clear", "out"), ("super", "held"),
                            ("home", "homeward"), ("clear", "loose"), ("humour", "gone")):
            themes.assign_code(tx, ids[code], ids[theme])
        for code, start, end in (("run", 0, 10), ("clear", 5, 15), ("run", 20, 30),
                                 ("clear", 20, 25), ("super", 22, 40), ("humour", 50, 60),
                                 ("old", 70, 80)):
            codings.apply_coding(tx, doc, ids[code], start, end)
        codes.merge_codes(tx, [ids["old"]], ids["run"])
        for source, target, label in (("let", "homeward", "flows into"),
                                      ("held", "out", ""), ("gone", "let", "tension with")):
            ids[f"link {source}"] = themes.link_themes(
                tx, ids[source], ids[target], label=label).new_id("theme_link")
        ids["link code"] = themes.link_themes(tx, ids["out"], target_code_id=ids["humour"],
                                              label="overlaps").new_id("theme_link")
        themes.discard_theme(tx, ids["gone"])  # its link stays in the project, off the map
    return ids


@pytest.fixture
def small(store: ProjectStore) -> dict[str, int]:
    return build_small_project(store)


def _graph(store: ProjectStore, **options: object) -> nx.MultiDiGraph:
    with store.read() as session:
        return build_theme_graph(session, **options)  # type: ignore[arg-type]


def _edges(graph: nx.MultiDiGraph, kind: str) -> dict[tuple, dict]:
    return {(u, v): values for u, v, key, values in graph.edges(keys=True, data=True)
            if key == kind}


def test_nodes_follow_the_board(store: ProjectStore, small: dict[str, int]) -> None:
    graph = _graph(store)
    t, c = (lambda key: theme_key(small[key])), (lambda key: code_key(small[key]))
    in_order = sorted(graph.nodes, key=lambda key: graph.nodes[key]["order"])
    assert in_order == [t("homeward"), c("home"), t("let"), t("out"), c("run"), c("clear"),
                        t("held"), c("super"), t("loose"), c("humour")]
    assert [graph.nodes[key]["order"] for key in in_order] == list(range(10))
    levels = {key: graph.nodes[key]["level"] for key in in_order}
    assert levels[t("let")] == "final" and levels[t("loose")] == "emerging"
    assert levels[c("clear")] == "code"
    assert graph.nodes[t("out")]["label"] == "Physical outlets"
    assert graph.nodes[c("run")]["colour"] == "#E15759"
    assert graph.nodes[t("out")]["colour"] is None
    parents = {key: graph.nodes[key]["parent"] for key in in_order}
    assert parents[t("out")] == t("let") and parents[t("loose")] is None
    assert parents[c("home")] == t("homeward") and parents[c("clear")] == t("out")
    assert parents[c("humour")] is None  # its theme was discarded: miscellaneous
    codings_of = {key: graph.nodes[key]["codings"] for key in in_order}
    assert codings_of[c("run")] == 3  # its own two and the merged code's one
    assert codings_of[t("out")] == 5 and codings_of[t("let")] == 6
    assert codings_of[t("loose")] == 2 and codings_of[t("homeward")] == 0


def test_membership_links_and_cooccurrence_edges(store: ProjectStore,
                                                 small: dict[str, int]) -> None:
    graph = _graph(store)
    t, c = (lambda key: theme_key(small[key])), (lambda key: code_key(small[key]))
    assert {edge: values["position"] for edge, values in _edges(graph, "membership").items()} \
        == {(t("homeward"), c("home")): 0, (t("let"), t("out")): 0, (t("let"), t("held")): 1,
            (t("out"), c("run")): 0, (t("out"), c("clear")): 1, (t("held"), c("super")): 0,
            (t("loose"), c("clear")): 0}
    assert _edges(graph, "link") == {  # the discarded theme's link is off the map
        (t("let"), t("homeward")): {"kind": "link", "label": "flows into",
                                    "link_id": small["link let"]},
        (t("held"), t("out")): {"kind": "link", "label": "", "link_id": small["link held"]},
        (t("out"), c("humour")): {"kind": "link", "label": "overlaps",
                                  "link_id": small["link code"]}}
    # held -> out is a link; let -> out a membership: one pair of nodes may have both
    assert graph.edges[t("let"), t("homeward"), "link"]["label"] == "flows into"
    weights = {edge: values["weight"] for edge, values in _edges(graph, "cooccurrence").items()}
    assert weights == {(c("run"), c("clear")): 2, (c("run"), c("super")): 1,
                       (c("clear"), c("super")): 1}
    heavy = _graph(store, min_weight=2)
    assert list(_edges(heavy, "cooccurrence")) == [(c("run"), c("clear"))]
    assert not _edges(_graph(store, cooccurrence=None), "cooccurrence")
    assert not _edges(_graph(store, cooccurrence="turn"), "cooccurrence")  # no speaker turns


def test_themes_only(store: ProjectStore, small: dict[str, int]) -> None:
    graph = _graph(store, include_codes=False)
    assert {kind for kind, _id in graph.nodes} == {"theme"}
    assert len(graph) == 5
    assert {key for _u, _v, key in graph.edges(keys=True)} == {"membership", "link"}
    assert len(_edges(graph, "link")) == 2  # the link to a code has no end here


def test_map_data_is_the_graph_as_plain_values(store: ProjectStore,
                                               small: dict[str, int]) -> None:
    graph = _graph(store)
    data = map_data(graph)
    assert isinstance(data, MapData)
    assert [node.order for node in data.nodes] == list(range(10))
    run = data.node(code_key(small["run"]))
    assert (run.level, run.label, run.codings, run.parent) == (
        "code", "Running", 3, theme_key(small["out"]))
    assert [edge.kind for edge in data.edges] == ["membership"] * 7 + ["link"] * 3 + \
        ["cooccurrence"] * 3
    assert data.edges_of_kind("cooccurrence")[0] == MapEdge(
        code_key(small["run"]), code_key(small["clear"]), "cooccurrence", weight=2)
    link = data.edges_of_kind("link")[0]
    assert (link.label, link.link_id) == ("flows into", small["link let"])
    assert map_data(_graph(store)) == data  # the same every time


def test_an_empty_project_has_an_empty_graph(store: ProjectStore) -> None:
    graph = _graph(store)
    assert len(graph) == 0 and map_data(graph) == MapData((), ())


def test_only_the_strongest_cooccurrences_are_kept_when_asked(tmp_path) -> None:
    from thematic_workbench.analysis.cooccurrence import code_cooccurrence
    from thematic_workbench.app.demo import build_demo

    with ProjectStore.open(build_demo(tmp_path / "demo.thematic"), readonly=True) as store, \
            store.read() as session:
        counts = code_cooccurrence(session, "turn")
        graph = build_theme_graph(session, cooccurrence="turn", strongest=3)
    kept = {(u[1], v[1]): d["weight"] for u, v, k, d in graph.edges(keys=True, data=True)
            if k == "cooccurrence"}
    heaviest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:3]
    assert kept == dict(heaviest)
    assert graph.graph["cooccurrence_pairs"] == len(counts) > 3
