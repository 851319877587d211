"""Migration 0008: the events a project already holds keep their hashes (version 1), new
ones are hashed over their payloads' digest (version 2), and the triggers let through one
update only, a recorded redaction's tombstone, on a file and on a server alike."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.core.test_migration_0002 import _alembic, _schema, make_0001_project
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.audit import TOMBSTONE, payload_digest, verify_chain
from thematic_workbench.core.storage.models import AuditEvent
from thematic_workbench.core.storage.store import ProjectStore


def _events(path: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT seq, hash FROM audit_event ORDER BY seq").fetchall()
    finally:
        conn.close()


def test_older_events_keep_their_hashes_and_new_ones_hash_a_digest(tmp_path: Path) -> None:
    path = tmp_path / "old.thematic"
    make_0001_project(path)
    _alembic(path, "0007_guids_and_merges")
    before = _events(path)
    with ProjectStore.open(path) as store:
        with store.transaction("alice") as tx:
            create_code(tx, "Supervision")
        with store.read() as session:
            events = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
            chain = verify_chain(session)
    assert [(e.seq, e.hash) for e in events[:len(before)]] == before
    assert {(e.hash_version, e.payload_sha256) for e in events[:len(before)]} == {(1, None)}
    newer = events[len(before):]
    assert [e.action for e in newer] == ["project.migrate", "code.create"]
    assert all(e.hash_version == 2 and e.payload_sha256 == payload_digest(e.before_json,
                                                                          e.after_json)
               for e in newer)
    assert chain.intact, chain.describe()


@pytest.fixture(params=["file", "server"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A project holding one code, in a file or on the test server."""
    where = str(tmp_path / "study.thematic") if request.param == "file" else \
        request.getfixturevalue("server_url")
    with ProjectStore.create(where, "Triggers", coder="alice") as store, \
            store.transaction("alice") as tx:
        create_code(tx, "Dr Okafor's words")
    yield where


def _run(store: ProjectStore, statement: str, **values: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), values)


def _code_event(store: ProjectStore) -> int:
    with store.read() as session:
        return session.execute(select(AuditEvent.seq).where(
            AuditEvent.action == "code.create")).scalar_one()


def _record(store: ProjectStore, seq: int, merge_id: int | None = None) -> None:
    _run(store, "INSERT INTO redaction (merge_id, seq, at, coder, reason, recorded_seq) "
                "VALUES (:merge, :seq, '2026-12-12T09:00:00Z', 'alice', 'test', 99)",
         merge=merge_id, seq=seq)


TOMBSTONED = "UPDATE audit_event SET before_json = :t, after_json = :t WHERE seq = :seq"


def test_the_trail_refuses_every_update_but_a_recorded_tombstone(location: str) -> None:
    with ProjectStore.open(location) as store:
        seq = _code_event(store)
        for statement in ("UPDATE audit_event SET after_json = '{}' WHERE seq = :seq",
                          "UPDATE audit_event SET coder = 'mallory' WHERE seq = :seq",
                          TOMBSTONED):  # a tombstone with no redaction recorded
            with pytest.raises(DBAPIError, match="append-only"):
                _run(store, statement, seq=seq, t=TOMBSTONE)
        _record(store, seq)
        for statement in (  # recorded, but something else changes too, or not a tombstone
                "UPDATE audit_event SET before_json = :t, after_json = :t, "
                "coder = 'mallory' WHERE seq = :seq",
                "UPDATE audit_event SET before_json = :t, after_json = :t, "
                "payload_sha256 = NULL WHERE seq = :seq",
                "UPDATE audit_event SET after_json = :t WHERE seq = :seq",
                "UPDATE audit_event SET before_json = :t, after_json = '{}' WHERE seq = :seq",
                "UPDATE audit_event SET before_json = :t, after_json = :t "
                "WHERE seq = :seq - 1"):  # another event than the one recorded
            with pytest.raises(DBAPIError, match="append-only"):
                _run(store, statement, seq=seq, t=TOMBSTONE)
        _run(store, TOMBSTONED, seq=seq, t=TOMBSTONE)
        with store.read() as session:
            event = session.get(AuditEvent, seq)
            assert event is not None and (event.before_json, event.after_json) == \
                (TOMBSTONE, TOMBSTONE)
        for statement in ("UPDATE redaction SET seq = 1", "DELETE FROM redaction"):
            with pytest.raises(DBAPIError, match="redactions are append-only"):
                _run(store, statement)
        with pytest.raises(DBAPIError, match="append-only"):
            _run(store, "DELETE FROM audit_event WHERE seq = :seq", seq=seq)


def test_a_kept_trail_allows_only_its_own_recorded_tombstones(location: str) -> None:
    with ProjectStore.open(location) as store:
        _run(store, "INSERT INTO project_merge (id, at, coder_id, other_title, other_location, "
                    "other_created_at, head_seq, head_hash, report_json) VALUES (1, 'now', 1, "
                    "'other', 'there', 'then', 1, :h, '{}')", h="a" * 64)
        _run(store, "INSERT INTO kept_event (merge_id, seq, at, coder, phase, action, "
                    "entity_kind, entity_id, before_json, after_json, prev_hash, hash) "
                    "VALUES (1, 1, 'then', 'ben', 1, 'code.create', 'code', 1, NULL, "
                    "'{\"name\":\"Ann\"}', :g, :h)", g="0" * 64, h="a" * 64)
        kept = "UPDATE kept_event SET before_json = :t, after_json = :t WHERE seq = 1"
        _record(store, 1)  # a redaction of our own event 1, not of the kept one
        with pytest.raises(DBAPIError, match="append-only"):
            _run(store, kept, t=TOMBSTONE)
        _record(store, 1, merge_id=1)
        with pytest.raises(DBAPIError, match="append-only"):
            _run(store, "UPDATE kept_event SET before_json = :t, after_json = :t, "
                        "coder = 'x' WHERE seq = 1", t=TOMBSTONE)
        _run(store, kept, t=TOMBSTONE)


def test_downgrade_to_0007_restores_the_plain_triggers(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    ProjectStore.create(path).close()
    _alembic(path, "0007_guids_and_merges", downgrade=True)
    version, _revision, names = _schema(path)
    assert version == 7 and "redaction" not in names
    assert {"audit_event_no_update", "kept_event_no_update"} <= names
    conn = sqlite3.connect(path)
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(audit_event)")}
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                               "'audit_event_no_update'").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_event SET after_json = ? WHERE seq = 1", (TOMBSTONE,))
    finally:
        conn.close()
    assert not {"hash_version", "payload_sha256"} & columns and "WHEN" not in trigger
    with ProjectStore.open(path) as store, store.read() as session:  # and it comes back
        assert session.execute(select(AuditEvent.hash_version).where(
            AuditEvent.seq == 1)).scalar_one() == 1
    assert _schema(path)[0] == migrate.SCHEMA_VERSION
