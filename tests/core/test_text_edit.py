"""Positions under a text edit: every span keeps its own words (plus the new text where it
touched the edit), and untouched spans come back exactly under the opposite edit."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematic_workbench.core.text.line_edit import Relined, reline
from thematic_workbench.core.text.text_diff import replacements_between
from thematic_workbench.core.text.text_edit import EditSet, TextEdit
from thematic_workbench.core.text.textlayout import (
    LineSpan,
    compute_lines,
    line_range_span,
    lines_of_span,
)

TEXTS = st.text(alphabet="ab \nÄ", min_size=1, max_size=30)


@st.composite
def edits_and_spans(draw: st.DrawFn) -> tuple[str, TextEdit, int, int]:
    text = draw(TEXTS)
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, len(text)))
    new = draw(st.text(alphabet="xy\n", max_size=6))
    s = draw(st.integers(0, len(text) - 1))
    e = draw(st.integers(s + 1, len(text)))
    return text, TextEdit(a, b, new), s, e


@given(edits_and_spans())
def test_a_span_keeps_its_own_words_and_takes_in_the_new_text(
        case: tuple[str, TextEdit, int, int]) -> None:
    text, edit, s, e = case
    after = edit.apply(text)
    moved = edit.span(s, e)
    if e <= edit.start or s >= edit.end:  # wholly before or after: the same words
        expected = text[s:e]
    else:  # its own words on either side, and the new text between
        expected = (text[s:edit.start] if s < edit.start else "") + edit.new + \
            (text[edit.end:e] if e > edit.end else "")
    if moved is None:
        assert expected == ""
    else:
        assert moved[0] < moved[1]
        assert after[moved[0]:moved[1]] == expected


@given(edits_and_spans())
def test_untouched_spans_come_back_exactly_under_the_opposite_edit(
        case: tuple[str, TextEdit, int, int]) -> None:
    text, edit, s, e = case
    undo = edit.inverse(text[edit.start:edit.end])
    assert undo.apply(edit.apply(text)) == text
    if edit.untouched(s, e):
        moved = edit.span(s, e)
        assert moved is not None and undo.span(*moved) == (s, e)


def test_a_name_replaced_by_a_pseudonym_keeps_its_coding() -> None:
    text = "I told Dr Smith about it."
    edit = TextEdit(text.index("Smith"), text.index("Smith") + 5, "P3")
    assert edit.apply(text) == "I told Dr P3 about it."
    named = edit.span(text.index("Dr"), text.index("Smith") + 5)
    assert named is not None and edit.apply(text)[named[0]:named[1]] == "Dr P3"
    assert edit.span(text.index("Smith"), text.index("Smith") + 5) == (10, 12)
    assert TextEdit(7, 16, "").span(10, 15) is None  # deleted with its words


def test_no_span_of_negative_length() -> None:
    with pytest.raises(ValueError, match="no span"):
        TextEdit(5, 3, "x")


def test_line_numbers_with_a_gap_left_by_joined_lines() -> None:
    lines = [LineSpan(1, 0, 10), LineSpan(2, 11, 30), LineSpan(4, 31, 40)]  # 3 was joined
    starts, numbers = [line.start for line in lines], [line.number for line in lines]
    assert lines_of_span(starts, 32, 35, numbers) == (4, 4)
    assert lines_of_span(starts, 5, 35, numbers) == (1, 4)
    assert line_range_span(lines, 2, 4) == (11, 40)
    assert line_range_span(lines, 3, 4) == (31, 40)  # from the first line that exists
    with pytest.raises(ValueError, match="outside 1-4"):
        line_range_span(lines, 4, 5)


TRANSCRIPT = ("PA: I saw Mr Smith at Leeds.\n"
              "INTERVIEWER: And then?\n"
              "PA: He called me on 07700 900123.\n")


def _relined(edit: TextEdit) -> tuple[str, Relined]:
    after = edit.apply(TRANSCRIPT)
    return after, reline(compute_lines(TRANSCRIPT), edit, after)


def _numbered(after: str, relined: Relined) -> dict[int, str]:
    return {line.number: after[line.start:line.end] for line in relined.lines}


def test_a_word_replaced_keeps_every_line_number() -> None:
    start = TRANSCRIPT.index("Smith")
    after, relined = _relined(TextEdit(start, start + 5, "P7"))
    assert _numbered(after, relined) == {1: "PA: I saw Mr P7 at Leeds.",
                                         2: "INTERVIEWER: And then?",
                                         3: "PA: He called me on 07700 900123."}
    assert relined.changed == () and not relined.describe()  # line 1 only grew around it


def test_a_removed_line_leaves_a_gap_and_the_others_keep_their_numbers() -> None:
    start = TRANSCRIPT.index("INTERVIEWER")
    after, relined = _relined(TextEdit(start, TRANSCRIPT.index("PA: He"), ""))
    assert _numbered(after, relined) == {1: "PA: I saw Mr Smith at Leeds.",
                                         3: "PA: He called me on 07700 900123."}
    assert relined.gone == (2,)
    assert relined.describe() == ["line 2 no longer numbered (their words were removed or "
                                  "joined to the line before)"]


def test_words_typed_at_either_end_of_a_line_belong_to_it() -> None:
    end = TRANSCRIPT.index("\n")
    after, relined = _relined(TextEdit(end, end, " Twice."))
    assert _numbered(after, relined)[1] == "PA: I saw Mr Smith at Leeds. Twice."
    after, relined = _relined(TextEdit(TRANSCRIPT.index("INTERVIEWER"),
                                       TRANSCRIPT.index("INTERVIEWER"), "[00:12] "))
    assert _numbered(after, relined)[2] == "[00:12] INTERVIEWER: And then?"


def test_a_line_break_typed_inside_a_line_is_said() -> None:
    at = TRANSCRIPT.index(" at Leeds")
    after, relined = _relined(TextEdit(at, at + 1, "\n"))
    assert _numbered(after, relined)[1] == "PA: I saw Mr Smith\nat Leeds."
    assert relined.split == (1,)
    typed = len(TRANSCRIPT) - 1
    after, relined = _relined(TextEdit(typed, typed, "\nPA: And again."))
    assert relined.unnumbered == 1 and len(relined.lines) == 3


def test_two_lines_joined_keep_both_numbers() -> None:
    end = TRANSCRIPT.index("\n")
    after, relined = _relined(TextEdit(end, end + 1, " "))
    assert set(_numbered(after, relined)) == {1, 2, 3} and not relined.gone


@given(st.text(alphabet="ab .\nÄ", max_size=40), st.text(alphabet="ab .\nÄx", max_size=40))
def test_the_replacements_between_two_texts_make_the_second(old: str, new: str) -> None:
    found = replacements_between(old, new)
    text = old
    for start, end, words in reversed(found):
        text = text[:start] + words + text[end:]
    assert text == new
    assert all(a[1] <= b[0] for a, b in pairwise(found))


def test_two_corrections_far_apart_are_two_small_replacements() -> None:
    old = "I saw Mr Smith at Leeds. Then John called."
    new = "I saw Mr P7 at Leeds. Then C1 called."
    assert replacements_between(old, new) == [(9, 14, "P7"), (30, 34, "C1")]


@st.composite
def edit_sets(draw: st.DrawFn) -> tuple[str, list[TextEdit], int, int]:
    text = draw(st.text(alphabet="ab \nÄ", min_size=1, max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if edits and (edits[-1].end > a or edits[-1].start == edits[-1].end == a):
            continue
        edits.append(TextEdit(a, b, draw(st.text(alphabet="xy\n", max_size=4))))
    s = draw(st.integers(0, len(text) - 1))
    return text, edits, s, draw(st.integers(s + 1, len(text)))


@given(edit_sets())
def test_an_edit_set_maps_as_the_edits_one_by_one_from_the_last(
        case: tuple[str, list[TextEdit], int, int]) -> None:
    text, edits, s, e = case
    together = EditSet(edits)
    one_by_one, span, point = text, (s, e), s
    for edit in reversed(edits):
        one_by_one = edit.apply(one_by_one)
        span = edit.span(*span) if span is not None else None
        point = edit.point(point)
    assert together.apply(text) == one_by_one
    assert together.span(s, e) == span
    assert together.point(s) == point
