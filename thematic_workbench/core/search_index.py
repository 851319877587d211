"""The names of the full-text index and the per-connection view of its vocabulary.

Kept apart from :mod:`search` so that the store can give every reading connection the
vocabulary view before it is made query-only (``PRAGMA query_only`` refuses even a
temporary table), without the store depending on the search engine.
"""

from __future__ import annotations

import sqlite3

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
