"""Moving between Braun and Clarke's six phases, and ticking the 15-point checklist.

Analysis is recursive, not linear, so the project may move to any phase, forwards or back;
every move needs a note saying why, so the audit trail and the write-up can show how the
analysis actually went. The ``phase.move`` event is stamped with the phase being left; events
written after it in the same transaction carry the new phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.phases import PhaseInfo, phase_info
from thematic_workbench.core.storage.models import (
    ChecklistItem,
    Coder,
    PhaseTransition,
    Project,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.timestamps import utc_now


@dataclass(frozen=True)
class ChecklistPoint:
    """One checklist criterion as the phase panel shows it."""

    key: str
    phase: int
    position: int
    text: str
    done: bool
    note: str
    done_by: str | None
    done_at: str | None


@dataclass(frozen=True)
class PhaseMove:
    """One move between phases, with who made it, when and why."""

    id: int
    from_phase: int
    to_phase: int
    note: str
    coder: str
    at: str


def check_phase(number: int) -> PhaseInfo:
    """The phase with this number, or an InvariantError a researcher understands."""
    try:
        return phase_info(number)
    except ValueError as exc:
        raise InvariantError(str(exc)) from None


def current_phase(session: Session) -> int:
    return session.execute(select(Project.current_phase)).scalar_one()


def move_to_phase(tx: Tx, number: int, note: str) -> Change:
    """Move the project to phase ``number`` (1-6), recording the move and its reason."""
    info = check_phase(number)
    note = note.strip()
    if not note:
        raise InvariantError(f"say why you are moving to phase {number} ({info.name}); "
                             "a note is required")
    project = tx.session.execute(select(Project)).scalar_one()
    old = project.current_phase
    if old == number:
        raise InvariantError(f"the project is already in phase {number} ({info.name})")
    project.current_phase = number
    transition = PhaseTransition(from_phase=old, to_phase=number, note=note,
                                 coder_id=tx.coder_id)
    tx.session.add(transition)
    tx.session.flush()
    tx.audit("phase.move", "project", project.id, before={"phase": old},
             after={"phase": number, "note": note, "transition_id": transition.id})
    tx.phase = number
    return Change().change(Kind.PROJECT, project.id).add(Kind.PHASE_TRANSITION, transition.id)


def tick_checklist_item(tx: Tx, key: str, done: bool, note: str | None = None) -> Change:
    """Mark a checklist point done (recording who and when) or not done.

    ``note=None`` leaves the point's note as it is; a string replaces it.
    """
    item = tx.session.execute(
        select(ChecklistItem).where(ChecklistItem.key == key)
    ).scalar_one_or_none()
    if item is None:
        raise NotFoundError(f"no checklist point '{key}'")
    new_note = item.note if note is None else note.strip()
    if bool(done) == item.done and new_note == item.note:
        return Change()
    before = {"done": item.done, "note": item.note, "done_by": item.done_by,
              "done_at": item.done_at}
    if done and not item.done:
        item.done_by, item.done_at = tx.coder_id, utc_now()
    elif not done:
        item.done_by, item.done_at = None, None
    item.done, item.note = bool(done), new_note
    tx.session.flush()
    after = {"done": item.done, "note": item.note, "done_by": item.done_by,
             "done_at": item.done_at}
    tx.audit("checklist.tick" if done else "checklist.untick", "checklist_item", item.id,
             before=before, after=after)
    return Change().change(Kind.CHECKLIST_ITEM, item.id)


def checklist(session: Session, phase: int | None = None) -> list[ChecklistPoint]:
    """The checklist, by phase and then in the published order."""
    query = (select(ChecklistItem, Coder.name).outerjoin(Coder, Coder.id == ChecklistItem.done_by)
             .order_by(ChecklistItem.phase, ChecklistItem.position))
    if phase is not None:
        query = query.where(ChecklistItem.phase == phase)
    return [
        ChecklistPoint(item.key, item.phase, item.position, item.text, item.done, item.note,
                       coder_name, item.done_at)
        for item, coder_name in session.execute(query)
    ]


def phase_history(session: Session) -> list[PhaseMove]:
    """Every move between phases, oldest first."""
    coder = aliased(Coder)
    rows = session.execute(
        select(PhaseTransition, coder.name).join(coder, coder.id == PhaseTransition.coder_id)
        .order_by(PhaseTransition.id)
    )
    return [PhaseMove(t.id, t.from_phase, t.to_phase, t.note, name, t.at) for t, name in rows]
