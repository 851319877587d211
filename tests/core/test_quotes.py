"""No speaker label in a quote: coding lines starts after the label, extracts leave it out,
and the interviewer is told from the participants."""

from __future__ import annotations

from dataclasses import replace
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.extracts_report import extracts_by_id
from thematic_workbench.core.queries.project import extracts_of_code
from thematic_workbench.core.queries.refi_export import read_project_export
from thematic_workbench.core.queries.transcript_data import TurnSpan
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.quotes import (
    SpeakerLabels,
    lines_quote_span,
    quote_span,
    quote_text,
)
from thematic_workbench.core.text.speaker_roles import (
    EVERYONE,
    INTERVIEWER,
    SpeakerChoice,
    interviewers,
    names_the_interviewer,
)
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.core.text.textlayout import compute_lines
from thematic_workbench.io.refi.qdpx_write import project_xml

TEXT = ("Interviewer: What is it like?\n"
        "PK: They are sent to me. 🙂 Naïve ideas of trust go quickly.\n"
        "Interviewer:\n"
        "And then?\n"
        "PK: Then, slowly, something like an alliance.")


def _turns(text: str = TEXT) -> list[TurnSpan]:
    return [TurnSpan(t.speaker, t.start, t.end, t.speech_start) for t in detect_turns(text)]


# -- the rule, without a project -----------------------------------------------------------
def test_a_label_and_white_space_at_either_end_are_left_out() -> None:
    turns = _turns()
    pk = TEXT.index("PK: They")
    end = TEXT.index("quickly.") + len("quickly.")
    assert quote_text(TEXT, turns, pk, end) == "They are sent to me. 🙂 Naïve ideas of trust " \
                                               "go quickly."
    # from the middle of a label, and across a label that ends the span
    assert quote_text(TEXT, turns, pk + 1, TEXT.index("And then?")) == \
        TEXT[TEXT.index("They"):end]
    # a label in the middle of a passage that crosses turns stays: it says who speaks
    both = quote_text(TEXT, turns, pk, len(TEXT))
    assert both.startswith("They are") and "\nPK: Then" in both
    # nothing to trim
    start = TEXT.index("Naïve")
    assert quote_span(TEXT, turns, start, start + 5) == (start, start + 5)


def test_a_span_of_nothing_but_a_label_is_left_whole() -> None:
    turns = _turns()
    start = TEXT.index("Interviewer:\n")
    assert quote_span(TEXT, turns, start, start + len("Interviewer:")) == \
        (start, start + len("Interviewer:"))


def test_a_text_without_turns_is_trimmed_of_white_space_only() -> None:
    text = "PK: words\n"
    assert quote_span(text, SpeakerLabels(), 0, len(text)) == (0, len("PK: words"))


def test_whole_lines_start_after_the_first_lines_label() -> None:
    turns, lines = _turns(), compute_lines(TEXT, 80)
    assert lines_quote_span(TEXT, lines, turns, 2, 2) == \
        (TEXT.index("They"), lines[1].end)
    # a label alone on its line: the quote starts on the next line
    assert lines_quote_span(TEXT, lines, turns, 3, 4) == \
        (TEXT.index("And then?"), lines[3].end)
    # a line without a label starts where it starts
    assert lines_quote_span(TEXT, lines, turns, 4, 4) == (lines[3].start, lines[3].end)


# -- the interviewer -----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Interviewer", "INTERVIEWER", "INT", "I", "Q", "IV",
                                  "Interviewer 2", "INT1", "Researcher", "Moderator"])
def test_labels_that_name_the_role_are_the_interviewer(name: str) -> None:
    assert names_the_interviewer(name)


@pytest.mark.parametrize("name", ["PK", "P1", "Dr Smith", "Isla", "Integrity", "Quinn"])
def test_names_of_people_are_not(name: str) -> None:
    assert not names_the_interviewer(name)


def test_the_other_speaker_of_a_two_speaker_interview_is_the_interviewer() -> None:
    assert interviewers({"Dr Smith", "PK"}, "PK") == {"Dr Smith"}
    assert interviewers({"Dr Smith", "PK"}, None) == set()
    assert interviewers({"Dr Smith", "PK", "PL"}, "PK") == set()  # a focus group: no guess
    assert interviewers({"INT", "PK", "PL"}, "PK") == {"INT"}


def test_a_choice_of_speakers_gives_the_words_that_count() -> None:
    turns = _turns()
    words = [TEXT[a:b] for a, b in SpeakerChoice().spans(turns, len(TEXT), "PK")]
    assert words == ["They are sent to me. 🙂 Naïve ideas of trust go quickly.",
                     "Then, slowly, something like an alliance."]
    asked = [TEXT[a:b] for a, b in SpeakerChoice(INTERVIEWER).spans(turns, len(TEXT))]
    assert asked == ["What is it like?", "And then?"]
    assert SpeakerChoice(EVERYONE).spans(turns, len(TEXT)) == [(0, len(TEXT))]
    assert len(SpeakerChoice.named(["pk"]).spans(turns, len(TEXT))) == 2
    assert SpeakerChoice().spans([], 40) == [(0, 40)]  # no turns: all the participant's
    assert SpeakerChoice(INTERVIEWER).spans([], 40) == []
    with pytest.raises(ValueError, match="unknown choice"):
        SpeakerChoice("nobody")


# -- in a project ----------------------------------------------------------------------------
@pytest.fixture
def project(store: ProjectStore) -> tuple[ProjectStore, int, int]:
    document = replace(imported(TEXT), turns=tuple(detect_turns(TEXT)))
    with store.transaction("alice") as tx:
        doc = import_document(tx, document, participant="PK").new_id("document")
        code = codes.create_code(tx, "Trust").new_id("code")
    return store, doc, code


def _spans(store: ProjectStore) -> list[tuple[int, int]]:
    with store.read() as session:
        return sorted((start, end) for start, end in session.execute(
            select(Coding.start, Coding.end)))


def test_coding_lines_starts_after_the_label_and_uncoding_takes_whole_lines(
        project: tuple[ProjectStore, int, int]) -> None:
    store, doc, code = project
    lines = compute_lines(TEXT, 80)
    with store.transaction("alice") as tx:
        codings.code_lines(tx, doc, code, 2, 2)
        assert codings.lines_quote_span(tx, doc, 3, 4) == (TEXT.index("And then?"),
                                                           lines[3].end)
    assert _spans(store) == [(TEXT.index("They"), lines[1].end)]
    with store.transaction("alice") as tx:
        codings.uncode_lines(tx, doc, code, 2, 2)
    assert _spans(store) == []


def test_extracts_leave_out_a_label_an_older_coding_holds(
        project: tuple[ProjectStore, int, int]) -> None:
    store, doc, code = project
    lines = compute_lines(TEXT, 80)
    with store.transaction("alice") as tx:  # as the window used to code lines 2 and 3-4
        first = codings.apply_coding(tx, doc, code, lines[1].start, lines[1].end)
        second = codings.apply_coding(tx, doc, code, lines[2].start, lines[3].end)
        ids = [first.new_id("coding"), second.new_id("coding")]
    with store.read() as session:
        shown = extracts_of_code(session, code)
        reported = extracts_by_id(session, ids)
    assert [e.text for e in shown] == [
        "They are sent to me. 🙂 Naïve ideas of trust go quickly.", "And then?"]
    assert [reported[i].text for i in ids] == [e.text for e in shown]
    # the quote's span and lines: the label alone on line 3 is not cited
    assert (shown[1].start, shown[1].end) == (TEXT.index("And then?"), lines[3].end)
    assert [e.citation for e in shown] == ["[PK, line 2]", "[PK, line 4]"]
    assert _spans(store) == [(lines[1].start, lines[1].end),
                             (lines[2].start, lines[3].end)]  # the data is unchanged


def test_a_qdpx_selection_keeps_its_span_and_is_named_without_the_label(
        project: tuple[ProjectStore, int, int]) -> None:
    """Positions are the coding's (data that other tools read back); the name other tools
    list the quotation by is its words."""
    store, doc, code = project
    lines = compute_lines(TEXT, 80)
    with store.transaction("alice") as tx:
        codings.apply_coding(tx, doc, code, lines[1].start, lines[1].end)
    with store.read() as session:
        xml, _files, _summary = project_xml(read_project_export(session))
    [selection] = ElementTree.fromstring(xml).iter(
        "{urn:QDA-XML:project:1.0}PlainTextSelection")
    assert (selection.get("startPosition"), selection.get("endPosition")) == \
        (str(lines[1].start), str(lines[1].end))
    assert selection.get("name", "").startswith("They are sent to me.")
