"""Alembic environment: runs on the engine the store hands over, in batch mode for SQLite."""

from __future__ import annotations

from alembic import context

from thematic_workbench.core.storage.models import Base
from thematic_workbench.core.storage.search_index import include_in_schema_compare

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Every step in one transaction, with the caller's ``after_upgrade`` (its audit event).

    A kill part-way through a chain of migrations then leaves the project as it was, never
    half-upgraded, and the audit event exists exactly when the upgrade does.
    """
    engine = config.attributes["engine"]
    after_upgrade = config.attributes.get("after_upgrade")
    with engine.connect() as connection, connection.begin():
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=include_in_schema_compare,
        )
        with context.begin_transaction():
            context.run_migrations()
        if after_upgrade is not None:
            after_upgrade(connection)


run_migrations_online()
