"""Canonical text and the stable line map: examples and hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from thematic_workbench.core.text.textlayout import (
    MAX_WRAP,
    MIN_WRAP,
    LineSpan,
    canonical_text,
    compute_lines,
    find_exact,
    join_paragraphs,
    line_range_span,
    lines_of_span,
)

# Text made of what transcripts hold: words, spaces, tabs, every kind of line end, accents
# written decomposed, emoji, NULs and BOMs that canonical_text must drop.
_alphabet = st.sampled_from(
    [*"abc xyz  \t\n\n\r", "\r\n", "e\u0301", "é", "😀", "\u2028", "\ufeff", "\x00", "—"]
)
raw_texts = st.lists(st.one_of(_alphabet, st.text(min_size=1, max_size=30)), max_size=60).map(
    "".join
)
long_words = st.lists(
    st.one_of(st.just(" "), st.just("\n"), st.text("abcdefghij", min_size=1, max_size=120)),
    max_size=30,
).map("".join)
widths = st.integers(min_value=MIN_WRAP, max_value=120)


def _check_lines(text: str, lines: list[LineSpan], wrap: int) -> None:
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    previous_end = 0
    for line in lines:
        assert 0 <= previous_end <= line.start < line.end <= len(text)
        assert "\n" not in text[line.start : line.end]
        assert line.end - line.start <= wrap
        previous_end = line.end
    covered = [0] * len(text)
    for line in lines:
        for i in range(line.start, line.end):
            covered[i] += 1
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i] == 1, (i, ch)


@given(raw_texts)
def test_canonical_text_is_idempotent_and_clean(raw: str) -> None:
    text = canonical_text(raw)
    assert canonical_text(text) == text
    for bad in ("\r", "\x00", "\ufeff", "\u2028", "\u2029", "\x0c"):
        assert bad not in text
    assert not text.endswith("\n")


@given(raw_texts, widths)
def test_lines_partition_the_visible_text(raw: str, wrap: int) -> None:
    text = canonical_text(raw)
    _check_lines(text, compute_lines(text, wrap), wrap)


@given(long_words, widths)
def test_long_words_and_paragraphs_wrap_within_the_width(text: str, wrap: int) -> None:
    text = canonical_text(text)
    lines = compute_lines(text, wrap)
    _check_lines(text, lines, wrap)
    for line in lines:
        # A wrapped piece breaks after white space unless one word fills the whole width.
        nl = text.find("\n", line.end)
        paragraph_end = len(text) if nl == -1 else nl
        if line.end < paragraph_end and not text[line.end - 1].isspace():
            assert line.end - line.start == wrap


@given(raw_texts, widths)
def test_the_line_map_is_stable(raw: str, wrap: int) -> None:
    text = canonical_text(raw)
    assert compute_lines(text, wrap) == compute_lines(text, wrap)


@given(raw_texts, widths, st.data())
def test_line_ranges_and_spans_agree(raw: str, wrap: int, data: st.DataObject) -> None:
    text = canonical_text(raw)
    lines = compute_lines(text, wrap)
    assume(lines)
    starts = [line.start for line in lines]
    first = data.draw(st.integers(1, len(lines)))
    last = data.draw(st.integers(first, len(lines)))
    start, end = line_range_span(lines, first, last)
    assert (start, end) == (lines[first - 1].start, lines[last - 1].end)
    assert lines_of_span(starts, start, end) == (first, last)
    assert line_range_span(lines, last, first) == (start, end)
    # Any span inside one line maps back to that line.
    line = lines[first - 1]
    a = data.draw(st.integers(line.start, line.end - 1))
    b = data.draw(st.integers(a + 1, line.end))
    assert lines_of_span(starts, a, b) == (first, first)


def test_examples() -> None:
    text = canonical_text("Interviewer: hello\r\n\r\nPA: " + "word " * 20 + "\n\n\n")
    assert text == "Interviewer: hello\n\nPA: " + "word " * 20
    lines = compute_lines(text, 40)
    assert [text[line.start : line.end] for line in lines] == [
        "Interviewer: hello",
        "PA: word word word word word word word ",
        "word word word word word word word word ",
        "word word word word word ",
    ]
    assert [line.number for line in lines] == [1, 2, 3, 4]
    assert join_paragraphs(["a", "", "b\r\nc", "", ""]) == "a\n\nb\nc"
    assert find_exact("abab", "b") == [1, 3]
    assert find_exact("e\u0301 e\u0301", "é") == []  # the text is canonical; the needle is NFC
    assert find_exact(canonical_text("e\u0301 e\u0301"), "e\u0301") == [0, 2]


def test_a_word_longer_than_the_width_is_cut() -> None:
    text = "x" * 50
    assert [(line.start, line.end) for line in compute_lines(text, 20)] == [
        (0, 20),
        (20, 40),
        (40, 50),
    ]


def test_no_numbered_line_is_blank_even_in_a_long_run_of_spaces() -> None:
    text = "word" + " " * 50 + "x"
    assert all(text[line.start : line.end].strip() for line in compute_lines(text, 20))


def test_errors() -> None:
    with pytest.raises(ValueError, match="wrap width"):
        compute_lines("text", MIN_WRAP - 1)
    with pytest.raises(ValueError, match="wrap width"):
        compute_lines("text", MAX_WRAP + 1)
    with pytest.raises(ValueError, match="no numbered lines"):
        line_range_span([], 1, 1)
    with pytest.raises(ValueError, match="outside"):
        line_range_span(compute_lines("a\nb", 20), 1, 3)
    assert lines_of_span([], 0, 1) == (0, 0)
    assert compute_lines("", 20) == []
    assert compute_lines("\n  \n\t", 20) == []
