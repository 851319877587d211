"""The participants sheet as plain values: participants × attributes, and their transcripts.

The window's sheet, the ``participants`` verb and the attributes export all read this one
query, so they show the same participants in the same (natural) order: P2 before P10.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.storage.models import (
    AttributeDefinition,
    Document,
    Participant,
    ParticipantAttribute,
    SpeakerParticipant,
)

TYPE_LABELS = {"text": "text", "number": "number", "date": "date", "choice": "category"}
_DIGITS = re.compile(r"(\d+)")


def natural_key(label: str) -> tuple[Any, ...]:
    """Sort key putting P2 before P10, case aside."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in _DIGITS.split(label.casefold()) if part)


@dataclass(frozen=True)
class AttributeInfo:
    id: int
    name: str
    type: str  # as stored: text, number, date, choice
    choices: tuple[str, ...]
    values: int  # how many participants have a value

    @property
    def type_label(self) -> str:
        """The type as users read it (``choice`` is a "category")."""
        return TYPE_LABELS.get(self.type, self.type)


@dataclass(frozen=True)
class DocumentRef:
    id: int
    name: str


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    label: str
    note: str
    values: dict[str, str] = field(default_factory=dict)  # attribute name -> value
    documents: tuple[DocumentRef, ...] = ()  # the transcripts that are theirs
    voices: tuple[tuple[DocumentRef, str], ...] = ()  # focus groups they speak in, as whom

    def transcripts_text(self) -> str:
        """Their transcripts, then the focus groups they speak in: "PA, Group 1 (as Anna)"."""
        return ", ".join([*(d.name for d in self.documents),
                          *(f"{d.name} (as {speaker})" for d, speaker in self.voices)])


@dataclass(frozen=True)
class ParticipantSheet:
    attributes: tuple[AttributeInfo, ...]
    participants: tuple[ParticipantRow, ...]
    unassigned: tuple[DocumentRef, ...]  # transcripts that belong to no participant

    def attribute(self, name: str) -> AttributeInfo | None:
        return next((a for a in self.attributes if a.name == name), None)

    def participant(self, label: str) -> ParticipantRow | None:
        return next((p for p in self.participants if p.label == label), None)


def participant_sheet(session: Session) -> ParticipantSheet:
    """Everything the sheet shows, read in five queries."""
    values: dict[int, dict[str, str]] = {}
    counts: dict[int, int] = {}
    names = dict(session.execute(select(AttributeDefinition.id, AttributeDefinition.name)).all())
    for participant_id, attribute_id, value in session.execute(
            select(ParticipantAttribute.participant_id, ParticipantAttribute.attribute_id,
                   ParticipantAttribute.value)):
        values.setdefault(participant_id, {})[names[attribute_id]] = value
        counts[attribute_id] = counts.get(attribute_id, 0) + 1
    attributes = tuple(sorted(
        (AttributeInfo(row.id, row.name, row.type, tuple(json.loads(row.choices_json or "[]")),
                       counts.get(row.id, 0))
         for row in session.execute(select(AttributeDefinition)).scalars()),
        key=lambda a: (a.id,)))
    documents: dict[int | None, list[DocumentRef]] = {}
    for document_id, name, owner_id in session.execute(
            select(Document.id, Document.name, Document.participant_id)):
        documents.setdefault(owner_id, []).append(DocumentRef(document_id, name))
    for refs in documents.values():
        refs.sort(key=lambda ref: natural_key(ref.name))
    voices: dict[int, list[tuple[DocumentRef, str]]] = {}
    for participant_id, document_id, name, speaker in session.execute(
            select(SpeakerParticipant.participant_id, Document.id, Document.name,
                   SpeakerParticipant.speaker)
            .join(Document, Document.id == SpeakerParticipant.document_id)):
        voices.setdefault(participant_id, []).append((DocumentRef(document_id, name), speaker))
    for found in voices.values():
        found.sort(key=lambda voice: (natural_key(voice[0].name), voice[1]))
    participants = sorted(
        (ParticipantRow(pid, label, note or "", values.get(pid, {}),
                        tuple(documents.get(pid, ())), tuple(voices.get(pid, ())))
         for pid, label, note in session.execute(
             select(Participant.id, Participant.label, Participant.note))),
        key=lambda row: natural_key(row.label))
    return ParticipantSheet(attributes, tuple(participants), tuple(documents.get(None, ())))


def attribute_records(sheet: ParticipantSheet) -> tuple[list[str], list[list[str | float | None]]]:
    """The sheet as an attributes table: a header (participant, then each attribute) and
    one row per participant; numbers as numbers, so a spreadsheet can sum them."""
    headers = ["participant", *(a.name for a in sheet.attributes)]
    rows: list[list[str | float | None]] = []
    for participant in sheet.participants:
        row: list[str | float | None] = [participant.label]
        for attribute in sheet.attributes:
            value = participant.values.get(attribute.name)
            if value is not None and attribute.type == "number":
                number = float(value)
                row.append(int(number) if number.is_integer() and "." not in value
                           and "e" not in value.lower() else number)
            else:
                row.append(value)
        rows.append(row)
    return headers, rows
