"""Codes: names unique case-insensitively, merge keeps history, delete records what it took."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import AuditEvent, Code, Coding
from thematic_workbench.core.storage.store import ProjectStore

TEXT = "Interviewer: How did it start?\nPA: It can never be wholly collaborative, can it."


def _last_event(store: ProjectStore) -> AuditEvent:
    with store.read() as session:
        return session.execute(
            select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()


def test_create_rename_define_recolour(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        code_id = codes.create_code(tx, "  Coercion  ", definition="made to come").new_id("code")
    event = _last_event(store)
    assert event.action == "code.create" and json.loads(event.after_json)["name"] == "Coercion"
    with store.transaction("alice") as tx:
        codes.rename_code(tx, code_id, "Being made to come")
        codes.define_code(tx, code_id, "Talk about compulsion")
        codes.recolour_code(tx, code_id, "#aa3311")
    with store.read() as session:
        code = session.get(Code, code_id)
        assert (code.name, code.definition, code.colour) == (
            "Being made to come", "Talk about compulsion", "#AA3311")
    assert _last_event(store).action == "code.recolour"


def test_names_are_unique_case_insensitively(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        codes.create_code(tx, "Trust")
        other = codes.create_code(tx, "Distrust").new_id("code")
    with pytest.raises(InvariantError, match="already exists"), store.transaction("a") as tx:
        codes.create_code(tx, "TRUST")
    with pytest.raises(InvariantError, match="already exists"), store.transaction("a") as tx:
        codes.rename_code(tx, other, "trust")
    with pytest.raises(InvariantError, match="colour"), store.transaction("a") as tx:
        codes.recolour_code(tx, other, "red")


def test_merge_moves_codings_and_keeps_the_source_as_history(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        doc = import_document(tx, imported(TEXT)).new_id("document")
        a = codes.create_code(tx, "Never collaborative").new_id("code")
        b = codes.create_code(tx, "Coercion").new_id("code")
        codings.code_match(tx, doc, a, "never be wholly collaborative")
        codings.code_match(tx, doc, b, "never be wholly collaborative")  # same span: dropped
        codings.code_lines(tx, doc, a, 1, 1)
        change = codes.merge_codes(tx, [a], b)
    assert change.removed["code"] == [a]
    with store.read() as session:
        source = session.get(Code, a)
        assert (source.status, source.merged_into_id) == ("merged", b)
        spans = session.execute(select(Coding.code_id, Coding.start)).all()
        assert sorted(spans) == [(b, 0), (b, TEXT.index("never"))]
    event = _last_event(store)
    assert event.action == "code.merge"
    assert json.loads(event.after_json)["duplicate_codings_dropped"] == 1
    with store.transaction("alice") as tx:  # the old name is free again
        codes.create_code(tx, "Never collaborative")


def test_delete_removes_codings_and_records_them(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        doc = import_document(tx, imported(TEXT)).new_id("document")
        code_id = codes.create_code(tx, "Coercion").new_id("code")
        codings.code_lines(tx, doc, code_id, 1, 2)
        codes.delete_code(tx, code_id)
    with store.read() as session:
        assert session.query(Coding).count() == 0 and session.get(Code, code_id) is None
    before = json.loads(_last_event(store).before_json)
    assert before["name"] == "Coercion" and len(before["codings"]) == 1
