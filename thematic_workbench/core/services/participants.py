"""Participants (pseudonymous labels such as ``PA``) and their typed attributes."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from thematic_workbench.core.changes import Change
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.models import (
    ATTRIBUTE_TYPES,
    AttributeDefinition,
    Document,
    Participant,
    ParticipantAttribute,
)
from thematic_workbench.core.services.common import (
    delete_audited,
    get_or_fail,
    row_values,
    tidy_name,
)
from thematic_workbench.core.transaction import Tx


def find_participant(session: object, label: str) -> Participant | None:
    session = getattr(session, "session", session)
    return session.execute(  # type: ignore[attr-defined]
        select(Participant).where(Participant.label == " ".join(label.split()))
    ).scalar_one_or_none()


def create_participant(tx: Tx, label: str, note: str = "") -> Change:
    label = tidy_name(label, "participant", max_length=100)
    if find_participant(tx, label) is not None:
        raise InvariantError(f"a participant labelled '{label}' already exists")
    participant = Participant(label=label, note=note)
    tx.session.add(participant)
    tx.session.flush()
    tx.audit("participant.create", "participant", participant.id,
             after=row_values(participant))
    return Change().add("participant", participant.id)


def ensure_participant(tx: Tx, label: str) -> tuple[int, Change]:
    """The id of the participant with this label, creating it if needed."""
    existing = find_participant(tx, label)
    if existing is not None:
        return existing.id, Change()
    change = create_participant(tx, label)
    return change.new_id("participant"), change


def rename_participant(tx: Tx, participant_id: int, label: str) -> Change:
    participant = get_or_fail(tx.session, Participant, participant_id, "participant")
    label = tidy_name(label, "participant", max_length=100)
    clash = find_participant(tx, label)
    if clash is not None and clash.id != participant_id:
        raise InvariantError(f"a participant labelled '{label}' already exists")
    before = participant.label
    participant.label = label
    tx.session.flush()
    tx.audit("participant.rename", "participant", participant_id,
             before={"label": before}, after={"label": label})
    return Change().change("participant", participant_id)


def delete_participant(tx: Tx, participant_id: int) -> Change:
    """Delete a participant; their documents stay, without a participant."""
    participant = get_or_fail(tx.session, Participant, participant_id, "participant")
    documents = list(tx.session.execute(
        select(Document.id).where(Document.participant_id == participant_id)).scalars())
    attributes = {
        name: value for name, value in tx.session.execute(
            select(AttributeDefinition.name, ParticipantAttribute.value)
            .join(ParticipantAttribute)
            .where(ParticipantAttribute.participant_id == participant_id))
    }
    before = row_values(participant) | {"documents": documents, "attributes": attributes}
    change = delete_audited(tx, participant, "participant", "participant.delete", before)
    for document_id in documents:
        change.change("document", document_id)
    return change


def define_attribute(tx: Tx, name: str, type_: str = "text",
                     choices: list[str] | None = None) -> Change:
    name = tidy_name(name, "attribute", max_length=100)
    if type_ not in ATTRIBUTE_TYPES:
        raise InvariantError(f"an attribute type is one of {', '.join(ATTRIBUTE_TYPES)}")
    if type_ == "choice" and not choices:
        raise InvariantError(f"attribute '{name}' is a choice: give its choices")
    exists = tx.session.execute(
        select(AttributeDefinition).where(AttributeDefinition.name == name)).scalar_one_or_none()
    if exists is not None:
        raise InvariantError(f"an attribute named '{name}' already exists")
    definition = AttributeDefinition(name=name, type=type_, choices_json=json.dumps(choices or []))
    tx.session.add(definition)
    tx.session.flush()
    tx.audit("attribute.define", "attribute", definition.id, after=row_values(definition))
    return Change().add("attribute", definition.id)


def _checked_value(definition: AttributeDefinition, value: str) -> str:
    value = value.strip()
    if definition.type == "number":
        try:
            float(value)
        except ValueError:
            raise InvariantError(f"'{definition.name}' is a number, not {value!r}") from None
    elif definition.type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise InvariantError(
                f"'{definition.name}' is a date (YYYY-MM-DD), not {value!r}") from None
    elif definition.type == "choice":
        choices = json.loads(definition.choices_json)
        if value not in choices:
            raise InvariantError(
                f"'{definition.name}' is one of {', '.join(choices)}, not {value!r}")
    return value


def set_participant_attribute(tx: Tx, participant_id: int, attribute_name: str,
                              value: str | float | int | None) -> Change:
    """Set (or with ``None`` clear) one attribute value, checked against its type."""
    get_or_fail(tx.session, Participant, participant_id, "participant")
    definition = tx.session.execute(
        select(AttributeDefinition).where(AttributeDefinition.name == attribute_name)
    ).scalar_one_or_none()
    if definition is None:
        raise NotFoundError(f"no participant attribute named '{attribute_name}'")
    row = tx.session.get(ParticipantAttribute, (participant_id, definition.id))
    before = row.value if row else None
    after = None if value is None else _checked_value(definition, str(value))
    if before == after:
        return Change()
    if after is None:
        tx.session.delete(row)
    elif row is None:
        tx.session.add(ParticipantAttribute(participant_id=participant_id,
                                            attribute_id=definition.id, value=after))
    else:
        row.value = after
    tx.session.flush()
    tx.audit("participant.set_attribute", "participant", participant_id,
             before={definition.name: before}, after={definition.name: after})
    return Change().change("participant", participant_id)


def set_document_participant(tx: Tx, document_id: int, participant_id: int | None) -> Change:
    document = get_or_fail(tx.session, Document, document_id, "document")
    if participant_id is not None:
        get_or_fail(tx.session, Participant, participant_id, "participant")
    before = document.participant_id
    if before == participant_id:
        return Change()
    document.participant_id = participant_id
    tx.session.flush()
    tx.audit("document.set_participant", "document", document_id,
             before={"participant_id": before}, after={"participant_id": participant_id})
    return Change().change("document", document_id)
