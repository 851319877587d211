"""Undo commands for moving between phases and ticking the checklist.

Undoing a move is a move back, with its own note: the audit trail keeps both, as the
analysis really went there and back.
"""

from __future__ import annotations

from thematic_workbench.core.changes import Change
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.services.phases import (
    checklist,
    current_phase,
    move_to_phase,
    tick_checklist_item,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


class MovePhaseCommand(ServiceCommand):
    """Move the project to a phase, saying why."""

    def __init__(self, session: ProjectSession, phase: int, note: str) -> None:
        super().__init__(session, f"Move to phase {phase}: {phase_info(phase).name}")
        self.phase, self.note = phase, note
        self.left: int | None = None

    def apply(self, tx: Tx) -> Change:
        self.left = current_phase(tx.session)
        return move_to_phase(tx, self.phase, self.note)

    def revert(self, tx: Tx) -> Change:
        assert self.left is not None
        return move_to_phase(tx, self.left, f"Undid the move to phase {self.phase} "
                                            f"(\"{self.note}\")")


class TickChecklistCommand(ServiceCommand):
    """Tick or untick one checklist point, or change its note."""

    def __init__(self, session: ProjectSession, key: str, done: bool,
                 note: str | None = None) -> None:
        verb = "Tick" if done else "Untick"
        super().__init__(session, f"{verb} checklist point '{key}'" if note is None
                         else f"Note on checklist point '{key}'")
        self.key, self.done, self.note = key, done, note
        self.before: tuple[bool, str] | None = None

    def apply(self, tx: Tx) -> Change:
        point = next((p for p in checklist(tx.session) if p.key == self.key), None)
        if point is None:
            raise NotFoundError(f"no checklist point '{self.key}'")
        self.before = (point.done, point.note)
        return tick_checklist_item(tx, self.key, self.done, self.note)

    def revert(self, tx: Tx) -> Change:
        assert self.before is not None
        return tick_checklist_item(tx, self.key, *self.before)
