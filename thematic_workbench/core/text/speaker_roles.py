"""Who is the interviewer, and whose turns count when coverage is measured.

Coverage asks whether each participant's words were given attention; the interviewer's
prompts are not data to code, so by default they do not count. The project stores no role
per speaker, so the interviewer is recognised from the label, by one rule:

* a label that names the role: ``Interviewer``, ``INT``, ``I``, ``IV``, ``Q``,
  ``Question``, ``Researcher``, ``Moderator``, ``Facilitator`` (any case, an optional
  number after it: ``Interviewer 2``, ``INT1``);
* or, in a transcript with exactly two speakers, one of whom is labelled as the
  transcript's participant (``PK``), the other speaker.

A transcript without turns has nobody to leave out: all of its text counts as the
participant's. Text before the first label belongs to no turn and counts only when every
speaker does (the whole text).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

INTERVIEWER_NAMES = frozenset({
    "interviewer", "int", "i", "iv", "q", "question", "researcher", "moderator",
    "facilitator"})
_NUMBERED = re.compile(r"^(?P<name>.*?)[\s._-]*\d*$")

EVERYONE, PARTICIPANTS, INTERVIEWER, NAMED = "everyone", "participants", "interviewer", "named"
KINDS = (PARTICIPANTS, INTERVIEWER, EVERYONE, NAMED)


class SpeakerTurn(Protocol):
    """A turn as coverage needs it (``core.transcript_data.TurnSpan`` is one)."""

    @property
    def speaker(self) -> str: ...

    @property
    def end(self) -> int: ...

    @property
    def speech_start(self) -> int: ...


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def names_the_interviewer(speaker: str) -> bool:
    """Whether a speaker label names the interviewer's role (``INT``, ``Interviewer 2``)."""
    match = _NUMBERED.match(_key(speaker).strip("[]():*"))
    assert match is not None  # the pattern matches any line; a key has no line break
    return match.group("name") in INTERVIEWER_NAMES


def interviewers(speakers: Collection[str], participant: str | None = None) -> set[str]:
    """The speakers of one transcript who are its interviewer, by the module's rule."""
    found = {name for name in speakers if names_the_interviewer(name)}
    if found or participant is None:
        return found
    distinct = {_key(name): name for name in speakers}
    if len(distinct) == 2 and _key(participant) in distinct:
        return {name for key, name in distinct.items() if key != _key(participant)}
    return set()


@dataclass(frozen=True)
class SpeakerChoice:
    """Whose turns count: ``participants`` (every speaker but the interviewer, the
    default), ``interviewer``, ``everyone`` (the whole text, labels included) or ``named``
    speakers (``names``, matched in any case)."""

    kind: str = PARTICIPANTS
    names: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown choice of speakers '{self.kind}'")
        object.__setattr__(self, "names", frozenset(" ".join(name.split())
                                                    for name in self.names))

    @classmethod
    def named(cls, names: Iterable[str]) -> SpeakerChoice:
        return cls(NAMED, frozenset(names))

    def describe(self) -> str:
        """How the choice reads in a message: "every speaker but the interviewer"."""
        if self.kind == NAMED:
            return "the turns of " + ", ".join(sorted(self.names, key=str.casefold))
        return {PARTICIPANTS: "every speaker but the interviewer",
                INTERVIEWER: "the interviewer's turns",
                EVERYONE: "the whole text, every speaker"}[self.kind]

    def counted_speakers(self, speakers: Collection[str],
                         participant: str | None = None) -> set[str]:
        """Which of one transcript's speakers count."""
        if self.kind == EVERYONE:
            return set(speakers)
        if self.kind == NAMED:
            wanted = {_key(name) for name in self.names}
            return {name for name in speakers if _key(name) in wanted}
        asking = interviewers(speakers, participant)
        return asking if self.kind == INTERVIEWER else set(speakers) - asking

    def spans(self, turns: Iterable[SpeakerTurn], length: int,
              participant: str | None = None,
              counted: Collection[str] | None = None) -> list[tuple[int, int]]:
        """The parts of one transcript (``length`` characters) that count, in text order:
        the chosen speakers' words, without their labels. ``counted`` is
        :meth:`counted_speakers` of the turns' speakers, if the caller has it already."""
        turns = list(turns)
        if self.kind == EVERYONE or (not turns and self.kind == PARTICIPANTS):
            return [(0, length)] if length else []
        if counted is None:
            counted = self.counted_speakers({turn.speaker for turn in turns}, participant)
        return sorted((turn.speech_start, turn.end) for turn in turns
                      if turn.speaker in counted and turn.end > turn.speech_start)


DEFAULT = SpeakerChoice()
