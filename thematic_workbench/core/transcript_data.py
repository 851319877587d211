"""Everything the transcript view shows of one document, read in one short session.

The view holds plain, immutable values (no live ORM rows), so a read session can close as
soon as the data is out; :func:`codings_of` and :func:`annotations_of` re-read only what
a coding or a margin note changes, without the text and the line map. Opening a
transcript is timed against showing its bare text, so rows come through Core queries
into named tuples, and codes and coders are joined here from two small look-ups.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from itertools import starmap
from typing import NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.models import (
    Annotation,
    Code,
    Coder,
    Coding,
    Document,
    Line,
    Participant,
    Turn,
)
from thematic_workbench.core.textlayout import LineSpan


class TurnSpan(NamedTuple):
    """A speaker turn; ``text[start:speech_start]`` is the speaker's label."""

    speaker: str
    start: int
    end: int
    speech_start: int


class CodingSpan(NamedTuple):
    """One coding with what the view shows of its code and coder."""

    id: int
    code_id: int
    code_name: str
    colour: str
    start: int
    end: int
    coder: str
    memo: str


class AnnotationSpan(NamedTuple):
    """A margin note on ``text[start:end]``."""

    id: int
    start: int
    end: int
    body: str


@dataclass(frozen=True, slots=True)
class TranscriptData:
    """A document as the transcript view needs it; positions are code points."""

    id: int
    name: str
    participant: str | None
    text: str
    lines: tuple[LineSpan, ...]
    turns: tuple[TurnSpan, ...]
    codings: tuple[CodingSpan, ...]
    annotations: tuple[AnnotationSpan, ...]


def load_transcript(session: Session, document_id: int) -> TranscriptData:
    """The text, stable lines, turns, codings and margin notes of one document."""
    head = session.execute(
        select(Document.name, Participant.label, Document.text)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .where(Document.id == document_id)).first()
    if head is None:
        raise NotFoundError(f"no document with id {document_id}")
    connection = session.connection()
    # ``all()`` then build: iterating a result fetches row by row, several times slower.
    lines = tuple(starmap(LineSpan, connection.execute(
        select(Line.number, Line.start, Line.end).where(Line.document_id == document_id)
        .order_by(Line.number)).all()))
    turns = tuple(starmap(TurnSpan, connection.execute(
        select(Turn.speaker, Turn.start, Turn.end, Turn.speech_start)
        .where(Turn.document_id == document_id).order_by(Turn.start, Turn.id)).all()))
    return TranscriptData(
        id=document_id, name=head.name, participant=head.label, text=head.text, lines=lines,
        turns=turns, codings=codings_of(session, document_id),
        annotations=annotations_of(session, document_id))


def codings_of(session: Session, document_id: int,
               coding_ids: Collection[int] | None = None) -> tuple[CodingSpan, ...]:
    """A document's codings (all, or those among ``coding_ids``) in text order, with their
    code's name and colour."""
    connection = session.connection()
    if coding_ids is None:
        rows = connection.execute(_codings_statement(False), {"document_id": document_id})
    else:
        rows = connection.execute(_codings_statement(True), {
            "document_id": document_id, "coding_ids": list(coding_ids)})
    rows = rows.all()
    codes = {row.id: (row.name, row.colour) for row in connection.execute(
        _CODE_LOOK_UP, {"code_ids": list({row.code_id for row in rows})}).all()}
    coders = dict(connection.execute(_CODERS).all())
    return tuple([
        CodingSpan(coding_id, code_id, *codes[code_id], start, end, coders[coder_id], memo)
        for coding_id, code_id, coder_id, start, end, memo in rows])


# Statements built once: re-reading one coding after a change cost more to build than to run.
_CODE_LOOK_UP = select(Code.id, Code.name, Code.colour).where(
    Code.id.in_(bindparam("code_ids", expanding=True)))
_CODERS = select(Coder.id, Coder.name)


@cache
def _codings_statement(some_codings: bool) -> Select:
    chosen = Coding.document_id == bindparam("document_id")
    if some_codings:
        chosen = chosen & Coding.id.in_(bindparam("coding_ids", expanding=True))
    return (select(Coding.id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end,
                   Coding.memo).where(chosen).order_by(Coding.start, Coding.end, Coding.id))


def annotations_of(session: Session, document_id: int) -> tuple[AnnotationSpan, ...]:
    """A document's margin notes in text order."""
    rows = session.connection().execute(
        select(Annotation.id, Annotation.start, Annotation.end, Annotation.body)
        .where(Annotation.document_id == document_id)
        .order_by(Annotation.start, Annotation.end, Annotation.id)).all()
    return tuple(starmap(AnnotationSpan, rows))


def heading_of(session: Session, document_id: int) -> tuple[str, str | None] | None:
    """A document's name and participant label, or ``None`` if it is gone."""
    row = session.execute(
        select(Document.name, Participant.label)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .where(Document.id == document_id)).first()
    return (row.name, row.label) if row is not None else None
