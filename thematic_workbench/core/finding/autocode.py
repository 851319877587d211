"""Which passages autocoding codes: from search hits or speaker turns to spans, by unit.

Pure functions over one document's text, line map and turns (no database), so the preview,
the command line and the service agree on every span. The unit says how much around a hit
is coded:

* ``hit``: the words matched;
* ``sentence``: the sentence holding the hit, within its paragraph and its turn's speech;
* ``line``: the numbered line(s) holding the hit;
* ``turn``: the speech of the speaker turn holding the hit (outside any turn: its
  paragraph).

Whatever the unit, a passage never holds a speaker label (``core.quotes``: the label is the
transcriber's, not the speaker's words) nor crosses from one turn into another: a span
that would is cut there, and white space at either end goes. Passages of one document that
overlap, or lie in one turn with nothing but white space between them, become one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from thematic_workbench.core.finding.scope import speaker_key

HIT, SENTENCE, LINE, TURN = "hit", "sentence", "line", "turn"
UNITS = (HIT, SENTENCE, LINE, TURN)

# A sentence ends with . ! ? or … (a run of them), closing quotes or brackets after it,
# then white space or the end of the paragraph. "Dr. Smith" splits: no list of
# abbreviations guesses right in every language, and a split sentence is still coded whole
# around the hit.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")


class Passage(NamedTuple):
    """A span of a document to code (code points, end exclusive)."""

    document_id: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Layout:
    """What the units need of one document: its text, line map and turns (in text order)."""

    text: str
    line_starts: Sequence[int] = ()
    line_ends: Sequence[int] = ()
    turn_starts: Sequence[int] = ()
    turn_speech: Sequence[int] = ()
    turn_ends: Sequence[int] = ()

    @classmethod
    def of(cls, text: str, lines: Iterable[tuple[int, int]] = (),
           turns: Iterable[tuple[int, int, int]] = ()) -> Layout:
        """From ``(start, end)`` lines and ``(start, speech_start, end)`` turns."""
        line_rows = sorted(lines)
        turn_rows = sorted(turns)
        return cls(text, [row[0] for row in line_rows], [row[1] for row in line_rows],
                   [row[0] for row in turn_rows], [row[1] for row in turn_rows],
                   [row[2] for row in turn_rows])

    def turn_at(self, position: int) -> int | None:
        """The index of the turn holding ``position`` (its label included), if one does."""
        index = bisect_right(self.turn_starts, position) - 1
        if index >= 0 and position < self.turn_ends[index]:
            return index
        return None

    def region(self, position: int) -> tuple[int, bool]:
        """Which turn (``True``) or stretch between turns (``False``) holds ``position``."""
        index = bisect_right(self.turn_starts, position) - 1
        return index, index >= 0 and position < self.turn_ends[index]

    def region_bounds(self, position: int) -> tuple[int, int]:
        """The speech of the turn holding ``position``, or the text between turns."""
        index, inside = self.region(position)
        if inside:
            return self.turn_speech[index], self.turn_ends[index]
        low = self.turn_ends[index] if index >= 0 else 0
        high = self.turn_starts[index + 1] if index + 1 < len(self.turn_starts) \
            else len(self.text)
        return low, high

    def paragraph_bounds(self, position: int) -> tuple[int, int]:
        """The paragraph (between hard line breaks) holding ``position``."""
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return start, len(self.text) if end == -1 else end

    def bounds(self, position: int) -> tuple[int, int]:
        """The paragraph holding ``position``, within its turn's speech."""
        para_start, para_end = self.paragraph_bounds(position)
        low, high = self.region_bounds(position)
        return max(para_start, low), min(para_end, high)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def speech_pieces(layout: Layout, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at every turn's edge, its speaker labels and white space left
    out: the pieces a passage may be, each inside one turn's speech (or between turns)."""
    cuts: list[tuple[int, int]] = []  # (piece start, piece end) before trimming
    position = start
    index = max(0, bisect_right(layout.turn_starts, start) - 1)
    turns = len(layout.turn_starts)
    while position < end:
        while index < turns and layout.turn_ends[index] <= position:
            index += 1
        if index >= turns or layout.turn_starts[index] >= end:
            cuts.append((position, end))
            break
        turn_start = layout.turn_starts[index]
        if position < turn_start:  # text before this turn
            cuts.append((position, turn_start))
            position = turn_start
        speech = max(position, layout.turn_speech[index])
        stop = min(end, layout.turn_ends[index])
        if speech < stop:
            cuts.append((speech, stop))
        position = max(stop, position)
        index += 1
    pieces = []
    for low, high in cuts:
        low, high = _trim(layout.text, low, high)
        if low < high:
            pieces.append((low, high))
    return pieces


def _sentence(layout: Layout, start: int, end: int) -> tuple[int, int]:
    low, _high = layout.bounds(start)
    first = low
    for found in _SENTENCE_END.finditer(layout.text, low, start):
        first = found.end()
    _low, high = layout.bounds(max(start, end - 1))
    last = _SENTENCE_END.search(layout.text, end, high) if end < high else None
    return first, last.end() if last else max(end, high)


def _lines(layout: Layout, start: int, end: int) -> tuple[int, int]:
    if not layout.line_starts:
        return layout.paragraph_bounds(start)[0], layout.paragraph_bounds(end - 1)[1]
    first = max(0, bisect_right(layout.line_starts, start) - 1)
    last = max(first, bisect_right(layout.line_starts, max(start, end - 1)) - 1)
    return min(start, layout.line_starts[first]), max(end, layout.line_ends[last])


def _turn(layout: Layout, start: int, end: int) -> tuple[int, int]:
    first = layout.turn_at(start)
    last = layout.turn_at(max(start, end - 1))
    low = layout.turn_speech[first] if first is not None else layout.bounds(start)[0]
    high = layout.turn_ends[last] if last is not None else layout.bounds(end - 1)[1]
    return min(low, start), max(high, end)


_WIDEN = {HIT: lambda _layout, start, end: (start, end), SENTENCE: _sentence,
          LINE: _lines, TURN: _turn}


def unit_span(layout: Layout, start: int, end: int, unit: str) -> list[tuple[int, int]]:
    """The passage(s) a hit at ``[start, end)`` stands for in ``unit``; none when the hit
    lies wholly in a speaker label."""
    if unit not in _WIDEN:
        raise ValueError(f"unknown unit '{unit}'; use one of {', '.join(UNITS)}")
    if not speech_pieces(layout, start, end):
        return []
    low, high = _WIDEN[unit](layout, start, end)
    return speech_pieces(layout, low, high)


def merge(layout: Layout, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans, and spans of one turn with only white space between, as one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged:
            last_start, last_end = merged[-1]
            if start <= last_end or (layout.text[last_end:start].isspace()
                                     and layout.region(start) == layout.region(last_end - 1)):
                merged[-1] = (last_start, max(last_end, end))
                continue
        merged.append((start, end))
    return merged


def hit_passages(layout: Layout, hits: Iterable[tuple[int, int]],
                 unit: str) -> list[tuple[int, int]]:
    """The merged passages that some hits of one document stand for, in text order."""
    spans = [span for start, end in hits for span in unit_span(layout, start, end, unit)]
    return merge(layout, spans)


def turn_passages(layout: Layout, speakers: Sequence[str],
                  wanted: Collection[str]) -> list[tuple[int, int]]:
    """The speech of every turn whose speaker (``speakers[i]`` for turn ``i``) is one of
    ``wanted`` (keys from ``core.scope.speaker_key``), labels left out, in text order."""
    spans = []
    for index, speaker in enumerate(speakers):
        if speaker_key(speaker) in wanted:
            low, high = _trim(layout.text, layout.turn_speech[index], layout.turn_ends[index])
            if low < high:
                spans.append((low, high))
    return merge(layout, spans)


def split_coded(passages: Iterable[Passage], coded: Collection[tuple[int, int, int]]
                ) -> tuple[list[Passage], list[Passage]]:
    """The passages still to code, and those the code already has on exactly that span
    (``coded`` holds ``(document id, start, end)``)."""
    new: list[Passage] = []
    already: list[Passage] = []
    for passage in passages:
        (already if tuple(passage) in coded else new).append(passage)
    return new, already
