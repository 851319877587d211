"""Caption files (.vtt from Teams/Zoom, .srt) as a transcript with timed speaker turns.

Captions cut speech into short cues; an analyst wants turns. So consecutive cues by the
same speaker merge into one paragraph and one turn, timed from the first cue's start to
the last cue's end, written ``Name: words`` so the speaker shows in the transcript. The
speaker comes from a WebVTT voice tag (``<v Name>``, ``<v.loud Name>``) or a ``Name:``
prefix on the cue text. A cue without a speaker continues the current speaker's turn
(tools often name the speaker only when it changes); cues before any speaker is named are
plain paragraphs, one per cue, with no turn. Styling tags are dropped; turns are separated
by a blank line, which gets no line number.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.textlayout import canonical_text
from thematic_workbench.io.building import Extraction
from thematic_workbench.io.imported import ImportedTurn
from thematic_workbench.io.plaintext import decode_text
from thematic_workbench.io.speakers import speaker_prefix, timestamp_ms

_TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3}"  # at most 999 hours
_TIMING = re.compile(rf"\s*(?P<a>{_TIME})\s*-->\s*(?P<b>{_TIME})(?:\s.*)?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_SPACES = re.compile(r"\s+")
_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:\s|$)")
_WEBVTT = re.compile(r"WEBVTT(?:[ \t\n]|$)")


@dataclass(slots=True)
class _Cue:
    start_ms: int
    end_ms: int
    lines: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Group:
    """Consecutive cues of one speaker, becoming one turn."""

    speaker: str
    words: list[str]
    start_ms: int
    end_ms: int


class _Writer:
    """Lays out the paragraphs and records where each turn lands in the joined text."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.turns: list[ImportedTurn] = []
        self._pos = 0

    def _emit(self, piece: str, blank_before: bool) -> int:
        if blank_before and self.paragraphs:
            self.paragraphs.append("")
            self._pos += 1
        start = self._pos
        self.paragraphs.append(piece)
        self._pos += len(piece) + 1
        return start

    def plain(self, words: str) -> None:
        """A cue before any speaker is named: its own paragraph, no turn."""
        self._emit(words, blank_before=False)

    def turn(self, group: _Group) -> None:
        """``Name: words`` as a paragraph set off by blank lines, and its turn."""
        piece = f"{group.speaker}: {' '.join(group.words)}"
        start = self._emit(piece, blank_before=True)
        speech_start = start + len(group.speaker) + 2
        self.turns.append(
            ImportedTurn(
                group.speaker, start, start + len(piece), speech_start, group.start_ms, group.end_ms
            )
        )


def _blocks(text: str) -> list[list[str]]:
    """Groups of non-blank lines separated by blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _cues(text: str, webvtt: bool) -> list[_Cue]:
    """The cues of a caption file; a stray block without timing continues the cue before."""
    blocks = _blocks(text)
    if webvtt:
        blocks = blocks[1:]  # the WEBVTT header block
    cues: list[_Cue] = []
    for block in blocks:
        if webvtt and _SKIPPED_BLOCK.match(block[0]):
            continue
        index = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        timing = _TIMING.fullmatch(block[index]) if index is not None else None
        if timing is None:
            if cues and index is None:
                cues[-1].lines.extend(block)
            continue
        start = timestamp_ms(timing.group("a")) or 0
        end = timestamp_ms(timing.group("b")) or start
        cues.append(_Cue(start, end, list(block[index + 1 :])))
    return cues


def _speaker_and_words(lines: list[str]) -> tuple[str | None, str]:
    """The cue's speaker (voice tag or ``Name:`` prefix) and its words without markup."""
    raw = " ".join(line.strip() for line in lines)
    speaker = None
    voice = _VOICE.search(raw)
    if voice:
        name = _SPACES.sub(" ", html.unescape(voice.group(1))).strip()
        speaker = canonical_text(name) or None
    words = _SPACES.sub(" ", html.unescape(_TAG.sub("", raw))).strip()
    if speaker is None:
        prefixed = speaker_prefix(words)
        if prefixed is not None:
            speaker, words = prefixed
    elif words.startswith(speaker + ":"):
        words = words[len(speaker) + 1 :].strip()  # "<v Ann>Ann: hi" names Ann once
    return (canonical_text(speaker) if speaker else None), canonical_text(words)


def extract_captions(data: bytes, path: Path, webvtt: bool) -> Extraction:
    """Paragraphs and timed turns of a .vtt (``webvtt``) or .srt file."""
    decoded, codec = decode_text(data, path)
    text = canonical_text(decoded)
    if webvtt and not _WEBVTT.match(text):
        raise DocumentReadError(path, "is not a WebVTT file (its first line is not WEBVTT)")
    cues = _cues(text, webvtt)
    if not cues:
        example = "00:00:01.000 --> 00:00:04.000" if webvtt else "00:00:01,000 --> 00:00:04,000"
        raise DocumentReadError(path, f"contains no captions (no cue times such as {example})")

    writer = _Writer()
    group: _Group | None = None
    for cue in cues:
        speaker, words = _speaker_and_words(cue.lines)
        if not words:
            continue
        if group is not None and speaker in (None, group.speaker):
            group.words.append(words)
            group.end_ms = max(group.end_ms, cue.end_ms)
        elif speaker is not None:
            if group is not None:
                writer.turn(group)
            group = _Group(speaker, [words], cue.start_ms, cue.end_ms)
        else:
            writer.plain(words)
    if group is not None:
        writer.turn(group)
    return Extraction(
        paragraphs=writer.paragraphs,
        metadata={"encoding": codec, "cues": str(len(cues))},
        turns=writer.turns,
    )
