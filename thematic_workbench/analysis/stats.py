"""Descriptive numbers over the coding: how often each code is used and by whom, which codes
meet in the same passages, and how much of each transcript has been coded.

In reflexive thematic analysis counts do not make a theme; they help the researcher check
the coding (Braun and Clarke's checklist asks that "each data item has been given equal
attention"). Each function reads whole tables in a few queries and counts in Python: the
large project (50,000 codings) is counted in well under a second. Codes come in board order
(Table 1's order), participants in natural label order (P2 before P10), and characters
count overlapping codings in one transcript once. Coverage lives in ``analysis.coverage``
and is re-exported here, so that the CLI and the view find every count in one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.analysis.cooccurrence import MODES, code_cooccurrence
from thematic_workbench.analysis.coverage import Coverage as Coverage  # re-exported
from thematic_workbench.analysis.coverage import Stretch as Stretch
from thematic_workbench.analysis.coverage import coverage as coverage
from thematic_workbench.analysis.coverage import coverage_of
from thematic_workbench.analysis.theme_matrix import NO_PARTICIPANT, board_themes, label_order
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.queries.attribution import (
    SpeakerMap,
    document_owners,
    participant_label_map,
)
from thematic_workbench.core.storage.models import (
    AttributeDefinition,
    Code,
    Coding,
    Document,
    Participant,
    ParticipantAttribute,
    SpeakerParticipant,
    ThemeMembership,
)
from thematic_workbench.core.text.speaker_roles import DEFAULT, SpeakerChoice

NOT_SET = ""  # the attribute value of participants (and transcripts) without one


@dataclass(frozen=True)
class CodeRef:
    id: int
    name: str
    colour: str


@dataclass(frozen=True)
class CodeFrequency:
    """One active code's reach; ``themes`` are its emerging themes in board order."""

    id: int
    name: str
    colour: str
    codings: int
    documents: int
    participants: int
    characters: int
    themes: tuple[str, ...]


@dataclass(frozen=True)
class CodeParticipantTable:
    """Codings per code and participant; NO_PARTICIPANT last where transcripts lack one."""

    codes: tuple[CodeRef, ...]
    participants: tuple[str, ...]
    cells: Mapping[tuple[int, str], int]

    def count(self, code_id: int, participant: str) -> int:
        return self.cells.get((code_id, participant), 0)

    def code_total(self, code_id: int) -> int:
        return sum(self.count(code_id, who) for who in self.participants)

    def participant_total(self, participant: str) -> int:
        return sum(self.count(code.id, participant) for code in self.codes)


@dataclass(frozen=True)
class Reach:
    codings: int = 0
    participants: int = 0


@dataclass(frozen=True)
class AttributeGroup:
    """A value of the attribute and how many participants with transcripts have it: a
    count of codings means little without the size of its group."""

    value: str
    participants: int


@dataclass(frozen=True)
class CodeAttributeTable:
    attribute: str
    codes: tuple[CodeRef, ...]
    groups: tuple[AttributeGroup, ...]  # NOT_SET last, where some have no value
    cells: Mapping[tuple[int, str], Reach]

    def cell(self, code_id: int, value: str) -> Reach:
        return self.cells.get((code_id, value), Reach())


@dataclass(frozen=True)
class CooccurrenceMatrix:
    """How often two codes meet; ``pairs`` keyed (smaller id, larger id), no diagonal."""

    mode: str
    codes: tuple[CodeRef, ...]
    pairs: Mapping[tuple[int, int], int]

    def count(self, first: int, second: int) -> int:
        return 0 if first == second else self.pairs.get((min(first, second),
                                                         max(first, second)), 0)

    def ranked(self) -> list[tuple[int, int, int]]:
        """Every pair that meets as (code id, code id, count), most often first."""
        ordered = sorted(self.pairs.items(), key=itemgetter(1), reverse=True)  # stable
        return [(a, b, count) for (a, b), count in ordered]


@dataclass(frozen=True)
class _Data:
    """What the counts are made of: codes in board order and every coded span."""

    codes: tuple[CodeRef, ...]
    themes: Mapping[int, tuple[str, ...]]
    labels: Mapping[int | None, str]  # participant id -> label; None -> NO_PARTICIPANT
    owners: Mapping[int, int | None]  # document id -> the transcript's own participant id
    present: frozenset[int]  # participants with a transcript or a mapped focus-group speaker
    spans: Sequence[tuple[int, int, int, int]]  # code id, document id, start, end
    said_by: Sequence[int | None]  # who said each span (core/queries/attribution.py)


def _board_codes(session: Session) -> tuple[list[CodeRef], dict[int, tuple[str, ...]]]:
    """Active codes in Table 1 order (as ``code_theme_table``), with their emerging themes."""
    members: dict[int, list[int]] = defaultdict(list)
    for theme_id, code_id in session.execute(
            select(ThemeMembership.theme_id, ThemeMembership.code_id)
            .order_by(ThemeMembership.position, ThemeMembership.code_id)):
        members[theme_id].append(code_id)
    order: dict[int, int] = {}
    themes: dict[int, list[str]] = defaultdict(list)
    for theme in board_themes(session):
        for code_id in members.get(theme.id, ()):
            order.setdefault(code_id, len(order))
            if theme.level == "emerging":
                themes[code_id].append(theme.name)
    codes = [CodeRef(*row) for row in session.execute(
        select(Code.id, Code.name, Code.colour).where(Code.status == "active")
        .order_by(Code.name_key))]
    codes.sort(key=lambda code: order.get(code.id, len(order)))  # stable: names after
    return codes, {code.id: tuple(themes[code.id]) for code in codes}


def _load(session: Session) -> _Data:
    codes, themes = _board_codes(session)
    owners = document_owners(session)
    labels: dict[int | None, str] = {None: NO_PARTICIPANT}
    labels.update(participant_label_map(session).items())
    speakers = SpeakerMap(session)
    # Joining codes in SQL took twice as long as leaving out merged codes' spans here, and
    # the ORM's row handling a third of the time: plain rows through the connection.
    rows = session.connection().execute(select(Coding.code_id, Coding.document_id,
                                               Coding.start, Coding.end)).all()
    spans = [(code_id, document_id, start, end)
             for code_id, document_id, start, end in rows if code_id in themes]
    who = [speakers.participant(document_id, start, owners.get(document_id))
           if document_id in speakers.mapped else owners.get(document_id)
           for _code, document_id, start, _end in spans]
    present = {owner for owner in owners.values() if owner is not None}
    present.update(p for mapping in speakers.mapped.values() for p in mapping.values())
    return _Data(tuple(codes), themes, labels, owners, frozenset(present), spans, who)


def _frequencies(data: _Data) -> list[CodeFrequency]:
    """One sweep over the spans sorted by code, transcript and start."""
    codings: dict[int, int] = defaultdict(int)
    documents: dict[int, set[int]] = defaultdict(set)
    characters: dict[int, int] = defaultdict(int)
    place, reach = None, 0
    people: dict[int, set[int]] = defaultdict(set)
    for (code_id, _document, _start, _end), who in zip(data.spans, data.said_by, strict=True):
        if who is not None:
            people[code_id].add(who)
    for code_id, document_id, start, end in sorted(data.spans):
        codings[code_id] += 1
        if place != (code_id, document_id):
            place, reach = (code_id, document_id), start
            documents[code_id].add(document_id)
        if end > reach:
            characters[code_id] += end - max(start, reach)
            reach = end
    result = []
    for code in data.codes:
        found = documents.get(code.id, set())
        result.append(CodeFrequency(code.id, code.name, code.colour, codings.get(code.id, 0),
                                    len(found), len(people.get(code.id, ())),
                                    characters.get(code.id, 0),
                                    data.themes.get(code.id, ())))
    return result


def code_frequencies(session: Session) -> list[CodeFrequency]:
    """Every active code, in board order, with how widely it is used."""
    return _frequencies(_load(session))


def _labels_of(data: _Data) -> list[str]:
    """Labels of the participants with a transcript or a focus-group voice, naturally."""
    return sorted((data.labels[who] for who in data.present), key=label_order)


def participant_labels(session: Session) -> list[str]:
    """Labels of the participants who have a transcript or speak in a focus group, in
    natural order."""
    mapped = select(SpeakerParticipant.participant_id)
    owning = select(Document.participant_id)
    labels = session.execute(select(Participant.label).where(
        Participant.id.in_(owning) | Participant.id.in_(mapped)))
    return sorted(labels.scalars(), key=label_order)


def _by_participant(data: _Data) -> CodeParticipantTable:
    cells: dict[tuple[int, str], int] = defaultdict(int)
    for (code_id, _document, _start, _end), who in zip(data.spans, data.said_by, strict=True):
        cells[(code_id, data.labels[who])] += 1
    labels = _labels_of(data)
    if any(who == NO_PARTICIPANT for _code, who in cells):
        labels = [*labels, NO_PARTICIPANT]
    return CodeParticipantTable(data.codes, tuple(labels), dict(cells))


def code_by_participant(session: Session) -> CodeParticipantTable:
    """Codings of each code credited to each participant: in their transcripts, or in
    their turns of a focus group."""
    return _by_participant(_load(session))


def attribute_names(session: Session) -> list[str]:
    """The participant attributes defined in the project, in the order they were defined."""
    return list(session.execute(select(AttributeDefinition.name)
                                .order_by(AttributeDefinition.id)).scalars())


def _value_order(kind: str) -> Any:
    """Numbers by value, other values naturally, "not set" last."""
    def key(value: str) -> tuple[int, Any]:
        if value == NOT_SET:
            return (2, 0)
        if kind == "number":
            try:
                return (0, float(value))
            except ValueError:
                pass
        return (1, label_order(value))
    return key


def _by_attribute(session: Session, data: _Data, name: str) -> CodeAttributeTable:
    definition = session.execute(select(AttributeDefinition.id, AttributeDefinition.type)
                                 .where(AttributeDefinition.name == name)).first()
    if definition is None:
        known = ", ".join(attribute_names(session)) or "none is defined"
        raise NotFoundError(f"no participant attribute named '{name}' (attributes: {known})")
    held = dict(session.execute(
        select(ParticipantAttribute.participant_id, ParticipantAttribute.value)
        .where(ParticipantAttribute.attribute_id == definition.id)).all())
    def value_of(who: int | None) -> str:
        return NOT_SET if who is None else held.get(who, NOT_SET)

    members: dict[str, set[int]] = defaultdict(set)
    for who in data.present:
        members[value_of(who)].add(who)
    if any(owner is None for owner in data.owners.values()):
        members.setdefault(NOT_SET, set())  # a group exists once it has transcripts
    codings: dict[tuple[int, str], int] = defaultdict(int)
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    for (code_id, _document, _start, _end), said_by in zip(data.spans, data.said_by,
                                                           strict=True):
        key = (code_id, value_of(said_by))
        codings[key] += 1
        if said_by is not None:
            people[key].add(said_by)
    groups = tuple(AttributeGroup(value, len(members[value]))
                   for value in sorted(members, key=_value_order(definition.type)))
    cells = {key: Reach(count, len(people.get(key, ()))) for key, count in codings.items()}
    return CodeAttributeTable(name, data.codes, groups, cells)


def code_by_attribute(session: Session, attribute_name: str) -> CodeAttributeTable:
    """Codings, and participants coded, of each code per value of a participant attribute
    (gender, profession...); NotFoundError for an attribute the project lacks."""
    return _by_attribute(session, _load(session), attribute_name)


def _cooccurrence(session: Session, codes: Sequence[CodeRef], mode: str) -> CooccurrenceMatrix:
    """``code_cooccurrence`` counts active codes only, in pairs of two different codes."""
    return CooccurrenceMatrix(mode, tuple(codes), code_cooccurrence(session, mode))


def cooccurrence_matrix(session: Session, mode: str = "overlap") -> CooccurrenceMatrix:
    """Active codes in board order × the same codes: how often each pair meets, in
    overlapping passages ("overlap") or in the same speaker turn ("turn")."""
    return _cooccurrence(session, _board_codes(session)[0], mode)


def project_stats(session: Session, attributes: Sequence[str] | None = None,
                  speakers: SpeakerChoice = DEFAULT) -> dict[str, Any]:
    """Everything above as JSON-ready data, codes referred to by id: every attribute unless
    ``attributes`` names some, both co-occurrence modes; cells that are zero left out.
    Coverage counts the words of ``speakers`` (by default all but the interviewer)."""
    data = _load(session)
    table = _by_participant(data)
    covered = coverage_of(session, ((doc, start, end) for _code, doc, start, end in data.spans),
                          speakers=speakers)
    names = attribute_names(session) if attributes is None else attributes
    by_attribute = {name: _by_attribute(session, data, name) for name in names}
    return {
        "totals": {
            "transcripts": len(covered),
            "participants": sum(1 for who in table.participants if who != NO_PARTICIPANT),
            "codes": len(data.codes), "codings": len(data.spans),
            "characters": sum(item.characters for item in covered),
            "coded_characters": sum(item.coded_characters for item in covered),
            "transcript_characters": sum(item.transcript_characters for item in covered)},
        "speakers": {"kind": speakers.kind, "names": sorted(speakers.names, key=str.casefold),
                     "counted": speakers.describe()},
        "codes": [asdict(code) for code in _frequencies(data)],
        "by_participant": {
            "participants": list(table.participants),
            "cells": [{"code_id": code_id, "participant": who, "codings": count}
                      for (code_id, who), count in sorted(table.cells.items())]},
        "by_attribute": {name: {
            "values": [asdict(group) for group in found.groups],
            "cells": [{"code_id": code_id, "value": value} | asdict(reach)
                      for (code_id, value), reach in sorted(found.cells.items())]}
            for name, found in by_attribute.items()},
        "cooccurrence": {mode: [{"code_a_id": a, "code_b_id": b, "count": count}
                                for a, b, count in _cooccurrence(session, data.codes,
                                                                 mode).ranked()]
                         for mode in MODES},
        "coverage": [asdict(item) | {"coded_share": round(item.share, 4)} for item in covered],
    }
