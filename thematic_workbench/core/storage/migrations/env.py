"""Alembic environment: runs on the engine the store hands over, in batch mode for SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, func, select

from thematic_workbench.core.storage.models import Base
from thematic_workbench.core.storage.search_index import include_in_schema_compare
from thematic_workbench.core.storage.server import MIGRATION_LOCK

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Every step in one transaction, with the caller's ``after_upgrade`` (its audit event).

    A kill part-way through a chain of migrations then leaves the project as it was, never
    half-upgraded, and the audit event exists exactly when the upgrade does. A caller that
    hands over its own ``connection`` (a copy building a project) runs them inside its own
    transaction, so the schema and what it holds come to be together or not at all.
    """
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = config.attributes["engine"]
    with engine.connect() as connection, connection.begin():
        _run(connection)


def _run(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":  # two first openings: one upgrades
        connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_in_schema_compare,
    )
    with context.begin_transaction():
        context.run_migrations()
    after_upgrade = config.attributes.get("after_upgrade")
    if after_upgrade is not None:
        after_upgrade(connection)


run_migrations_online()
