"""Test helpers: transcripts made without a file or stored without the documents service,
and audit look-ups."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.records.imported import ImportedDocument
from thematic_workbench.core.storage.audit import verify_chain
from thematic_workbench.core.storage.models import AuditEvent, Document, Line
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.textlayout import canonical_text, compute_lines

SAMPLE_TEXT = (
    "INTERVIEWER: How do you look after yourself after a difficult session?\n"
    "PA: Honestly I go for a run. It clears my head, and I stop carrying the client home.\n"
    "INTERVIEWER: And supervision?\n"
    "PA: Supervision is where I can say the unsayable."
)


def add_document(session: Session, name: str = "PA interview", text: str = SAMPLE_TEXT,
                 wrap: int = 80) -> int:
    """Store a transcript with its computed lines, as an import would; returns its id."""
    text = canonical_text(text)
    document = Document(
        name=name, source_name=f"{name}.txt", source_format="txt",
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), text=text,
        char_count=len(text), wrap_width=wrap,
    )
    session.add(document)
    session.flush()
    session.add_all(Line(document_id=document.id, number=line.number, start=line.start,
                         end=line.end) for line in compute_lines(text, wrap))
    session.flush()
    return document.id


def event_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def last_event(session: Session, action: str | None = None) -> AuditEvent:
    """The newest audit event (of one action, if given)."""
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    event = session.execute(query).scalar_one_or_none()
    assert event is not None, f"no audit event {action or ''}"
    return event


def before_after(event: AuditEvent) -> tuple[Any, Any]:
    """An event's before and after, decoded from JSON."""
    def load(value: str | None) -> Any:
        return None if value is None else json.loads(value)

    return load(event.before_json), load(event.after_json)


def assert_chain_intact(store: ProjectStore) -> None:
    with store.read() as session:
        result = verify_chain(session)
    assert result.intact, result.describe()


def imported(text: str, name: str = "PA-interview", wrap: int = 80) -> ImportedDocument:
    """An ImportedDocument as an importer would return it, without a file."""
    text = canonical_text(text)
    return ImportedDocument(
        name=name, source_name=f"{name}.txt", source_format="txt",
        sha256=hashlib.sha256(f"{name}\0{text}".encode()).hexdigest(), text=text,
        wrap_width=wrap, lines=tuple(compute_lines(text, wrap)), turns=(), metadata={},
    )
