"""Schema versions: Alembic migrations run when a project is opened, after a backup.

``PRAGMA user_version`` mirrors the schema version as a small integer so that a project
written by a newer version is recognised, and refused, before anything touches it.

The whole chain of migrations runs in one transaction that also writes the
``project.migrate`` audit event: a kill part-way leaves the project as it was, and an upgrade
that happened is always in the audit trail. The backup taken first is complete and checked
before it gets a backup's name.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, inspect, select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import DiskFullError, ProjectError, fault_for
from thematic_workbench.core.phases import CHECKLIST
from thematic_workbench.core.storage.audit import AuditWriter
from thematic_workbench.core.storage.models import ChecklistItem, Project
from thematic_workbench.core.storage.sqlitefile import connect_read_only

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
UNFINISHED_SUFFIX = ".unfinished"  # a backup being written; never a backup to restore
MIGRATION_CODER = "Thematic Workbench"  # the app, not a coder, upgrades the schema
SCHEMA_VERSION = 10  # raise with every new migration; each migration sets user_version


def _config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def _script() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg)


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema(path: Path) -> None:
    """Refuse a file that is not a project, or one made by a newer version, untouched."""
    try:
        conn = connect_read_only(path)
        try:
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB" or "not a database" in str(
                exc):
            raise ProjectError(f"{path}: is not a Thematic Workbench project") from exc
        raise (fault_for(exc, path) or  # a full disk: no room for the shared-memory file
               ProjectError(f"{path}: cannot be read ({exc})")) from exc
    if "alembic_version" not in tables or "project" not in tables:
        raise ProjectError(f"{path}: is an SQLite database but not a Thematic Workbench project")
    known = {rev.revision for rev in _script().walk_revisions()}
    if user_version > SCHEMA_VERSION or (revision is not None and revision not in known):
        raise ProjectError(
            f"{path}: was written by a newer version of Thematic Workbench (schema "
            f"{user_version}; this version reads up to {SCHEMA_VERSION}). Update the app to "
            "open it."
        )


def schema_number(connection: Connection) -> int:
    """The schema version as a small number: a project file keeps it in its header; on a
    server it is the place of the current revision in the chain (0: none yet)."""
    if connection.dialect.name == "sqlite":
        return int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)
    revision = MigrationContext.configure(connection).get_current_revision()
    chain = [rev.revision for rev in reversed(list(_script().walk_revisions()))]
    return chain.index(revision) + 1 if revision in chain else 0


def check_server_schema(engine: Engine, shown: str) -> None:
    """Refuse a server database that holds no project, or one made by a newer version."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables or "project" not in tables:
            raise ProjectError(f"{shown}: holds no Thematic Workbench project (make one there "
                               "with the 'new' verb, or 'copy' a project file to it)")
        revision = MigrationContext.configure(conn).get_current_revision()
    known = {rev.revision for rev in _script().walk_revisions()}
    if revision is not None and revision not in known:
        raise ProjectError(f"{shown}: was written by a newer version of Thematic Workbench "
                           f"(revision {revision}). Update the app to open it.")


def head_revision() -> str | None:
    """The newest revision this version of the app knows."""
    return _script().get_current_head()


def needs_upgrade(engine: Engine) -> bool:
    return _current_revision(engine) != head_revision()


def build_schema(connection: Connection) -> None:
    """The newest schema in an empty database, inside the caller's open transaction."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def upgrade_to_head(engine: Engine, backup_name: str | None = None,
                    audited: bool = True) -> None:
    """Migrate to the newest schema in one transaction, audited when a project was upgraded.

    ``backup_name`` is the file name of the copy taken first; it goes into the event. A
    private copy upgraded only to be read is not ``audited``: the project was not changed.
    """
    cfg = _config(engine)
    with engine.connect() as conn:
        from_revision = MigrationContext.configure(conn).get_current_revision()
        from_version = schema_number(conn)
    if audited and from_revision is not None:  # a new, empty file has nothing to audit
        cfg.attributes["after_upgrade"] = lambda connection: _audit_upgrade(
            connection, from_revision, int(from_version or 0), backup_name)
    command.upgrade(cfg, "head")


def _audit_upgrade(connection: Connection, from_revision: str, from_version: int,
                   backup_name: str | None) -> None:
    """The ``project.migrate`` event, inside the migrations' own transaction."""
    session = Session(bind=connection)
    try:
        phase = session.execute(select(Project.current_phase)).scalar_one()
        to_version = schema_number(connection)
        AuditWriter(session).append(
            coder=MIGRATION_CODER, phase=phase, action="project.migrate", entity_kind="project",
            entity_id=1, before={"schema": from_version, "revision": from_revision},
            after={"schema": to_version, "revision": head_revision(), "backup": backup_name})
        session.flush()
    finally:
        session.close()


def backup(path: Path) -> Path:
    """Copy the project with SQLite's online backup API before a migration changes it.

    The copy is written as ``NAME.backup-REV-STAMP.thematic.unfinished``, synced, checked
    (SQLite's quick check, its size against its page count, its schema version) and only
    then renamed to its real name: a kill or a full disk part-way never leaves a partial
    file under a backup's name.
    """
    source = connect_read_only(path)
    try:
        row = source.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else "empty"
        version = source.execute("PRAGMA user_version").fetchone()[0]
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = path.with_name(f"{path.stem}.backup-{revision}-{stamp}{path.suffix}")
        unfinished = target.with_name(target.name + UNFINISHED_SUFFIX)
        try:
            dest = sqlite3.connect(unfinished, isolation_level=None)
            try:
                source.backup(dest)
                _check_copy(dest, unfinished, version)
            finally:
                dest.close()
            _fsync(unfinished)
            os.replace(unfinished, target)
            _fsync(target.parent)
        except (OSError, sqlite3.Error) as exc:
            fault = fault_for(exc, path)  # judged before the copy's room is given back
            _remove_with_journal(unfinished)
            reason = ("the disk is full" if isinstance(fault, DiskFullError) or "full" in str(exc)
                      else str(exc))
            raise ProjectError(f"{path}: the backup before upgrading it could not be written "
                               f"({reason}); nothing was changed") from exc
        except BaseException:
            _remove_with_journal(unfinished)
            raise
    finally:
        source.close()
    return target


def _check_copy(dest: sqlite3.Connection, copy: Path, version: int) -> None:
    """Refuse a copy that SQLite finds damaged, that is short, or of another schema."""
    problems = [row[0] for row in dest.execute("PRAGMA quick_check")]
    pages = dest.execute("PRAGMA page_count").fetchone()[0]
    page_size = dest.execute("PRAGMA page_size").fetchone()[0]
    copied_version = dest.execute("PRAGMA user_version").fetchone()[0]
    if problems != ["ok"] or copy.stat().st_size < pages * page_size or copied_version != version:
        raise sqlite3.DatabaseError("the copy did not check out as complete")


def _fsync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError:
        if not path.is_dir():  # some systems cannot sync a folder; the file is synced
            raise
    finally:
        os.close(handle)


def _remove_with_journal(path: Path) -> None:
    """The file and every side file SQLite may have made beside it (a backup of a project
    in WAL mode is in WAL mode too, so checking it makes a log and its index)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def remove_unfinished_backups(path: Path) -> list[Path]:
    """Delete what an interrupted backup of this project left; the names removed.

    Call it only while holding the project's write lock: only that holder takes backups.
    """
    pattern = (f"{glob.escape(path.stem)}.backup-*{glob.escape(path.suffix)}"
               f"{UNFINISHED_SUFFIX}")
    removed = sorted(path.parent.glob(pattern))
    # with SQLite's side files (-journal, -wal, -shm), also those whose backup is gone
    for leftover in [*removed, *path.parent.glob(pattern + "-*")]:
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)
    return removed


def backups_of(path: Path) -> list[Path]:
    """The complete backups taken of this project before its upgrades (they hold the
    project as it was then: after pseudonymisation, the real names too)."""
    pattern = f"{glob.escape(path.stem)}.backup-*{glob.escape(path.suffix)}"
    return sorted(path.parent.glob(pattern))


def seed_reference_rows(session: Session) -> None:
    """Rows every project starts with: the checklist of each phase."""
    if session.execute(select(func.count()).select_from(ChecklistItem)).scalar_one():
        return
    for position, (key, phase, text) in enumerate(CHECKLIST, start=1):
        session.add(ChecklistItem(key=key, phase=phase, text=text, position=position))
