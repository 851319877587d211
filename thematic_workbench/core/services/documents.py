"""Storing imported transcripts (one transaction each), renaming, deleting and restoring them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CursorResult, Table, func, insert, select, update
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, WorkbenchError
from thematic_workbench.core.records.imported import ImportedDocument
from thematic_workbench.core.services.common import delete_audited, get_or_fail, tidy_name
from thematic_workbench.core.services.participants import ensure_participant
from thematic_workbench.core.storage.models import (
    Annotation,
    Base,
    Code,
    Coding,
    Document,
    Line,
    Participant,
    ReadingMark,
    Theme,
    Turn,
)
from thematic_workbench.core.storage.transaction import Tx


class AlreadyImportedError(WorkbenchError):
    """The same source file (same SHA-256) is already in the project."""

    def __init__(self, source_name: str, existing_name: str) -> None:
        self.existing_name = existing_name
        super().__init__(
            f"{source_name}: already imported as '{existing_name}' (same SHA-256); "
            "skipped (use --force to import it again)"
        )


def _free_name(tx: Tx, wanted: str) -> str:
    taken = set(tx.session.execute(
        select(Document.name).where(Document.name.like(f"{wanted}%"))).scalars())
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted} ({number})" in taken:
        number += 1
    return f"{wanted} ({number})"


def import_document(tx: Tx, doc: ImportedDocument, participant: str | None = None,
                    force: bool = False) -> Change:
    """Store an imported transcript with its lines and turns, in the caller's transaction."""
    if not force:
        existing = tx.session.execute(
            select(Document.name).where(Document.source_sha256 == doc.sha256)).first()
        if existing is not None:
            raise AlreadyImportedError(doc.source_name, existing.name)
    change = Change()
    participant_id = None
    if participant:
        participant_id, created = ensure_participant(tx, participant)
        change.merge(created)
    document = Document(
        name=_free_name(tx, tidy_name(doc.name, "document")), participant_id=participant_id,
        source_name=doc.source_name, source_format=doc.source_format, source_sha256=doc.sha256,
        text=doc.text, char_count=len(doc.text), wrap_width=doc.wrap_width,
        metadata_json=json.dumps(doc.metadata, ensure_ascii=False, sort_keys=True),
        imported_by=tx.coder_id,
    )
    tx.session.add(document)
    tx.session.flush()
    # Core inserts on the session's connection: the ORM's bulk path costs per row, and a
    # transcript has thousands of lines.
    connection = tx.session.connection()
    if doc.lines:
        connection.execute(insert(Line.__table__), [
            {"document_id": document.id, "number": line.number, "start": line.start,
             "end": line.end} for line in doc.lines
        ])
    if doc.turns:
        connection.execute(insert(Turn.__table__), [
            {"document_id": document.id, "speaker": turn.speaker, "start": turn.start,
             "end": turn.end, "speech_start": turn.speech_start,
             "time_start_ms": turn.time_start_ms, "time_end_ms": turn.time_end_ms}
            for turn in doc.turns
        ])
    tx.audit("document.import", "document", document.id, after={
        "name": document.name, "source_name": doc.source_name, "format": doc.source_format,
        "sha256": doc.sha256, "characters": len(doc.text), "lines": len(doc.lines),
        "turns": len(doc.turns), "wrap_width": doc.wrap_width, "participant": participant,
    })
    return change.add(Kind.DOCUMENT, document.id)


@dataclass(frozen=True)
class DocumentFacts:
    """What the window says about a transcript before changing it (plain values)."""

    id: int
    name: str
    participant_id: int | None
    participant: str | None
    codings: int
    annotations: int


def document_facts(session: Session, document_id: int) -> DocumentFacts:
    document = get_or_fail(session, Document, document_id, "document")
    label = None
    if document.participant_id is not None:
        participant = session.get(Participant, document.participant_id)
        label = participant.label if participant is not None else None

    def count(model: Any) -> int:
        return session.execute(select(func.count()).select_from(model)
                               .where(model.document_id == document_id)).scalar_one()

    return DocumentFacts(document.id, document.name, document.participant_id, label,
                         count(Coding), count(Annotation))


def participant_choices(session: Session) -> list[tuple[int, str]]:
    """(id, label) of every participant, by label, to pick a transcript's participant from."""
    return [(row.id, row.label) for row in session.execute(
        select(Participant.id, Participant.label).order_by(func.lower(Participant.label)))]


def rename_document(tx: Tx, document_id: int, name: str) -> Change:
    document = get_or_fail(tx.session, Document, document_id, "document")
    name = tidy_name(name, "document")
    if name == document.name:
        return Change()
    if tx.session.execute(select(Document.id).where(Document.name == name)).first():
        raise WorkbenchError(f"a document named '{name}' already exists")
    before = document.name
    document.name = name
    tx.session.flush()
    tx.audit("document.rename", "document", document_id, before={"name": before},
             after={"name": name})
    return Change().change(Kind.DOCUMENT, document_id)


def delete_document(tx: Tx, document_id: int) -> Change:
    """Delete a transcript with its lines, turns, codings and margin notes."""
    document = get_or_fail(tx.session, Document, document_id, "document")
    codings = tx.session.execute(
        select(Coding.id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end, Coding.memo)
        .where(Coding.document_id == document_id)).all()
    annotations = tx.session.execute(
        select(func.count()).select_from(Annotation)
        .where(Annotation.document_id == document_id)).scalar_one()
    label = None
    if document.participant_id is not None:
        label = get_or_fail(tx.session, Participant, document.participant_id,
                            "participant").label
    before = {
        "name": document.name, "source_name": document.source_name,
        "sha256": document.source_sha256, "characters": document.char_count,
        "participant": label, "codings": [list(row) for row in codings],
        "annotations": annotations,
    }
    change = delete_audited(tx, document, Kind.DOCUMENT, "document.delete", before)
    for row in codings:
        change.remove(Kind.CODING, row.id)
    return change


@dataclass
class SavedDocument:
    """Everything that goes when a transcript is deleted, as plain column values, so an undo
    can put it back under its ids.

    It is held by the undo command, not written to the audit trail: a transcript deleted
    because a participant withdrew must not live on in the project's history.
    """

    document: dict[str, Any]
    lines: list[dict[str, Any]] = field(default_factory=list)
    turns: list[dict[str, Any]] = field(default_factory=list)
    codings: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    reading_marks: list[dict[str, Any]] = field(default_factory=list)
    representatives: list[tuple[int, int]] = field(default_factory=list)  # (theme, coding)


def _table(model: type[Base]) -> Table:
    return model.__table__


def _rows_of(session: Session, model: type[Base], document_id: int) -> list[dict[str, Any]]:
    table = _table(model)
    return [dict(row._mapping) for row in session.execute(
        select(table).where(table.c.document_id == document_id))]


def save_document(session: Session, document_id: int) -> SavedDocument:
    """What :func:`restore_document` needs to undo a deletion of this transcript."""
    document = get_or_fail(session, Document, document_id, "document")
    table = _table(Document)
    values = dict(session.execute(select(table).where(table.c.id == document.id)).one()._mapping)
    codings = _rows_of(session, Coding, document_id)
    coding_ids = [row["id"] for row in codings]
    representatives = [(row.id, row.representative_coding_id) for row in session.execute(
        select(Theme.id, Theme.representative_coding_id)
        .where(Theme.representative_coding_id.in_(coding_ids)))] if coding_ids else []
    return SavedDocument(
        document=values, lines=_rows_of(session, Line, document_id),
        turns=_rows_of(session, Turn, document_id), codings=codings,
        annotations=_rows_of(session, Annotation, document_id),
        reading_marks=_rows_of(session, ReadingMark, document_id),
        representatives=representatives)


def _insert_keeping_ids(tx: Tx, model: type[Base], rows: list[dict[str, Any]],
                        document_id: int) -> dict[int, int]:
    """Insert rows under their old ids where still free; old id -> new id."""
    ids: dict[int, int] = {}
    for row in rows:
        values = dict(row, document_id=document_id)
        if tx.session.get(model, row["id"]) is not None:
            del values["id"]
        result = tx.session.connection().execute(insert(_table(model)).values(values))
        ids[row["id"]] = values.get("id", _new_id(result))
    return ids


def _new_id(result: CursorResult[Any]) -> int:
    """The id an insert of one row gave it."""
    key = result.inserted_primary_key
    if key is None:
        raise WorkbenchError("the database did not say which id a new row got")
    new_id: int = key[0]
    return new_id


def _live_code(tx: Tx, code_id: int) -> int | None:
    """The code a coding belongs to now: itself, or the code it was merged into."""
    seen: set[int] = set()
    current: int | None = code_id
    while current is not None and current not in seen:
        seen.add(current)
        code = tx.session.get(Code, current)
        if code is None:
            return None
        if code.status == "active":
            return code.id
        current = code.merged_into_id
    return None


def restore_document(tx: Tx, saved: SavedDocument) -> Change:
    """Put back a deleted transcript with its lines, turns, codings, margin notes and reading
    marks (the undo of :func:`delete_document`); the search index follows by its triggers.

    Codings of a code deleted since then stay out; those of a merged code go to the code it
    was merged into. The ids are the old ones where they are still free.
    """
    values = dict(saved.document)
    if tx.session.execute(select(Document.id).where(Document.name == values["name"])).first():
        raise InvariantError(f"a document named '{values['name']}' already exists")
    if values.get("participant_id") is not None and \
            tx.session.get(Participant, values["participant_id"]) is None:
        values["participant_id"] = None
    old_id = values["id"]
    if tx.session.get(Document, old_id) is not None:
        del values["id"]
    connection = tx.session.connection()
    result = connection.execute(insert(_table(Document)).values(values))
    document_id: int = values.get("id", _new_id(result))
    if saved.lines:
        connection.execute(insert(_table(Line)),
                           [dict(row, document_id=document_id) for row in saved.lines])
    _insert_keeping_ids(tx, Turn, saved.turns, document_id)
    change = Change().add(Kind.DOCUMENT, document_id)
    codings: list[dict[str, Any]] = []
    spans: set[tuple[int, int, int, int]] = set()
    for row in saved.codings:
        code_id = _live_code(tx, row["code_id"])
        key = (code_id or 0, row["coder_id"], row["start"], row["end"])
        if code_id is not None and key not in spans:
            spans.add(key)
            codings.append(dict(row, code_id=code_id))
    coding_ids = _insert_keeping_ids(tx, Coding, codings, document_id)
    for new_id in coding_ids.values():
        change.add(Kind.CODING, new_id)
    for new_id in _insert_keeping_ids(tx, Annotation, saved.annotations, document_id).values():
        change.add(Kind.ANNOTATION, new_id)
    for new_id in _insert_keeping_ids(tx, ReadingMark, saved.reading_marks,
                                      document_id).values():
        change.add(Kind.READING_MARK, new_id)
    for theme_id, coding_id in saved.representatives:
        if coding_id in coding_ids:
            done = tx.session.execute(
                update(Theme).where(Theme.id == theme_id,
                                    Theme.representative_coding_id.is_(None))
                .values(representative_coding_id=coding_ids[coding_id]))
            if done.rowcount:  # type: ignore[attr-defined]  # an UPDATE's is a CursorResult
                change.change(Kind.THEME, theme_id)
    tx.session.flush()
    tx.audit("document.restore", "document", document_id, after={
        "name": values["name"], "replaces": old_id, "lines": len(saved.lines),
        "turns": len(saved.turns), "codings": len(coding_ids),
        "annotations": len(saved.annotations), "reading_marks": len(saved.reading_marks)})
    return change
