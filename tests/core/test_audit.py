"""The audit trail: append-only, hash-chained, verifiable."""

from __future__ import annotations

import itertools
import sqlite3

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from thematic_workbench.core.services import codes
from thematic_workbench.core.storage.audit import GENESIS_HASH, hash_of, verify_chain
from thematic_workbench.core.storage.models import AuditEvent
from thematic_workbench.core.storage.store import ProjectStore


def _make_events(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        code_id = codes.create_code(tx, "Coercion").new_id("code")
        codes.rename_code(tx, code_id, "Coercion and choice")
    with store.transaction("bob") as tx:
        codes.define_code(tx, code_id, "Talk about being made to attend")


def test_each_event_names_coder_phase_and_links_to_the_previous(store: ProjectStore) -> None:
    _make_events(store)
    with store.read() as session:
        events = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS_HASH
    for earlier, later in itertools.pairwise(events):
        assert later.prev_hash == earlier.hash
    assert all(hash_of(e) == e.hash for e in events)
    rename = next(e for e in events if e.action == "code.rename")
    assert rename.coder == "alice" and rename.phase == 1
    assert '"Coercion"' in rename.before_json and "Coercion and choice" in rename.after_json
    assert {e.coder for e in events if e.action == "code.define"} == {"bob"}
    assert any(e.action == "coder.create" and e.coder == "bob" for e in events)


def test_triggers_refuse_update_and_delete(store: ProjectStore) -> None:
    _make_events(store)
    with pytest.raises(IntegrityError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET coder = 'mallory' WHERE seq = 2"))
    with pytest.raises(IntegrityError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    with store.read() as session:
        assert verify_chain(session).intact


def _tamper(store: ProjectStore, sql: str) -> None:
    store.engine.dispose()
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("DROP TRIGGER audit_event_no_delete")
    conn.execute(sql)
    conn.commit()
    conn.close()


def test_verify_names_the_edited_event(store: ProjectStore) -> None:
    _make_events(store)
    with store.read() as session:
        result = verify_chain(session)
    assert result.intact and result.events >= 5
    _tamper(store, "UPDATE audit_event SET after_json = '{\"name\":\"Forged\"}' WHERE seq = 3")
    with store.read() as session:
        result = verify_chain(session)
    assert result.first_bad_seq == 3
    assert "event 3" in result.describe()


def test_verify_notices_a_deleted_event(store: ProjectStore) -> None:
    _make_events(store)
    _tamper(store, "DELETE FROM audit_event WHERE seq = 2")
    with store.read() as session:
        result = verify_chain(session)
    assert result.first_bad_seq == 3 and "removed" in result.problem


def test_a_failed_change_writes_no_event(store: ProjectStore) -> None:
    _make_events(store)
    with store.read() as session:
        count = session.query(AuditEvent).count()
    with pytest.raises(RuntimeError), store.transaction("alice") as tx:
        codes.create_code(tx, "Half-made")
        raise RuntimeError("power cut")
    with store.read() as session:
        assert session.query(AuditEvent).count() == count
        assert verify_chain(session).intact


def test_verify_reports_removed_protection(store: ProjectStore) -> None:
    _make_events(store)
    _tamper(store, "SELECT 1")
    with store.read() as session:
        result = verify_chain(session)
    assert not result.intact and result.first_bad_seq is None
    assert "triggers" in result.describe()
