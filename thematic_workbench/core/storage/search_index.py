"""The names of the full-text index and the per-connection view of its vocabulary.

Kept apart from :mod:`search` so that the store can give every reading connection the
vocabulary view before it is made query-only (``PRAGMA query_only`` refuses even a
temporary table), without the store depending on the search engine.
"""

from __future__ import annotations

import sqlite3
from typing import Any

SEARCH_TABLE = "document_fts"
VOCABULARY_TABLE = "document_fts_vocab"  # a temporary fts5vocab view, per connection
CREATE_VOCABULARY = (f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCABULARY_TABLE} "
                     f"USING fts5vocab(main, {SEARCH_TABLE}, row)")


def add_vocabulary_view(cursor: sqlite3.Cursor) -> None:
    """Give this connection the index's vocabulary (words and counts) as a temporary view.

    Creating it touches only the connection's temporary schema and works before the index
    exists (fts5vocab looks for it when read), so an older project opens as before.
    """
    cursor.execute(CREATE_VOCABULARY)


def rebuild_index(connection: sqlite3.Connection) -> None:
    """Build the index again from the transcripts as they are now, merged into one segment.

    Replacing a word in a transcript only marks it deleted in the index: the word stays in
    the older segments until they happen to be merged. After pseudonymisation no real name
    may stay, so the index is rebuilt whole; the old segments become free pages, which a
    VACUUM then drops. Nothing happens in a file without the index (an older schema).
    """
    exists = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                "AND name = ?", (SEARCH_TABLE,)).fetchone()[0]
    if exists:
        for command in ("rebuild", "optimize"):
            connection.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES (?)",
                               (command,))


def include_in_schema_compare(name: str | None, type_: str, _parents: Any = None) -> bool:
    """Alembic ``include_name`` hook: the FTS index and its shadow tables are not ORM models."""
    return not (type_ == "table" and name is not None
                and (name == SEARCH_TABLE or name.startswith(f"{SEARCH_TABLE}_")))
