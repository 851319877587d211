"""The plain result of reading a transcript file, before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from thematic_workbench.core.textlayout import LineSpan


@dataclass(frozen=True, slots=True)
class ImportedTurn:
    """A speaker turn: ``text[start:end]``; the words themselves begin at ``speech_start``.

    ``start`` is where the speaker label begins (``INTERVIEWER:``, ``[id1]``); for formats
    whose speaker is not in the text, ``speech_start == start``. Times are milliseconds from
    the start of the recording (captions only).
    """

    speaker: str
    start: int
    end: int
    speech_start: int
    time_start_ms: int | None = None
    time_end_ms: int | None = None


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """A transcript ready to be stored: canonical text, stable lines and speaker turns.

    ``notes`` are what the reader had to change or leave out (a caption cue whose timing was
    broken, by line number): the import reports them next to the file, never silently.
    """

    name: str
    source_name: str
    source_format: str
    sha256: str
    text: str
    wrap_width: int
    lines: tuple[LineSpan, ...]
    turns: tuple[ImportedTurn, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
