"""Whether a .qdpx counts its selections' positions in code points or UTF-16 code units.

The standard counts Unicode code points, but a program built on UTF-16 strings (.NET, Qt,
Java, JavaScript) counts a character outside the Basic Multilingual Plane (most emoji) as
two, and some write those counts as they are. Each such character before a selection then
shifts it by one: a real NVivo 12 export with 892 emoji had 13 of 303 codings on the words
meant when read as code points, 300 when read as UTF-16. What the writing tools do:

- NVivo (``origin`` "NVivo 12...", "NVivo for Mac 15.0.0"): UTF-16 code units (that export).
- QualCoder (``origin`` "QualCoder 4.0 Beta", its ``app.version``): Python, but the spans it
  stores come from Qt text cursors (``selectionStart()``), which count UTF-16 code units,
  and its REFI export writes them unchanged; its own ``helpers.doc_position_from_index``
  converts code points to Qt positions. Files from it may hold either: no expectation.
- ATLAS.ti ("ATLAS.ti for Windows 23.2.3...") and MAXQDA ("MAXQDA 2020 (Release 20.2.1)"):
  nothing public says; no expectation.
- Taguette writes only REFI codebooks (.qdc), which hold no positions.
- Thematic Workbench writes code points (``qdpx_write``); its own files are read so.

Only a source with characters outside the BMP can tell the readings apart, and only for
selections that end after one. Both readings are scored over every span: a span fits when
it lies inside its text, does not split a character (a UTF-16 offset between the halves
of a surrogate pair, a mark from its letter, CR from LF) and splits no word. The clearly
better reading wins; when neither is, the origin's expectation decides (the standard's
code points when there is none) and the spans read differently are named as in doubt.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from thematic_workbench.core.wording import plural

CODE_POINTS = "code points"
UTF16 = "UTF-16 code units"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NAMED_DOUBTS = 3
_SHOWN_CHARS = 40
_KNOWN = {"thematic workbench": ("Thematic Workbench", CODE_POINTS), "nvivo": ("NVivo", UTF16)}


def known_writer(origin: str) -> tuple[str, str] | None:
    """The program named by ``<Project origin="...">`` and the unit it is known to use."""
    name = origin.strip().lower()
    return next((known for prefix, known in _KNOWN.items() if name.startswith(prefix)), None)


class Utf16Offsets:
    """UTF-16 offsets into ``raw`` as code-point offsets into it.

    The table holds the UTF-16 offset of each character outside the BMP, so a lookup is a
    binary search and a text without such characters needs no table at all.
    """

    def __init__(self, raw: str) -> None:
        self.starts = [m.start() + k for k, m in enumerate(_ASTRAL.finditer(raw))]
        self.length = len(raw) + len(self.starts)

    def splits_pair(self, offset: int) -> bool:
        """Whether ``offset`` falls between the two halves of a surrogate pair."""
        k = bisect_left(self.starts, offset)
        return k > 0 and self.starts[k - 1] + 1 == offset

    def __call__(self, offset: int) -> int:
        """The code-point offset; one between a pair's halves goes after its character."""
        k = bisect_left(self.starts, offset)
        return offset - k + (1 if self.splits_pair(offset) else 0)


def has_astral(raw: str) -> bool:
    return _ASTRAL.search(raw) is not None


def converter(raw: str, unit: str) -> tuple[Callable[[int], int], int]:
    """A map from offsets in ``unit`` to code-point offsets into ``raw``, and the text's
    length in ``unit``."""
    if unit == UTF16 and has_astral(raw):
        offsets = Utf16Offsets(raw)
        return offsets, offsets.length
    return (lambda offset: offset), len(raw)


@dataclass(frozen=True)
class SpanSet:
    """One source's raw text and its selections' positions as written (unit unknown)."""

    name: str
    raw: str
    spans: Sequence[tuple[int, int]]


def _wordy(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def _splits_character(raw: str, at: int) -> bool:
    if at <= 0 or at >= len(raw):
        return False
    after = raw[at]
    return (unicodedata.combining(after) != 0 or (raw[at - 1] == "\r" and after == "\n")
            or after in "\u200d\ufe0f" or raw[at - 1] == "\u200d"
            or "\U0001f3fb" <= after <= "\U0001f3ff")


def _splits_word(raw: str, at: int) -> bool:
    return 0 < at < len(raw) and _wordy(raw[at - 1]) and _wordy(raw[at])


def _fits(raw: str, start: int, end: int) -> bool:
    return (0 <= start <= end <= len(raw)
            and not any(_splits_character(raw, at) or _splits_word(raw, at)
                        for at in (start, end)))


@dataclass(frozen=True)
class _Span:
    source: str
    raw: str
    points: tuple[int, int] | None  # the code-point reading, None if outside the text
    units: tuple[int, int] | None  # the UTF-16 reading in code points, None if outside
    fits_points: bool
    fits_units: bool

    def reading(self, unit: str) -> tuple[int, int] | None:
        return self.units if unit == UTF16 else self.points

    def fits(self, unit: str) -> bool:
        return self.fits_units if unit == UTF16 else self.fits_points


def _spans(sets: Sequence[SpanSet]) -> tuple[list[_Span], int, int]:
    """Every span read both ways (only sources with characters outside the BMP can read
    differently), with how many of all spans fit each reading."""
    read: list[_Span] = []
    fit_points = fit_units = 0
    for found in sets:
        offsets = Utf16Offsets(found.raw) if has_astral(found.raw) else None
        for start, end in found.spans:
            if not 0 <= start <= end:
                continue  # refused whichever way it is read
            points = (start, end) if end <= len(found.raw) else None
            fits_points = points is not None and _fits(found.raw, *points)
            fit_points += fits_points
            if offsets is None:
                fit_units += fits_points
                continue
            units, fits_units = None, False
            if end <= offsets.length:
                units = (offsets(start), offsets(end))
                fits_units = (not offsets.splits_pair(start) and not offsets.splits_pair(end)
                              and _fits(found.raw, *units))
            fit_units += fits_units
            if units != points:
                read.append(_Span(found.name, found.raw, points, units, fits_points,
                                  fits_units))
    return read, fit_points, fit_units


def _clearly_better(mine: int, theirs: int, spans: int) -> bool:
    """Most of the spans that read differently fit, and at least twice as many as the
    other way (a single span that fits one way only is enough)."""
    return 2 * mine > spans and mine >= 2 * theirs + 1


def _shown(span: _Span, unit: str) -> str:
    where = span.reading(unit)
    if where is None:
        return f"source '{span.source}': a span outside its text"
    words = " ".join(span.raw[where[0]:where[1]].split())
    if len(words) > _SHOWN_CHARS:
        words = words[:_SHOWN_CHARS - 1].rstrip() + "…"
    return f"source '{span.source}': '{words}'"


@dataclass(frozen=True)
class UnitDecision:
    unit: str
    writer: tuple[str, str] | None  # the program that wrote the file and its known unit
    by_evidence: bool  # the spans chose (rather than the origin or the standard)
    spans: int = 0  # all spans scored
    fit_points: int = 0  # spans that fit read as code points
    fit_units: int = 0  # ... read as UTF-16 code units
    outside_other: bool = False  # read the other way, some span would lie outside its text
    doubtful: tuple[str, ...] = ()  # the spans read differently, when the evidence is split

    def recast(self) -> str | None:
        """One line for the user when the reading is not the standard's or was chosen by
        the spans; None when nothing needs saying."""
        if self.unit == CODE_POINTS and not self.by_evidence:
            return None
        program, usual = self.writer or ("", None)
        if self.unit == UTF16:
            why = f"as {program} writes them" if usual == UTF16 else "not as the standard says"
            mine, theirs, other = self.fit_units, self.fit_points, CODE_POINTS
        else:
            why = "as the standard says" + (f", although {program} usually writes {UTF16}"
                                           if usual == UTF16 else "")
            mine, theirs, other = self.fit_points, self.fit_units, UTF16
        counts = (f"{mine} of {plural(self.spans, 'span', grouped=False)} fall on word "
                  f"boundaries read so, {theirs} read as {other}")
        if self.outside_other:
            counts = f"read as {other}, some spans would lie outside their text; {counts}"
        elif not self.by_evidence:
            counts = f"the spans could not tell: {counts}"
        return f"positions were read as {self.unit}, {why} ({counts})"

    def doubt(self) -> str | None:
        """The line naming the codings in doubt, when the evidence was split."""
        if not self.doubtful:
            return None
        named = "; ".join(self.doubtful[:_NAMED_DOUBTS])
        more = len(self.doubtful) - _NAMED_DOUBTS
        rest = f"; and {more} more" if more > 0 else ""
        return (f"{plural(len(self.doubtful), 'coded span', grouped=False)} may not sit on "
                f"the text the other program meant (its positions could be {CODE_POINTS} or "
                f"{UTF16}; they were read as {self.unit}): {named}{rest}")


def decide_unit(origin: str, sets: Sequence[SpanSet]) -> UnitDecision:
    """The unit to read the file's positions in, from its origin and its spans."""
    writer = known_writer(origin)
    expected = writer[1] if writer else None
    if expected == CODE_POINTS:  # our own files
        return UnitDecision(CODE_POINTS, writer, by_evidence=False)
    differ, fit_points, fit_units = _spans(sets)
    if not differ:
        return UnitDecision(CODE_POINTS, writer, by_evidence=False)
    decided = partial(UnitDecision, writer=writer, spans=sum(len(s.spans) for s in sets),
                      fit_points=fit_points, fit_units=fit_units)
    points = sum(span.fits_points for span in differ)
    units = sum(span.fits_units for span in differ)
    if _clearly_better(units, points, len(differ)):
        return decided(UTF16, by_evidence=True)
    if _clearly_better(points, units, len(differ)):
        return decided(CODE_POINTS, by_evidence=True)
    # Split: a reading that puts a span outside its text would refuse the file.
    possible = [unit for unit in (UTF16, CODE_POINTS)
                if all(span.reading(unit) is not None for span in differ)]
    unit = possible[0] if len(possible) == 1 else expected or CODE_POINTS
    # The spans that do not fit the reading chosen first: they are the likeliest misplaced.
    ordered = sorted(differ, key=lambda span: span.fits(unit))
    return decided(unit, by_evidence=len(possible) == 1, outside_other=len(possible) == 1,
                   doubtful=tuple(_shown(span, unit) for span in ordered))
