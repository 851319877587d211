"""Speaker detection: the label forms, the recurrence rule and the turn boundaries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematic_workbench.core.text.speaker_turns import detect_turns, speaker_prefix, timestamp_ms
from thematic_workbench.core.text.textlayout import canonical_text


def _speakers(text: str) -> list[str]:
    return [t.speaker for t in detect_turns(text)]


def _spans(text: str) -> list[tuple[str, str, str]]:
    return [
        (t.speaker, text[t.start : t.speech_start], text[t.speech_start : t.end])
        for t in detect_turns(text)
    ]


@pytest.mark.parametrize(
    ("first", "second", "speaker"),
    [
        ("Interviewer: hi", "Interviewer: bye", "Interviewer"),
        ("INTERVIEWER: hi", "INTERVIEWER: bye", "INTERVIEWER"),
        ("Dr Smith: hi", "Dr Smith: bye", "Dr Smith"),
        ("Dr. O'Neil-Jones: hi", "Dr. O'Neil-Jones: bye", "Dr. O'Neil-Jones"),
        ("P1: hi", "P1: bye", "P1"),
        ("PA: hi", "PA: bye", "PA"),
        ("[id1] hi", "[id1] bye", "id1"),
        ("[Interviewer]: hi", "[Interviewer] bye", "Interviewer"),
        ("Speaker 2: hi", "Speaker 2: bye", "Speaker 2"),
        ("Zoé: hi", "Zoé: bye", "Zoé"),
        ("**Interviewer:** hi", "**Interviewer**: bye", "Interviewer"),
        ("__PA:__ hi", "PA: bye", "PA"),
    ],
)
def test_label_forms(first: str, second: str, speaker: str) -> None:
    assert _speakers(f"{first}\n{second}") == [speaker, speaker]


@pytest.mark.parametrize(
    "paragraph",
    [
        "10:30: we met",
        "At 10:30 we met: it was fine",
        "See http://example.org: a link",
        "Note: remember this",
        "Example: like that",
        "And then he turned round and said: no",
        "Yes, well: that is it",
        "[laughs] yes",
        "[inaudible] maybe",
        "[00:01:23] something",
        "2nd point: this",
        "- Item: value",
    ],
)
def test_prose_is_not_a_label(paragraph: str) -> None:
    assert detect_turns(f"{paragraph}\n{paragraph}\n{paragraph}") == []


def test_turn_boundaries() -> None:
    text = (
        "Interview 3, 12 May\n"
        "\n"
        "  Interviewer:   How was it?\n"
        "\n"
        "PA: Fine.\n"
        "It was fine, really.\n"
        "\n"
        "\n"
        "Interviewer:\n"
        "Go on.\n"
        "PA:"
    )
    turns = detect_turns(text)
    assert _spans(text) == [
        ("Interviewer", "Interviewer:   ", "How was it?"),
        ("PA", "PA: ", "Fine.\nIt was fine, really."),
        ("Interviewer", "Interviewer:\n", "Go on."),
        ("PA", "PA:", ""),
    ]
    assert turns[0].start == text.index("Interviewer:")
    assert turns[-1].speech_start == turns[-1].end == len(text)


def test_recurring_labels_are_matched_ignoring_case_first_spelling_wins() -> None:
    assert _speakers("Interviewer: a\nINTERVIEWER: b\nPA: c\nPA: d") == [
        "Interviewer",
        "Interviewer",
        "PA",
        "PA",
    ]


def test_a_single_prose_label_in_a_long_document_makes_no_turn() -> None:
    prose = [f"This is ordinary paragraph number {i} of an essay." for i in range(99)]
    prose.insert(40, "Basically: the point is made here.")
    assert detect_turns("\n".join(prose)) == []


def test_single_use_names_count_in_a_labelled_transcript() -> None:
    text = "Interviewer: Tell me.\nPA: Well.\nInterviewer: And?\nDr Who: Interrupting!\nPA: Yes."
    assert _speakers(text) == ["Interviewer", "PA", "Interviewer", "Dr Who", "PA"]


def test_single_use_lowercase_label_in_a_transcript_continues_the_turn() -> None:
    text = "Interviewer: Tell me.\nPA: Well.\nin short: it was good\nInterviewer: And?"
    assert _spans(text)[1] == ("PA", "PA: ", "Well.\nin short: it was good")


def test_two_people_who_speak_once_each() -> None:
    assert _speakers("Interviewer: One question?\nParticipant: One answer.") == [
        "Interviewer",
        "Participant",
    ]


def test_a_single_label_is_not_a_transcript() -> None:
    assert detect_turns("Interviewer: hello\nno one else speaks\nat all") == []


def test_timestamps_in_labels() -> None:
    text = "Ann (00:01:23): hi\nBob [1:02:03.5]: hello\n[00:00:07] Ann: again\nBob (05:09): ok"
    turns = detect_turns(text)
    assert [(t.speaker, t.time_start_ms) for t in turns] == [
        ("Ann", 83_000),
        ("Bob", 3_723_500),
        ("Ann", 7_000),
        ("Bob", 309_000),
    ]
    assert text[turns[2].start : turns[2].speech_start] == "[00:00:07] Ann: "


def test_timestamp_parsing() -> None:
    assert timestamp_ms("00:00:01.000") == 1000
    assert timestamp_ms("01:02,5") == 62_500
    assert timestamp_ms("1:00:00") == 3_600_000
    assert timestamp_ms("00:61") is None
    assert timestamp_ms("soon") is None


def test_speaker_prefix_for_captions() -> None:
    assert speaker_prefix("Ann Lee: hello there") == ("Ann Lee", "hello there")
    assert speaker_prefix("Note: not a speaker") is None
    assert speaker_prefix("at 10:30 we met") is None


_piece = st.sampled_from(
    ["Interviewer: ", "PA: ", "[id1] ", "Note: ", "", "  ", "words here", "10:30 ", "x: y", "\n"]
)


@given(st.lists(st.one_of(_piece, st.text(max_size=12)), max_size=40))
def test_turns_are_ordered_and_within_the_text(pieces: list[str]) -> None:
    text = canonical_text("".join(pieces))
    turns = detect_turns(text)
    previous_end = 0
    for turn in turns:
        assert previous_end <= turn.start <= turn.speech_start <= turn.end <= len(text)
        assert turn.start < turn.end
        assert not text[turn.start].isspace()
        assert turn.speaker == turn.speaker.strip() and turn.speaker
        previous_end = turn.end
