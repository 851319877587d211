"""Familiarisation: who read which transcript, and how often (read, then re-read).

Braun and Clarke's first phase asks the researcher to read and re-read the whole data set.
Each reading is one audited row, stamped with its coder and time, so the marks survive
reopening the project, several coders keep their own, and the phase panel can count them.
A mark is set on purpose by the researcher; opening a transcript to code it is not a read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services.common import get_or_fail
from thematic_workbench.core.storage.models import Coder, Document, ReadingMark
from thematic_workbench.core.storage.transaction import Tx


@dataclass(frozen=True)
class ReadMark:
    """One reading of a transcript: by whom and when (ISO 8601 UTC)."""

    id: int
    document_id: int
    coder: str
    at: str


@dataclass(frozen=True)
class ReadingProgress:
    """How far one coder is through the data set: transcripts read at least once and twice."""

    read: int
    reread: int
    documents: int


def _count(tx: Tx, document_id: int) -> int:
    return tx.session.execute(
        select(func.count()).select_from(ReadingMark).where(
            ReadingMark.document_id == document_id,
            ReadingMark.coder_id == tx.coder_id)).scalar_one()


def mark_read(tx: Tx, document_id: int, at: str | None = None) -> Change:
    """Record that the acting coder has (once more) read a transcript to the end.

    ``at`` puts back a mark's original time when an undone unmark is redone.
    """
    document = get_or_fail(tx.session, Document, document_id, "document")
    mark = ReadingMark(document_id=document_id, coder_id=tx.coder_id)
    if at is not None:
        mark.read_at = at
    tx.session.add(mark)
    tx.session.flush()
    reading = _count(tx, document_id)
    tx.audit("document.read", "document", document_id, after={
        "name": document.name, "mark": mark.id, "read_at": mark.read_at,
        "reading": reading, "kind": "read" if reading == 1 else "re-read"})
    return Change().add(Kind.READING_MARK, mark.id)


def unmark_read(tx: Tx, mark_id: int) -> Change:
    """Take one reading mark back (the undo of :func:`mark_read`)."""
    mark = get_or_fail(tx.session, ReadingMark, mark_id, "reading mark")
    document = get_or_fail(tx.session, Document, mark.document_id, "document")
    before = {"name": document.name, "mark": mark.id, "read_at": mark.read_at,
              "coder_id": mark.coder_id}
    tx.session.delete(mark)
    tx.session.flush()
    tx.audit("document.unread", "document", document.id, before=before)
    return Change().remove(Kind.READING_MARK, mark_id)


def read_marks(session: Session, document_ids: list[int] | None = None,
               ) -> dict[int, list[ReadMark]]:
    """Every coder's reading marks per document, oldest first."""
    query = (select(ReadingMark.id, ReadingMark.document_id, Coder.name, ReadingMark.read_at)
             .join(Coder, Coder.id == ReadingMark.coder_id)
             .order_by(ReadingMark.read_at, ReadingMark.id))
    if document_ids is not None:
        query = query.where(ReadingMark.document_id.in_(document_ids))
    marks: dict[int, list[ReadMark]] = defaultdict(list)
    for row in session.execute(query):
        marks[row.document_id].append(ReadMark(row.id, row.document_id, row.name,
                                               row.read_at))
    return dict(marks)


def reads_by(marks: list[ReadMark], coder: str) -> int:
    """How often ``coder`` has read a transcript, from its marks."""
    return sum(1 for mark in marks if mark.coder == coder)


def reading_progress(session: Session, coder: str) -> ReadingProgress:
    """For phase 1: how many transcripts ``coder`` has read, and re-read, of all of them."""
    documents = session.execute(select(func.count()).select_from(Document)).scalar_one()
    counts = session.execute(
        select(func.count()).select_from(ReadingMark)
        .join(Coder, Coder.id == ReadingMark.coder_id)
        .where(Coder.name == " ".join(coder.split()))
        .group_by(ReadingMark.document_id)).scalars().all()
    return ReadingProgress(read=len(counts), reread=sum(1 for n in counts if n > 1),
                           documents=documents)
