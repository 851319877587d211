"""Full-text search means the same on a server as in a file: the same hits for the same
query, word forms, prefixes, phrases, NEAR and NOT, accents and hyphens included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.helpers_docs import imported
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.finding.search import search_project
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.storage.store import ProjectStore

ACCENTS = ("Interviewer: Was the café a safe place?\n"
           "PB: The cafe, yes. Self-care there, a naïve hope maybe, but risky risks were "
           "risked less. Trust-building happens over coffee with the client.")
QUERIES = ("trust", "court*", '"the court"', "trust AND supervision", "trust OR anger",
           "supervision NOT trust", "trust NEAR/5 client", "cafe", "café", "naive", "self",
           "care", "risk", "(anger OR trust) AND court*", "Building")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, postgres_server: object) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("search-both")
    demo = build_demo(folder / "demo.thematic")
    with ProjectStore.open(demo) as store, store.transaction("alice") as tx:
        import_document(tx, imported(ACCENTS, name="PB-cafe"), participant="PB")
    server = postgres_server.url(postgres_server.new_database())  # type: ignore[attr-defined]
    copy_project(demo, server, "alice")
    return str(demo), server


def _hits(location: str, query: str, forms: bool) -> list[tuple[str, int, int, int | None]]:
    with ProjectStore.open(location, readonly=True) as store, store.read() as session:
        return [(hit.document_name, hit.start, hit.end, hit.line)
                for hit in search_project(session, query, None, forms=forms)]


@pytest.mark.parametrize("forms", [False, True], ids=["words", "word-forms"])
def test_every_query_finds_the_same_on_both(both: tuple[str, str], forms: bool) -> None:
    file, server = both
    found_any = 0
    for query in QUERIES:
        in_file = _hits(file, query, forms)
        assert _hits(server, query, forms) == in_file, query
        found_any += bool(in_file)
    assert found_any >= len(QUERIES) - 2  # the queries do find things


def test_word_forms_widen_on_the_server_too(both: tuple[str, str]) -> None:
    _file, server = both
    plain = {span for span in _hits(server, "risk", False)}
    widened = {span for span in _hits(server, "risk", True)}
    assert plain < widened  # "risks", "risked", "risky" join "risk"


def test_a_file_needs_no_server_for_this_module(tmp_path: Path) -> None:
    """(The fixture above skips without a server; searching a file never does.)"""
    demo = build_demo(tmp_path / "demo.thematic")
    assert _hits(str(demo), "trust", False)
