"""The reads behind the coding views take whose codings to show: everyone's by default, or
only some coders' (blind double coding), counted and listed alike."""

from __future__ import annotations

from tests.core.two_coders import SELF_CARE, SUPERVISION, two_coders
from thematic_workbench.core.queries.project import (
    code_summaries,
    document_summaries,
    extracts_of_code,
)
from thematic_workbench.core.queries.theme_extracts import (
    Reach,
    code_reach,
    coded_characters,
    extracts_for_code,
    extracts_for_theme,
    extracts_of_codings,
    theme_reach,
)
from thematic_workbench.core.storage.store import ProjectStore


def test_code_summaries_count_the_chosen_coders_codings(store: ProjectStore) -> None:
    two_coders(store)
    with store.read() as session:
        def counts(coders: set[str] | None) -> dict[str, tuple[int, int, int]]:
            return {c.name: (c.codings, c.documents, c.participants)
                    for c in code_summaries(session, coders)}
        assert counts(None) == {SELF_CARE: (3, 2, 2), SUPERVISION: (1, 1, 1)}
        assert counts({"bob"}) == {SELF_CARE: (2, 2, 2), SUPERVISION: (0, 0, 0)}
        assert counts({"alice"}) == {SELF_CARE: (1, 1, 1), SUPERVISION: (1, 1, 1)}
        assert counts({"alice", "bob"}) == counts(None)
        assert counts(set()) == {SELF_CARE: (0, 0, 0), SUPERVISION: (0, 0, 0)}


def test_extracts_of_a_code_are_the_chosen_coders_only(store: ProjectStore) -> None:
    ids = two_coders(store)
    with store.read() as session:
        def listed(coders: set[str] | None) -> set[tuple[str | None, str, str]]:
            return {(e.participant, e.coder, e.text)
                    for e in extracts_of_code(session, ids.self_care, coders=coders)}
        bobs = {("PA", "bob", "It clears my head"), ("PB", "bob", "I go for a run")}
        assert listed({"bob"}) == bobs
        assert listed({"alice"}) == {("PA", "alice", "I go for a run")}
        assert listed(None) == bobs | listed({"alice"})
        shown = extracts_for_code(session, ids.self_care, {"bob"})
        assert shown is not None
        assert {(i.extract.participant, i.extract.text) for i in shown.extracts} == {
            ("PA", "It clears my head"), ("PB", "I go for a run")}
        assert shown.participants == 2


def test_extracts_of_a_theme_are_the_chosen_coders_only(store: ProjectStore) -> None:
    ids = two_coders(store)
    with store.read() as session:
        everyone = extracts_for_theme(session, ids.theme)
        bobs = extracts_for_theme(session, ids.theme, {"bob"})
        alices = extracts_for_theme(session, ids.theme, {"alice"})
    assert everyone is not None and bobs is not None and alices is not None
    assert len(everyone.extracts) == 4
    assert {(i.code, i.extract.coder) for i in bobs.extracts} == {(SELF_CARE, "bob")}
    assert len(bobs.extracts) == 2
    assert [(i.code, i.extract.text) for i in alices.extracts] == [
        (SELF_CARE, "I go for a run"), (SUPERVISION, "Supervision is where I can say")]
    assert bobs.code_ids == everyone.code_ids  # the theme's codes, whoever used them


def test_new_codings_join_a_list_only_if_the_chosen_coders_made_them(
        store: ProjectStore) -> None:
    ids = two_coders(store)
    with store.read() as session:
        shown = extracts_for_code(session, ids.self_care, {"alice"})
        assert shown is not None
        every_coding = [e.coding_id for e in extracts_of_code(session, ids.self_care)]
        arriving = extracts_of_codings(session, shown, every_coding, {"alice"})
        assert [(i.extract.coder, i.extract.text) for i in arriving] == [
            ("alice", "I go for a run")]
        assert len(extracts_of_codings(session, shown, every_coding)) == 3


def test_reach_counts_the_chosen_coders_codings(store: ProjectStore) -> None:
    ids = two_coders(store)
    codes = [ids.self_care, ids.supervision]
    with store.read() as session:
        assert code_reach(session, codes) == {ids.self_care: Reach(3, 2),
                                              ids.supervision: Reach(1, 1)}
        assert code_reach(session, codes, {"bob"}) == {ids.self_care: Reach(2, 2),
                                                       ids.supervision: Reach(0, 0)}
        assert theme_reach(session) == {ids.theme: Reach(4, 2)}
        assert theme_reach(session, coders={"alice"}) == {ids.theme: Reach(2, 1)}
        assert theme_reach(session, [ids.theme], {"bob"}) == {ids.theme: Reach(2, 2)}
        assert theme_reach(session, coders={"carol"}) == {}


def test_coverage_of_transcripts_is_the_chosen_coders(store: ProjectStore) -> None:
    ids = two_coders(store)
    run, head = (len(words) for words in ("I go for a run", "It clears my head"))
    supervision = len("Supervision is where I can say")
    with store.read() as session:
        def coverage(coders: set[str] | None) -> dict[str, tuple[int, int]]:
            return {d.name: (d.codings, d.coded_characters)
                    for d in document_summaries(session, coders)}
        assert coverage(None) == {"PA-interview": (3, run + head + supervision),
                                  "PB-interview": (1, run)}
        assert coverage({"bob"}) == {"PA-interview": (1, head), "PB-interview": (1, run)}
        assert coded_characters(session, [ids.pa, ids.pb], {"alice"}) == {
            ids.pa: run + supervision, ids.pb: 0}
        assert coded_characters(session, [ids.pa]) == {ids.pa: run + head + supervision}
