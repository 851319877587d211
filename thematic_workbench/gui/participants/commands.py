"""Undo commands of the participants sheet: each ``apply`` calls a core service and each
``revert`` its inverse, so the audit trail records both directions.

Deleting a participant or an attribute is undone from what the deletion recorded in its
audit event (label, note, values, transcripts), so an undo restores exactly.
"""

from __future__ import annotations

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services import participants as services
from thematic_workbench.core.services.attribute_table import (
    AttributeTable,
    TableImport,
    apply_attribute_table,
    revert_attribute_table,
)
from thematic_workbench.core.storage.audit import latest_before
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


def _tidy(text: str) -> str:
    return " ".join(text.split())


class SetValueCommand(ServiceCommand):
    """Set (or with ``None`` clear) one participant's value of one attribute."""

    def __init__(self, session: ProjectSession, participant_id: int, label: str,
                 attribute: str, value: str | None) -> None:
        shown = f"Clear {attribute} of {label}" if value is None else \
            f"Set {attribute} of {label} to {_tidy(value)}"
        super().__init__(session, shown)
        self.participant_id, self.attribute, self.value = participant_id, attribute, value
        self.previous: str | None = None

    def apply(self, tx: Tx) -> Change:
        self.previous = services.attribute_values(tx, self.participant_id).get(self.attribute)
        change = services.set_participant_attribute(tx, self.participant_id, self.attribute,
                                                    self.value)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        return services.set_participant_attribute(tx, self.participant_id, self.attribute,
                                                  self.previous)


class AddParticipantCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, label: str) -> None:
        super().__init__(session, f"Add participant {_tidy(label)}")
        self.label = label
        self.participant_id: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = services.create_participant(tx, self.label)
        self.participant_id = change.new_id(Kind.PARTICIPANT)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.participant_id is not None
        return services.delete_participant(tx, self.participant_id)


class RenameParticipantCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, participant_id: int, old: str,
                 label: str) -> None:
        super().__init__(session, f"Rename participant {old} to {_tidy(label)}")
        self.participant_id, self.label, self.previous = participant_id, label, old

    def apply(self, tx: Tx) -> Change:
        change = services.rename_participant(tx, self.participant_id, self.label)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        return services.rename_participant(tx, self.participant_id, self.previous)


class SetNoteCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, participant_id: int, label: str,
                 old: str, note: str) -> None:
        super().__init__(session, f"Edit the note on {label}")
        self.participant_id, self.note, self.previous = participant_id, note, old

    def apply(self, tx: Tx) -> Change:
        change = services.set_participant_note(tx, self.participant_id, self.note)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        return services.set_participant_note(tx, self.participant_id, self.previous)


class DeleteParticipantCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, participant_id: int, label: str) -> None:
        super().__init__(session, f"Delete participant {label}")
        self.participant_id = participant_id

    def apply(self, tx: Tx) -> Change:
        return services.delete_participant(tx, self.participant_id)

    def revert(self, tx: Tx) -> Change:
        before = latest_before(tx.session, "participant.delete", self.participant_id)
        change = services.restore_participant(tx, before)
        self.participant_id = change.new_id(Kind.PARTICIPANT)
        return change


class AddAttributeCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, name: str, type_: str,
                 choices: list[str]) -> None:
        super().__init__(session, f"Add attribute {_tidy(name)}")
        self.name, self.type, self.choices = name, type_, choices
        self.attribute_id: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = services.define_attribute(tx, self.name, self.type, self.choices)
        self.attribute_id = change.new_id(Kind.ATTRIBUTE)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.attribute_id is not None
        return services.delete_attribute(tx, self.attribute_id)


class RenameAttributeCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, attribute_id: int, old: str, name: str) -> None:
        super().__init__(session, f"Rename attribute {old} to {_tidy(name)}")
        self.attribute_id, self.name, self.previous = attribute_id, name, old

    def apply(self, tx: Tx) -> Change:
        change = services.rename_attribute(tx, self.attribute_id, self.name)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        return services.rename_attribute(tx, self.attribute_id, self.previous)


class RetypeAttributeCommand(ServiceCommand):
    """Change an attribute's type or its category values; undo puts back the old ones."""

    def __init__(self, session: ProjectSession, attribute_id: int, name: str,
                 old: tuple[str, list[str]], new: tuple[str, list[str]]) -> None:
        super().__init__(session, f"Change the type of {name}")
        self.attribute_id, self.previous, self.new = attribute_id, old, new

    def apply(self, tx: Tx) -> Change:
        change = services.retype_attribute(tx, self.attribute_id, *self.new)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        return services.retype_attribute(tx, self.attribute_id, *self.previous)


class DeleteAttributeCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, attribute_id: int, name: str) -> None:
        super().__init__(session, f"Delete attribute {name}")
        self.attribute_id = attribute_id

    def apply(self, tx: Tx) -> Change:
        return services.delete_attribute(tx, self.attribute_id)

    def revert(self, tx: Tx) -> Change:
        before = latest_before(tx.session, "attribute.delete", self.attribute_id)
        change = services.restore_attribute(tx, before)
        self.attribute_id = change.new_id(Kind.ATTRIBUTE)
        return change


class ImportTableCommand(ServiceCommand):
    """A whole table of attributes imported as one undo step."""

    def __init__(self, session: ProjectSession, table: AttributeTable) -> None:
        super().__init__(session, f"Import attributes from {table.source}")
        self.table = table
        self.done: TableImport | None = None

    def apply(self, tx: Tx) -> Change:
        self.done = apply_attribute_table(tx, self.table)
        return self.done.change

    def revert(self, tx: Tx) -> Change:
        assert self.done is not None
        return revert_attribute_table(tx, self.done)
