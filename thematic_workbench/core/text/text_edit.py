"""Where positions go when a span of a transcript's text is replaced.

A correction (a misheard word) or a pseudonym (a name replaced) changes ``text[start:end]``
into new text. Everything that points into the text (codings, margin notes, speaker turns)
then moves with the words it was on:

- a span wholly before the edit stays; one wholly after it moves by the change in length;
- a span that contains the edit grows or shrinks with it;
- a span that overlaps an end of the edit keeps its own words and takes in the new text;
- a span wholly inside the replaced text covers the new text (the name it was on is now the
  pseudonym), or is removed when the edit only deletes.

Spans wholly before, wholly after or strictly around the edit come back exactly when the
edit is undone by the opposite edit (:meth:`TextEdit.inverse`); the others, "touched"
spans, are restored from the values the edit kept.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise


@dataclass(frozen=True)
class TextEdit:
    """``text[start:end]`` replaced by ``new`` (``start == end``: an insertion)."""

    start: int
    end: int
    new: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"an edit spans {self.start}-{self.end}, which is no span")

    @property
    def delta(self) -> int:
        """How much longer the text is after the edit."""
        return len(self.new) - (self.end - self.start)

    @property
    def new_end(self) -> int:
        """Where the new text ends."""
        return self.start + len(self.new)

    def inverse(self, old: str) -> TextEdit:
        """The edit that undoes this one, given the text it replaced."""
        return TextEdit(self.start, self.new_end, old)

    def apply(self, text: str) -> str:
        return text[:self.start] + self.new + text[self.end:]

    def untouched(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies wholly before, wholly after or strictly around the
        edit: then it maps back exactly under :meth:`inverse`."""
        return end <= self.start or start >= self.end or (start < self.start
                                                           and end > self.end)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where ``[start, end)`` is after the edit; None when the edit removed all of it."""
        a, b, delta = self.start, self.end, self.delta
        if end <= a:
            return start, end
        if start >= b:
            return start + delta, end + delta
        if start <= a and end >= b and (start, end) != (a, b):
            return start, end + delta
        if a <= start and end <= b:  # wholly inside what was replaced
            return (a, self.new_end) if self.new else None
        if start < a:  # overlaps the edit's start: its own words, then the new text
            return start, self.new_end if self.new else a
        return a, end + delta  # overlaps the edit's end

    def point(self, position: int) -> int:
        """Where a position (a speaker's first word) is after the edit."""
        if position < self.start:
            return position
        if position >= self.end:
            return position + self.delta
        return self.start


class EditSet:
    """Several edits of one text at once (not overlapping), mapped together.

    Applying them one by one from the last to the first gives the same result, but costs a
    pass over every span per edit; a pseudonymised transcript has hundreds of edits and
    thousands of codings. Here a span is moved by the sum of the edits before it and only
    the few edits that reach into it are applied one by one.
    """

    def __init__(self, edits: Sequence[TextEdit]) -> None:
        self.edits = sorted(edits, key=lambda edit: (edit.start, edit.end))
        for before, after in pairwise(self.edits):
            if before.end > after.start or (before.start == before.end == after.start):
                raise ValueError(f"the edits at {before.start}-{before.end} and "
                                 f"{after.start}-{after.end} overlap")
        self._ends = [edit.end for edit in self.edits]
        self._starts = [edit.start for edit in self.edits]
        self._shift = [0, *accumulate(edit.delta for edit in self.edits)]

    def apply(self, text: str) -> str:
        pieces, at = [], 0
        for edit in self.edits:
            pieces += [text[at:edit.start], edit.new]
            at = edit.end
        pieces.append(text[at:])
        return "".join(pieces)

    def new_start(self, index: int) -> int:
        """Where the new text of edit ``index`` (in start order) begins after all edits."""
        return self.edits[index].start + self._shift[index]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where ``[start, end)`` is after all the edits; None when they removed all of it."""
        before = bisect_right(self._ends, start)  # edits ending at or before the start
        # Edits starting at or after the end leave it alone (an insertion at the end too).
        reach = bisect_left(self._starts, end)
        for edit in reversed(self.edits[before:reach]):
            moved = edit.span(start, end)
            if moved is None:
                return None
            start, end = moved
        shift = self._shift[before]
        return start + shift, end + shift

    def untouched(self, start: int, end: int) -> bool:
        """Whether every edit leaves ``[start, end)`` a plain move (see TextEdit.untouched)."""
        before = bisect_right(self._ends, start)
        reach = bisect_left(self._starts, end)
        return all(edit.untouched(start, end) for edit in self.edits[before:reach])

    def point(self, position: int) -> int:
        before = bisect_right(self._ends, position)
        if before < len(self.edits) and self.edits[before].start <= position:
            return self.edits[before].start + self._shift[before]  # inside what was replaced
        return position + self._shift[before]
