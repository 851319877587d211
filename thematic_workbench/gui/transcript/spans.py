"""What is drawn where in a transcript, in code points, found quickly for any range.

The view styles only the blocks on screen, so it needs, for one paragraph at a time, the
codings, speaker labels, margin notes and find matches that touch it, merged into
elementary segments that each carry one style. This module does that without Qt; the
highlighter turns styles into character formats and code points into view positions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Generic, NamedTuple, Protocol, TypeVar

from thematic_workbench.core.queries.transcript_data import AnnotationSpan, CodingSpan


class Span(NamedTuple):
    """A plain ``[start, end)`` range: a speaker label, a find match."""

    start: int
    end: int


class _HasSpan(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=_HasSpan)


class SpanIndex(Generic[T]):
    """Items with ``start``/``end`` found by overlap with a range, in text order.

    Short items are sorted by start, and a range query scans only those starting within
    the longest short item's reach; the few very long ones (a code on a whole interview)
    are checked one by one, so one of them cannot slow every query down.
    """

    LONG = 5_000

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.items: tuple[T, ...] = tuple(items)
        starts = [i.start for i in self.items]
        if starts != sorted(starts):  # rarely: the queries sort already
            self.items = tuple(sorted(self.items, key=lambda i: i.start))
            starts.sort()
        lengths = [i.end - i.start for i in self.items]
        longest = max(lengths, default=0)
        if longest > self.LONG:
            keep = [k for k, length in enumerate(lengths) if length <= self.LONG]
            self._short = [self.items[k] for k in keep]
            self._starts = [starts[k] for k in keep]
            self._long = [i for i in self.items if i.end - i.start > self.LONG]
            self._reach = max((lengths[k] for k in keep), default=0)
        else:
            self._short, self._starts, self._long = list(self.items), starts, []
            self._reach = longest

    def __len__(self) -> int:
        return len(self.items)

    def overlapping(self, start: int, end: int) -> list[T]:
        """Items with some code point in ``[start, end)``, ordered by start."""
        if end <= start:
            return []
        low = bisect_left(self._starts, start - self._reach)
        high = bisect_left(self._starts, end)
        found = [i for i in self._short[low:high] if i.end > start]
        if self._long:
            found.extend(i for i in self._long if i.start < end and i.end > start)
            found.sort(key=lambda i: (i.start, i.end))
        return found

    def at(self, position: int) -> list[T]:
        """Items covering the code point at ``position``."""
        return self.overlapping(position, position + 1)


class Style(NamedTuple):
    """The look of one segment: code colours (one per covering coding), label, note, match."""

    colours: tuple[str, ...] = ()
    label: bool = False
    note: bool = False
    match: bool = False


class Layers(NamedTuple):
    """Everything the highlighter draws, indexed for range queries."""

    codings: SpanIndex[CodingSpan]
    labels: SpanIndex[Span]  # the speaker label of each turn
    notes: SpanIndex[AnnotationSpan]
    matches: SpanIndex[Span]  # find matches


def paragraph_starts(text: str) -> list[int]:
    """Code point where each paragraph (one block of the view) begins."""
    lengths = map(len, text.split("\n"))
    return list(accumulate(map((1).__add__, lengths), initial=0))[:-1]


def blocks_touched(starts: Sequence[int], spans: Iterable[_HasSpan]) -> set[int]:
    """Numbers of the paragraphs that the spans touch."""
    touched: set[int] = set()
    for span in spans:
        first = bisect_right(starts, span.start) - 1
        last = bisect_right(starts, max(span.start, span.end - 1)) - 1
        touched.update(range(max(first, 0), last + 1))
    return touched


def segments(layers: Layers, start: int, end: int) -> list[tuple[int, int, Style]]:
    """Elementary ``(start, end, style)`` segments of ``[start, end)``; unstyled gaps left out."""
    # Each event: position, order (ends before starts at the same place), kind, colour.
    events: list[tuple[int, int, str, str]] = []
    for coding in layers.codings.overlapping(start, end):
        events.append((max(coding.start, start), 1, "c", coding.colour))
        events.append((min(coding.end, end), 0, "c", coding.colour))
    for kind, index in (("l", layers.labels), ("n", layers.notes), ("m", layers.matches)):
        for item in index.overlapping(start, end):
            events.append((max(item.start, start), 1, kind, ""))
            events.append((min(item.end, end), 0, kind, ""))
    if not events:
        return []
    events.sort()
    colours: list[str] = []
    counts = {"l": 0, "n": 0, "m": 0}
    result: list[tuple[int, int, Style]] = []
    previous = events[0][0]
    for position, opening, kind, colour in events:
        if position > previous and (colours or any(counts.values())):
            style = Style(tuple(sorted(colours)), counts["l"] > 0, counts["n"] > 0,
                          counts["m"] > 0)
            if result and result[-1][1] == previous and result[-1][2] == style:
                result[-1] = (result[-1][0], position, style)
            else:
                result.append((previous, position, style))
        previous = position
        if kind == "c":
            if opening:
                colours.append(colour)
            else:
                colours.remove(colour)
        else:
            counts[kind] += 1 if opening else -1
    return result
