"""Schema versions: Alembic migrations run when a project is opened, after a backup.

``PRAGMA user_version`` mirrors the schema version as a small integer so that a project
written by a newer version is recognised, and refused, before anything touches it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import ProjectError
from thematic_workbench.core.models import ChecklistItem
from thematic_workbench.core.phases import CHECKLIST
from thematic_workbench.core.sqlitefile import connect_read_only

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SCHEMA_VERSION = 6  # raise with every new migration; each migration sets user_version


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
        raise ProjectError(f"{path}: cannot be read ({exc})") from exc
    if "alembic_version" not in tables or "project" not in tables:
        raise ProjectError(f"{path}: is an SQLite database but not a Thematic Workbench project")
    known = {rev.revision for rev in _script().walk_revisions()}
    if user_version > SCHEMA_VERSION or (revision is not None and revision not in known):
        raise ProjectError(
            f"{path}: was written by a newer version of Thematic Workbench (schema "
            f"{user_version}; this version reads up to {SCHEMA_VERSION}). Update the app to "
            "open it."
        )


def head_revision() -> str | None:
    """The newest revision this version of the app knows."""
    return _script().get_current_head()


def needs_upgrade(engine: Engine) -> bool:
    return _current_revision(engine) != head_revision()


def upgrade_to_head(engine: Engine) -> None:
    command.upgrade(_config(engine), "head")


def backup(path: Path) -> Path:
    """Copy the project with SQLite's online backup API before a migration changes it."""
    source = connect_read_only(path)
    row = source.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = row[0] if row else "empty"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.backup-{revision}-{stamp}{path.suffix}")
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def seed_reference_rows(session: Session) -> None:
    """Rows every project starts with: the checklist of each phase."""
    if session.execute(select(func.count()).select_from(ChecklistItem)).scalar_one():
        return
    for position, (key, phase, text) in enumerate(CHECKLIST, start=1):
        session.add(ChecklistItem(key=key, phase=phase, text=text, position=position))
