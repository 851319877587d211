"""Migration 0007: codes and themes made before GUIDs were kept get the same GUID in every
copy of a project, and two codes that took the same id in copies coded apart do not."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import select

from tests.core.test_migration_0002 import _alembic, make_0001_project
from thematic_workbench.core.guids import earlier_guid
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.models import Code
from thematic_workbench.core.storage.store import ProjectStore


def _add_code(path: Path, name: str, created_at: str) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("INSERT INTO code (name, name_key, definition, colour, origin, status, "
                         "created_at) VALUES (?, ?, '', '#4E79A7', 'inductive', 'active', ?)",
                         (name, name.casefold(), created_at))
    finally:
        conn.close()


def _guids(path: Path) -> dict[str, str]:
    with ProjectStore.open(path) as store, store.read() as session:
        return {name: guid for name, guid in session.execute(select(Code.name, Code.guid))}


def test_copies_split_before_the_upgrade_agree_on_shared_codes_only(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ana.thematic", tmp_path / "ben.thematic"
    make_0001_project(ours)
    _alembic(ours, "0006_signed_anchors")
    _add_code(ours, "Self-care", "2026-01-02T10:00:00.000001Z")
    shutil.copy(ours, theirs)  # copied by hand, coded apart, both at version 6
    _add_code(ours, "Burnout", "2026-01-03T09:00:00.000001Z")
    _add_code(theirs, "Running", "2026-01-03T09:30:00.000002Z")  # the same id as Burnout

    mine, his = _guids(ours), _guids(theirs)
    assert mine["Self-care"] == his["Self-care"] == earlier_guid(
        "2026-01-01T00:00:00Z", "code", 1, "2026-01-02T10:00:00.000001Z")
    assert mine["Burnout"] != his["Running"]
    with ProjectStore.open(ours) as store, store.transaction("alice") as tx:
        fresh = Code(name="New", name_key="new")
        tx.session.add(fresh)
        tx.session.flush()
        assert fresh.guid and fresh.guid not in set(mine.values())


def test_downgrade_to_0006_removes_guids_and_merge_records(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    ProjectStore.create(path).close()
    _alembic(path, "0006_signed_anchors", downgrade=True)
    conn = sqlite3.connect(path)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(code)")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    assert version == 6 and "guid" not in columns
    assert not {"project_merge", "kept_event", "kept_event_no_update"} & names
    with ProjectStore.open(path) as store, store.read() as session:  # and it comes back
        assert session.execute(select(Code.guid)).all() == []
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrate.SCHEMA_VERSION
    finally:
        conn.close()
