"""Quotes without speaker labels: the one rule for where a quoted passage starts and ends.

A transcript line often opens with its speaker's label (``PK: ``, ``[Interviewer]``). The
label is the transcriber's, not the participant's words, so it never belongs in a quote:

* coding whole lines (``code --lines``, dragging over line numbers) starts after the label
  of a turn that opens on the first line;
* an extract shown anywhere (the extracts list, review views, the extracts report, a
  theme's representative extract, copying with a citation) leaves out a label at its start
  or end, so codings made before this rule are shown without theirs. The coding's stored
  span is data and stays as it is.

Labels are ``text[turn.start:turn.speech_start]`` of the document's turns. White space
around a quote goes too. A span that holds nothing but labels and white space is left
whole: there is nothing else to show.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Protocol

from thematic_workbench.core.text.textlayout import LineSpan, line_range_span


class LabelledTurn(Protocol):
    """Anything with a turn's ``start`` and ``speech_start`` (ORM rows, plain records)."""

    @property
    def start(self) -> int: ...

    @property
    def speech_start(self) -> int: ...


class SpeakerLabels:
    """The label spans ``[start, speech_start)`` of a document's turns, for quick lookup."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        found = sorted((start, end) for start, end in spans if end > start)
        self._starts = [start for start, _end in found]
        self._ends = [end for _start, end in found]

    @classmethod
    def of(cls, turns: Iterable[LabelledTurn]) -> SpeakerLabels:
        return cls((turn.start, turn.speech_start) for turn in turns)

    def __len__(self) -> int:
        return len(self._starts)

    def containing(self, position: int) -> tuple[int, int] | None:
        """The label that holds the character at ``position``, if one does."""
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self._ends[index]:
            return self._starts[index], self._ends[index]
        return None


def _labels(turns: SpeakerLabels | Iterable[LabelledTurn]) -> SpeakerLabels:
    return turns if isinstance(turns, SpeakerLabels) else SpeakerLabels.of(turns)


def trim_quote(piece: str, offset: int,
               turns: SpeakerLabels | Iterable[LabelledTurn]) -> tuple[int, int]:
    """The quote within ``piece`` (the text from position ``offset``) as a span of the whole
    text: leading and trailing labels and white space left out."""
    labels = _labels(turns)
    start, end = offset, offset + len(piece)
    while start < end:
        if piece[start - offset].isspace():
            start += 1
            continue
        label = labels.containing(start)
        if label is None:
            break
        start = label[1]
    while end > start:
        if piece[end - 1 - offset].isspace():
            end -= 1
            continue
        label = labels.containing(end - 1)
        if label is None:
            break
        end = label[0]
    if start >= end:  # only labels and white space: show it as it is
        return offset, offset + len(piece)
    return start, end


def quote_span(text: str, turns: SpeakerLabels | Iterable[LabelledTurn], start: int,
               end: int) -> tuple[int, int]:
    """``[start, end)`` of ``text`` without a speaker label or white space at either end."""
    return trim_quote(text[start:end], start, turns)


def quote_text(text: str, turns: SpeakerLabels | Iterable[LabelledTurn], start: int,
               end: int) -> str:
    """The words of ``text[start:end]`` as quoted: no speaker label at either end."""
    first, last = quote_span(text, turns, start, end)
    return text[first:last]


def lines_quote_span(text: str, lines: Sequence[LineSpan],
                     turns: SpeakerLabels | Iterable[LabelledTurn], first: int,
                     last: int) -> tuple[int, int]:
    """Whole lines ``first``..``last`` as coded: from after the speaker label that opens the
    first line (if any) to the end of the last. The CLI and the window both code lines so."""
    start, end = line_range_span(lines, first, last)
    return trim_quote(text[start:end], start, turns)[0], end
