"""Undo commands for the documents list: rename, change participant, delete, reading marks,
and who the speakers of a focus group are.

Each ``apply`` calls a core service and each ``revert`` its inverse, so the audit trail
records both directions. A deleted transcript is kept by its command (not in the audit
trail) until the command leaves the undo stack, so an undo brings it back whole.
"""

from __future__ import annotations

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services import documents, participants, reading, speakers
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


class RenameDocumentCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, document_id: int, old_name: str,
                 name: str) -> None:
        super().__init__(session, f"Rename '{old_name}' to '{' '.join(name.split())}'")
        self.document_id, self.name = document_id, name
        self.previous = old_name

    def apply(self, tx: Tx) -> Change:
        self.previous = documents.document_facts(tx.session, self.document_id).name
        change = documents.rename_document(tx, self.document_id, self.name)
        if change.empty:
            self.setObsolete(True)  # the same name: nothing to undo
        return change

    def revert(self, tx: Tx) -> Change:
        return documents.rename_document(tx, self.document_id, self.previous)


class SetParticipantCommand(ServiceCommand):
    """Give a transcript a participant (an existing one, a new label, or none)."""

    def __init__(self, session: ProjectSession, document_id: int, document_name: str,
                 label: str | None) -> None:
        shown = label.strip() if label else "no participant"
        super().__init__(session, f"Set participant of '{document_name}' to {shown}")
        self.document_id, self.label = document_id, label
        self.previous: int | None = None
        self.created: int | None = None

    def apply(self, tx: Tx) -> Change:
        self.previous = documents.document_facts(tx.session, self.document_id).participant_id
        change = Change()
        participant_id = None
        if self.label is not None and self.label.strip():
            participant_id, created = participants.ensure_participant(tx, self.label)
            self.created = participant_id if created.added else None
            change.merge(created)
        change.merge(participants.set_document_participant(tx, self.document_id,
                                                           participant_id))
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        change = participants.set_document_participant(tx, self.document_id, self.previous)
        if self.created is not None:
            change.merge(participants.delete_participant(tx, self.created))
            self.created = None
        return change


class DeleteDocumentCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, document_id: int, name: str) -> None:
        super().__init__(session, f"Delete transcript '{name}'")
        self.document_id = document_id
        self.saved: documents.SavedDocument | None = None

    def apply(self, tx: Tx) -> Change:
        self.saved = documents.save_document(tx.session, self.document_id)
        return documents.delete_document(tx, self.document_id)

    def revert(self, tx: Tx) -> Change:
        assert self.saved is not None
        change = documents.restore_document(tx, self.saved)
        self.document_id = change.new_id(Kind.DOCUMENT)
        return change


class MarkReadCommand(ServiceCommand):
    """Record one more reading of a transcript by the session's coder."""

    def __init__(self, session: ProjectSession, document_id: int, name: str,
                 reread: bool) -> None:
        super().__init__(session, f"Mark '{name}' as {'re-read' if reread else 'read'}")
        self.document_id = document_id
        self.mark_id: int | None = None
        self.at: str | None = None

    def apply(self, tx: Tx) -> Change:
        change = reading.mark_read(tx, self.document_id, at=self.at)
        self.mark_id = change.new_id(Kind.READING_MARK)
        if self.at is None:
            with_time = reading.read_marks(tx.session, [self.document_id])[self.document_id]
            self.at = next(mark.at for mark in with_time if mark.id == self.mark_id)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.mark_id is not None
        return reading.unmark_read(tx, self.mark_id)


class UnmarkReadCommand(ServiceCommand):
    """Take back a reading mark set by mistake (the newest of the coder's marks)."""

    def __init__(self, session: ProjectSession, mark: reading.ReadMark, name: str) -> None:
        super().__init__(session, f"Remove a reading mark from '{name}'")
        self.mark_id, self.document_id, self.at = mark.id, mark.document_id, mark.at

    def apply(self, tx: Tx) -> Change:
        return reading.unmark_read(tx, self.mark_id)

    def revert(self, tx: Tx) -> Change:
        change = reading.mark_read(tx, self.document_id, at=self.at)
        self.mark_id = change.new_id(Kind.READING_MARK)
        return change


class MapSpeakersCommand(ServiceCommand):
    """Say which participant each speaker of a focus group is, in one undo step; labels
    not yet in the project become new participants, removed again on undo."""

    def __init__(self, session: ProjectSession, document_id: int, document_name: str,
                 wanted: dict[str, str | None]) -> None:
        super().__init__(session, f"Map the speakers of '{document_name}' to participants")
        self.document_id, self.wanted = document_id, wanted
        self.previous: dict[str, int | None] = {}
        self.created: list[int] = []

    def apply(self, tx: Tx) -> Change:
        mapped = speakers.speaker_mappings(tx, self.document_id)
        self.previous = {speaker: mapped.get(speaker) for speaker in self.wanted}
        self.created = []
        change = Change()
        for speaker, label in self.wanted.items():
            participant_id = None
            if label is not None and label.strip():
                participant_id, created = participants.ensure_participant(tx, label)
                if created.added:
                    self.created.append(participant_id)
                change.merge(created)
            change.merge(speakers.map_speaker(tx, self.document_id, speaker, participant_id))
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        change = Change()
        for speaker, participant_id in self.previous.items():
            change.merge(speakers.map_speaker(tx, self.document_id, speaker, participant_id))
        for participant_id in reversed(self.created):
            change.merge(participants.delete_participant(tx, participant_id))
        self.created = []
        return change
