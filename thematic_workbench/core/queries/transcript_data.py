"""Everything the transcript view shows of one document, read in one short session.

The view holds plain, immutable values (no live ORM rows), so a read session can close as
soon as the data is out; :func:`codings_of` and :func:`annotations_of` re-read only what
a coding or a margin note changes, without the text and the line map. Opening a
transcript is timed against showing its bare text, so its thousands of rows are read with
plain SQL statements (spelled out below, the same on SQLite and PostgreSQL; a test
compares the result with the ORM's view of the same rows), not built into ORM objects.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from itertools import starmap
from typing import Any, NamedTuple

from sqlalchemy import TextClause, bindparam, select, text
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.storage.models import Document, Participant
from thematic_workbench.core.text.textlayout import LineSpan


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
    chosen = {"document": document_id}
    head = session.execute(_HEAD, chosen).first()
    if head is None:
        raise NotFoundError(f"no document with id {document_id}")
    name, participant, body = head
    return TranscriptData(
        id=document_id, name=name, participant=participant, text=body,
        lines=tuple(starmap(LineSpan, session.execute(_LINES, chosen).all())),
        turns=tuple(starmap(TurnSpan, session.execute(_TURNS, chosen).all())),
        codings=codings_of(session, document_id),
        annotations=annotations_of(session, document_id))


def codings_of(session: Session, document_id: int,
               coding_ids: Collection[int] | None = None) -> tuple[CodingSpan, ...]:
    """A document's codings (all, or those among ``coding_ids``) in text order, with their
    code's name and colour."""
    parameters: dict[str, object] = {"document": document_id}
    statement = _CODINGS
    if coding_ids is not None:
        statement, parameters["ids"] = _CODINGS_AMONG, list(coding_ids)
    rows = [tuple(row) for row in session.execute(statement, parameters)]
    rows.sort()  # (start, end, id): the order of the text, as CodingSpan's readers expect
    # Each code's name and colour, and each coder's name, are read once, not once a row.
    names: dict[int, str] = {}
    colours: dict[int, str] = {}
    for code, name, colour in _among(session, _CODES, {row[3] for row in rows}):
        names[code], colours[code] = name, colour
    coders: dict[int, str] = dict(_among(session, _CODERS, {row[4] for row in rows}))
    make = tuple.__new__  # what CodingSpan(...) does, without a Python call a row
    return tuple([make(CodingSpan, (coding, code, names[code], colours[code], start, end,
                                    coders[coder], memo))
                  for start, end, coding, code, coder, memo in rows])


def _among(session: Session, statement: TextClause, ids: Collection[int]) -> list[Any]:
    """The rows of ``statement`` (with an expanding ``:ids``) for these ids."""
    return list(session.execute(statement, {"ids": list(ids)})) if ids else []


def annotations_of(session: Session, document_id: int) -> tuple[AnnotationSpan, ...]:
    """A document's margin notes in text order."""
    rows = session.execute(_NOTES, {"document": document_id})
    return tuple(starmap(AnnotationSpan, rows))


# Plain SQL, not the ORM: building thousands of rows as ORM objects (or compiling a select
# on every open) costs more than the display of the text itself.
_HEAD = text("SELECT d.name, p.label, d.text FROM document AS d"
             " LEFT JOIN participant AS p ON p.id = d.participant_id WHERE d.id = :document")
_LINES = text('SELECT number, start, "end" FROM line WHERE document_id = :document'
              " ORDER BY number")
_TURNS = text('SELECT speaker, start, "end", speech_start FROM turn'
              " WHERE document_id = :document ORDER BY start, id")
_CODING_COLUMNS = 'SELECT start, "end", id, code_id, coder_id, memo FROM coding'
_CODINGS = text(f"{_CODING_COLUMNS} WHERE document_id = :document")
_CODINGS_AMONG = text(f"{_CODING_COLUMNS} WHERE document_id = :document AND id IN :ids"
                      ).bindparams(bindparam("ids", expanding=True))
_CODES = text("SELECT id, name, colour FROM code WHERE id IN :ids"
              ).bindparams(bindparam("ids", expanding=True))
_CODERS = text("SELECT id, name FROM coder WHERE id IN :ids"
               ).bindparams(bindparam("ids", expanding=True))
_NOTES = text('SELECT id, start, "end", body FROM annotation WHERE document_id = :document'
              ' ORDER BY start, "end", id')


def heading_of(session: Session, document_id: int) -> tuple[str, str | None] | None:
    """A document's name and participant label, or ``None`` if it is gone."""
    row = session.execute(
        select(Document.name, Participant.label)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .where(Document.id == document_id)).first()
    return (row.name, row.label) if row is not None else None
