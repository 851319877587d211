"""The search language: operators, phrases, prefixes, word forms and filters, each checked
against a plain reading of the text (a naive tokenizer and the documented rules)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.helpers_docs import imported
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.finding.search import (
    And,
    Near,
    Not,
    Or,
    SearchHit,
    Term,
    find_in_text,
    parse_query,
    search_project,
)
from thematic_workbench.core.services import participants
from thematic_workbench.core.services.documents import delete_document, import_document
from thematic_workbench.core.services.speakers import map_speaker, set_project_language
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns

RISKS = ("Interviewer: Was that a risk?\n"
         "PA: Every visit is risky. I was risking my licence, and the risks were real. "
         "I risked it anyway, though the rise in complaints worried me.\n")
SAFETY = ("Interviewer: What keeps you safe?\n"
          "PB: Supervision and a safety plan. Risk never goes away but supervision helps.\n")
GROUP = ("Moderator: What keeps the alliance going with a mandated client?\n"
         "Anna: Honesty about the risk report, every single time.\n"
         "Ben: For me it is patience; the risk of losing trust comes late.\n"
         "Moderator: Anna, you nodded? Is risk the word?\n"
         "Anna: Yes. Risk talk is part of the alliance.\n")


def _import(store: ProjectStore, text: str, name: str, participant: str | None) -> int:
    with store.transaction("alice") as tx:
        document = replace(imported(text, name), turns=tuple(detect_turns(text)))
        return import_document(tx, document, participant=participant).new_id("document")


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    ids = {"PA": _import(store, RISKS, "PA interview", "PA"),
           "PB": _import(store, SAFETY, "PB interview", "PB"),
           "group": _import(store, GROUP, "Group 1", None)}
    with store.transaction("alice") as tx:
        anna = participants.create_participant(tx, "P1").new_id("participant")
        ben = participants.create_participant(tx, "P2").new_id("participant")
        participants.define_attribute(tx, "profession", "choice", ["nurse", "psychologist"])
        for label, value in (("PA", "nurse"), ("P1", "nurse"), ("PB", "psychologist"),
                             ("P2", "psychologist")):
            found = participants.find_participant(tx.session, label)
            assert found is not None
            participants.set_participant_attribute(tx, found.id, "profession", value)
        map_speaker(tx, ids["group"], "Anna", anna)
        map_speaker(tx, ids["group"], "Ben", ben)
    return ids


def _search(store: ProjectStore, query: str, *, forms: bool = False,
            scope: Scope | None = None, limit: int | None = None) -> list[SearchHit]:
    with store.read() as session:
        return search_project(session, query, limit, forms=forms, scope=scope)


def _matches(hits: list[SearchHit]) -> list[str]:
    return [hit.match for hit in hits]


# -- the language ----------------------------------------------------------------------------
def test_operators_bind_near_not_and_or_from_tightest() -> None:
    a, b, c, d = (Term((w,), w, False) for w in "abcd")
    assert parse_query("a b NOT c OR d") == Or((And((a, Not(b, c))), d))
    assert parse_query("a AND (b OR c)") == And((a, Or((b, c))))
    assert parse_query("a NEAR/3 b NOT c") == Not(Near(a, b, 3), c)
    assert parse_query("a NEAR b") == Near(a, b, 10)


def test_and_not_is_read_as_not() -> None:
    """Researchers from NVivo and MAXQDA write "a AND NOT b": NOT, not a search for "not"."""
    a, b, c = (Term((w,), w, False) for w in "abc")
    assert parse_query("a AND NOT b") == Not(a, b)
    assert parse_query("c a AND NOT b") == And((c, Not(a, b)))
    assert parse_query("a AND NOT") == And((a, Term(("not",), "NOT", False)))


@pytest.mark.parametrize(("query", "words"), [
    ("NOT a", ["not", "a"]), ("a OR", ["a", "or"]), ("a NEAR", ["a", "near"]),
    ("and or not", ["and", "or", "not"]), ("(a b", ["a", "b"]), ("a) b", ["a", "b"]),
])
def test_an_operator_with_nothing_to_act_on_is_a_word(query: str, words: list[str]) -> None:
    node = parse_query(query)
    found = [node.words[0]] if isinstance(node, Term) else \
        [part.words[0] for part in node.parts]  # type: ignore[union-attr]
    assert found == words


def test_and_or_not_decide_per_transcript(store: ProjectStore, study: dict[str, int]) -> None:
    # "supervision" is only in PB's; "risk" in all three.
    assert {h.document_name for h in _search(store, "risk AND supervision")} == {"PB interview"}
    assert {h.document_name for h in _search(store, "risk NOT supervision")} == {
        "PA interview", "Group 1"}
    assert _search(store, "risk AND NOT supervision") == _search(store, "risk NOT supervision")
    both = _search(store, "risked OR safety")
    assert _matches(both) == ["risked", "safety"]
    # NOT hides nothing of its own: the hits are the occurrences of the kept terms.
    assert all(hit.match.lower() == "risk" for hit in _search(store, "risk NOT supervision"))


def test_near_counts_the_words_between(store: ProjectStore, study: dict[str, int]) -> None:
    # PB: "Supervision and a safety plan. Risk never goes away but supervision helps."
    assert _matches(_search(store, "risk NEAR/4 supervision")) == [
        "Supervision", "Risk", "supervision"]  # four words between, each side
    assert _search(store, "risk NEAR/3 supervision") == []
    assert _matches(_search(store, "safety NEAR/0 risk")) == []  # "plan" between
    assert _matches(_search(store, "risk NEAR/1 safety")) == ["safety", "Risk"]
    assert _matches(_search(store, "helps NEAR/0 supervision")) == ["supervision", "helps"]
    assert _matches(_search(store, "supervision NEAR risk")) == [
        "Supervision", "Risk", "supervision"]  # NEAR alone: ten words


def test_phrases_and_prefixes(store: ProjectStore, study: dict[str, int]) -> None:
    assert _matches(_search(store, '"risk report"')) == ["risk report"]
    assert _search(store, '"report risk"') == []
    assert _matches(_search(store, "risk*", scope=Scope(documents=frozenset({study["PA"]})))
                    ) == ["risk", "risky", "risking", "risks", "risked"]


def test_word_forms_find_every_form_but_not_look_alikes(
        store: ProjectStore, study: dict[str, int]) -> None:
    pa = Scope(documents=frozenset({study["PA"]}))
    assert _matches(_search(store, "risk", scope=pa)) == ["risk"]  # whole words only
    assert _matches(_search(store, "risk", forms=True, scope=pa)) == [
        "risk", "risky", "risking", "risks", "risked"]
    assert _search(store, "risks", forms=True) == _search(store, "risk", forms=True)
    # English "-y" adjectives are forms of their noun, not the other way round
    assert _matches(_search(store, "risky", forms=True, scope=pa)) == ["risky"]
    # "rise" shares letters, not a stem; a prefix is never widened
    assert "rise" not in _matches(_search(store, "risk", forms=True))
    assert _matches(_search(store, '"worry me"', forms=True)) == ["worried me"]


def test_word_forms_follow_the_project_language(store: ProjectStore) -> None:
    _import(store, "A: Elle parlait de son travail. On parle peu.\n", "FR", None)
    assert _matches(_search(store, "parler", forms=True)) == []  # "parl" + "er" is not English
    with store.transaction("alice") as tx:
        set_project_language(tx, "french")
    assert _matches(_search(store, "parler", forms=True)) == ["parlait", "parle"]


def test_word_forms_follow_imports_and_deletions(store: ProjectStore,
                                                 study: dict[str, int]) -> None:
    added = _import(store, "PC: Nobody was riskier than me.\nPC: Risking it was normal.\n",
                    "PC interview", "PC")
    assert [h.match for h in _search(store, "risking", forms=True)
            if h.document_id == added] == ["Risking"]
    with store.transaction("alice") as tx:
        delete_document(tx, study["PA"])
    assert "risked" not in _matches(_search(store, "risk", forms=True))


# -- filters ---------------------------------------------------------------------------------
def test_speaker_labels_are_never_hits(store: ProjectStore, study: dict[str, int]) -> None:
    assert _search(store, "interviewer OR moderator OR anna") == [
        hit for hit in _search(store, "anna") if hit.match == "Anna"]
    (hit,) = _search(store, "anna")
    assert (hit.speaker, hit.before) == ("Moderator", "Moderator: ")


def test_focus_group_hits_name_who_said_them(store: ProjectStore,
                                             study: dict[str, int]) -> None:
    group = Scope(documents=frozenset({study["group"]}))
    assert [(h.speaker, h.participant, h.line) for h in _search(store, "risk", scope=group)] \
        == [("Anna", "P1", 2), ("Ben", "P2", 3), ("Moderator", None, 4), ("Anna", "P1", 5)]


def test_filters_by_participant_attribute_and_speaker(store: ProjectStore,
                                                      study: dict[str, int]) -> None:
    def who(scope: Scope) -> list[tuple[str | None, str | None]]:
        return [(h.participant, h.speaker) for h in _search(store, "risk", scope=scope)]

    assert who(Scope(participants=frozenset({"P1"}))) == [("P1", "Anna"), ("P1", "Anna")]
    assert who(Scope(attributes=(("profession", "psychologist"),))) == [
        ("PB", "PB"), ("P2", "Ben")]
    assert who(Scope(attributes=(("profession", "nurse"), ("profession", "psychologist")))) \
        == [("PA", "Interviewer"), ("PB", "PB"), ("P1", "Anna"), ("P2", "Ben"), ("P1", "Anna")]
    assert who(Scope(not_speakers=frozenset({"moderator", "INTERVIEWER"}))) == who(
        Scope(speakers=frozenset({"PB", "Anna", "Ben"})))
    assert who(Scope(speakers=frozenset({"Interviewer"}))) == [("PA", "Interviewer")]
    with pytest.raises(NotFoundError, match="no participant labelled 'P9'"):
        who(Scope(participants=frozenset({"P9"})))


def test_not_decides_over_the_text_in_scope(store: ProjectStore,
                                            study: dict[str, int]) -> None:
    # PA's interviewer says "risk", PA does not say "risk" itself, only its forms.
    everyone = {h.document_name for h in _search(store, "risk NOT licence")}
    assert "PA interview" not in everyone
    without = _search(store, "licence NOT risk", scope=Scope(
        not_speakers=frozenset({"Interviewer"})))
    assert _matches(without) == ["licence"]
    assert _search(store, "licence NOT risk") == []


def test_limit_and_every_hit(store: ProjectStore, study: dict[str, int]) -> None:
    every = _search(store, "risk", limit=None)
    assert len(every) == 6  # PA's interviewer, PB, and four in the group
    assert _search(store, "risk", limit=3) == every[:3]


# -- against a plain reading -----------------------------------------------------------------
VOCABULARY = ("alpha", "beta", "gamma", "delta")
word_text = st.lists(st.sampled_from(VOCABULARY), max_size=25).map(
    lambda words: " ".join(w.upper() if i % 3 == 0 else w for i, w in enumerate(words)))


def _queries(depth: int = 2) -> st.SearchStrategy[str]:
    word = st.sampled_from(VOCABULARY)
    if depth == 0:
        return word
    inner = _queries(depth - 1)
    return st.one_of(
        word,
        st.tuples(inner, st.sampled_from(["AND", "OR", "NOT"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.integers(0, 4), inner).map(lambda t: f"({t[0]} NEAR/{t[1]} {t[2]})"),
    )


def _plain(query: str, text: str) -> list[tuple[int, int]]:
    """The documented rules over a naive tokenizer, without any cleverness."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"[A-Za-z]+", text)]

    def index(span: tuple[int, int]) -> int:
        return next(i for i, token in enumerate(tokens) if token[0] == span[0])

    def evaluate(node: object) -> set[tuple[int, int]]:
        if isinstance(node, Term):
            return {(s, e) for s, e, w in tokens if w == node.words[0]}
        if isinstance(node, And):
            parts = [evaluate(part) for part in node.parts]
            return set().union(*parts) if all(parts) else set()
        if isinstance(node, Or):
            return set().union(*(evaluate(part) for part in node.parts))
        if isinstance(node, Not):
            return evaluate(node.keep) if not evaluate(node.drop) else set()
        assert isinstance(node, Near)
        left, right = evaluate(node.left), evaluate(node.right)

        def near(a: tuple[int, int], b: tuple[int, int]) -> bool:
            return abs(index(a) - index(b)) - 1 <= node.distance  # type: ignore[attr-defined]

        return ({a for a in left if any(near(a, b) for b in right)}
                | {b for b in right if any(near(a, b) for a in left)})

    node = parse_query(query)
    return sorted(evaluate(node)) if node is not None else []


@settings(max_examples=300, deadline=None)
@given(query=_queries(), text=word_text)
def test_hits_agree_with_a_plain_reading(query: str, text: str) -> None:
    assert find_in_text(text, query) == _plain(query, text)


@settings(max_examples=150, deadline=None)
@given(query=_queries(), other=_queries(1), text=word_text)
def test_and_lies_inside_or_covers_not_shares_nothing(query: str, other: str,
                                                      text: str) -> None:
    a, b = set(find_in_text(text, query)), set(find_in_text(text, other))
    assert set(find_in_text(text, f"({query}) AND ({other})")) <= a | b
    assert set(find_in_text(text, f"({query}) OR ({other})")) >= a | b
    assert not set(find_in_text(text, f"({query}) NOT ({other})")) & b
