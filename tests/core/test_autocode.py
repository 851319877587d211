"""Autocoding: the passages each unit codes, merging, already-coded passages, the one-step
service and its undo, on transcripts imported from real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.core.helpers_docs import assert_chain_intact, before_after, event_count, last_event
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.finding.autocode import Layout, Passage, speech_pieces, unit_span
from thematic_workbench.core.services import autocoding, codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import AuditEvent, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.reader import read_document

TRANSCRIPT = (
    "Interview with PA\n"
    "Interviewer: How do you look after yourself? Tell me about risk.\n"
    "PA: Honestly I go for a run. Risk is part of the job, and I stop carrying the client "
    "home at night, every night, which is a long sentence that wraps. Supervision helps.\n"
    "Then there is the risk of burnout. It is real.\n"
    "INTERVIEWER: And supervision?\n"
    "PA: Supervision is where I can say the unsayable.\n"
)


@pytest.fixture
def transcript(store: ProjectStore, tmp_path: Path) -> tuple[int, str]:
    """The transcript above, imported from a text file as the import command does."""
    source = tmp_path / "PA interview.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    document = read_document(source)
    assert len(document.turns) == 4  # the reader found the speaker turns
    with store.transaction("alice") as tx:
        document_id = import_document(tx, document, participant="PA").new_id("document")
    return document_id, document.text


def _texts(store: ProjectStore, plan: autocoding.AutocodePlan) -> list[str]:
    with store.read() as session:
        return [row.text for row in autocoding.passage_rows(session, plan.passages)]


def _plan(store: ProjectStore, query: str, unit: str, **options: object
          ) -> autocoding.AutocodePlan:
    with store.read() as session:
        return autocoding.plan_search(session, query, unit=unit, **options)  # type: ignore[arg-type]


def test_hit_unit_codes_the_words_found(store: ProjectStore,
                                        transcript: tuple[int, str]) -> None:
    document_id, text = transcript
    plan = _plan(store, "risk", "hit")
    assert plan.found == 3
    assert _texts(store, plan) == ["risk", "Risk", "risk"]
    assert plan.passages[0] == Passage(document_id, text.index("risk."),
                                       text.index("risk.") + 4)


def test_sentence_unit_codes_the_sentence_within_its_turn(
        store: ProjectStore, transcript: tuple[int, str]) -> None:
    assert _texts(store, _plan(store, "risk", "sentence")) == [
        "Tell me about risk.",
        "Risk is part of the job, and I stop carrying the client home at night, every "
        "night, which is a long sentence that wraps.",
        "Then there is the risk of burnout."]
    # the first sentence of a turn starts after the label, never inside it
    assert _texts(store, _plan(store, "unsayable", "sentence")) == [
        "Supervision is where I can say the unsayable."]


def test_line_unit_codes_the_numbered_lines_without_the_label(
        store: ProjectStore, transcript: tuple[int, str]) -> None:
    plan = _plan(store, "risk", "line")
    assert _texts(store, plan) == [
        "How do you look after yourself? Tell me about risk.",
        "Honestly I go for a run. Risk is part of the job, and I stop carrying the",
        "Then there is the risk of burnout. It is real."]
    with store.read() as session:
        cited = [row.citation for row in autocoding.passage_rows(session, plan.passages)]
    assert cited == ["[PA, line 2]", "[PA, line 3]", "[PA, line 6]"]


def test_turn_unit_codes_the_speech_and_merges_hits_of_one_turn(
        store: ProjectStore, transcript: tuple[int, str]) -> None:
    plan = _plan(store, "risk", "turn")
    assert plan.found == 3
    assert _texts(store, plan) == [
        "How do you look after yourself? Tell me about risk.",
        TRANSCRIPT.split("\n", 2)[2].split("\nINTERVIEWER")[0].removeprefix("PA: ")]


def test_hits_of_one_sentence_or_neighbouring_sentences_become_one_passage(
        store: ProjectStore, transcript: tuple[int, str]) -> None:
    assert _texts(store, _plan(store, "night", "hit")) == ["night", "night"]  # a comma apart
    assert len(_plan(store, "night", "sentence").passages) == 1
    merged = _texts(store, _plan(store, "honestly job", "sentence"))
    assert merged == ["Honestly I go for a run. Risk is part of the job, and I stop carrying "
                      "the client home at night, every night, which is a long sentence that "
                      "wraps."]


def test_a_span_across_a_speaker_label_is_cut_at_the_label() -> None:
    text = "A: It is real.\nB: And supervision?"
    layout = Layout.of(text, [(0, 14), (15, len(text))], [(0, 3, 14), (15, 18, len(text))])
    across = (text.index("real"), text.index("And") + 3)
    assert [text[a:b] for a, b in unit_span(layout, *across, "hit")] == ["real.", "And"]
    assert [text[a:b] for a, b in unit_span(layout, *across, "sentence")] == [
        "It is real.", "And supervision?"]
    assert speech_pieces(layout, 0, 3) == []  # a hit on a label codes nothing
    assert unit_span(layout, 0, 1, "turn") == []


def test_speaker_plan_takes_every_turn_in_any_case(store: ProjectStore,
                                                   transcript: tuple[int, str]) -> None:
    document_id, _text = transcript
    with store.read() as session:
        plan = autocoding.plan_speaker(session, "interviewer")
        counts = autocoding.speaker_counts(session, document_id)
    assert plan.found == 2
    assert _texts(store, plan) == ["How do you look after yourself? Tell me about risk.",
                                   "And supervision?"]
    assert [(count.label, count.turns, count.spellings) for count in counts] == [
        ("Interviewer", 2, ("Interviewer",)), ("PA", 2, ("PA",))]
    with store.read() as session, pytest.raises(NotFoundError, match="no speaker labelled 'PB'"):
        autocoding.plan_speaker(session, "PB")


def test_real_focus_group_speaker_turns(store: ProjectStore, shared_fixtures: Path) -> None:
    """The course-feedback transcript made by another program: [id1] style labels."""
    with store.transaction("alice") as tx:
        import_document(tx, read_document(shared_fixtures / "course-feedback-transcript.txt"))
    with store.read() as session:
        plan = autocoding.plan_speaker(session, "ID2")
    texts = _texts(store, plan)
    assert len(texts) == 2 and all(not text.startswith("[") for text in texts)
    assert texts[0].startswith("I am struggling with the lecture slides.")
    sentence = _texts(store, _plan(store, "slides", "sentence"))
    assert sentence[0] == "I am struggling with the lecture slides."


def test_passages_already_coded_exactly_are_skipped(store: ProjectStore,
                                                    transcript: tuple[int, str]) -> None:
    document_id, text = transcript
    first = text.index("Tell me about risk.")
    with store.transaction("alice") as tx:
        code_id = codes.create_code(tx, "Risk").new_id("code")
        codings.apply_coding(tx, document_id, code_id, first, first + 19)
    plan = _plan(store, "risk", "sentence", code_id=code_id, coder="alice")
    assert len(plan.passages) == 2
    assert plan.already == (Passage(document_id, first, first + 19),)
    # another coder's coding of that span does not count as this coder's
    assert len(_plan(store, "risk", "sentence", code_id=code_id, coder="bob").passages) == 3


def _rows(store: ProjectStore, code_id: int) -> list[tuple[int, int, int]]:
    with store.read() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(Coding.id, Coding.start, Coding.end).where(Coding.code_id == code_id)
            .order_by(Coding.start))]


def test_service_codes_in_one_audited_step_and_undo_removes_exactly_those(
        store: ProjectStore, transcript: tuple[int, str]) -> None:
    document_id, text = transcript
    earlier = text.index("Supervision helps.")
    with store.transaction("alice") as tx:
        code_id = codes.create_code(tx, "Risk").new_id("code")
        codings.apply_coding(tx, document_id, code_id, earlier, earlier + 18)
    before = _rows(store, code_id)
    with store.read() as session:
        events = event_count(session)
    with store.transaction("alice") as tx:
        plan = autocoding.plan_search(tx.session, "risk", unit="sentence", code_id=code_id,
                                      coder="alice")
        change = autocoding.autocode(tx, code_id, plan)
    new_ids = change.added["coding"]
    assert len(new_ids) == 3
    rows = _rows(store, code_id)
    assert len(rows) == 4
    assert sorted((start, end) for _id, start, end in rows if _id in new_ids) == sorted(
        (p.start, p.end) for p in plan.passages)
    with store.read() as session:
        assert event_count(session) == events + 1
        event = last_event(session)
        assert event.action == "coding.autocode" and event.entity_id == code_id
        _before, after = before_after(event)
    assert after["code"] == "Risk" and after["unit"] == "sentence"
    assert after["source"] == {"search": "risk", "forms": False, "unit": "sentence"}
    assert [row[0] for row in after["codings"]] == new_ids
    assert after["codings"][0][1:] == [document_id, plan.passages[0].start,
                                       plan.passages[0].end]

    with store.transaction("alice") as tx:
        undone = autocoding.remove_autocoded(tx, new_ids)
    assert sorted(undone.removed["coding"]) == sorted(new_ids)
    assert _rows(store, code_id) == before  # the earlier coding stays
    with store.read() as session:
        assert last_event(session).action == "coding.autocode_remove"
        assert event_count(session) == events + 2
    assert_chain_intact(store)


def test_service_refuses_a_merged_code_and_skips_what_became_coded(
        store: ProjectStore, transcript: tuple[int, str]) -> None:
    document_id, _text = transcript
    with store.transaction("alice") as tx:
        code_id = codes.create_code(tx, "Risk").new_id("code")
        other = codes.create_code(tx, "Danger").new_id("code")
    plan = _plan(store, "risk", "hit")
    with store.transaction("alice") as tx:  # coded between the preview and OK
        first = plan.passages[0]
        codings.apply_coding(tx, document_id, code_id, first.start, first.end)
    with store.transaction("alice") as tx:
        change = autocoding.autocode(tx, code_id, plan)
    assert len(change.added["coding"]) == 2
    with store.transaction("alice") as tx:
        codes.merge_codes(tx, [other], code_id)
    with store.transaction("alice") as tx, pytest.raises(InvariantError, match="merged"):
        autocoding.autocode(tx, other, plan)
    with store.read() as session:
        assert session.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "coding.autocode")).scalar_one() == 1


def test_bad_unit_and_empty_query_are_refused(store: ProjectStore,
                                              transcript: tuple[int, str]) -> None:
    with pytest.raises(InvariantError, match="unknown unit 'paragraph'"):
        _plan(store, "risk", "paragraph")
    with pytest.raises(InvariantError, match="needs words"):
        _plan(store, "  ", "hit")


def test_one_document_only(store: ProjectStore, transcript: tuple[int, str],
                           tmp_path: Path) -> None:
    document_id, _text = transcript
    other = tmp_path / "PB interview.txt"
    other.write_text("Interviewer: Any risk?\nPB: No risk at all.\n", encoding="utf-8")
    with store.transaction("alice") as tx:
        other_id = import_document(tx, read_document(other), participant="PB").new_id(
            "document")
    assert {p.document_id for p in _plan(store, "risk", "hit").passages} == {document_id,
                                                                           other_id}
    only = _plan(store, "risk", "hit", document_id=other_id)
    assert [p.document_id for p in only.passages] == [other_id, other_id]
    assert only.documents == 1
    with store.read() as session:
        speaker = autocoding.plan_speaker(session, "interviewer", document_id=other_id)
    assert _texts(store, speaker) == ["Any risk?"]


def test_search_filters_and_word_forms_reach_the_plan(store: ProjectStore,
                                                     transcript: tuple[int, str]) -> None:
    """With the search of issue 12 (scope and word forms): leaving the interviewer out
    leaves out the interviewer's hit; "risks" finds "risk" too."""
    import inspect

    from thematic_workbench.core.finding.scope import Scope
    from thematic_workbench.core.finding.search import search_project

    if "scope" not in inspect.signature(search_project).parameters:
        pytest.skip("this search_project takes no scope yet")
    without = _plan(store, "risk", "sentence",
                    scope=Scope(not_speakers=frozenset({"interviewer"})))
    assert _texts(store, without)[0].startswith("Risk is part of the job")
    assert len(without.passages) == 2
    assert without.source["scope"] == {"not_speakers": ["interviewer"]}
    assert _plan(store, "risks", "hit").passages == ()
    assert len(_plan(store, "risks", "hit", forms=True).passages) == 3
