"""What the view works out from a transcript's text, lines and turns, once per text.

A transcript's text, stable lines and turns never change after import, and the session
hands out the same :class:`TranscriptData` while it keeps the transcript. So the
display text, the line and paragraph starts and the speaker-label spans are worked out
the first time a transcript is shown and reused every time it is shown again; only its
codings and notes are looked at anew.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from thematic_workbench.core.queries.transcript_data import CodingSpan, TranscriptData
from thematic_workbench.core.text.quotes import SpeakerLabels
from thematic_workbench.gui.positions import PositionMap
from thematic_workbench.gui.transcript.spans import Span, SpanIndex, paragraph_starts


@dataclass(frozen=True, slots=True)
class PreparedText:
    """The parts of showing a transcript that depend only on its text, lines and turns."""

    text: str  # the text it was made from
    positions: PositionMap
    line_starts: list[int]
    line_ends: list[int]
    line_numbers: list[int]  # 1, 2, 3... unless a correction joined lines
    paragraph_starts: list[int]
    longest_line: int  # in characters
    labels: SpanIndex[Span]  # the speaker label of each turn, as the highlighter wants it
    speaker_labels: SpeakerLabels

    @classmethod
    def of(cls, data: TranscriptData) -> PreparedText:
        return cls(
            text=data.text,
            positions=PositionMap(data.text, data.lines),
            line_starts=[line.start for line in data.lines],
            line_ends=[line.end for line in data.lines],
            line_numbers=[line.number for line in data.lines],
            paragraph_starts=paragraph_starts(data.text),
            longest_line=max((line.end - line.start for line in data.lines), default=0),
            labels=SpanIndex([Span(t.start, t.speech_start) for t in data.turns
                              if t.speech_start > t.start]),
            speaker_labels=SpeakerLabels.of(data.turns))


class PreparedTexts:
    """The prepared texts of the last few transcripts shown, by document, with the index
    of their codings as last shown (the same codings need not be indexed again)."""

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._kept: OrderedDict[int, PreparedText] = OrderedDict()
        self._indexed: dict[int, tuple[object, SpanIndex[CodingSpan]]] = {}
        self._formats: dict[int, tuple[object, object, dict[int, Any]]] = {}

    def formats(self, data: TranscriptData) -> dict[int, Any]:
        """The highlighter's format ranges per block for this text, codings and notes: the
        ones worked out when they were last shown, or none."""
        kept = self._formats.get(data.id)
        if kept is not None and kept[0] == data.codings and kept[1] == data.annotations:
            return kept[2]
        memo: dict[int, Any] = {}
        self._formats[data.id] = (data.codings, data.annotations, memo)
        return memo

    def keep_formats(self, data: TranscriptData, memo: dict[int, Any]) -> None:
        """The highlighter brought ``memo`` up to date with ``data``'s codings and notes."""
        self._formats[data.id] = (data.codings, data.annotations, memo)

    def codings(self, data: TranscriptData,
                coders: frozenset[str] | None = None) -> SpanIndex[CodingSpan]:
        """The codings of ``data`` (only those of ``coders``, if given), indexed for range
        queries."""
        kept = self._indexed.get(data.id)
        if kept is not None and kept[0] == (data.codings, coders):
            return kept[1]
        index = SpanIndex(data.codings if coders is None else
                          [c for c in data.codings if c.coder in coders])
        self._indexed[data.id] = ((data.codings, coders), index)
        return index

    def of(self, data: TranscriptData) -> PreparedText:
        prepared = self._kept.get(data.id)
        if prepared is None or prepared.text != data.text:
            prepared = PreparedText.of(data)
            self._indexed.pop(data.id, None)  # positions of another text
            self._formats.pop(data.id, None)
        self._kept[data.id] = prepared
        self._kept.move_to_end(data.id)
        while len(self._kept) > self._size:
            dropped, _text = self._kept.popitem(last=False)
            self._indexed.pop(dropped, None)
            self._formats.pop(dropped, None)
        return prepared
