"""Coded transcripts as a supervisor reads them on paper, as a model without pages.

Each transcript is its stable lines (number and words, a speaker's label set apart at the
start of a turn), the codings shown as line ranges with their code's name and colour, and the
margin notes and coding memos as numbered notes. ``core.reports.transcript_print`` builds
it; ``io.transcript_pdf`` lays it out on A4 pages, so the printer and the PDF get the same
pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from thematic_workbench.core.wording import lines_phrase, plural, quoted


@dataclass(frozen=True, slots=True)
class PrintedLine:
    """One stable line: ``speaker`` is the label that opens a turn on it ("PA: "), empty
    elsewhere; ``text`` the rest of the line; ``gap_before``: a blank line precedes it."""

    number: int
    speaker: str
    text: str
    gap_before: bool = False


@dataclass(frozen=True, slots=True)
class PrintedCoding:
    """A coding as a stripe beside ``first_line`` to ``last_line`` (line numbers);
    ``note``: the number of its memo among the transcript's notes, if it has one."""

    code: str
    colour: str
    coder: str
    first_line: int
    last_line: int
    note: int | None = None


@dataclass(frozen=True, slots=True)
class PrintedNote:
    """A margin note (``kind`` "note") or a coding memo ("memo", with its ``code``),
    numbered in the order of the text; the marker goes beside ``first_line``."""

    number: int
    kind: str
    first_line: int
    last_line: int
    text: str
    coder: str
    code: str = ""

    @property
    def heading(self) -> str:
        """"Note, lines 3-4" or "Memo on 'Trust', line 7"."""
        where = lines_phrase(self.first_line, self.last_line)
        if self.kind == "memo":
            return f"Memo on {quoted(self.code)}, {where}"
        return f"Note, {where}"


@dataclass(frozen=True, slots=True)
class PrintedTranscript:
    """One transcript: its name, participant, lines, codings (text order) and notes."""

    name: str
    participant: str | None
    lines: tuple[PrintedLine, ...]
    codings: tuple[PrintedCoding, ...]
    notes: tuple[PrintedNote, ...]

    @property
    def title(self) -> str:
        """The transcript as the page header names it, with its participant unless the
        name starts with the label already ("PA-interview")."""
        if self.participant and not self.name.casefold().startswith(
                self.participant.casefold()):
            return f"{self.name} (participant {self.participant})"
        return self.name


@dataclass(frozen=True, slots=True)
class PrintedTranscripts:
    """Everything one print or PDF holds: the study's title, the transcripts in the order
    chosen, the filters applied (code names, coder names; empty: all) and the date."""

    study: str
    transcripts: tuple[PrintedTranscript, ...]
    codes: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    printed_on: date | None = None

    @property
    def filter_text(self) -> str:
        """The filters in words, for each page's header: "All codings" when none."""
        parts = []
        if self.codes:
            parts.append(("Code: " if len(self.codes) == 1 else "Codes: ")
                         + ", ".join(self.codes))
        if self.coders:
            parts.append("coded by " + ", ".join(self.coders))
        if not parts:
            return "All codings"
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]

    @property
    def codings(self) -> int:
        return sum(len(transcript.codings) for transcript in self.transcripts)

    def describe(self) -> str:
        """What the pages hold, for a message: "2 transcripts, 23 codings shown"."""
        return (f"{plural(len(self.transcripts), 'transcript')}, "
                f"{plural(self.codings, 'coding')} shown")
