"""Coding queries: the expression parser, the passage algebra, themes, filters, saving."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.core.helpers_docs import imported, last_event
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.finding.coding_query import (
    Name,
    Node,
    Operation,
    QueryError,
    intersect,
    name_for_query,
    near,
    parse_query,
    query_names,
    query_text,
    run_query,
    union,
    without,
)
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.services import codes, codings, participants, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.query_codes import code_passages_as_new_code
from thematic_workbench.core.services.speakers import map_speaker
from thematic_workbench.core.storage.audit import verify_chain
from thematic_workbench.core.storage.models import AuditEvent, Code, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.speaker_turns import detect_turns

INTERVIEW = (
    "Interviewer: How do you build trust?\n"
    "PA: Slowly. Trust takes months with a mandated client.\n"
    "PA: The risk report can break it in a day.\n"
    "Interviewer: And then?\n"
    "PA: Then we repair it together, bit by bit.\n"
    "PA: Supervision helps me carry the rest home.\n"
    "Interviewer: Thank you.\n"
)
GROUP = (
    "Moderator: What keeps the alliance going?\n"
    "Anna: Honesty about the risk report, every time.\n"
    "Ben: For me it is patience; the trust comes late.\n"
    "Moderator: Anna, you nodded?\n"
    "Anna: Yes. Risk talk is part of the trust.\n"
)


def _document(tx: Tx, text: str, name: str, participant: str | None = None) -> int:
    transcript = replace(imported(text, name), turns=tuple(detect_turns(text)))
    return import_document(tx, transcript, participant=participant).new_id("document")


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_query_study(store)


def build_query_study(store: ProjectStore) -> dict[str, int]:
    """An interview (PA) and a focus group whose speakers Anna and Ben map to P1 and P2,
    with four codes, a code named like a theme, and themes on two levels; the ids."""
    ids: dict[str, int] = {}
    with store.transaction("alice") as tx:
        ids["interview"] = _document(tx, INTERVIEW, "PA interview", "PA")
        ids["group"] = _document(tx, GROUP, "Group 1")
        for name in ("Trust", "Risk", "Repair", "Support", "Alliance"):
            ids[name] = codes.create_code(tx, name).new_id("code")
        anna = participants.create_participant(tx, "P1").new_id("participant")
        ben = participants.create_participant(tx, "P2").new_id("participant")
        participants.define_attribute(tx, "profession", "choice", ["nurse", "psychologist"])
        participants.set_participant_attribute(tx, anna, "profession", "nurse")
        participants.set_participant_attribute(tx, ben, "profession", "psychologist")
        map_speaker(tx, ids["group"], "Anna", anna)
        map_speaker(tx, ids["group"], "Ben", ben)
        document = ids["interview"]
        codings.code_match(tx, document, ids["Trust"], "Slowly. Trust takes months")
        codings.code_match(tx, document, ids["Risk"], "months with a mandated client")
        codings.code_match(tx, document, ids["Risk"], "The risk report can break it")
        codings.code_match(tx, document, ids["Repair"], "we repair it together")
        codings.code_lines(tx, document, ids["Support"], 6, 6)
        group = ids["group"]
        codings.code_match(tx, group, ids["Risk"], "Honesty about the risk report")
        codings.code_match(tx, group, ids["Trust"], "the trust comes late")
        codings.code_match(tx, group, ids["Risk"], "Risk talk")
        codings.code_match(tx, group, ids["Trust"], "part of the trust")
        alliance = themes.create_theme(tx, "Alliance").new_id("theme")  # as the code
        holding = themes.create_theme(tx, "Holding").new_id("theme")
        final = themes.create_theme(tx, "Relationship", "final").new_id("theme")
        themes.assign_code(tx, ids["Trust"], alliance)
        themes.assign_code(tx, ids["Repair"], alliance)
        themes.assign_code(tx, ids["Support"], holding)
        themes.set_theme_parent(tx, alliance, final)
        themes.set_theme_parent(tx, holding, final)
    return ids


def _texts(store: ProjectStore, expression: str, scope: Scope | None = None) -> list[str]:
    with store.read() as session:
        return [passage.text for passage in run_query(session, expression, scope).passages]


# -- the algebra on the study -------------------------------------------------------------
def test_and_is_the_overlap(store: ProjectStore, study: dict[str, int]) -> None:
    assert _texts(store, '"Trust" AND "Risk"') == ["months"]


def test_or_joins_overlapping_passages(store: ProjectStore, study: dict[str, int]) -> None:
    assert _texts(store, '"trust" or "risk"') == [
        "Slowly. Trust takes months with a mandated client", "The risk report can break it",
        "Honesty about the risk report", "the trust comes late", "Risk talk",
        "part of the trust"]


def test_not_keeps_whole_passages_that_touch_nothing(store: ProjectStore,
                                                     study: dict[str, int]) -> None:
    assert _texts(store, '"Risk" NOT "Trust"') == [
        "The risk report can break it", "Honesty about the risk report", "Risk talk"]
    assert _texts(store, '"Risk" AND NOT "Trust"') == _texts(store, '"Risk" NOT "Trust"')


def test_near_counts_numbered_lines(store: ProjectStore, study: dict[str, int]) -> None:
    # Repair is on line 5; Risk on lines 2 and 3; Support on line 6.
    assert _texts(store, '"Repair" NEAR/1 "Support"') == [
        "we repair it together", "Supervision helps me carry the rest home."]
    assert _texts(store, '"Repair" NEAR/1 "Risk"') == []
    assert _texts(store, '"Repair" NEAR/2 "Risk"') == [
        "The risk report can break it", "we repair it together"]


def test_passages_carry_place_lines_and_who_said_them(store: ProjectStore,
                                                      study: dict[str, int]) -> None:
    with store.read() as session:
        result = run_query(session, '"Support" OR "Trust"')
    first, *_rest, last = result.passages
    # the documents panel's order: participants by label, transcripts of nobody last
    assert [(p.document, p.participant) for p in result.passages] == [
        ("PA interview", "PA"), ("PA interview", "PA"), ("Group 1", "P2"),
        ("Group 1", "P1")]
    assert (first.start_line, first.end_line, first.citation) == (2, 2, "[PA, line 2]")
    support = result.passages[1]
    assert support.text == "Supervision helps me carry the rest home."  # no "PA: " label
    assert INTERVIEW[support.start:support.end] == support.text
    assert last.text == "part of the trust" and last.start_line == 5


def test_participant_and_attribute_filters_follow_the_speaker(
        store: ProjectStore, study: dict[str, int]) -> None:
    assert _texts(store, '"Risk"', Scope(participants=frozenset({"P1"}))) == [
        "Honesty about the risk report", "Risk talk"]
    assert _texts(store, '"Trust"', Scope(attributes=(("profession", "Psychologist"),))) == [
        "the trust comes late"]
    assert _texts(store, '"Trust"', Scope(participants=frozenset({"PA", "P1"}))) == [
        "Slowly. Trust takes months", "part of the trust"]
    with store.read() as session, pytest.raises(NotFoundError, match="no participant"):
        run_query(session, '"Trust"', Scope(participants=frozenset({"PZ"})))


def test_themes_stand_for_their_codes(store: ProjectStore, study: dict[str, int]) -> None:
    # a code named like a theme is the code; theme: means the theme (Trust and Repair)
    assert _texts(store, '"Alliance"') == []
    assert _texts(store, 'theme:"alliance"') == _texts(store, '"Trust" OR "Repair"')
    # the final theme gathers the codes of its emerging themes
    assert _texts(store, '"Relationship"') == _texts(
        store, '"Trust" OR "Repair" OR "Support"')
    assert _texts(store, '"Holding" AND "Relationship"') == _texts(store, '"Support"')
    with store.read() as session:
        result = run_query(session, '"Relationship" NOT code:"Alliance"')
        assert [(n.kind, n.name) for n in result.names] == [
            ("final theme", "Relationship"), ("code", "Alliance")]
        assert result.expression == '"Relationship" NOT code:"Alliance"'


def test_codings_are_read_in_one_query(store: ProjectStore, study: dict[str, int]) -> None:
    seen: list[str] = []
    with store.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        raw.set_trace_callback(seen.append)  # every statement, through SQLAlchemy or not
        try:
            run_query(session, '("Trust" OR "Risk") AND ("Relationship" OR "Support")')
        finally:
            raw.set_trace_callback(None)
    assert len([statement for statement in seen if "FROM coding" in statement]) == 1


# -- reading expressions ----------------------------------------------------------------
@pytest.mark.parametrize(("expression", "message"), [
    ('"Trust" AND', 'at character 12: expected a name in double quotes or "(", but the '
                    'expression ends'),
    ('("Trust" OR "Risk"', 'at character 19: expected ")" to close the "(" at character 1'),
    ('"Trust" "Risk"', 'at character 9: expected AND, OR, NOT or NEAR/N, but found the '
                       'name "Risk"'),
    ('"Trust")', 'at character 8: this ")" closes no "("'),
    ('Trust AND "Risk"', 'at character 1: names go in double quotes: "Trust"'),
    ('"Trust" NEAR "Risk"', "at character 9: NEAR needs a number of lines"),
    ('"Trust" AND "Risk', "at character 13: the name opened here has no closing"),
    ('"Trust" & "Risk"', "at character 9: unexpected '&'"),
    ("", "the expression is empty"),
    ('NOT "Trust"', "at character 1: NOT needs a code or theme before it"),
    ('code "Trust"', 'at character 6: expected ":" after code'),
])
def test_bad_expressions_say_where_and_what_was_expected(expression: str,
                                                         message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(expression)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_names_suggest_close_ones(store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        with pytest.raises(QueryError, match=r'at character 13: no code or theme named '
                                             r'"Rsik"; did you mean "Risk"\?'):
            run_query(session, '"Trust" AND "Rsik"')
        with pytest.raises(QueryError, match='no theme named "Trust"'):
            run_query(session, 'theme:"Trust"')


def test_precedence_and_canonical_text() -> None:
    node = parse_query('"A" or "B" AND "C" not "D" near/2 "E"')
    assert node == Operation("OR", Name("A"), Operation(
        "AND", Name("B"), Operation("NEAR", Operation("NOT", Name("C"), Name("D")),
                                    Name("E"), 2)))
    assert query_text(node) == '"A" OR "B" AND "C" NOT "D" NEAR/2 "E"'
    assert query_text(parse_query('("A" OR "B") AND "C"')) == '("A" OR "B") AND "C"'
    assert query_text(parse_query('"A" AND ("B" AND "C")')) == '"A" AND ("B" AND "C")'
    assert parse_query(r'"say \"no\" \\ twice"') == Name('say "no" \\ twice')


def test_in_vivo_codes_are_named_without_their_quote_marks(store: ProjectStore,
                                                           study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        quote = codes.create_code(tx, '"bit by bit"', origin="in_vivo").new_id("code")
        codings.code_match(tx, study["interview"], quote, "bit by bit")
    with store.read() as session:
        names = query_names(session)
        inserted = [name_for_query(item, names) for item in names]
        assert '"bit by bit"' in inserted and 'code:"Alliance"' in inserted
        assert 'theme:"Alliance"' not in inserted and 'emerging:"Alliance"' in inserted
        assert [p.text for p in run_query(session, '"bit by bit"').passages] == ["bit by bit"]
        for text in inserted:  # every inserted name runs, and means what was chosen
            assert run_query(session, text).names[0].name in {n.name for n in names}


# -- properties -------------------------------------------------------------------------
@st.composite
def span_lists(draw: st.DrawFn) -> list[tuple[int, int]]:
    """Sorted, disjoint, non-touching spans, as a query's operands are."""
    points = sorted(draw(st.sets(st.integers(0, 250), max_size=16)))
    return [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]


def _covered(spans: list[tuple[int, int]]) -> set[int]:
    return {position for start, end in spans for position in range(start, end)}


@settings(max_examples=300, deadline=None)
@given(span_lists(), span_lists())
def test_and_lies_inside_both(first: list[tuple[int, int]],
                              second: list[tuple[int, int]]) -> None:
    found = _covered(intersect(first, second))
    assert found <= _covered(first) and found <= _covered(second)
    assert found == _covered(first) & _covered(second)


@settings(max_examples=300, deadline=None)
@given(span_lists(), span_lists())
def test_or_covers_both(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> None:
    found = union(first, second)
    assert _covered(found) == _covered(first) | _covered(second)
    assert all(a[1] < b[0] for a, b in pairwise(found))  # disjoint


@settings(max_examples=300, deadline=None)
@given(span_lists(), span_lists())
def test_not_shares_nothing_with_b(first: list[tuple[int, int]],
                                   second: list[tuple[int, int]]) -> None:
    found = without(first, second)
    assert not _covered(found) & _covered(second)
    assert set(found) <= set(first)  # whole passages of A
    assert [span for span in first if not _covered([span]) & _covered(second)] == found


def _lines(span: tuple[int, int]) -> tuple[int, int]:
    """Lines of 10 characters each, numbered from 1."""
    return span[0] // 10 + 1, (span[1] - 1) // 10 + 1


@settings(max_examples=300, deadline=None)
@given(span_lists(), span_lists(), st.integers(0, 4))
def test_near_keeps_passages_within_n_lines(first: list[tuple[int, int]],
                                            second: list[tuple[int, int]],
                                            distance: int) -> None:
    def close(a: tuple[int, int], b: tuple[int, int]) -> bool:
        (a1, a2), (b1, b2) = _lines(a), _lines(b)
        return max(0, b1 - a2, a1 - b2) <= distance

    expected = union([a for a in first if any(close(a, b) for b in second)],
                     [b for b in second if any(close(b, a) for a in first)])
    found = near(first, second, _lines, distance)
    assert found == expected
    assert _covered(found) <= _covered(first) | _covered(second)


NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                min_size=1, max_size=8)


def _trees() -> st.SearchStrategy[Node]:
    leaves = st.builds(Name, NAMES, st.sampled_from([None, "code", "theme", "final",
                                                    "emerging"]))
    return st.recursive(leaves, lambda children: st.builds(
        Operation, st.sampled_from(["AND", "OR", "NOT", "NEAR"]), children, children,
        st.integers(0, 20)), max_leaves=8).map(_no_stray_distance)


def _no_stray_distance(node: Node) -> Node:
    if isinstance(node, Name):
        return node
    return Operation(node.operator, _no_stray_distance(node.left),
                     _no_stray_distance(node.right),
                     node.distance if node.operator == "NEAR" else 0)


@settings(max_examples=300, deadline=None)
@given(_trees())
def test_parser_round_trips(tree: Node) -> None:
    text = query_text(tree)
    assert parse_query(text) == tree
    lowered = text  # names hold no spaces here, so " AND " etc. are operators
    for operator in (" AND ", " OR ", " NOT ", " NEAR/"):
        lowered = lowered.replace(operator, operator.lower())
    assert parse_query(lowered) == tree
    assert query_text(parse_query(f" ( {text} ) ")) == text


# -- saving a result as a code -----------------------------------------------------------
def test_saving_a_result_codes_every_passage_in_one_audited_step(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        result = run_query(session, '"Risk" NOT "Trust"')
    with store.read() as session:
        events_before = session.execute(select(func.count()).select_from(AuditEvent)).scalar()
    with store.transaction("bob") as tx:
        change = code_passages_as_new_code(
            tx, "Risk without trust", [(p.document_id, p.start, p.end) for p in result.passages],
            result.expression)
    code_id = change.new_id("code")
    assert len(change.added["coding"]) == 3
    with store.read() as session:
        assert session.execute(select(func.count()).select_from(AuditEvent)).scalar() == \
            events_before + 2  # "bob" joins as a coder, then the one step
        saved = last_event(session, "code.create_from_query")
        after = json.loads(saved.after_json or "{}")
        assert after["expression"] == '"Risk" NOT "Trust"' and after["codings"] == 3
        assert [p.text for p in run_query(session, '"Risk without trust"').passages] == \
            [p.text for p in result.passages]
        assert verify_chain(session).intact
    with store.transaction("bob") as tx:  # the undo
        codes.delete_code(tx, code_id)
    with store.read() as session:
        assert session.execute(select(Coding).where(Coding.code_id == code_id)).first() is None
        assert session.get(Code, code_id) is None


def test_saving_refuses_a_taken_name_or_nothing_to_code(store: ProjectStore,
                                                        study: dict[str, int]) -> None:
    with pytest.raises(InvariantError, match="a code named 'Trust' already exists"), \
            store.transaction("alice") as tx:
        code_passages_as_new_code(tx, "trust", [(study["interview"], 0, 5)], '"Risk"')
    with pytest.raises(InvariantError, match="found no passage"), \
            store.transaction("alice") as tx:
        code_passages_as_new_code(tx, "New", [], '"Risk"')
    with pytest.raises(InvariantError, match="not inside the text"), \
            store.transaction("alice") as tx:
        code_passages_as_new_code(tx, "New", [(study["interview"], 5, 99_999)], '"Risk"')
    with store.read() as session:
        assert session.execute(select(Code).where(Code.name == "New")).first() is None
