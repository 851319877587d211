"""Where the researcher put each node of the map of themes; user_version 3.

Positions refer to a theme or a code by kind and id, like the audit trail, so a node of a
deleted theme simply has no row to show; no foreign key is needed.

Revision ID: 0003_map_positions
Revises: 0002_document_search
Create Date: 2026-11-22 23:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematic_workbench.core.storage.migrations.dialects import set_schema_number

revision = "0003_map_positions"
down_revision = "0002_document_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "map_position",
        sa.Column("node_kind", sa.String(10), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.CheckConstraint("node_kind IN ('theme', 'code')", name="ck_map_position_node_kind"),
        sa.PrimaryKeyConstraint("node_kind", "node_id", name="pk_map_position"),
    )
    set_schema_number(3)


def downgrade() -> None:
    op.drop_table("map_position")
    set_schema_number(2)
