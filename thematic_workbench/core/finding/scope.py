"""What part of the data a search, a word count, an autocode or a query looks at.

A researcher narrows the data by transcript, by participant, by attribute value (every
psychologist, every woman) and by speaker (leave out the interviewer). :class:`Scope` says
which; :func:`regions_in_scope` turns it into the stretches of text that remain: the speech
of each speaker turn (its label left out, so "Interviewer" is never found or counted) and
the text outside any turn. Each region carries who said it (core/queries/attribution.py), so that in
a focus group a participant filter keeps that person's turns only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.queries.attribution import SpeakerMap
from thematic_workbench.core.storage.models import (
    AttributeDefinition,
    Document,
    Participant,
    ParticipantAttribute,
    Turn,
)


def speaker_key(label: str) -> str:
    """Speaker labels compare without case, spacing or a trailing colon."""
    return " ".join(label.replace(":", " ").split()).casefold()


@dataclass(frozen=True, slots=True)
class Scope:
    """Filters over the data; the default is everything."""

    documents: frozenset[int] | None = None  # None: every transcript
    participants: frozenset[str] | None = None  # participant labels; None: everyone
    attributes: tuple[tuple[str, str], ...] = ()  # (name, value); several of a name: any
    speakers: frozenset[str] | None = None  # only the turns of these speaker labels
    not_speakers: frozenset[str] = frozenset()  # leave these speakers' turns out

    @property
    def everything(self) -> bool:
        return (self.documents is None and self.participants is None and not self.attributes
                and self.speakers is None and not self.not_speakers)

    @property
    def by_person(self) -> bool:
        """Whether the scope narrows by participant or attribute value."""
        return self.participants is not None or bool(self.attributes)


@dataclass(frozen=True, slots=True)
class Region:
    """A stretch of one transcript in scope, in code points, with who said it."""

    start: int
    end: int
    speaker: str | None
    participant_id: int | None


def participant_ids_in_scope(session: Session, scope: Scope) -> set[int] | None:
    """The participants a scope keeps, or None when it does not narrow by person.

    Unknown labels and attributes are errors (a typing mistake must not look like "no
    results"); an attribute value nobody has simply keeps nobody.
    """
    if not scope.by_person:
        return None
    labels = dict(session.execute(select(Participant.label, Participant.id)).all())
    kept = set(labels.values())
    if scope.participants is not None:
        missing = sorted(label for label in scope.participants if label not in labels)
        if missing:
            raise NotFoundError(f"no participant labelled '{missing[0]}'")
        kept = {labels[label] for label in scope.participants}
    wanted: dict[str, set[str]] = defaultdict(set)
    for name, value in scope.attributes:
        wanted[name].add(value.strip().casefold())
    for name, values in wanted.items():
        definition = session.execute(select(AttributeDefinition.id).where(
            AttributeDefinition.name == name)).scalar_one_or_none()
        if definition is None:
            raise NotFoundError(f"no participant attribute named '{name}'")
        having = {participant_id for participant_id, value in session.execute(
            select(ParticipantAttribute.participant_id, ParticipantAttribute.value)
            .where(ParticipantAttribute.attribute_id == definition))
            if value.strip().casefold() in values}
        kept &= having
    return kept


def speaker_turns(session: Session, document_id: int | None = None) -> list[tuple[str, int]]:
    """The speaker labels of one transcript or of all with their numbers of turns, most
    turns first."""
    query = select(Turn.speaker, func.count()).group_by(Turn.speaker)
    if document_id is not None:
        query = query.where(Turn.document_id == document_id)
    counts = [(speaker, count) for speaker, count in session.execute(query)]
    return sorted(counts, key=lambda item: (-item[1], item[0].casefold()))


def speaker_labels(session: Session, document_id: int | None = None) -> list[str]:
    """The speaker labels of one transcript or of all, most frequent first."""
    return [speaker for speaker, _count in speaker_turns(session, document_id)]


def _document_regions(length: int, turns: list[tuple[int, int, int, str]]
                      ) -> list[tuple[int, int, str | None]]:
    """Every stretch of a transcript: turns' speech, and the text before the first turn and
    after the last (a turn runs on over unlabelled paragraphs to the next label, so what lies
    between two turns is only the line break)."""
    regions: list[tuple[int, int, str | None]] = []
    reach = 0
    for start, end, speech_start, speaker in turns:
        if start > reach and not regions:
            regions.append((reach, start, None))
        if end > speech_start:
            regions.append((speech_start, end, speaker))
        reach = max(reach, end)
    if length > reach:
        regions.append((reach, length, None))
    return regions


def regions_in_scope(session: Session, scope: Scope,
                     document_ids: Iterable[int] | None = None) -> dict[int, list[Region]]:
    """Document id → its regions in scope, in text order; transcripts with none left out."""
    query = select(Document.id, Document.char_count, Document.participant_id)
    wanted = None if document_ids is None else set(document_ids)
    if scope.documents is not None:
        wanted = set(scope.documents) if wanted is None else wanted & scope.documents
    if wanted is not None:
        query = query.where(Document.id.in_(sorted(wanted)))
    documents = session.execute(query).all()
    ids = [row.id for row in documents]
    turns: dict[int, list[tuple[int, int, int, str]]] = defaultdict(list)
    for turn in session.execute(select(Turn.document_id, Turn.start, Turn.end, Turn.speech_start,
                                      Turn.speaker)
                               .where(Turn.document_id.in_(ids))
                               .order_by(Turn.document_id, Turn.start)):
        turns[turn.document_id].append((turn.start, turn.end, turn.speech_start, turn.speaker))
    people = participant_ids_in_scope(session, scope)
    speakers = SpeakerMap(session, ids)
    only = None if scope.speakers is None else {speaker_key(s) for s in scope.speakers}
    leave_out = {speaker_key(s) for s in scope.not_speakers}
    # A transcript repeats a handful of labels thousands of times: decide once per label.
    kept_label = {label: (only is None or speaker_key(label) in only)
                  and speaker_key(label) not in leave_out
                  for label in {turn[3] for found in turns.values() for turn in found}}
    result: dict[int, list[Region]] = {}
    for row in documents:
        kept = []
        for start, end, speaker in _document_regions(row.char_count, turns.get(row.id, [])):
            if speaker is None and only is not None:
                continue
            if speaker is not None and not kept_label[speaker]:
                continue
            who = speakers.speaker_participant(row.id, speaker, row.participant_id)
            if people is not None and who not in people:
                continue
            kept.append(Region(start, end, speaker, who))
        if kept:
            result[row.id] = kept
    return result
