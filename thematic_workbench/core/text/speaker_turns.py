"""Speaker turns in canonical text, found from the labels transcribers type.

A *paragraph* here is one line of the canonical text (hard breaks inside a Word paragraph
count as paragraph starts too, because a transcriber who types ``Name:`` after a line break
means a new turn). A paragraph may begin with a *label*:

* ``Name:`` — ``Dr Smith:``, ``INTERVIEWER:``, ``P1:``, ``PA:``; optionally with a time,
  ``Name (00:01:23):``; the colon must be followed by a space or the end of the line, so
  ``10:30`` or ``http://`` never count;
* ``[Name]`` or ``[Name]:`` — ``[id1]``, ``[Interviewer]``;
* either form may be preceded by a time in brackets, ``[00:01:23] Name:``;
* Markdown bold around a ``Name:`` label is allowed, ``**Name:**`` or ``**Name**:``.

A label starts with a letter and has at most 4 words and 40 characters. Words that head
prose rather than name a person (``Note:``, ``Example:``, ``Date:``...) and bracketed
transcription notes (``[laughs]``, ``[inaudible]``) are never labels.

Which labels make turns (one rule, easy to explain to a user):

* a label used, ignoring case, at the start of **two or more** paragraphs is a speaker;
* a label used **once** is a speaker only when the document is clearly a labelled
  transcript — at least two paragraphs carry a label and they make up at least a quarter
  of the non-blank paragraphs — and the label looks like a name (in brackets, or every word
  capitalised or a number). So one ``Basically:`` opening a paragraph of an essay makes no
  turn, while a participant who speaks once in an interview still gets one.

A turn runs from its label to the end of the last non-blank paragraph before the next
speaker label. Paragraphs without a label continue the current turn; text before the first
label belongs to no turn. Each speaker is named as first spelled in the document.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


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


MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_BOLD = r"(?:\*\*|__)?"  # Markdown transcripts write **Name:** or **Name**:
_LABEL = re.compile(
    rf"[ \t]*(?P<lead>[\[(](?P<lead_ts>{_TS})[\])][ \t]*)?"
    rf"(?:\[(?P<bracket>[^\[\]\n]{{1,{MAX_LABEL_CHARS}}})\][ \t]*:?"
    rf"|{_BOLD}(?P<name>[^\W\d_][\w.'’\- \t]{{0,{MAX_LABEL_CHARS + 10}}}?)[ \t]*"
    rf"(?:[(\[](?P<ts>{_TS})[)\]][ \t]*)?{_BOLD}:{_BOLD}(?=\s|$))"
)
_TS_PARTS = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?")
_CLOCK = re.compile(r"\d:\d")
_SPACES = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S")


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# First words that head prose, forms or e-mails rather than name a speaker.
_PROSE_HEADS = _words(
    """note notes nb n.b n.b. example examples e.g e.g. eg i.e i.e. ie summary date dates time
    times location place venue duration length title subject re fw fwd page source sources
    transcript transcription keywords tags abstract introduction conclusion conclusions
    background warning important update edit edited ps p.s p.s. file files recording audio
    project study agenda step tip tips see key definition total url email e-mail tel phone
    address from to cc bcc sent attachment attachments caution disclaimer reference references
    quote version status"""
)
# First words of bracketed transcription notes, e.g. ``[laughs]``, ``[long pause]``.
_BRACKET_NOTES = _words(
    """laughs laughter laughing laugh inaudible unintelligible unclear indistinct pause pauses
    paused long short brief silence crosstalk cross-talk overlapping overlap sighs sigh sighing
    coughs cough coughing clears interruption interrupts interrupted redacted removed sic
    music noise applause break end start recording tape phone continues cont cont'd crying
    cries smiles nods gestures background name emphasis"""
)


@dataclass(frozen=True, slots=True)
class _Label:
    start: int
    end: int
    name: str
    key: str
    name_like: bool
    time_ms: int | None


def timestamp_ms(stamp: str) -> int | None:
    """``[h:]mm:ss[.fff]`` (or ``,fff``) as milliseconds; ``None`` if it is not a time."""
    m = _TS_PARTS.fullmatch(stamp.strip())
    if m is None:
        return None
    hours = int(m.group(1) or 0)
    minutes, seconds = int(m.group(2)), int(m.group(3))
    if seconds > 59:
        return None
    millis = int((m.group(4) or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def clean_speaker_name(name: str) -> str | None:
    """The label text as a speaker name, or ``None`` if it cannot be a speaker label."""
    name = _SPACES.sub(" ", name).strip()
    words = name.split(" ")
    if not name or len(name) > MAX_LABEL_CHARS or len(words) > MAX_LABEL_WORDS:
        return None
    if not name[0].isalpha() or _CLOCK.search(name):
        return None
    if words[0].casefold() in _PROSE_HEADS:
        return None
    return name


def _match_label(text: str, start: int, end: int) -> _Label | None:
    """The label at the start of the paragraph ``text[start:end]``, if any."""
    # A label sits at the very start of a paragraph: looking a little way in is enough, and
    # keeps the pattern from backtracking across long runs of white space.
    lead = len(text) - len(text[start:end].lstrip(" \t")) - (len(text) - end) - start
    if lead > MAX_LABEL_CHARS:
        return None
    m = _LABEL.match(text, start, min(end, start + lead + 4 * MAX_LABEL_CHARS))
    if m is None:
        return None
    bracket = m.group("bracket")
    if bracket is not None:
        name = clean_speaker_name(bracket)
        if name is None or name.split(" ")[0].casefold() in _BRACKET_NOTES:
            return None
        if "..." in name or "…" in name:
            return None
        name_like = True
    else:
        name = clean_speaker_name(m.group("name"))
        if name is None:
            return None
        name_like = all(w[0].isupper() or w[0].isdigit() for w in name.split(" "))
    stamp = m.group("lead_ts") or m.group("ts")
    label_start = start + len(text[start:end]) - len(text[start:end].lstrip(" \t"))
    return _Label(
        start=label_start,
        end=m.end(),
        name=name,
        key=name.casefold(),
        name_like=name_like,
        time_ms=timestamp_ms(stamp) if stamp else None,
    )


def speaker_prefix(line: str) -> tuple[str, str] | None:
    """``("Name", "words")`` when a caption line starts with ``Name: words``; else ``None``.

    Used for caption cues, where each cue is short and the recurrence rule does not apply.
    """
    m = _LABEL.match(line)
    if m is None or m.group("name") is None:
        return None
    name = clean_speaker_name(m.group("name"))
    if name is None:
        return None
    return name, line[m.end() :].strip()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank line of ``text``."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        stop = pos + len(line)
        if line.strip():
            spans.append((pos, stop))
        pos = stop + 1
    return spans


def detect_turns(text: str) -> list[ImportedTurn]:
    """Speaker turns of canonical ``text`` by the rule in this module's docstring."""
    paragraphs = _paragraphs(text)
    labels = [_match_label(text, a, b) for a, b in paragraphs]
    found = [label for label in labels if label is not None]
    if len(found) < 2:
        return []
    counts = Counter(label.key for label in found)
    transcript_like = len(found) * 4 >= len(paragraphs)
    spelling: dict[str, str] = {}
    for label in found:
        spelling.setdefault(label.key, label.name)

    def is_speaker(label: _Label | None) -> bool:
        if label is None:
            return False
        return counts[label.key] >= 2 or (transcript_like and label.name_like)

    turns: list[ImportedTurn] = []
    current: _Label | None = None
    last_end = 0

    def close() -> None:
        if current is None:
            return
        end = max(last_end, current.end)
        m = _NON_SPACE.search(text, current.end, end)
        turns.append(
            ImportedTurn(
                speaker=spelling[current.key],
                start=current.start,
                end=end,
                speech_start=m.start() if m else end,
                time_start_ms=current.time_ms,
            )
        )

    for (_, para_end), paragraph_label in zip(paragraphs, labels, strict=True):
        if is_speaker(paragraph_label):
            close()
            current = paragraph_label
        last_end = para_end
    close()
    return turns
