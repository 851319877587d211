"""Read and re-read marks per coder on each transcript (familiarisation); user_version 4.

One row per reading: a coder's first mark on a document is its read, later ones re-reads.
Until now the documents list only remembered what was opened in the running window.

Revision ID: 0004_reading_marks
Revises: 0003_map_positions
Create Date: 2026-12-03 18:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematic_workbench.core.storage.migrations.dialects import set_schema_number

revision = "0004_reading_marks"
down_revision = "0003_map_positions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reading_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coder.id"], name="fk_reading_mark_coder_id_coder"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name="fk_reading_mark_document_id_document",
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_reading_mark"),
    )
    with op.batch_alter_table("reading_mark", schema=None) as batch_op:
        batch_op.create_index("ix_reading_mark_document_coder", ["document_id", "coder_id"],
                              unique=False)
    set_schema_number(4)


def downgrade() -> None:
    with op.batch_alter_table("reading_mark", schema=None) as batch_op:
        batch_op.drop_index("ix_reading_mark_document_coder")
    op.drop_table("reading_mark")
    set_schema_number(3)
