"""A source's raw text made canonical, with every raw position carried across.

REFI-QDA selections count Unicode code points in the source's plain text as the other tool
stored it: CRLF line ends, a byte-order mark, decomposed accents. Our documents hold the
canonical text (``core.textlayout.canonical_text``), so a selection's positions must be
re-mapped or it lands beside its words. The steps here are canonical_text's, in its order,
each keeping a map from the positions before it to the positions after it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from thematic_workbench.core.text.textlayout import canonical_text

_TO_NEWLINE = frozenset("\r\u2028\u2029\x0c")
_DROPPED = frozenset("\ufeff\x00")


def _combine_surrogates(raw: str) -> tuple[str, list[int]]:
    """Surrogate pairs become their code point, a lone surrogate U+FFFD (as canonical_text)."""
    out: list[str] = []
    mapping: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        mapping.append(len(out))
        if "\ud800" <= ch <= "\udbff" and i + 1 < n and "\udc00" <= raw[i + 1] <= "\udfff":
            mapping.append(len(out) + 1)  # between the halves: after the character
            out.append(chr(0x10000 + ((ord(ch) - 0xD800) << 10) + (ord(raw[i + 1]) - 0xDC00)))
            i += 2
            continue
        out.append("\ufffd" if "\ud800" <= ch <= "\udfff" else ch)
        i += 1
    mapping.append(len(out))
    return "".join(out), mapping


def _line_ends_and_drops(raw: str) -> tuple[str, list[int]]:
    """CRLF, CR and the Unicode separators become ``\\n``; BOMs and NULs go."""
    out: list[str] = []
    mapping: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        mapping.append(len(out))
        if ch == "\r" and i + 1 < n and raw[i + 1] == "\n":
            mapping.append(len(out) + 1)  # between CR and LF: after the line end
            out.append("\n")
            i += 2
            continue
        if ch in _TO_NEWLINE:
            out.append("\n")
        elif ch not in _DROPPED:
            out.append(ch)
        i += 1
    mapping.append(len(out))
    return "".join(out), mapping


def _segments(text: str) -> list[tuple[int, int]]:
    """Runs that each start at a character of combining class 0: NFC works inside them."""
    bounds = [i for i, ch in enumerate(text) if i == 0 or not unicodedata.combining(ch)]
    bounds.append(len(text))
    return [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1) if bounds[k] < bounds[k + 1]]


def _nfc(text: str) -> tuple[str, list[int]]:
    """NFC by pieces that compose independently; a position inside a piece that changed
    maps to the same distance into its result, capped at the result's length."""
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    # Join neighbouring runs while composing them together differs from apart (Hangul jamo,
    # a vowel sign that composes with the consonant before it).
    pieces: list[tuple[int, int]] = []
    for start, end in _segments(text):
        if pieces:
            p_start, p_end = pieces[-1]
            joined = unicodedata.normalize("NFC", text[p_start:end])
            apart = (unicodedata.normalize("NFC", text[p_start:p_end])
                     + unicodedata.normalize("NFC", text[start:end]))
            if joined != apart:
                pieces[-1] = (p_start, end)
                continue
        pieces.append((start, end))
    out: list[str] = []
    mapping: list[int] = []
    done = 0
    for start, end in pieces:
        normal = unicodedata.normalize("NFC", text[start:end])
        mapping.extend(done + min(k, len(normal)) for k in range(end - start))
        out.append(normal)
        done += len(normal)
    mapping.append(done)
    return "".join(out), mapping


def canonical_with_map(raw: str) -> tuple[str, list[int]]:
    """``canonical_text(raw)`` and, for each raw offset ``0..len(raw)``, its canonical offset.

    The map never decreases, so a selection keeps its order; offsets inside a line end, a
    dropped character or a composed accent go to the nearest sensible place, and offsets in
    the trailing blank lines that canonical text strips go to its end.
    """
    text, mapping = raw, list(range(len(raw) + 1))
    for step in (_combine_surrogates, _line_ends_and_drops, _nfc):
        text, step_map = step(text)
        mapping = [step_map[m] for m in mapping]
    stripped = text.rstrip("\n")
    limit = len(stripped)
    return stripped, [m if m < limit else limit for m in mapping]


def position_mapper(raw: str) -> tuple[str, Callable[[int], int]]:
    """The canonical text and a function from raw to canonical offsets.

    Most sources are already canonical up to trailing line ends; then the map is the
    identity and no table as long as the text is built.
    """
    text = canonical_text(raw)
    if raw.startswith(text):
        # Only the end changed (stripped blank lines or dropped characters there): no
        # position inside the text moves, because every step changes the first character
        # it touches.
        limit = len(text)
        return text, lambda offset: min(offset, limit)
    canonical, mapping = canonical_with_map(raw)
    return canonical, mapping.__getitem__
