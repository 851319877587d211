"""Coded segments as a model: one row per coding (``analysis.coded_segments`` builds the
rows, ``io.segments_files`` writes them). :data:`HEADERS` are the spreadsheet's columns, a
contract other tools read."""

from __future__ import annotations

from dataclasses import dataclass

HEADERS = ("participant", "document", "lines", "speaker", "code", "emerging themes",
           "final themes", "coder", "memo", "created", "start", "end", "text")


@dataclass(frozen=True)
class CodedSegment:
    """One coding as a row; ``start``/``end`` are the coding's code points, ``lines`` and
    ``text`` those of its quote."""

    coding_id: int
    participant: str
    document: str
    lines: str  # "12-14", or "7"
    speaker: str
    code: str
    emerging_themes: str
    final_themes: str
    coder: str
    memo: str
    created: str
    start: int
    end: int
    text: str

    def cells(self) -> tuple[str | int, ...]:
        """The row's values in :data:`HEADERS` order."""
        return (self.participant, self.document, self.lines, self.speaker, self.code,
                self.emerging_themes, self.final_themes, self.coder, self.memo, self.created,
                self.start, self.end, self.text)
