"""Full-text search across a project: documents from FTS5, exact code-point spans in Python."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.helpers_docs import imported
from thematic_workbench.core.finding.search import (
    ELLIPSIS,
    SearchHit,
    _context,
    find_in_text,
    fold,
    fts_query,
    parse_query,
    search_project,
)
from thematic_workbench.core.services.documents import delete_document, import_document
from thematic_workbench.core.storage.store import ProjectStore

PA_TEXT = (
    "INTERVIEWER: How do you look after yourself after a difficult session?\n"
    "PA: Honestly I go for a run. It clears my head, and I stop carrying the client home.\n"
    "INTERVIEWER: And supervision?\n"
    "PA: Supervision is where I can say the unsayable. My café is my refuge."
)
PB_TEXT = (
    "PB: 😀👍🏽 I Cafe-hop between clients; supervision helps.\n"
    "PB: Running keeps me sane, and CAFÉ breaks too."
)


def _add(store: ProjectStore, text: str, name: str, participant: str | None) -> int:
    with store.transaction("alice") as tx:
        return import_document(tx, imported(text, name), participant=participant).new_id(
            "document")


@pytest.fixture
def project(store: ProjectStore) -> dict[str, int]:
    # Imported out of order: results follow the participant labels, not the import order.
    return {"PB": _add(store, PB_TEXT, "PB interview", "PB"),
            "PA": _add(store, PA_TEXT, "PA interview", "PA")}


def _search(store: ProjectStore, query: str, limit: int = 200) -> list[SearchHit]:
    with store.read() as session:
        return search_project(session, query, limit)


def test_a_word_is_found_in_every_document_in_document_order(
        store: ProjectStore, project: dict[str, int]) -> None:
    hits = _search(store, "supervision")
    # PA's long second paragraph wraps onto two lines, so "And supervision?" is line 4.
    assert [(hit.participant, hit.line) for hit in hits] == [("PA", 4), ("PA", 5), ("PB", 1)]
    first = hits[0]
    assert first.document_id == project["PA"] and first.document_name == "PA interview"
    assert PA_TEXT[first.start:first.end] == "supervision"
    assert (first.before, first.match, first.after) == ("INTERVIEWER: And ", "supervision", "?")


def test_positions_are_code_points_after_emoji(store: ProjectStore,
                                               project: dict[str, int]) -> None:
    (hit,) = _search(store, "clients")
    assert hit.document_id == project["PB"]
    expected = PB_TEXT.index("clients")
    assert (hit.start, hit.end) == (expected, expected + len("clients"))
    # "😀👍🏽" is three code points but five UTF-16 units; the span counts code points.
    assert PB_TEXT[hit.start:hit.end] == "clients"
    assert hit.before.startswith("PB: 😀👍🏽 I Cafe-hop")


def test_case_and_accents_are_ignored_as_the_index_ignores_them(
        store: ProjectStore, project: dict[str, int]) -> None:
    hits = _search(store, "CAFE")
    assert [hit.match for hit in hits] == ["café", "Cafe", "CAFÉ"]
    assert all(hit.end - hit.start == 4 for hit in hits)


def test_a_quoted_phrase_matches_across_punctuation_but_not_apart(
        store: ProjectStore, project: dict[str, int]) -> None:
    (hit,) = _search(store, '"stop carrying the client"')
    assert hit.match == "stop carrying the client"
    assert _search(store, '"client carrying"') == []
    (hit,) = _search(store, '"cafe hop"')
    assert hit.match == "Cafe-hop"


def test_all_words_must_be_in_a_document_and_each_is_marked(
        store: ProjectStore, project: dict[str, int]) -> None:
    hits = _search(store, "run supervision")
    assert {hit.participant for hit in hits} == {"PA"}  # PB has "Running", not "run"
    assert [hit.match for hit in hits] == ["run", "supervision", "Supervision"]


def test_a_star_makes_a_prefix(store: ProjectStore, project: dict[str, int]) -> None:
    assert [hit.match for hit in _search(store, "run*")] == ["run", "Running"]
    assert [hit.match for hit in _search(store, "supervis*")] == [
        "supervision", "Supervision", "supervision"]


def test_limit_stops_early(store: ProjectStore, project: dict[str, int]) -> None:
    assert len(_search(store, "supervision", limit=2)) == 2
    assert _search(store, "supervision", limit=0) == []


@pytest.mark.parametrize("query", [
    "", "   ", '"', '""', "*", "AND", "OR NOT", "NEAR(a b)", "a:b", "col:text", "^start",
    "(unbalanced", "😀", "-", "'", '"unclosed phrase', "a AND", "text:x", "\x00",
])
def test_fts_syntax_never_reaches_the_user(store: ProjectStore, project: dict[str, int],
                                           query: str) -> None:
    assert isinstance(_search(store, query), list)


def test_fts_words_are_searched_as_words(store: ProjectStore) -> None:
    _add(store, "We said AND and NOT, then NEAR the end.", "ops", None)
    hits = _search(store, "NOT NEAR")
    assert [hit.match for hit in hits] == ["NOT", "NEAR"]
    assert hits[0].participant is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_any_query_builds_valid_fts(query: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(text, "
                 "tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO f VALUES ('some text here')")
    terms = parse_query(query)
    if terms:
        conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (fts_query(terms),)).fetchall()


def test_deleting_a_document_takes_it_out_of_the_index(
        store: ProjectStore, project: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        delete_document(tx, project["PB"])
    assert {hit.participant for hit in _search(store, "supervision")} == {"PA"}
    assert _search(store, "clients") == []


def test_context_is_cut_at_words_within_the_paragraph() -> None:
    words = " ".join(f"word{n}" for n in range(40))
    text = f"first paragraph\n{words} needle {words}\nlast"
    start = text.index("needle")
    before, match, after = _context(text, start, start + 6)
    assert match == "needle"
    assert before.startswith(ELLIPSIS) and after.endswith(ELLIPSIS)
    assert "paragraph" not in before and "last" not in after
    assert before[1:].split()[0].startswith("word")  # a whole word after the ellipsis


def test_a_multi_line_match_reports_both_lines(store: ProjectStore) -> None:
    _add(store, "alpha beta\ngamma delta", "two lines", "PC")
    (hit,) = _search(store, '"beta gamma"')
    assert (hit.line, hit.end_line, hit.match) == (1, 2, "beta gamma")


def test_spans_stay_right_when_folding_changes_length() -> None:
    text = "İstanbul then q\u0303x and ISTANBUL"
    spans = find_in_text(text, "istanbul qx")
    assert [text[a:b] for a, b in spans] == ["İstanbul", "q\u0303x", "ISTANBUL"]


SAMPLE_LETTERS = (
    "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿßæøœŁłŒĞğŞşİıŽžŠšČčĆćŘřŮů"
    "ΑΒΓάέήίόύώςσЖжЙйЁёЇїЯя"
)


def test_folding_agrees_with_the_sqlite_tokenizer() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(text, "
                 "tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'row')")
    for char in SAMPLE_LETTERS:
        conn.execute("DELETE FROM f")
        conn.execute("INSERT INTO f VALUES (?)", (f"x{char}x",))
        (term,) = conn.execute("SELECT term FROM v").fetchone()
        assert term == fold(f"x{char}x"), char
