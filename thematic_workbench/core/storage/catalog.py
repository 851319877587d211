"""What the database says about its own tables and triggers, on either engine.

The trail's checks ask whether the triggers that keep it append-only are still there; a
project file answers from ``sqlite_master``, a server from its catalogue.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def triggers_on(session: Session, table: str) -> set[str]:
    """The names of the triggers on ``table`` (enabled ones only, on a server)."""
    if session.get_bind().dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"
    else:
        query = ("SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                 "WHERE c.relname = :table AND c.relnamespace = 'public'::regnamespace "
                 "AND NOT t.tgisinternal AND t.tgenabled <> 'D'")
    return set(session.execute(text(query), {"table": table}).scalars())


def has_table(session: Session, table: str) -> bool:
    if session.get_bind().dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :table"
    else:
        query = ("SELECT count(*) FROM pg_class WHERE relname = :table "
                 "AND relnamespace = 'public'::regnamespace AND relkind = 'r'")
    return bool(session.execute(text(query), {"table": table}).scalar_one())
