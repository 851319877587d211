"""The pages of printed transcripts: which rows, stripes, labels and notes go on each A4 page.

Positions are points from the page's top left corner (y grows down). Each stable line is one
row, numbered; a line wider than the text column goes on over continuation rows without a
number. Beside the text each code present on a page gets its own stripe column (as NVivo's
coding stripes), and each coding's name is written in the margin beside its first line (or
as close below as the names above it allow). Margin notes and coding memos are numbered
notes at the foot of the page of their first line; notes that do not fit go on at the foot
of the next page. Widths are measured with the fonts that draw them (DejaVu, shipped with
matplotlib), so nothing laid out here overlaps when drawn.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from dataclasses import dataclass, field

from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font

from thematic_workbench.core.reports.printed_transcript import (
    PrintedCoding,
    PrintedLine,
    PrintedNote,
    PrintedTranscript,
    PrintedTranscripts,
)

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 36.0, 26.0, 36.0, 36.0
FAMILY = "DejaVu Sans"
TEXT_PT, NUMBER_PT, LABEL_PT, NOTE_PT = 8.0, 6.5, 6.5, 7.0
ROW = 11.5  # row pitch of the text
GAP = 4.5  # the space a blank line (between turns) leaves
LABEL_ROW, NOTE_ROW = 7.8, 9.0
BODY_TOP = MARGIN_T + 38.0  # below the two header lines and their rule
BODY_BOTTOM = PAGE_H - MARGIN_B - 10.0  # above "Page N of M"
NUMBER_RIGHT = MARGIN_L + 15.0  # line numbers end here
TEXT_LEFT = MARGIN_L + 22.0
MARKER_W = 11.0  # the notes' markers, between the text and the stripes
STRIPE_PITCH, STRIPE_W = 5.5, 3.2
MIN_LABEL_W = 104.0  # the code names' margin is never narrower
NOTES_GAP = 10.0  # between the text and the notes at the page's foot
NOTE_INDENT = 12.0  # a note's words, right of its number


class Metrics:
    """Widths of text in points, from the glyphs' advances (kerning left aside, so a little
    is added), cached per character: fast enough for a 200-page print."""

    def __init__(self) -> None:
        self._fonts: dict[bool, FT2Font] = {}
        self._advances: dict[tuple[bool, str], float] = {}

    def _font(self, bold: bool) -> FT2Font:
        if bold not in self._fonts:
            font = FT2Font(findfont(FontProperties(family=FAMILY,
                                                   weight="bold" if bold else "normal")))
            font.set_size(100.0, 72)  # advances for 100 pt, scaled to any size
            self._fonts[bold] = font
        return self._fonts[bold]

    def width(self, text: str, size: float, bold: bool = False) -> float:
        total = 0.0
        for char in text:
            advance = self._advances.get((bold, char))
            if advance is None:
                font = self._font(bold)
                # A character the font lacks (0) is drawn as the box of glyph 0, .notdef
                glyph = font.load_glyph(font.get_char_index(ord(char)))
                advance = glyph.linearHoriAdvance / 65536 / 100.0
                self._advances[(bold, char)] = advance
            total += advance
        return total * size * 1.01

    def wrap(self, text: str, size: float, width: float, first: float | None = None,
             bold: bool = False) -> list[str]:
        """``text`` in rows no wider than ``width`` (the first no wider than ``first``),
        broken after spaces, a word too long for a row broken where it must be. Every
        character is kept: joined, the rows give the text back."""
        room = width if first is None else first
        if self.width(text.rstrip(), size, bold) <= room:
            return [text]  # most lines: wrapped at import to fit
        rows: list[str] = []
        current, used = "", 0.0
        for word in _words(text):
            inked = self.width(word.rstrip(), size, bold)
            if used + inked <= room:
                current, used = current + word, used + self.width(word, size, bold)
                continue
            if current or (not rows and room < width):
                rows.append(current)  # (an empty first row: a label as wide as the row)
                current, used, room = "", 0.0, width
            if inked <= room:
                current, used = word, self.width(word, size, bold)
                continue
            for char in word:  # a word wider than a whole row
                step = self.width(char, size, bold)
                if current and used + step > room:
                    rows.append(current)
                    current, used, room = "", 0.0, width
                current, used = current + char, used + step
        rows.append(current)
        return rows


def _words(text: str) -> list[str]:
    """The text cut after each run of spaces, so that the pieces join back into it."""
    pieces: list[str] = []
    current = ""
    for char in text:
        if char == " " and current and not current.endswith(" "):
            current += char
        elif current.endswith(" ") and char != " ":
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


@dataclass(frozen=True, slots=True)
class Row:
    """A row of text: a stable line's first row shows its ``number`` (and speaker), its
    continuation rows neither."""

    y: float  # the baseline
    number: int | None
    speaker: str
    text: str


@dataclass(frozen=True, slots=True)
class Stripe:
    """One coding's stripe on one page: its column, from ``top`` to ``bottom``."""

    coding: PrintedCoding
    column: int
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Label:
    """A coding's name in the margin: ``rows`` of text from baseline ``y``; ``anchor`` is
    the middle of the coding's first row on the page, where the leader starts."""

    coding: PrintedCoding
    column: int
    y: float
    anchor: float
    rows: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Marker:
    """A margin note's number beside its lines (``top`` to ``bottom``)."""

    number: int
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A row of the notes at the page's foot; ``heading`` only on a note's first row."""

    y: float
    number: int | None
    heading: str
    text: str


@dataclass
class Page:
    """Everything drawn on one page of one transcript."""

    transcript: PrintedTranscript
    text_width: float
    rows: list[Row] = field(default_factory=list)
    stripes: list[Stripe] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    notes: list[NoteRow] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (code, colour) by column
    continued: bool = False  # the transcript began on an earlier page
    stripe_pitch: float = STRIPE_PITCH

    @property
    def stripes_left(self) -> float:
        return TEXT_LEFT + self.text_width + MARKER_W

    @property
    def labels_left(self) -> float:
        return self.stripes_left + len(self.columns) * self.stripe_pitch + 5.0


@dataclass
class _Unit:
    """A stable line as laid out (or, for a line longer than a page, part of it): its rows'
    texts, the space above it and whether it holds the line's first row."""

    line: PrintedLine
    rows: list[str]
    gap: float
    first: bool = True


NoteLine = tuple[int | None, str, str]  # a note's row: its number and heading (first row), text


def lay_out(report: PrintedTranscripts, metrics: Metrics | None = None) -> list[Page]:
    """Every page, each transcript from a new one."""
    metrics = metrics or Metrics()
    pages: list[Page] = []
    for transcript in report.transcripts:
        width = _text_width(transcript, metrics)
        filler = _PageFiller(transcript, metrics, width)
        for unit in _units(transcript, metrics, width):
            filler.place(unit)
        pages.extend(_page(transcript, width, units, notes, index > 0, metrics)
                     for index, (units, notes) in enumerate(filler.finish()))
    return pages


def _text_width(transcript: PrintedTranscript, metrics: Metrics) -> float:
    """As wide as the widest line (lines are wrapped at import), within what the margins
    leave; never so narrow that a short transcript looks squeezed."""
    widest = max((metrics.width(line.speaker, TEXT_PT, True)
                  + metrics.width(line.text.rstrip(), TEXT_PT) for line in transcript.lines),
                 default=0.0)
    most = PAGE_W - MARGIN_R - TEXT_LEFT - MARKER_W - 4 * STRIPE_PITCH - 5.0 - MIN_LABEL_W
    return min(max(widest + 2.0, 260.0), most)


def _units(transcript: PrintedTranscript, metrics: Metrics, width: float) -> list[_Unit]:
    """Each line's rows; a line longer than most of a page (a paragraph imported without
    wrapping) is cut into parts that each fit on one."""
    most = int((BODY_BOTTOM - BODY_TOP) * 0.7 // ROW)
    units = []
    for line in transcript.lines:
        speaker_w = metrics.width(line.speaker, TEXT_PT, True)
        rows = metrics.wrap(line.text, TEXT_PT, width, first=width - speaker_w)
        gap = GAP if line.gap_before else 0.0
        for start in range(0, len(rows), most):
            units.append(_Unit(line, rows[start:start + most], gap if start == 0 else 0.0,
                               start == 0))
    return units


class _PageFiller:
    """Fills one transcript's pages line by line. A line goes on the page if its rows, the
    names of the codings that start on it (stacked below the names above) and the notes
    of the page so far all fit above the foot; otherwise it starts the next page."""

    ROOM = BODY_BOTTOM - BODY_TOP

    def __init__(self, transcript: PrintedTranscript, metrics: Metrics, width: float) -> None:
        self.transcript = transcript
        self.pages: list[tuple[list[_Unit], list[NoteLine]]] = []
        self.units: list[_Unit] = []
        self.used = 0.0
        self.labels_end = BODY_TOP  # where the next coding's name may start
        self.pending: deque[NoteLine] = deque()  # note rows not yet on a page
        label_w = MIN_LABEL_W - 8.0  # the narrowest the names get: never more rows
        self.label_h = [_label_height(metrics, coding, label_w) for coding in transcript.codings]
        self.starting: dict[int, list[int]] = {}
        for index, coding in enumerate(transcript.codings):
            self.starting.setdefault(coding.first_line, []).append(index)
        note_w = PAGE_W - MARGIN_R - TEXT_LEFT
        self.notes_at: dict[int, list[NoteLine]] = {}
        for note in transcript.notes:
            self.notes_at.setdefault(note.first_line, []).extend(
                _note_rows(note, metrics, note_w))

    def place(self, unit: _Unit) -> None:
        new = self.notes_at.get(unit.line.number, []) if unit.first else []
        while not self._fits(unit, len(new)):
            if self.units:
                self._next_page()
            elif self.pending and not self._fits(unit, 0):
                self._next_page()  # notes carried over fill a page of their own
            else:
                break  # alone on an empty page it goes on as it is
        top = BODY_TOP + self.used + (unit.gap if self.units else 0.0)
        self.labels_end = self._labels_end(unit, top)
        self.used = top + ROW * len(unit.rows) - BODY_TOP
        if not self.units:
            unit = _Unit(unit.line, unit.rows, 0.0, unit.first)
        self.units.append(unit)
        self.pending.extend(new)

    def finish(self) -> list[tuple[list[_Unit], list[NoteLine]]]:
        self._next_page()
        while self.pending:  # notes longer than the last page's foot: pages of notes
            self._next_page()
        return self.pages

    def _fits(self, unit: _Unit, new_notes: int) -> bool:
        top = BODY_TOP + self.used + (unit.gap if self.units else 0.0)
        foot = BODY_BOTTOM - _notes_height(len(self.pending) + new_notes)
        return top + ROW * len(unit.rows) <= foot and self._labels_end(unit, top) <= foot

    def _labels_end(self, unit: _Unit, top: float) -> float:
        """Where the names end once those of the codings starting on ``unit`` are placed
        (on a new page, those of the codings going on from the page before first)."""
        number = unit.line.number
        chosen = list(self.starting.get(number, [])) if unit.first else []
        if not self.units:
            chosen = [index for index, coding in enumerate(self.transcript.codings)
                      if coding.first_line < number <= coding.last_line
                      or (not unit.first and coding.first_line == number)] + chosen
        end = self.labels_end if self.units else BODY_TOP
        for index in chosen:
            end = max(top, end) + self.label_h[index]
        return end

    def _next_page(self) -> None:
        self.pages.append((self.units, _take_notes(self.pending, self.ROOM - self.used)))
        self.units, self.used, self.labels_end = [], 0.0, BODY_TOP


def _label_height(metrics: Metrics, coding: PrintedCoding, width: float) -> float:
    return LABEL_ROW * len(metrics.wrap(_label_text(coding), LABEL_PT, width)) + 1.5


def _label_text(coding: PrintedCoding) -> str:
    """A coding's name in the margin, its memo's marker after it."""
    return coding.code + (f" {_superscript(coding.note)}" if coding.note else "")


def _notes_height(rows: int) -> float:
    return NOTES_GAP + NOTE_ROW * rows if rows else 0.0


def _take_notes(pending: deque[NoteLine], space: float) -> list[NoteLine]:
    """As many of the pending note rows as ``space`` holds (at least one on an empty foot)."""
    taken: list[NoteLine] = []
    while pending and (_notes_height(len(taken) + 1) <= space
                       or (not taken and space >= BODY_BOTTOM - BODY_TOP)):
        taken.append(pending.popleft())
    return taken


def _note_rows(note: PrintedNote, metrics: Metrics, width: float) -> list[NoteLine]:
    """A note as rows: its number and heading, then its words wrapped after them."""
    heading = f"{note.heading} ({note.coder}): " if note.coder else f"{note.heading}: "
    first = width - NOTE_INDENT - metrics.width(heading, NOTE_PT, True)
    pieces = metrics.wrap(" ".join(note.text.split()) or "(empty)", NOTE_PT,
                          width - NOTE_INDENT, first=first)
    return [(note.number, heading, pieces[0]), *((None, "", piece) for piece in pieces[1:])]


def _page(transcript: PrintedTranscript, width: float, units: list[_Unit],
          notes: list[NoteLine], continued: bool, metrics: Metrics) -> Page:
    page = Page(transcript, width, continued=continued)
    spans: dict[int, tuple[float, float]] = {}  # line number -> (top, bottom) on this page
    top = BODY_TOP
    for unit in units:
        top += unit.gap
        line = unit.line
        spans[line.number] = (spans.get(line.number, (top, top))[0],
                              top + ROW * len(unit.rows))
        for index, text in enumerate(unit.rows):
            opens = unit.first and index == 0
            page.rows.append(Row(top + ROW * index + ROW * 0.72,
                                 line.number if opens else None,
                                 line.speaker if opens else "", text))
        top += ROW * len(unit.rows)
    order = list(spans)  # in the order of the text: line numbers only grow
    foot = BODY_BOTTOM - NOTE_ROW * len(notes) + NOTE_ROW * 0.75
    page.notes = [NoteRow(foot + NOTE_ROW * index, number, heading, text)
                  for index, (number, heading, text) in enumerate(notes)]
    _place_codings(page, transcript, spans, order, metrics,
                   BODY_BOTTOM - _notes_height(len(notes)))
    _place_markers(page, transcript, spans, order)
    return page


def _on_page(first: int, last: int, order: list[int],
             spans: dict[int, tuple[float, float]]) -> tuple[float, float] | None:
    """The top and bottom of the lines ``first`` to ``last`` that are on this page."""
    low, high = bisect_left(order, first), bisect_right(order, last) - 1
    if low > high:
        return None
    return spans[order[low]][0], spans[order[high]][1]


def _place_codings(page: Page, transcript: PrintedTranscript,
                   spans: dict[int, tuple[float, float]], order: list[int],
                   metrics: Metrics, foot: float) -> None:
    """The stripes, a column per code in the order met, and the names beside them: each
    at its coding's first row on the page, or below the name above (``foot``: where the
    names must end, above the notes)."""
    here = [(coding, reach) for coding in transcript.codings
            if (reach := _on_page(coding.first_line, coding.last_line, order, spans))]
    columns: dict[str, int] = {}
    for coding, _reach in here:
        if coding.code not in columns:
            columns[coding.code] = len(columns)
            page.columns.append((coding.code, coding.colour))
    room = PAGE_W - MARGIN_R - MIN_LABEL_W - page.stripes_left - 5.0
    if columns:
        page.stripe_pitch = max(1.5, min(STRIPE_PITCH, room / len(columns)))
    label_w = PAGE_W - MARGIN_R - page.labels_left - 8.0
    free = BODY_TOP
    wanted: list[Label] = []
    for coding, (top, bottom) in here:
        column = columns[coding.code]
        page.stripes.append(Stripe(coding, column, top + 1.0, bottom - 1.0))
        rows = tuple(metrics.wrap(_label_text(coding), LABEL_PT, label_w))
        y = max(top, free)
        wanted.append(Label(coding, column, y, top + ROW * 0.5, rows))
        free = y + LABEL_ROW * len(rows) + 1.5
    # Names that would run into the notes move up, as far as the ones above allow (the
    # pages are filled so that this is seldom needed).
    limit = foot
    for index in range(len(wanted) - 1, -1, -1):
        label = wanted[index]
        height = LABEL_ROW * len(label.rows) + 1.5
        if label.y + height > limit:
            wanted[index] = Label(label.coding, label.column, max(BODY_TOP, limit - height),
                                  label.anchor, label.rows)
        limit = wanted[index].y
    page.labels = wanted


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript(number: int) -> str:
    return str(number).translate(_SUPERSCRIPT)


def superscript(number: int) -> str:
    """A note's number as its marker shows it."""
    return _superscript(number)


def _place_markers(page: Page, transcript: PrintedTranscript,
                   spans: dict[int, tuple[float, float]], order: list[int]) -> None:
    for note in transcript.notes:
        if note.kind != "note" or note.first_line not in spans:
            continue
        reach = _on_page(note.first_line, note.last_line, order, spans)
        if reach is not None:
            page.markers.append(Marker(note.number, *reach))
