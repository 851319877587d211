"""The report models of the thesis appendices: the audit trail and the reflective diary.

Each is read from the project in one read session and holds plain values only, so that
``io`` (io/audit_csv.py, io/appendix_docx.py) renders it without a database (DESIGN.md
section 6). A trail can hold 150,000 events, so its events are not read into a list: the
model holds an iterator over them, read in batches, which must be consumed while the read
session that built it is open (the writers stream it into the file).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.services.diary import EntryView, list_entries
from thematic_workbench.core.storage.models import AuditEvent, Project
from thematic_workbench.core.trail.anchors import AnchorView, list_anchors
from thematic_workbench.core.trail.audit_queries import AuditFilter, AuditRow, iter_audit_rows
from thematic_workbench.core.trail.trail_verify import TrailReport, trail_head, verify_trail


@dataclass(frozen=True)
class TrailAnchors:
    """The chain head (newest event's sequence, hash and time) and every signed anchor,
    oldest first: what makes an exported trail an anchor for ``--verify --against``."""

    head: tuple[int, str, str] | None
    anchors: tuple[AnchorView, ...]


@dataclass(frozen=True)
class AuditExport:
    """The audit trail (or the events a filter keeps) as a CSV export writes it."""

    rows: Iterator[AuditRow]
    anchors: TrailAnchors


@dataclass(frozen=True)
class AuditAppendix:
    """The audit trail as the Word appendix shows it: the project, how many events and over
    which span (UTC times as stored), what verifying the whole trail found, the head and the
    anchors, then the events with their summaries."""

    project: str
    count: int
    first: str | None
    last: str | None
    filtered: bool
    report: TrailReport
    anchors: TrailAnchors
    rows: Iterator[AuditRow]


@dataclass(frozen=True)
class DiaryAppendix:
    """The reflective diary: the project's title and every entry, oldest first."""

    project: str
    entries: tuple[EntryView, ...]


def project_title(session: Session) -> str:
    return session.execute(select(Project.title)).scalar_one()


def trail_anchors(session: Session) -> TrailAnchors:
    """The chain head and the signed anchors (no anchors without a head: an empty trail)."""
    head = trail_head(session)
    return TrailAnchors(head, tuple(list_anchors(session)) if head is not None else ())


def audit_export(session: Session, audit_filter: AuditFilter | None = None) -> AuditExport:
    """The events a filter keeps (all without one), without summaries, and the anchors."""
    return AuditExport(iter_audit_rows(session, audit_filter, summaries=False),
                       trail_anchors(session))


def audit_appendix(session: Session, audit_filter: AuditFilter | None = None) -> AuditAppendix:
    """The events a filter keeps (all without one), after the facts said before them."""
    conditions = audit_filter.conditions() if audit_filter else []
    count, first, last = session.execute(
        select(func.count(), func.min(AuditEvent.at), func.max(AuditEvent.at))
        .where(*conditions)).one()
    return AuditAppendix(project_title(session), count, first, last, bool(conditions),
                         verify_trail(session), trail_anchors(session),
                         iter_audit_rows(session, audit_filter))


def diary_appendix(session: Session) -> DiaryAppendix:
    """The reflective diary as its appendix shows it."""
    return DiaryAppendix(project_title(session), tuple(list_entries(session)))
