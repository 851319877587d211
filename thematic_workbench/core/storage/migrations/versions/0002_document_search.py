"""Full-text search over document text: an FTS5 index kept in step by triggers; user_version 2.

(On a PostgreSQL server: a GIN index over the words of the text, which needs no triggers.)

The index is an *external-content* FTS5 table: it stores only the index and reads the text
from ``document`` itself, so a project does not carry every transcript twice. Its rowid is
``document.id``. Triggers keep it in step with every insert and delete of a document (and an
update of its text, although text is immutable today), so no service has to remember it.

A later migration that rebuilds ``document`` in batch mode (copy and move) drops these
triggers with the old table: it must create them again and ``rebuild`` the index.

Revision ID: 0002_document_search
Revises: 0001_initial
Create Date: 2026-11-24 10:12:00.000000
"""

from __future__ import annotations

from alembic import op

from thematic_workbench.core.storage.migrations.dialects import on_sqlite, set_schema_number

revision = "0002_document_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# Written out here, not imported, so that this revision stays what it was.
CREATE_INDEX = (
    "CREATE VIRTUAL TABLE document_fts USING fts5("
    "text, content='document', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
TRIGGERS = {
    "document_fts_insert": """
        CREATE TRIGGER document_fts_insert AFTER INSERT ON document BEGIN
            INSERT INTO document_fts (rowid, text) VALUES (new.id, new.text);
        END""",
    "document_fts_delete": """
        CREATE TRIGGER document_fts_delete AFTER DELETE ON document BEGIN
            INSERT INTO document_fts (document_fts, rowid, text)
                VALUES ('delete', old.id, old.text);
        END""",
    "document_fts_update": """
        CREATE TRIGGER document_fts_update AFTER UPDATE OF id, text ON document BEGIN
            INSERT INTO document_fts (document_fts, rowid, text)
                VALUES ('delete', old.id, old.text);
            INSERT INTO document_fts (rowid, text) VALUES (new.id, new.text);
        END""",
}


# On a server, PostgreSQL's own text search: an index over the words of each transcript.
SERVER_INDEX = ("CREATE INDEX ix_document_words ON document "
                "USING gin (to_tsvector('simple'::regconfig, text))")


def upgrade() -> None:
    if not on_sqlite():
        op.execute(SERVER_INDEX)
        return
    op.execute(CREATE_INDEX)
    # Index the transcripts a project already holds.
    op.execute("INSERT INTO document_fts (document_fts) VALUES ('rebuild')")
    for statement in TRIGGERS.values():
        op.execute(statement)
    set_schema_number(2)


def downgrade() -> None:
    if not on_sqlite():
        op.execute("DROP INDEX IF EXISTS ix_document_words")
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS document_fts")
    set_schema_number(1)
