"""Focus-group speakers mapped to participants, and the project's language; user_version 5.

A speaker label of one transcript can name a participant, so that what each person in a
focus group said counts for them. The language (a Snowball name, English by default) sets
the word forms and stop words of search and word frequencies.

Revision ID: 0005_speakers_and_language
Revises: 0004_reading_marks
Create Date: 2026-12-03 20:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematic_workbench.core.storage.migrations.dialects import set_schema_number

revision = "0005_speakers_and_language"
down_revision = "0004_reading_marks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "speaker_participant",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"],
            name="fk_speaker_participant_document_id_document", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"],
            name="fk_speaker_participant_participant_id_participant", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "speaker", name="pk_speaker_participant"),
    )
    with op.batch_alter_table("speaker_participant", schema=None) as batch_op:
        batch_op.create_index("ix_speaker_participant_participant", ["participant_id"],
                              unique=False)
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=40), nullable=False,
                                      server_default="english"))
    set_schema_number(5)


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("speaker_participant", schema=None) as batch_op:
        batch_op.drop_index("ix_speaker_participant_participant")
    op.drop_table("speaker_participant")
    set_schema_number(4)
