"""Read and re-read marks: per coder, audited, undoable, kept in the file, counted for phase 1;
and migration 0004 brings them to a project made at 0003."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import assert_chain_intact, before_after, imported, last_event
from tests.core.test_migration_0002 import _alembic, _schema, make_0001_project
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.reading import (
    mark_read,
    read_marks,
    reading_progress,
    reads_by,
    unmark_read,
)
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.store import ProjectStore


def _two_documents(store: ProjectStore) -> tuple[int, int]:
    with store.transaction("alice") as tx:
        first = import_document(tx, imported("PA: one.", "PA")).new_id("document")
        second = import_document(tx, imported("PB: two.", "PB")).new_id("document")
    return first, second


def test_reads_and_rereads_are_per_coder_audited_and_counted(store: ProjectStore) -> None:
    pa, pb = _two_documents(store)
    with store.transaction("alice") as tx:
        first = mark_read(tx, pa).new_id("reading_mark")
    with store.read() as session:
        _before, after = before_after(last_event(session, "document.read"))
        assert after["kind"] == "read" and after["mark"] == first and after["name"] == "PA"
    with store.transaction("alice") as tx:
        mark_read(tx, pa)
    with store.read() as session:
        assert before_after(last_event(session, "document.read"))[1]["kind"] == "re-read"
    with store.transaction("bob") as tx:
        mark_read(tx, pb)

    with store.read() as session:
        marks = read_marks(session)
        assert [m.coder for m in marks[pa]] == ["alice", "alice"]
        assert reads_by(marks[pa], "alice") == 2 and reads_by(marks[pa], "bob") == 0
        assert reads_by(marks[pb], "bob") == 1
        alice = reading_progress(session, "alice")
        assert (alice.read, alice.reread, alice.documents) == (1, 1, 2)
        bob = reading_progress(session, "bob")
        assert (bob.read, bob.reread) == (1, 0)
        assert reading_progress(session, "carol").read == 0
    assert_chain_intact(store)


def test_unmark_takes_one_mark_back_and_is_audited(store: ProjectStore) -> None:
    pa, _pb = _two_documents(store)
    with store.transaction("alice") as tx:
        mark = mark_read(tx, pa).new_id("reading_mark")
    with store.transaction("alice") as tx:
        change = unmark_read(tx, mark)
    assert change.removed == {"reading_mark": [mark]}
    with store.read() as session:
        assert read_marks(session) == {}
        before, _after = before_after(last_event(session, "document.unread"))
        assert before["mark"] == mark
    with pytest.raises(NotFoundError), store.transaction("alice") as tx:
        unmark_read(tx, mark)
    # A redo puts the mark back at its first time.
    with store.transaction("alice") as tx:
        mark_read(tx, pa, at="2026-01-02T03:04:05.000000Z")
    with store.read() as session:
        assert [m.at for m in read_marks(session)[pa]] == ["2026-01-02T03:04:05.000000Z"]


def test_marks_survive_reopening_the_project(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    with ProjectStore.create(path) as store:
        pa, _pb = _two_documents(store)
        with store.transaction("alice") as tx:
            mark_read(tx, pa)
    with ProjectStore.open(path) as store, store.read() as session:
        assert reading_progress(session, "alice").read == 1


def test_a_0003_project_is_upgraded_to_hold_reading_marks(tmp_path: Path) -> None:
    path = tmp_path / "old.thematic"
    make_0001_project(path)
    _alembic(path, "0003_map_positions")
    version, revision, names = _schema(path)
    assert (version, revision) == (3, "0003_map_positions") and "reading_mark" not in names

    with ProjectStore.open(path) as store:
        (backup,) = tmp_path.glob("old.backup-0003_map_positions-*.thematic")
        with store.read() as session:
            assert read_marks(session) == {}  # nothing read yet, one transcript to read
            assert reading_progress(session, "alice").documents == 1
            document_id = session.execute(select(Document.id)).scalar_one()
        with store.transaction("alice") as tx:
            mark_read(tx, document_id)
        with store.read() as session:
            assert reading_progress(session, "alice").read == 1
    version, revision, names = _schema(path)
    # Upgraded to the newest revision, which the later migrations move on.
    assert version == migrate.SCHEMA_VERSION
    assert revision.startswith(f"{migrate.SCHEMA_VERSION:04d}_")
    assert "reading_mark" in names and "ix_reading_mark_document_coder" in names
    assert _schema(backup)[:2] == (3, "0003_map_positions")


def test_downgrade_to_0003_drops_the_marks(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    ProjectStore.create(path).close()
    _alembic(path, "0003_map_positions", downgrade=True)
    conn = sqlite3.connect(path)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    finally:
        conn.close()
    assert "reading_mark" not in tables
