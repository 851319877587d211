"""Editing a margin note: the undo command and the dialog the gutter and the notes panel share."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from thematic_workbench.core.changes import Change
from thematic_workbench.core.services import annotations as notes_service
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


class EditAnnotationCommand(ServiceCommand):
    """Change a note's text; undo puts the old text back (both audited)."""

    def __init__(self, session: ProjectSession, annotation_id: int, before: str,
                 after: str) -> None:
        super().__init__(session, "Edit margin note")
        self.annotation_id, self.before, self.after = annotation_id, before, after

    def apply(self, tx: Tx) -> Change:
        return notes_service.edit_annotation(tx, self.annotation_id, body=self.after)

    def revert(self, tx: Tx) -> Change:
        return notes_service.edit_annotation(tx, self.annotation_id, body=self.before)


def edit_note(session: ProjectSession, parent: QWidget, annotation_id: int,
              body: str) -> bool:
    """Ask for the note's new text; True when a change was made (undoable)."""
    if session.readonly:
        session.error.emit(f"{session.store.name} is open read-only; the note cannot "
                           "be changed")
        return False
    text, ok = QInputDialog.getMultiLineText(parent, "Margin note", "Note on this passage:",
                                             body)
    if not ok or not text.strip() or text.strip() == body.strip():
        return False
    return session.push(EditAnnotationCommand(session, annotation_id, body, text))
