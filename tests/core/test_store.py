"""Opening, creating, locking and versioning project files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from thematic_workbench.core.errors import ProjectError, ProjectLockedError
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.models import AuditEvent, Base, ChecklistItem, Project
from thematic_workbench.core.storage.search_index import include_in_schema_compare
from thematic_workbench.core.storage.store import ProjectStore


def test_new_project_has_pragmas_checklist_and_creation_event(store: ProjectStore) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == migrate.SCHEMA_VERSION
    with store.read() as session:
        project = session.execute(select(Project)).scalar_one()
        assert (project.title, project.current_phase) == ("Test study", 1)
        assert session.query(ChecklistItem).count() == 15
        event = session.execute(select(AuditEvent)).scalars().all()[-1]
        assert event.action == "project.create"


def test_migration_creates_exactly_the_models(store: ProjectStore) -> None:
    """The first Alembic revision and the ORM models describe the same schema."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": include_in_schema_compare})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_second_writer_is_told_the_project_is_open(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    ProjectStore.create(path).close()
    with ProjectStore.open(path):
        script = (
            "import sys\n"
            "from thematic_workbench.core.storage.store import ProjectStore\n"
            "from thematic_workbench.core.errors import ProjectLockedError\n"
            "try:\n"
            f"    ProjectStore.open({str(path)!r})\n"
            "except ProjectLockedError as e:\n"
            "    print(e); sys.exit(3)\n"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 3, done.stderr
        assert "already open for writing" in done.stdout
        with ProjectStore.open(path, readonly=True) as reader:
            assert reader.readonly
        with ProjectStore.open(path, allow_readonly_fallback=True) as fallback:
            assert fallback.readonly
    with ProjectStore.open(path) as again:  # the lock went with the first store
        assert not again.readonly


def test_lock_is_released_when_the_process_dies(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    ProjectStore.create(path).close()
    script = (f"from thematic_workbench.core.storage.store import ProjectStore\n"
              f"ProjectStore.open({str(path)!r})\nimport os\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", script], check=True)
    ProjectStore.open(path).close()


def test_same_process_second_open_is_refused(store: ProjectStore) -> None:
    with pytest.raises(ProjectLockedError):
        ProjectStore.open(store.path)


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.thematic"
    ProjectStore.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("UPDATE alembic_version SET version_num = '0042_from_the_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="newer version of Thematic Workbench"):
        ProjectStore.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"hello, I am not a database", b"\x00" * 100])
def test_a_file_that_is_not_a_project(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.thematic"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match="not a Thematic Workbench project"):
        ProjectStore.open(path)


def _database_of_another_program(tmp_path: Path) -> Path:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def test_an_sqlite_file_of_another_program(tmp_path: Path) -> None:
    path = _database_of_another_program(tmp_path)
    with pytest.raises(ProjectError, match="not a Thematic Workbench project"):
        ProjectStore.open(path)


def test_missing_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project"):
        ProjectStore.open(tmp_path / "nowhere.thematic")


def test_read_only_project_file(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    ProjectStore.create(path).close()
    os.chmod(path, 0o444)
    try:
        with pytest.raises(ProjectError, match="read-only"):
            ProjectStore.open(path)
        with ProjectStore.open(path, allow_readonly_fallback=True) as store:
            assert store.readonly
            with pytest.raises(ProjectError, match="open read-only"), \
                    store.transaction("alice"):
                pass
    finally:
        os.chmod(path, 0o644)


def test_create_refuses_existing_file(store: ProjectStore) -> None:
    with pytest.raises(ProjectError, match="already exists"):
        ProjectStore.create(store.path)


def test_older_project_is_backed_up_then_migrated(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.thematic"
    ProjectStore.create(path).close()
    monkeypatch.setattr(migrate, "needs_upgrade", lambda engine: True)
    calls: list[str] = []
    monkeypatch.setattr(migrate, "upgrade_to_head", lambda engine, **_: calls.append("upgrade"))
    with ProjectStore.open(path):
        pass
    backups = list(tmp_path.glob("old.backup-*.thematic"))
    assert calls == ["upgrade"] and len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT title FROM project").fetchone() == ("old",)
    copy.close()


def test_sessions_can_nest_in_one_thread(store: ProjectStore) -> None:
    """A read inside a read, and a read inside a write transaction, each get a connection."""
    with store.read() as outer:
        outer.execute(select(Project.title)).scalar_one()
        assert store.title() == "Test study"
    with store.transaction("alice") as tx:
        tx.session.execute(select(Project.title)).scalar_one()
        assert store.title() == "Test study"


@pytest.mark.parametrize("name", ["study #2.thematic", "what?.thematic", "50%25 done.thematic"])
def test_names_with_uri_characters(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    ProjectStore.create(path, "Odd name").close()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".thematic"] == [name]
    with ProjectStore.open(path) as store:
        assert store.title() == "Odd name"


def test_closed_project_is_one_self_contained_file(tmp_path: Path) -> None:
    """Users copy and sync single project files: nothing may live only in the -wal file."""
    path = tmp_path / "p.thematic"
    with ProjectStore.create(path) as store, store.transaction("alice") as tx:
        tx.audit("note", "project", 1, after={"text": "written just before closing"})
    copy = tmp_path / "copy" / "p.thematic"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    with ProjectStore.open(copy, readonly=True) as store, store.read() as session:
        assert session.execute(select(AuditEvent.action).order_by(
            AuditEvent.seq.desc()).limit(1)).scalar_one() == "note"
    leftovers = sorted(p.name for p in copy.parent.iterdir())
    assert leftovers == ["p.thematic"]  # a read-only open leaves no side files


def test_refused_file_is_not_switched_to_wal(tmp_path: Path) -> None:
    path = _database_of_another_program(tmp_path)
    with pytest.raises(ProjectError):
        ProjectStore.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
