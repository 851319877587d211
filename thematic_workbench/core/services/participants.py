"""Participants (pseudonymous labels such as ``PA``) and their typed attributes.

Every change has an inverse that restores exactly what was there, values included, so an
undo in the window puts the sheet back as it was: ``create_participant`` /
``delete_participant`` / ``restore_participant``, ``define_attribute`` /
``delete_attribute`` / ``restore_attribute``, and the setters, which are their own inverse
given the previous value. The type users see as "category" is stored as ``choice``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete as sa_delete
from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.participant_sheet import TYPE_LABELS
from thematic_workbench.core.services.common import (
    delete_audited,
    get_or_fail,
    row_values,
    session_of,
    tidy_name,
    update_audited,
)
from thematic_workbench.core.storage.models import (
    ATTRIBUTE_TYPES,
    AttributeDefinition,
    Document,
    Participant,
    ParticipantAttribute,
    SpeakerParticipant,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.wording import plural

TYPE_ALIASES = {"category": "choice", "categories": "choice", "integer": "number",
                "float": "number"}


def find_participant(tx_or_session: Tx | Session, label: str) -> Participant | None:
    return session_of(tx_or_session).execute(
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
    return Change().add(Kind.PARTICIPANT, participant.id)


def ensure_participant(tx: Tx, label: str) -> tuple[int, Change]:
    """The id of the participant with this label, creating it if needed."""
    existing = find_participant(tx, label)
    if existing is not None:
        return existing.id, Change()
    change = create_participant(tx, label)
    return change.new_id(Kind.PARTICIPANT), change


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
    return Change().change(Kind.PARTICIPANT, participant_id)


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
    # A focus group's speakers mapped to them go with them (kept here for the undo).
    mapped = tx.session.execute(
        select(SpeakerParticipant.document_id, SpeakerParticipant.speaker)
        .where(SpeakerParticipant.participant_id == participant_id)
        .order_by(SpeakerParticipant.document_id, SpeakerParticipant.speaker)).all()
    speakers = [[document_id, speaker] for document_id, speaker in mapped]
    before = row_values(participant) | {"documents": documents, "attributes": attributes,
                                        "speakers": speakers}
    change = delete_audited(tx, participant, Kind.PARTICIPANT, "participant.delete", before)
    for document_id in documents + [document_id for document_id, _speaker in mapped]:
        change.change(Kind.DOCUMENT, document_id)
    return change


def attribute_type(type_: str) -> str:
    """The stored type for what a user typed ("category" is the stored ``choice``)."""
    stored = TYPE_ALIASES.get(type_.strip().casefold(), type_.strip().casefold())
    if stored not in ATTRIBUTE_TYPES:
        raise InvariantError(f"an attribute type is one of {', '.join(TYPE_LABELS.values())}, "
                             f"not '{type_}'")
    return stored


def type_label(type_: str) -> str:
    """The type as users read it."""
    return TYPE_LABELS.get(type_, type_)


def _tidy_choices(name: str, type_: str, choices: list[str] | None) -> list[str]:
    if type_ != "choice":
        return []
    tidy: list[str] = []
    for choice in choices or []:
        cleaned = " ".join(str(choice).split())
        if cleaned and cleaned not in tidy:
            tidy.append(cleaned)
    if not tidy:
        raise InvariantError(f"attribute '{name}' is a category: give its values")
    return tidy


def find_attribute(tx_or_session: Tx | Session, name: str) -> AttributeDefinition | None:
    """The attribute with this name (spacing aside); else one whose name differs only in
    case, so that "Gender" in a file finds the project's "gender"."""
    tidy = " ".join(name.split())
    definitions = list(session_of(tx_or_session).execute(select(AttributeDefinition)).scalars())
    found = [d for d in definitions if d.name == tidy] or \
        [d for d in definitions if name_key(d.name) == name_key(tidy)]
    return found[0] if found else None


def _name_free(tx: Tx, name: str, attribute_id: int | None = None) -> None:
    clash = find_attribute(tx, name)
    if clash is not None and clash.id != attribute_id:
        raise InvariantError(f"an attribute named '{clash.name}' already exists")


def define_attribute(tx: Tx, name: str, type_: str = "text",
                     choices: list[str] | None = None) -> Change:
    name = tidy_name(name, "attribute", max_length=100)
    type_ = attribute_type(type_)
    choices = _tidy_choices(name, type_, choices)
    _name_free(tx, name)
    definition = AttributeDefinition(name=name, type=type_, choices_json=json.dumps(choices))
    tx.session.add(definition)
    tx.session.flush()
    tx.audit("attribute.define", "attribute", definition.id, after=row_values(definition))
    return Change().add(Kind.ATTRIBUTE, definition.id)


def value_problem(name: str, type_: str, choices: list[str], value: str) -> str | None:
    """Why ``value`` does not fit an attribute of this type, or None when it does."""
    if type_ == "number":
        try:
            number = float(value)
        except ValueError:
            return f"'{name}' is a number, not '{value}'"
        if number != number or number in (float("inf"), float("-inf")):
            return f"'{name}' is a number, not '{value}'"
    elif type_ == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"'{name}' is a date (YYYY-MM-DD), not '{value}'"
        if len(value) != 10:
            return f"'{name}' is a date (YYYY-MM-DD), not '{value}'"
    elif type_ == "choice" and value not in choices:
        return f"'{name}' is one of {', '.join(choices)}, not '{value}'"
    return None


def fitting_value(type_: str, choices: list[str], value: str) -> str:
    """``value`` as stored: trimmed, and a category value spelt as its category."""
    value = " ".join(value.split()) if type_ == "choice" else value.strip()
    if type_ == "choice" and value not in choices:
        return next((choice for choice in choices if name_key(choice) == name_key(value)),
                    value)
    return value


def _checked_value(definition: AttributeDefinition, value: str) -> str:
    choices = json.loads(definition.choices_json)
    value = fitting_value(definition.type, choices, value)
    problem = value_problem(definition.name, definition.type, choices, value)
    if problem:
        raise InvariantError(problem)
    return value


def attribute_values(tx_or_session: Tx | Session, participant_id: int) -> dict[str, str]:
    """A participant's values by attribute name."""
    return dict(session_of(tx_or_session).execute(
        select(AttributeDefinition.name, ParticipantAttribute.value)
        .join(ParticipantAttribute, ParticipantAttribute.attribute_id == AttributeDefinition.id)
        .where(ParticipantAttribute.participant_id == participant_id)).all())


def set_participant_attribute(tx: Tx, participant_id: int, attribute_name: str,
                              value: str | float | int | None) -> Change:
    """Set (or with ``None`` clear) one attribute value, checked against its type."""
    get_or_fail(tx.session, Participant, participant_id, "participant")
    definition = find_attribute(tx, attribute_name)
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
    return Change().change(Kind.PARTICIPANT, participant_id)


def set_participant_attributes(tx: Tx, participant_id: int,
                               values: Mapping[str, str | None]) -> Change:
    """Set (``None``: clear) several of one participant's values as one audited step: an
    imported row. Each value is checked against its attribute's type; one misfit refuses
    them all."""
    get_or_fail(tx.session, Participant, participant_id, "participant")
    definitions = list(tx.session.execute(select(AttributeDefinition)).scalars())
    by_name = {d.name: d for d in definitions}
    by_key = {name_key(d.name): d for d in definitions}
    rows = {row.attribute_id: row for row in tx.session.execute(
        select(ParticipantAttribute).where(
            ParticipantAttribute.participant_id == participant_id)).scalars()}
    before: dict[str, str | None] = {}
    after: dict[str, str | None] = {}
    for name, value in values.items():
        tidy = " ".join(name.split())
        definition = by_name.get(tidy) or by_key.get(name_key(tidy))
        if definition is None:
            raise NotFoundError(f"no participant attribute named '{name}'")
        row = rows.get(definition.id)
        old = row.value if row is not None else None
        new = None if value is None else _checked_value(definition, str(value))
        if old == new:
            continue
        if new is None:
            tx.session.delete(row)
            del rows[definition.id]
        elif row is None:
            rows[definition.id] = ParticipantAttribute(
                participant_id=participant_id, attribute_id=definition.id, value=new)
            tx.session.add(rows[definition.id])
        else:
            row.value = new
        before[definition.name], after[definition.name] = old, new
    if not after:
        return Change()
    tx.session.flush()
    tx.audit("participant.set_attributes", "participant", participant_id,
             before=before, after=after)
    return Change().change(Kind.PARTICIPANT, participant_id)


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
    return Change().change(Kind.DOCUMENT, document_id)


def set_participant_note(tx: Tx, participant_id: int, note: str) -> Change:
    """A free note on a participant (context the attributes do not hold)."""
    participant = get_or_fail(tx.session, Participant, participant_id, "participant")
    return update_audited(tx, participant, Kind.PARTICIPANT, "participant.note", note=note.strip())


def restore_participant(tx: Tx, before: dict[str, Any]) -> Change:
    """Bring back a deleted participant with their note, attribute values and transcripts
    (the undo of :func:`delete_participant`; ``before`` is what it recorded).

    The participant gets their old id back when it is free, so that other steps on the
    undo stack still find them. Values of attributes deleted since are left out.
    """
    label = tidy_name(str(before["label"]), "participant", max_length=100)
    if find_participant(tx, label) is not None:
        raise InvariantError(f"a participant labelled '{label}' already exists")
    old_id = before.get("id")
    participant = Participant(label=label, note=str(before.get("note") or ""))
    if isinstance(old_id, int) and tx.session.get(Participant, old_id) is None:  # free
        participant.id = old_id
    tx.session.add(participant)
    tx.session.flush()
    values: dict[str, str] = {}
    for name, value in (before.get("attributes") or {}).items():
        definition = find_attribute(tx, name)
        if definition is not None and value is not None:
            tx.session.add(ParticipantAttribute(participant_id=participant.id,
                                                attribute_id=definition.id, value=str(value)))
            values[definition.name] = str(value)
    unowned = [document for document in tx.session.execute(
        select(Document).where(Document.id.in_(before.get("documents") or []))).scalars()
        if document.participant_id is None]
    for document in unowned:
        document.participant_id = participant.id
    documents = [document.id for document in unowned]
    speakers = [[document_id, speaker] for document_id, speaker in before.get("speakers") or []
                if tx.session.get(Document, document_id) is not None
                and tx.session.get(SpeakerParticipant, (document_id, speaker)) is None]
    tx.session.add_all(SpeakerParticipant(document_id=document_id, speaker=speaker,
                                          participant_id=participant.id)
                       for document_id, speaker in speakers)
    tx.session.flush()
    tx.audit("participant.restore", "participant", participant.id,
             after=row_values(participant) | {"documents": documents, "attributes": values,
                                              "speakers": speakers})
    change = Change().add(Kind.PARTICIPANT, participant.id)
    for document_id in documents + [document_id for document_id, _speaker in speakers]:
        change.change(Kind.DOCUMENT, document_id)
    return change


def _attribute_or_fail(tx: Tx, attribute_id: int) -> AttributeDefinition:
    return get_or_fail(tx.session, AttributeDefinition, attribute_id, "participant attribute")


def rename_attribute(tx: Tx, attribute_id: int, name: str) -> Change:
    definition = _attribute_or_fail(tx, attribute_id)
    name = tidy_name(name, "attribute", max_length=100)
    _name_free(tx, name, attribute_id)
    return update_audited(tx, definition, Kind.ATTRIBUTE, "attribute.rename", name=name)


def _values_of(tx: Tx, attribute_id: int) -> list[tuple[int, str, str]]:
    """(participant id, label, value) of everyone with a value, in label order."""
    return [(participant_id, label, value) for participant_id, label, value in tx.session.execute(
        select(Participant.id, Participant.label, ParticipantAttribute.value)
        .join(ParticipantAttribute, ParticipantAttribute.participant_id == Participant.id)
        .where(ParticipantAttribute.attribute_id == attribute_id)
        .order_by(Participant.label))]


def delete_attribute(tx: Tx, attribute_id: int) -> Change:
    """Delete an attribute and every participant's value of it; the audit event keeps the
    values so :func:`restore_attribute` can bring them back."""
    definition = _attribute_or_fail(tx, attribute_id)
    values = _values_of(tx, attribute_id)
    before = row_values(definition) | {
        "values": [[participant_id, value] for participant_id, _label, value in values]}
    tx.session.execute(sa_delete(ParticipantAttribute).where(
        ParticipantAttribute.attribute_id == attribute_id))
    change = delete_audited(tx, definition, Kind.ATTRIBUTE, "attribute.delete", before)
    for participant_id, _label, _value in values:
        change.change(Kind.PARTICIPANT, participant_id)
    return change


def restore_attribute(tx: Tx, before: dict[str, Any]) -> Change:
    """Re-create a deleted attribute with its type, values of the category and every
    participant's value (the undo of :func:`delete_attribute`)."""
    name = tidy_name(str(before["name"]), "attribute", max_length=100)
    _name_free(tx, name)
    type_ = attribute_type(str(before.get("type") or "text"))
    choices = json.loads(before.get("choices_json") or "[]")
    definition = AttributeDefinition(name=name, type=type_, choices_json=json.dumps(choices))
    old_id = before.get("id")
    if isinstance(old_id, int) and tx.session.get(AttributeDefinition, old_id) is None:
        definition.id = old_id
    tx.session.add(definition)
    tx.session.flush()
    change = Change().add(Kind.ATTRIBUTE, definition.id)
    restored = []
    for participant_id, value in before.get("values") or []:
        if tx.session.get(Participant, participant_id) is None:
            continue  # the participant went too; their own undo brings their values back
        tx.session.add(ParticipantAttribute(participant_id=participant_id,
                                            attribute_id=definition.id, value=str(value)))
        restored.append([participant_id, str(value)])
        change.change(Kind.PARTICIPANT, participant_id)
    tx.session.flush()
    tx.audit("attribute.restore", "attribute", definition.id,
             after=row_values(definition) | {"values": restored})
    return change


def retype_attribute(tx: Tx, attribute_id: int, type_: str,
                     choices: list[str] | None = None) -> Change:
    """Change an attribute's type or its category values. Every value already set must fit
    the new type, else nothing changes and the error names whose values do not."""
    definition = _attribute_or_fail(tx, attribute_id)
    type_ = attribute_type(type_)
    choices = _tidy_choices(definition.name, type_, choices)
    misfits = [f"{label} ('{value}')" for _id, label, value in _values_of(tx, attribute_id)
               if value_problem(definition.name, type_, choices, value)]
    if misfits:
        shown = ", ".join(misfits[:5]) + (f" and {len(misfits) - 5} more"
                                          if len(misfits) > 5 else "")
        wanted = {"number": "a number", "date": "a date (YYYY-MM-DD)",
                  "choice": f"one of {', '.join(choices)}"}.get(type_, "text")
        raise InvariantError(
            f"'{definition.name}' cannot become {type_label(type_)}: "
            f"{plural(len(misfits), 'value is', 'values are', False)} not {wanted}: {shown}")
    return update_audited(tx, definition, Kind.ATTRIBUTE, "attribute.retype", type=type_,
                          choices_json=json.dumps(choices))
