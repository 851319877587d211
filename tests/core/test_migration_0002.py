"""Migration 0002 (document search): a project made at 0001 is backed up, then indexed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from tests.core.helpers_docs import imported
from tests.core.v1_trail import v1_tx
from thematic_workbench import __version__
from thematic_workbench.core.finding.search import search_project
from thematic_workbench.core.services.documents import delete_document, import_document
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.models import Document, Project
from thematic_workbench.core.storage.store import ProjectStore

OLD_TEXT = "PA: Supervision is where I can say the unsayable.\nPA: Then I go for a run."


def _alembic(path: Path, target: str, downgrade: bool = False) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    try:
        (command.downgrade if downgrade else command.upgrade)(cfg, target)
    finally:
        engine.dispose()


def make_0001_project(path: Path) -> None:
    """A project as version 0001 of the schema wrote it, holding one transcript."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    _alembic(path, "0001_initial")
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            session = Session(bind=conn)
            # The row as the 0001 schema has it (later migrations add columns to it).
            conn.execute(text(
                "INSERT INTO project (id, title, description, created_at, created_with, "
                "current_phase) VALUES (1, 'Old study', '', '2026-01-01T00:00:00Z', :v, 1)"),
                {"v": __version__})
            migrate.seed_reference_rows(session)
            session.flush()
            import_document(v1_tx(session, "alice"), imported(OLD_TEXT, "PA interview"),
                            participant="PA")
            session.flush()
    finally:
        engine.dispose()


def _schema(path: Path) -> tuple[int, str, set[str]]:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    return version, revision, names


def test_a_0001_project_is_backed_up_upgraded_and_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.thematic"
    make_0001_project(path)
    assert _schema(path)[:2] == (1, "0001_initial")

    with ProjectStore.open(path) as store:
        (backup,) = tmp_path.glob("old.backup-0001_initial-*.thematic")
        with store.read() as session:
            (hit,) = search_project(session, "unsayable")
            assert (hit.participant, hit.line, hit.match) == ("PA", 1, "unsayable")
        # New documents are indexed by the triggers, deleted ones leave the index.
        with store.transaction("alice") as tx:
            new_id = import_document(tx, imported("PB: a run every morning.", "PB"),
                                     "PB").new_id("document")
        with store.read() as session:
            assert [h.participant for h in search_project(session, "run")] == ["PA", "PB"]
        with store.transaction("alice") as tx:
            delete_document(tx, new_id)
        with store.read() as session:
            assert [h.participant for h in search_project(session, "run")] == ["PA"]

    version, revision, names = _schema(path)
    assert version == migrate.SCHEMA_VERSION and revision == migrate.head_revision()
    assert {"document_fts", "document_fts_insert", "document_fts_delete"} <= names
    assert _schema(backup)[:2] == (1, "0001_initial")  # the backup is the file as it was


def test_changing_a_documents_text_keeps_the_index_in_step(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        doc_id = import_document(tx, imported("the old words", "D")).new_id("document")
    with store.transaction("alice") as tx:
        tx.session.get(Document, doc_id).text = "fresh words"  # type: ignore[union-attr]
    with store.read() as session:
        assert search_project(session, "old") == []
        assert [h.match for h in search_project(session, "fresh")] == ["fresh"]


def test_downgrade_removes_the_index(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    ProjectStore.create(path).close()
    _alembic(path, "0001_initial", downgrade=True)
    version, revision, names = _schema(path)
    assert (version, revision) == (1, "0001_initial")
    assert not any(name.startswith("document_fts") for name in names)
    with ProjectStore.open(path) as store, store.read() as session:  # and it comes back
        assert session.execute(select(Project.title)).scalar_one() == "p"
        assert search_project(session, "anything") == []
