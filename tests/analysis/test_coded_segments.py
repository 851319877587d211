"""Coded segments as rows: checked against the database, the text never holds a speaker
label, the filters, the documents panel's order, and a focus group credited by speaker."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.analysis.segments_study import (
    PA_TEXT,
    TWO_TURNS,
    build_study,
    map_group_speakers,
)
from thematic_workbench.analysis.coded_segments import (
    TURN_SEPARATOR,
    SegmentFilter,
    coded_segments,
    count_segments,
    describe,
    segment_choices,
)
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.reports.coded_segments import HEADERS, CodedSegment
from thematic_workbench.core.storage.models import Code, Coder, Coding, Document, Line, Turn
from thematic_workbench.core.storage.store import ProjectStore


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


def _rows(store: ProjectStore, chosen: SegmentFilter | None = None) -> list[CodedSegment]:
    with store.read() as session:
        return coded_segments(session, chosen)


def test_one_row_per_coding_as_the_database_has_it(store: ProjectStore,
                                                   study: dict[str, int]) -> None:
    rows = _rows(store)
    with store.read() as session:
        stored = {coding.id: coding for coding in session.execute(select(Coding)).scalars()}
        assert sorted(row.coding_id for row in rows) == sorted(stored)
        for row in rows:
            coding = stored[row.coding_id]
            document = session.get(Document, coding.document_id)
            assert document is not None
            assert (row.document, row.start, row.end, row.memo, row.created) == (
                document.name, coding.start, coding.end, coding.memo, coding.created_at)
            assert row.code == session.get(Code, coding.code_id).name  # type: ignore[union-attr]
            assert row.coder == session.get(Coder, coding.coder_id).name  # type: ignore[union-attr]
            # the words are the coded text's, each turn's speech in order
            coded = document.text[coding.start:coding.end]
            at = 0
            for piece in row.text.split(TURN_SEPARATOR):
                at = coded.index(piece, at) + len(piece)
            # the lines are those of the table holding the quote's first and last words
            first = coding.start + coded.index(row.text.split(TURN_SEPARATOR)[0][:8])
            last = coding.start + coded.rindex(row.text[-3:]) + 2
            numbers = [session.execute(select(Line.number).where(
                Line.document_id == document.id, Line.start <= point)
                .order_by(Line.start.desc()).limit(1)).scalar_one() for point in (first, last)]
            assert row.lines == (str(numbers[0]) if numbers[0] == numbers[1]
                                 else f"{numbers[0]}-{numbers[1]}")
            # the speaker is the one whose turn the coding starts in
            speaker = session.execute(select(Turn.speaker).where(
                Turn.document_id == document.id, Turn.start <= coding.start)
                .order_by(Turn.start.desc()).limit(1)).scalar_one()
            assert row.speaker == speaker
    assert len(HEADERS) == len(rows[0].cells())


def test_a_coding_over_two_turns_has_no_speaker_label(store: ProjectStore,
                                                      study: dict[str, int]) -> None:
    row = next(r for r in _rows(store) if r.coding_id == study["across"])
    assert row.text == f"I run every morning before work.{TURN_SEPARATOR}And supervision?"
    assert "INT" not in row.text and "PA:" not in row.text
    assert (row.lines, row.speaker, row.participant) == ("2-3", "PA", "PA")
    assert PA_TEXT[row.start:row.end] == TWO_TURNS  # the coding itself is as stored
    whole_line = next(r for r in _rows(store) if r.coding_id == study["lines"])
    assert whole_line.text.startswith("Supervision is where")
    assert whole_line.lines == "4"


def test_themes_and_details(store: ProjectStore, study: dict[str, int]) -> None:
    rows = {row.coding_id: row for row in _rows(store)}
    run = rows[study["run"]]
    assert (run.code, run.emerging_themes, run.final_themes) == (
        "Running", "Routines", "Care of self")
    assert (run.memo, run.coder) == ("before the clients", "alice")
    laugh = rows[study["laugh"]]
    assert (laugh.emerging_themes, laugh.final_themes) == ("Being held", "")


def test_rows_follow_the_documents_panel_then_the_text(store: ProjectStore,
                                                       study: dict[str, int]) -> None:
    rows = _rows(store)
    # participants without regard to case ("bo" before "PA"), no participant last
    assert [row.document for row in rows] == ["bo interview"] * 2 + ["PA interview"] * 3 + \
        ["Focus group 1"] * 2
    pa = [row.start for row in rows if row.document == "PA interview"]
    assert pa == sorted(pa)


def test_filter_by_code_and_theme(store: ProjectStore, study: dict[str, int]) -> None:
    assert {r.coding_id for r in _rows(store, SegmentFilter(codes=("running",)))} == \
        {study["run"]}
    # a final theme gives the codes of its emerging themes
    final = {r.code for r in _rows(store, SegmentFilter(themes=("Care of self",)))}
    assert final == {"Running", "Rest"}
    both = _rows(store, SegmentFilter(codes=("Humour",), themes=("Routines",)))
    assert {r.code for r in both} == {"Humour", "Running", "Rest"}
    with pytest.raises(NotFoundError, match="no code named 'Sleep'"):
        _rows(store, SegmentFilter(codes=("Sleep",)))
    with pytest.raises(NotFoundError, match="no theme named 'Joy'"):
        _rows(store, SegmentFilter(themes=("Joy",)))


def test_filter_by_participant_and_attribute(store: ProjectStore,
                                             study: dict[str, int]) -> None:
    pa = _rows(store, SegmentFilter(participants=("pa",)))
    assert {r.coding_id for r in pa} == {study["run"], study["across"], study["lines"]}
    nurses = _rows(store, SegmentFilter(attributes=(("Profession", "Nurse"),)))
    assert {r.coding_id for r in nurses} == {study["laugh"], study["walk"]}
    narrowed = _rows(store, SegmentFilter(codes=("Rest",), attributes=(("profession", "nurse"),)))
    assert [r.coding_id for r in narrowed] == [study["walk"]]
    with pytest.raises(NotFoundError, match="no participant labelled 'PZ'"):
        _rows(store, SegmentFilter(participants=("PZ",)))
    with pytest.raises(NotFoundError, match="no attribute named 'age'"):
        _rows(store, SegmentFilter(attributes=(("age", "40"),)))


def test_exactly_the_codings_given(store: ProjectStore, study: dict[str, int]) -> None:
    chosen = frozenset({study["cook"], study["run"]})
    assert [r.coding_id for r in _rows(store, SegmentFilter(coding_ids=chosen))] == \
        [study["run"], study["cook"]]
    assert _rows(store, SegmentFilter(coding_ids=frozenset())) == []


def test_a_focus_group_credits_the_speaker(store: ProjectStore, study: dict[str, int]) -> None:
    before = {r.coding_id: r for r in _rows(store)}
    assert before[study["cook"]].participant == ""  # the transcript belongs to nobody
    assert before[study["cook"]].speaker == "Ben"
    map_group_speakers(store, study)
    after = {r.coding_id: r for r in _rows(store)}
    assert (after[study["phone"]].participant, after[study["cook"]].participant) == (
        "Anna", "Ben")
    ben = _rows(store, SegmentFilter(participants=("Ben",)))
    assert [r.coding_id for r in ben] == [study["cook"]]
    psychologists = _rows(store, SegmentFilter(attributes=(("profession", "psychologist"),)))
    assert {r.participant for r in psychologists} == {"PA", "Ben"}


def test_described_for_a_caption() -> None:
    assert describe(SegmentFilter()) == "Every coding"
    assert describe(SegmentFilter(codes=("Rest", "Humour"), participants=("PA",))) == \
        "Codes \N{LEFT SINGLE QUOTATION MARK}Rest\N{RIGHT SINGLE QUOTATION MARK} or " \
        "\N{LEFT SINGLE QUOTATION MARK}Humour\N{RIGHT SINGLE QUOTATION MARK}; participant PA"


@pytest.mark.parametrize("chosen", [
    SegmentFilter(), SegmentFilter(codes=("Rest",)), SegmentFilter(themes=("Care of self",)),
    SegmentFilter(participants=("bo", "PA")), SegmentFilter(attributes=(("profession", "nurse"),)),
    SegmentFilter(codes=("Rest",), participants=("Ben",)),
])
def test_the_count_is_the_number_of_rows(store: ProjectStore, study: dict[str, int],
                                         chosen: SegmentFilter) -> None:
    map_group_speakers(store, study)
    with store.read() as session:
        assert count_segments(session, chosen) == len(coded_segments(session, chosen))
        listed = SegmentFilter(codes=("Rest",), coding_ids=frozenset({study["walk"],
                                                                       study["run"]}))
        assert count_segments(session, listed) == 1


def test_what_the_filters_can_be_set_to(store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        choices = segment_choices(session)
    assert choices.codes == ("Humour", "Rest", "Running", "Support")
    assert choices.themes == (("Care of self", "final"), ("Routines", "emerging"),
                              ("Being held", "emerging"))
    assert choices.participants == ("Anna", "Ben", "bo", "PA")
    assert choices.attribute_values == (("profession", "nurse"), ("profession", "psychologist"))


def test_rows_quote_as_the_extracts_list_does(store: ProjectStore,
                                              study: dict[str, int]) -> None:
    """Within one turn, the words and lines are the extract's own (its citation's)."""
    from thematic_workbench.core.queries.project import extracts_of_code

    rows = {row.coding_id: row for row in _rows(store)}
    with store.read() as session:
        for code in ("Running", "Rest", "Humour", "Support"):
            code_id = study[code]
            for extract in extracts_of_code(session, code_id):
                row = rows[extract.coding_id]
                if TURN_SEPARATOR in row.text:
                    continue
                lines = str(extract.first_line) if extract.first_line == extract.last_line \
                    else f"{extract.first_line}-{extract.last_line}"
                assert (row.text, row.lines) == (extract.text, lines)
