"""Margin notes on spans of a transcript, written while familiarising with the data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services.common import delete_audited, get_or_fail, row_values
from thematic_workbench.core.storage.models import Annotation, Coder, Document, Line, Participant
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.textlayout import lines_of_span


@dataclass(frozen=True)
class AnnotationView:
    id: int
    document_id: int
    start: int
    end: int
    body: str
    coder: str
    created_at: str


def _check_span(document: Document, start: int, end: int) -> None:
    length = len(document.text)
    if not 0 <= start < end <= length:
        raise InvariantError(f"a note must cover some text of '{document.name}' "
                             f"(positions 0 to {length}), not {start} to {end}")


def _body(body: str) -> str:
    body = body.strip()
    if not body:
        raise InvariantError("a margin note needs some text")
    return body


def add_annotation(tx: Tx, document_id: int, start: int, end: int, body: str) -> Change:
    """Attach a note to ``text[start:end]`` of a document (code-point positions)."""
    document = get_or_fail(tx.session, Document, document_id, "document")
    _check_span(document, start, end)
    note = Annotation(document_id=document.id, coder_id=tx.coder_id, start=start, end=end,
                      body=_body(body))
    tx.session.add(note)
    tx.session.flush()
    tx.audit("annotation.add", "annotation", note.id, after=row_values(note))
    return Change().add(Kind.ANNOTATION, note.id)


def edit_annotation(tx: Tx, annotation_id: int, body: str | None = None,
                    start: int | None = None, end: int | None = None) -> Change:
    """Change a note's text and/or the span it is attached to; None leaves a value as it is."""
    note = get_or_fail(tx.session, Annotation, annotation_id, "margin note")
    new_start = note.start if start is None else start
    new_end = note.end if end is None else end
    document = get_or_fail(tx.session, Document, note.document_id, "document")
    _check_span(document, new_start, new_end)
    values: dict[str, object] = {
        "body": note.body if body is None else _body(body), "start": new_start, "end": new_end,
    }
    before = {key: getattr(note, key) for key in values}
    if before == values:
        return Change()
    for key, value in values.items():
        setattr(note, key, value)
    tx.session.flush()
    changed = [key for key in values if before[key] != values[key]]
    tx.audit("annotation.edit", "annotation", note.id,
             before={key: before[key] for key in changed},
             after={key: values[key] for key in changed})
    return Change().change(Kind.ANNOTATION, note.id)


def delete_annotation(tx: Tx, annotation_id: int) -> Change:
    note = get_or_fail(tx.session, Annotation, annotation_id, "margin note")
    return delete_audited(tx, note, Kind.ANNOTATION, "annotation.delete")


def list_annotations(session: Session, document_id: int) -> list[AnnotationView]:
    """A document's margin notes in text order."""
    rows = session.execute(
        select(Annotation, Coder.name).join(Coder, Coder.id == Annotation.coder_id)
        .where(Annotation.document_id == document_id)
        .order_by(Annotation.start, Annotation.end, Annotation.id)
    )
    return [AnnotationView(a.id, a.document_id, a.start, a.end, a.body, name, a.created_at)
            for a, name in rows]


@dataclass(frozen=True)
class NoteRow:
    """A margin note as a list of the project's notes shows it: where, what and by whom."""

    id: int
    document_id: int
    document: str
    participant: str | None
    start: int
    end: int
    first_line: int
    last_line: int
    body: str
    coder: str
    created_at: str


def project_annotations(session: Session) -> list[NoteRow]:
    """Every margin note of the project, by document then in text order, with its lines."""
    rows = session.execute(
        select(Annotation, Coder.name, Document.name, Participant.label)
        .join(Coder, Coder.id == Annotation.coder_id)
        .join(Document, Document.id == Annotation.document_id)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .order_by(Document.name, Annotation.start, Annotation.end, Annotation.id)).all()
    documents = {note.document_id for note, *_rest in rows}
    starts: dict[int, list[int]] = {document: [] for document in documents}
    numbers: dict[int, list[int]] = {document: [] for document in documents}
    for document_id, start, number in session.execute(
            select(Line.document_id, Line.start, Line.number)
            .where(Line.document_id.in_(documents)).order_by(Line.document_id, Line.number)):
        starts[document_id].append(start)
        numbers[document_id].append(number)
    found = []
    for note, coder, document, participant in rows:
        first, last = lines_of_span(starts[note.document_id], note.start, note.end,
                                    numbers[note.document_id])
        found.append(NoteRow(note.id, note.document_id, document, participant, note.start,
                             note.end, first, last, note.body, coder, note.created_at))
    return found
