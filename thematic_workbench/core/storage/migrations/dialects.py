"""What differs between the two engines a project lives on, for the migrations.

The same revisions build a project file (SQLite) and a team project on a PostgreSQL server.
Tables, columns and indexes are the same on both; three things are said differently: the
small schema number SQLite keeps in its header (``PRAGMA user_version``, which lets a newer
file be refused before anything reads it; a server keeps only Alembic's revision), the
triggers that keep a table append-only (or allow one narrow kind of update), and the
full-text index.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text


def on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def set_schema_number(number: int) -> None:
    """Mirror the schema version in a project file's header (nothing on a server)."""
    if on_sqlite():
        op.execute(f"PRAGMA user_version = {number}")


def refuse_changes(table: str, changed: str, deleted: str) -> None:
    """Triggers ``TABLE_no_update`` and ``TABLE_no_delete`` that refuse, with these
    messages, any change to or removal of a row (on a server, emptying the table too)."""
    if on_sqlite():
        op.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{changed}'); END")
        op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{deleted}'); END")
        return
    for suffix, message in (("no_update", changed), ("no_delete", deleted)):
        op.execute(f"CREATE FUNCTION {table}_{suffix}() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation'; "
                   "END $$")
    op.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION {table}_no_update()")
    op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION {table}_no_delete()")
    op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_no_delete()")


def refuse_updates_unless(table: str, changed: str, sqlite_allowed: str | None = None,
                          server_allowed: str | None = None) -> None:
    """Put a new ``TABLE_no_update`` in place of the one :func:`refuse_changes` made (same
    name, so the checks that look for it still find it): it refuses every update with the
    message ``changed`` unless the condition of this engine holds, an SQL expression over
    ``OLD`` and ``NEW``. Without a condition it refuses every update, as before."""
    if on_sqlite():
        when = f"WHEN NOT ({sqlite_allowed}) " if sqlite_allowed else ""
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        _literally(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {when}"
                   f"BEGIN SELECT RAISE(ABORT, '{changed}'); END")
        return
    allowed = f"IF {server_allowed} THEN RETURN NEW; END IF; " if server_allowed else ""
    # The trigger calls the function by name: replacing the function is enough.
    _literally(f"CREATE OR REPLACE FUNCTION {table}_no_update() RETURNS trigger "
               f"LANGUAGE plpgsql AS $$ BEGIN {allowed}"
               f"RAISE EXCEPTION '{changed}' USING ERRCODE = 'restrict_violation'; END $$")


def _literally(statement: str) -> None:
    """Run ``statement`` with every colon as written (JSON in it is not a bound value)."""
    op.execute(text(statement.replace(":", "\\:")))


def drop_refusals(table: str) -> None:
    """Undo :func:`refuse_changes`."""
    if on_sqlite():
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        return
    for trigger in ("no_update", "no_delete", "no_truncate"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_{trigger} ON {table}")
    for function in ("no_update", "no_delete"):
        op.execute(f"DROP FUNCTION IF EXISTS {table}_{function}()")
