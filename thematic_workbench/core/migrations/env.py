"""Alembic environment: runs on the engine the store hands over, in batch mode for SQLite."""

from __future__ import annotations

from alembic import context

from thematic_workbench.core.models import Base
from thematic_workbench.core.search import include_in_schema_compare

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=include_in_schema_compare,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
