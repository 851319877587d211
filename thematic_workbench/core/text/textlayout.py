"""Canonical text and its stable line map.

Positions everywhere are Unicode code points into the canonical text: NFC-normalised,
``\\n`` line ends. Line numbers are computed once, at import, from hard line breaks and
a fixed wrap width, so they never depend on a window's width. Blank lines get no number.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_SURROGATE = re.compile("[\ud800-\udfff]")
DEFAULT_WRAP = 80
MIN_WRAP = 20
MAX_WRAP = 10_000


@dataclass(frozen=True, slots=True)
class LineSpan:
    """One numbered line: ``text[start:end]``, without its line break."""

    number: int
    start: int
    end: int


def canonical_text(raw: str) -> str:
    """NFC-normalise, turn CRLF/CR and Unicode line separators into ``\\n``, drop NULs and BOMs."""
    # Trailing whitespace on a line is invisible yet shifts nothing useful; keep it (positions
    # must match the source), but drop trailing blank lines at the very end of the document.
    return canonical_piece(raw).rstrip("\n")


def canonical_piece(raw: str) -> str:
    """A piece of text (a correction) in canonical form, its line breaks all kept."""
    # Surrogate pairs (from RTF or UTF-16 escapes) become the code points they encode; a lone
    # surrogate becomes U+FFFD. Positions must count code points, never UTF-16 units.
    if _SURROGATE.search(raw):
        raw = raw.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0c", "\n")
    text = text.replace("\ufeff", "").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs as the canonical text: one hard break between paragraphs."""
    return canonical_text("\n".join(paragraphs))


def _wrap_positions(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (no ``\\n`` inside) into pieces of at most ``width`` code points.

    Breaks after the last whitespace that keeps a piece within ``width``; a word longer than
    ``width`` is cut hard. Pieces are contiguous, so they cover the paragraph exactly.
    """
    pieces: list[tuple[int, int]] = []
    pos = start
    while end - pos > width:
        limit = pos + width
        cut = -1
        for i in range(limit, pos, -1):
            if text[i - 1].isspace():
                cut = i
                break
        if cut <= pos:
            cut = limit
        pieces.append((pos, cut))
        pos = cut
    pieces.append((pos, end))
    return pieces


def compute_lines(text: str, wrap: int = DEFAULT_WRAP) -> list[LineSpan]:
    """The stable line map of canonical ``text``: hard breaks kept, long paragraphs wrapped."""
    if not MIN_WRAP <= wrap <= MAX_WRAP:
        raise ValueError(f"wrap width must be between {MIN_WRAP} and {MAX_WRAP}, not {wrap}")
    lines: list[LineSpan] = []
    pos = 0
    length = len(text)
    while pos <= length:
        nl = text.find("\n", pos)
        stop = length if nl == -1 else nl
        if text[pos:stop].strip():
            for a, b in _wrap_positions(text, pos, stop, wrap):
                if text[a:b].strip():  # a long run of spaces is not a line of its own
                    lines.append(LineSpan(len(lines) + 1, a, b))
        if nl == -1:
            break
        pos = nl + 1
    return lines


def line_range_span(lines: Sequence[LineSpan], first: int, last: int) -> tuple[int, int]:
    """Character span covering lines ``first``..``last`` (inclusive, by number: a correction
    that joined two lines leaves a gap in the numbers, and the others keep theirs)."""
    if not lines:
        raise ValueError("the document has no numbered lines")
    if first > last:
        first, last = last, first
    numbers = [line.number for line in lines]
    low = bisect_left(numbers, first)
    high = bisect_right(numbers, last) - 1
    if low >= len(lines) or high < low or first < numbers[0] or last > numbers[-1]:
        raise ValueError(f"lines {first}-{last} are outside {numbers[0]}-{numbers[-1]}")
    return lines[low].start, lines[high].end


def lines_of_span(starts: Sequence[int], start: int, end: int,
                  numbers: Sequence[int] | None = None) -> tuple[int, int]:
    """First and last line numbers touched by ``[start, end)``, given the sorted line starts
    and, when a correction left gaps in them, the lines' numbers (else 1, 2, 3...)."""
    if not starts:
        return (0, 0)
    first = max(1, bisect_right(starts, start))
    last = max(first, bisect_right(starts, max(start, end - 1)))
    if numbers is not None:
        return numbers[first - 1], numbers[last - 1]
    return first, last


def find_exact(text: str, needle: str) -> list[int]:
    """Every start position of ``needle`` in ``text`` (overlapping matches included)."""
    needle = unicodedata.normalize("NFC", needle)
    if not needle:
        return []
    found: list[int] = []
    pos = text.find(needle)
    while pos != -1:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found
