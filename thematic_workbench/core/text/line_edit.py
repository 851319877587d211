"""The stable line numbers after a text edit: every line keeps its number.

Line numbers are what a researcher cites ("PA, lines 12-14"), so a correction must not move
them. A line is a span of the text and moves like one (core/text/text_edit.py). New words
typed at either end of a line belong to it; new words standing alone (a paragraph typed
into a blank line) have no number. What the edit did to a line is said, not hidden:

- a line whose words were all removed, or only blanks are left, is gone: its number is no
  longer used (the lines after it keep theirs);
- a line the edit broke in two (a line break typed inside it) keeps its number for both
  parts; the second part has none of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from thematic_workbench.core.text.text_edit import EditSet, TextEdit
from thematic_workbench.core.text.textlayout import LineSpan

_WORDS = re.compile(r"[^\n]*\S[^\n]*")  # a run of a hard line with something on it


@dataclass(frozen=True)
class Relined:
    """The line map after an edit, and what happened to the lines the edit touched."""

    lines: tuple[LineSpan, ...]
    gone: tuple[int, ...] = ()  # numbers no longer used
    split: tuple[int, ...] = ()  # lines that now hold a line break
    unnumbered: int = 0  # new runs of words on no numbered line
    changed: tuple[int, ...] = field(default=())  # numbers whose span is not a plain move

    def describe(self) -> list[str]:
        """One phrase per kind of change, for the audit trail and the message."""
        said = []
        if self.gone:
            said.append(f"line{'s' if len(self.gone) > 1 else ''} "
                        f"{', '.join(map(str, self.gone))} no longer numbered (their words "
                        "were removed or joined to the line before)")
        if self.split:
            said.append(f"line{'s' if len(self.split) > 1 else ''} "
                        f"{', '.join(map(str, self.split))} now run over a line break "
                        "(one number for both parts)")
        if self.unnumbered:
            said.append(f"{self.unnumbered} new run{'s' if self.unnumbered > 1 else ''} of "
                        "text on no numbered line")
        return said


def reline(lines: Sequence[LineSpan], edits: TextEdit | EditSet, new_text: str) -> Relined:
    """Move ``lines`` (ordered by number) through ``edits``; ``new_text`` is the text after."""
    if isinstance(edits, TextEdit):
        edits = EditSet([edits])
    moved: list[LineSpan] = []
    gone: list[int] = []
    changed: list[int] = []
    for line in lines:
        span = edits.span(line.start, line.end)
        if span is None or not new_text[span[0]:span[1]].strip():
            gone.append(line.number)
            continue
        if not edits.untouched(line.start, line.end):
            changed.append(line.number)
        moved.append(LineSpan(line.number, *span))
    ends = {line.end: index for index, line in enumerate(moved)}
    starts = {line.start: index for index, line in enumerate(moved)}
    unnumbered = sum(_take_in_new_words(moved, (ends, starts), edits.new_start(index),
                                        edits.new_start(index) + len(edit.new), new_text,
                                        changed)
                     for index, edit in enumerate(edits.edits) if edit.new.strip())
    split = tuple(line.number for line in moved if "\n" in new_text[line.start:line.end])
    return Relined(tuple(moved), tuple(gone), split, unnumbered, tuple(changed))


def _take_in_new_words(moved: list[LineSpan], where: tuple[dict[int, int], dict[int, int]],
                       begin: int, finish: int, new_text: str, changed: list[int]) -> int:
    """Give words of the new text that no line covers to the line they continue (the one
    ending where they start, or else the one starting where they end); count the rest."""
    ends, starts = where  # the lines by where they end and start, kept up to date
    near = bisect_left(moved, begin, key=lambda line: line.end)
    covered = [(line.start, line.end) for line in moved[max(near - 1, 0):near + 3]
               if line.start < finish and line.end > begin]
    unnumbered = 0
    for run in _WORDS.finditer(new_text, begin, finish):
        start, end = run.span()
        if any(s <= start and end <= e for s, e in covered):
            continue
        start, end = _uncovered(start, end, covered)
        if start >= end or not new_text[start:end].strip():
            continue
        if start in ends:
            index = ends.pop(start)
            line = moved[index]
            moved[index] = LineSpan(line.number, line.start, end)
            ends[end] = index
        elif end in starts:
            index = starts.pop(end)
            line = moved[index]
            moved[index] = LineSpan(line.number, start, line.end)
            starts[start] = index
        else:
            unnumbered += 1
            continue
        if line.number not in changed:
            changed.append(line.number)
    return unnumbered


def _uncovered(start: int, end: int, covered: list[tuple[int, int]]) -> tuple[int, int]:
    """The part of ``[start, end)`` outside the lines that overlap it at either end."""
    for s, e in covered:
        if s <= start < e:
            start = e
        if s < end <= e:
            end = s
    return start, end
