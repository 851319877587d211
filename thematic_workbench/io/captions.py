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
from thematic_workbench.core.text.speaker_turns import ImportedTurn, speaker_prefix
from thematic_workbench.core.text.textlayout import canonical_text
from thematic_workbench.io.building import Extraction
from thematic_workbench.io.plaintext import decode_text

_STAMP = re.compile(r"(?:(\d+):)?(\d+):(\d+)[.,](\d{1,3})")
_TIMING_LIKE = re.compile(r"[\s\d:.,>-]*\d:[\s\d:.,>-]*")  # a timing line without "-->"
_MAX_HOURS = 99
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_SPACES = re.compile(r"\s+")
_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:\s|$)")
_WEBVTT = re.compile(r"WEBVTT(?:[ \t\n]|$)")


@dataclass(slots=True)
class _Cue:
    """A cue's text; its times are ``None`` when its timing line was broken or impossible."""

    start_ms: int | None
    end_ms: int | None
    lines: list[str] = field(default_factory=list)
    timing_note: str = ""  # what was wrong with the timing, with its line number


@dataclass(slots=True)
class _Group:
    """Consecutive cues of one speaker, becoming one turn."""

    speaker: str
    words: list[str]
    start_ms: int | None
    end_ms: int | None


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


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Groups of non-blank lines separated by blank lines, each with its first line's number."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append((number - len(current), current))
            current = []
    if current:
        blocks.append((text.count("\n") + 2 - len(current), current))
    return blocks


def _stamp_ms(stamp: str) -> tuple[int | None, str]:
    """A cue time in milliseconds, or ``None`` and why it cannot be one."""
    negative = stamp.startswith("-")
    m = _STAMP.fullmatch(stamp[1:] if negative else stamp)
    if m is None:
        return None, "is malformed"
    if negative:
        return None, f"has a negative time ('{stamp}')"
    hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if minutes > 59 or seconds > 59:
        unit, value = ("minutes", minutes) if minutes > 59 else ("seconds", seconds)
        return None, f"has an impossible time ('{stamp}' has {value} {unit})"
    if hours > _MAX_HOURS:
        return None, f"has an impossible time ('{stamp}' is more than {_MAX_HOURS} hours)"
    millis = int(m.group(4).ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis, ""


def _timing(line: str) -> tuple[int, int] | str:
    """``start --> end [settings]`` as milliseconds, or what is wrong with it."""
    if "-->" not in line:
        return "is malformed"
    left, right = line.split("-->", 1)
    start, problem = _stamp_ms(left.strip())
    if start is None:
        return problem
    end, problem = _stamp_ms(right.split()[0] if right.split() else "")
    if end is None:
        return problem
    if end < start:
        return "ends before it starts"
    return start, end


def _timing_index(block: list[str]) -> int | None:
    """Which of a block's first two lines is its timing line, broken or not."""
    for i, line in enumerate(block[:2]):
        if "-->" in line:
            return i
    if _TIMING_LIKE.fullmatch(block[0]):
        return 0
    if len(block) > 1 and block[0].strip().isdigit() and _TIMING_LIKE.fullmatch(block[1]):
        return 1  # an SRT cue number, then a timing that lost its arrow
    return None


def _cues(text: str, webvtt: bool) -> list[_Cue]:
    """The cues of a caption file; a stray block without timing continues the cue before.

    A cue whose timing line is broken or impossible keeps its text without a time and says
    so in ``timing_note``: a caption is never dropped without a word.
    """
    blocks = _blocks(text)
    if webvtt:
        blocks = blocks[1:]  # the WEBVTT header block
    cues: list[_Cue] = []
    for first, block in blocks:
        if webvtt and _SKIPPED_BLOCK.match(block[0]):
            continue
        index = _timing_index(block)
        if index is None:
            if cues:
                cues[-1].lines.extend(block)
            continue
        timing = _timing(block[index])
        if isinstance(timing, str):
            note = f"line {first + index}: the timing '{block[index].strip()}' {timing}"
            cues.append(_Cue(None, None, list(block[index + 1 :]), note))
        else:
            cues.append(_Cue(timing[0], timing[1], list(block[index + 1 :])))
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
    example = "00:00:01.000 --> 00:00:04.000" if webvtt else "00:00:01,000 --> 00:00:04,000"
    if not cues:
        raise DocumentReadError(path, f"contains no captions (no cue times such as {example})")
    if all(cue.start_ms is None for cue in cues):
        raise DocumentReadError(
            path, f"has no valid cue time ({cues[0].timing_note}; a cue time looks like {example})"
        )

    writer = _Writer()
    notes: list[str] = []
    group: _Group | None = None
    for cue in cues:
        speaker, words = _speaker_and_words(cue.lines)
        if cue.timing_note:
            notes.append(cue.timing_note + ("; its text was kept without a time" if words
                                            else ", and its cue has no text; it was left out"))
        if not words:
            continue
        if group is not None and speaker in (None, group.speaker):
            group.words.append(words)
            if group.start_ms is None:
                group.start_ms = cue.start_ms
            if cue.end_ms is not None:
                group.end_ms = max(group.end_ms or 0, cue.end_ms)
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
        notes=notes,
    )
