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

from dataclasses import dataclass


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
