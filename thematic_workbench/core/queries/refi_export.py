"""The project read for a REFI-QDA export, in one read session, into plain records
(``core.queries.refi_records``): the writers in ``io.refi`` render those and never query.

:func:`read_frame` is what a codebook (.qdc) needs, :func:`export_facts` what the export
report is told from, :func:`read_project_export` all of a project (.qdpx).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from thematic_workbench.core.queries.project import speaker_labels
from thematic_workbench.core.queries.refi_records import (
    ExportAnnotation,
    ExportAttribute,
    ExportCoding,
    ExportDiaryEntry,
    ExportDocument,
    ExportFacts,
    ExportFrame,
    ExportParticipant,
    ExportUser,
    ProjectExport,
)
from thematic_workbench.core.queries.theme_board import read_board
from thematic_workbench.core.storage.models import (
    Annotation,
    AttributeDefinition,
    AuditEvent,
    ChecklistItem,
    Code,
    Coder,
    Coding,
    Comment,
    DiaryEntry,
    DiaryLink,
    Document,
    Participant,
    ParticipantAttribute,
    PhaseTransition,
    Project,
    SignOff,
    Snapshot,
    Theme,
    ThemeLink,
    Turn,
)

__all__ = ["export_facts", "read_frame", "read_project_export"]


def _count(session: Session, model: Any, *where: Any) -> int:
    found: int = session.execute(
        select(func.count()).select_from(model).where(*where)).scalar_one()
    return found


def _choices(choices_json: str | None) -> tuple[str, ...]:
    return tuple(str(choice) for choice in json.loads(choices_json or "[]"))


def read_frame(session: Session) -> ExportFrame:
    """The coding frame in the board's order, with the project's creation time."""
    created_at = session.execute(select(Project.created_at)).scalar_one()
    return ExportFrame(created_at, read_board(session))


def export_facts(session: Session) -> ExportFacts:
    """What the export report counts and names."""
    live = Theme.status != "discarded"
    child = aliased(Theme)
    lone_finals = session.execute(
        select(Theme.name).where(Theme.level == "final", live,
                                 ~select(child.id).where(child.parent_id == Theme.id,
                                                         child.status != "discarded")
                                 .exists())).scalars().all()
    choice_lists = tuple(_choices(values) for values in session.execute(
        select(AttributeDefinition.choices_json).where(AttributeDefinition.type == "choice")
    ).scalars())
    return ExportFacts(
        audit_events=_count(session, AuditEvent),
        turns=_count(session, Turn),
        active_codes=_count(session, Code, Code.status == "active"),
        non_inductive_codes=_count(session, Code, Code.status == "active",
                                   Code.origin != "inductive"),
        merged_codes=_count(session, Code, Code.status == "merged"),
        live_themes=_count(session, Theme, live),
        discarded_themes=_count(session, Theme, Theme.status == "discarded"),
        scoped_themes=_count(session, Theme, live, Theme.scope_notes != ""),
        themes_with_extract=_count(session, Theme, live,
                                   Theme.representative_coding_id.is_not(None)),
        lone_finals=tuple(lone_finals),
        theme_links=_count(session, ThemeLink),
        phase_moves=_count(session, PhaseTransition),
        checklist_ticked=_count(session, ChecklistItem, ChecklistItem.done.is_(True)),
        checklist_points=_count(session, ChecklistItem),
        comments=_count(session, Comment),
        sign_offs=_count(session, SignOff),
        snapshots=_count(session, Snapshot),
        diary_entries=_count(session, DiaryEntry),
        choice_lists=choice_lists)


def _participants(session: Session) -> tuple[ExportParticipant, ...]:
    values: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in session.execute(select(ParticipantAttribute).order_by(
            ParticipantAttribute.participant_id, ParticipantAttribute.attribute_id)).scalars():
        values[row.participant_id].append((row.attribute_id, row.value))
    return tuple(ExportParticipant(p.id, p.label, p.note, tuple(values[p.id]))
                 for p in session.execute(select(Participant).order_by(Participant.id))
                 .scalars())


def _diary(session: Session) -> tuple[ExportDiaryEntry, ...]:
    linked: dict[int, list[int]] = defaultdict(list)
    for entry_id, document_id in session.execute(
            select(DiaryLink.entry_id, DiaryLink.target_id)
            .where(DiaryLink.target_kind == "document")
            .order_by(DiaryLink.entry_id, DiaryLink.target_id)):
        linked[entry_id].append(document_id)
    return tuple(ExportDiaryEntry(e.id, e.title, e.body, e.coder_id, e.created_at,
                                  e.updated_at, tuple(linked[e.id]))
                 for e in session.execute(select(DiaryEntry).order_by(DiaryEntry.id))
                 .scalars())


def read_project_export(session: Session) -> ProjectExport:
    """The whole project as a .qdpx holds it, with the facts of its export report.

    Codings are those of active codes (a merged code's codings are under the code it was
    merged into); themes are the board's (none discarded)."""
    project = session.execute(select(Project)).scalar_one()
    active = select(Code.id).where(Code.status == "active")
    return ProjectExport(
        frame=ExportFrame(project.created_at, read_board(session)),
        title=project.title,
        description=project.description,
        users=tuple(ExportUser(c.id, c.name) for c in session.execute(
            select(Coder).order_by(Coder.id)).scalars()),
        documents=tuple(ExportDocument(d.id, d.name, d.text, d.imported_at, d.imported_by,
                                       d.participant_id)
                        for d in session.execute(select(Document).order_by(Document.id))
                        .scalars()),
        codings=tuple(ExportCoding(c.id, c.document_id, c.code_id, c.coder_id, c.start,
                                   c.end, c.created_at, c.memo)
                      for c in session.execute(select(Coding).where(
                          Coding.code_id.in_(active)).order_by(Coding.id)).scalars()),
        annotations=tuple(ExportAnnotation(a.id, a.document_id, a.coder_id, a.start, a.end,
                                           a.body, a.created_at)
                          for a in session.execute(select(Annotation).order_by(Annotation.id))
                          .scalars()),
        diary=_diary(session),
        attributes=tuple(ExportAttribute(d.id, d.name, d.type, _choices(d.choices_json))
                         for d in session.execute(select(AttributeDefinition).order_by(
                             AttributeDefinition.id)).scalars()),
        participants=_participants(session),
        speaker_labels=speaker_labels(session),
        facts=export_facts(session))
