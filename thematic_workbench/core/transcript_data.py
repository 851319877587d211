"""Everything the transcript view shows of one document, read in one short session.

The view holds plain, immutable values (no live ORM rows), so a read session can close as
soon as the data is out; :func:`codings_of` and :func:`annotations_of` re-read only what
a coding or a margin note changes, without the text and the line map. Opening a
transcript is timed against showing its bare text, so its rows are read as plain tuples
straight from the session's SQLite connection (the SQL is spelled out below; a test
compares the result with the ORM's view of the same rows).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from itertools import starmap
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.models import Document, Participant
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
    database = _driver(session)
    head = database.execute(_HEAD, (document_id,)).fetchone()
    if head is None:
        raise NotFoundError(f"no document with id {document_id}")
    name, participant, text = head
    return TranscriptData(
        id=document_id, name=name, participant=participant, text=text,
        lines=tuple(starmap(LineSpan, database.execute(_LINES, (document_id,)).fetchall())),
        turns=tuple(starmap(TurnSpan, database.execute(_TURNS, (document_id,)).fetchall())),
        codings=codings_of(session, document_id),
        annotations=annotations_of(session, document_id))


def codings_of(session: Session, document_id: int,
               coding_ids: Collection[int] | None = None) -> tuple[CodingSpan, ...]:
    """A document's codings (all, or those among ``coding_ids``) in text order, with their
    code's name and colour."""
    parameters: tuple[int, ...]
    if coding_ids is None:
        sql, parameters = _CODINGS.format(among=""), (document_id,)
    else:
        chosen = list(coding_ids)
        sql = _CODINGS.format(among=f"AND id IN ({', '.join('?' * len(chosen))})")
        parameters = (document_id, *chosen)
    database = _driver(session)
    rows = database.execute(sql, parameters).fetchall()
    rows.sort()  # (start, end, id): the order of the text, as CodingSpan's readers expect
    # Each code's name and colour, and each coder's name, are read once, not once a row.
    names: dict[int, str] = {}
    colours: dict[int, str] = {}
    for code, name, colour in _among(database, _CODES, {row[3] for row in rows}):
        names[code], colours[code] = name, colour
    coders = dict(_among(database, _CODERS, {row[4] for row in rows}))
    make = tuple.__new__  # what CodingSpan(...) does, without a Python call a row
    return tuple([make(CodingSpan, (coding, code, names[code], colours[code], start, end,
                                    coders[coder], memo))
                  for start, end, coding, code, coder, memo in rows])


def _among(database: sqlite3.Connection, sql: str, ids: Collection[int]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (ending in ``IN``) for these ids."""
    return database.execute(f"{sql} ({', '.join('?' * len(ids))})", tuple(ids)).fetchall() \
        if ids else []


def annotations_of(session: Session, document_id: int) -> tuple[AnnotationSpan, ...]:
    """A document's margin notes in text order."""
    rows = _driver(session).execute(_NOTES, (document_id,)).fetchall()
    return tuple(starmap(AnnotationSpan, rows))


def _driver(session: Session) -> sqlite3.Connection:
    """The session's own SQLite connection (same transaction, same snapshot).

    Opening a transcript is timed against showing its bare text: fetching its thousands of
    rows as plain tuples takes half the time that building them through SQLAlchemy does.
    """
    database = session.connection().connection.driver_connection
    assert isinstance(database, sqlite3.Connection)
    return database


_HEAD = ("SELECT d.name, p.label, d.text FROM document AS d"
         " LEFT JOIN participant AS p ON p.id = d.participant_id WHERE d.id = ?")
_LINES = 'SELECT number, start, "end" FROM line WHERE document_id = ? ORDER BY number'
_TURNS = ('SELECT speaker, start, "end", speech_start FROM turn WHERE document_id = ?'
          " ORDER BY start, id")
_CODINGS = ('SELECT start, "end", id, code_id, coder_id, memo FROM coding'
            " WHERE document_id = ? {among}")
_CODES = "SELECT id, name, colour FROM code WHERE id IN"
_CODERS = "SELECT id, name FROM coder WHERE id IN"
_NOTES = ('SELECT id, start, "end", body FROM annotation WHERE document_id = ?'
          ' ORDER BY start, "end", id')


def heading_of(session: Session, document_id: int) -> tuple[str, str | None] | None:
    """A document's name and participant label, or ``None`` if it is gone."""
    row = session.execute(
        select(Document.name, Participant.label)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .where(Document.id == document_id)).first()
    return (row.name, row.label) if row is not None else None
