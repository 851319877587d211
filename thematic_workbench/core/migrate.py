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
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import ProjectError
from thematic_workbench.core.models import ChecklistItem
from thematic_workbench.core.phases import CHECKLIST

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SCHEMA_VERSION = 1  # raise with every new migration; each migration sets user_version


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


def check_schema(engine: Engine, path: Path) -> None:
    """Refuse a file that is not a project, or one made by a newer version."""
    try:
        with engine.connect() as conn:
            user_version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
            tables = {row[0] for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table'")}
    except DatabaseError as exc:
        raise ProjectError(f"{path}: is not a Thematic Workbench project "
                           f"({exc.orig or exc})") from exc
    if "alembic_version" not in tables or "project" not in tables:
        raise ProjectError(f"{path}: is an SQLite database but not a Thematic Workbench project")
    revision = _current_revision(engine)
    known = {rev.revision for rev in _script().walk_revisions()}
    if user_version > SCHEMA_VERSION or (revision is not None and revision not in known):
        raise ProjectError(
            f"{path}: was written by a newer version of Thematic Workbench (schema "
            f"{user_version}; this version reads up to {SCHEMA_VERSION}). Update the app to "
            "open it."
        )


def needs_upgrade(engine: Engine) -> bool:
    return _current_revision(engine) != _script().get_current_head()


def upgrade_to_head(engine: Engine) -> None:
    command.upgrade(_config(engine), "head")


def backup(path: Path, engine: Engine) -> Path:
    """Copy the project with SQLite's online backup API before a migration changes it."""
    revision = _current_revision(engine) or "empty"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.backup-{revision}-{stamp}{path.suffix}")
    source = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
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
