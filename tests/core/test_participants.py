"""Participants with typed attributes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services import participants
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Document, ParticipantAttribute
from thematic_workbench.core.storage.store import ProjectStore


def test_typed_attributes_are_checked(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        pa = participants.create_participant(tx, "PA").new_id("participant")
        participants.define_attribute(tx, "years", "number")
        participants.define_attribute(tx, "site", "choice", ["Hospital", "Probation"])
        participants.define_attribute(tx, "interviewed", "date")
        participants.set_participant_attribute(tx, pa, "years", 12)
        participants.set_participant_attribute(tx, pa, "site", "Hospital")
        participants.set_participant_attribute(tx, pa, "interviewed", "2026-03-01")
    for name, bad in (("years", "twelve"), ("site", "Prison"), ("interviewed", "March")):
        with pytest.raises(InvariantError, match=name), store.transaction("alice") as tx:
            participants.set_participant_attribute(tx, pa, name, bad)
    with pytest.raises(NotFoundError), store.transaction("alice") as tx:
        participants.set_participant_attribute(tx, pa, "gender", "female")
    with store.read() as session:
        values = sorted(session.execute(select(ParticipantAttribute.value)).scalars())
    assert values == ["12", "2026-03-01", "Hospital"]


def test_labels_unique_and_delete_keeps_documents(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        import_document(tx, imported("PA: hello there"), participant="PA")
        with pytest.raises(InvariantError, match="already exists"):
            participants.create_participant(tx, "PA")
    with store.transaction("alice") as tx:
        pa = participants.find_participant(tx, "PA")
        participants.delete_participant(tx, pa.id)
    with store.read() as session:
        assert session.execute(select(Document.participant_id)).scalar_one() is None
