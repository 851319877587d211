"""The plain result of reading a transcript file, before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from thematic_workbench.core.text.speaker_turns import ImportedTurn
from thematic_workbench.core.text.textlayout import LineSpan


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
