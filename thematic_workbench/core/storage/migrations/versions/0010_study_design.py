"""The study's design sheet, each theme's central organising concept, diary entries chosen
for the methods appendix; user_version 10.

Braun and Clarke ask authors of a reflexive thematic analysis to state their design choices
(which kind of TA, inductive or deductive, semantic or latent, the theoretical assumptions),
the research question and their positionality, and to build each theme around a central
organising concept. ``study_design`` holds the choices in one row (absent until the first
one is made, which reads as "not stated yet"), with the words the project uses for its two
theme levels; ``theme.central_concept`` sits beside the definition; ``diary_entry
.in_appendix`` marks the entries the researcher includes in the methods appendix.

Revision ID: 0010_study_design
Revises: 0009_merge_record_words
Create Date: 2026-12-05 17:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematic_workbench.core.storage.migrations.dialects import set_schema_number

revision = "0010_study_design"
down_revision = "0009_merge_record_words"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "study_design",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("approach", sa.String(length=30), nullable=False, server_default=""),
        sa.Column("orientation", sa.String(length=30), nullable=False, server_default=""),
        sa.Column("meaning", sa.String(length=30), nullable=False, server_default=""),
        sa.Column("theoretical_assumptions", sa.Text(), nullable=False, server_default=""),
        sa.Column("research_question", sa.Text(), nullable=False, server_default=""),
        sa.Column("positionality", sa.Text(), nullable=False, server_default=""),
        sa.Column("theme_words", sa.String(length=30), nullable=False,
                  server_default="emerging_final"),
        sa.Column("updated_at", sa.String(length=40), nullable=False, server_default=""),
        sa.CheckConstraint("id = 1", name="ck_study_design_single_row"),
        sa.CheckConstraint("approach IN ('', 'reflexive', 'codebook', 'coding_reliability')",
                           name="ck_study_design_approach"),
        sa.CheckConstraint("orientation IN ('', 'inductive', 'deductive', 'both')",
                           name="ck_study_design_orientation"),
        sa.CheckConstraint("meaning IN ('', 'semantic', 'latent', 'both')",
                           name="ck_study_design_meaning"),
        sa.CheckConstraint("theme_words IN ('emerging_final', 'initial_developed')",
                           name="ck_study_design_theme_words"),
        sa.PrimaryKeyConstraint("id", name="pk_study_design"),
    )
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("central_concept", sa.Text(), nullable=False,
                                      server_default=""))
    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_appendix", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    set_schema_number(10)


def downgrade() -> None:
    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.drop_column("in_appendix")
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.drop_column("central_concept")
    op.drop_table("study_design")
    set_schema_number(9)
