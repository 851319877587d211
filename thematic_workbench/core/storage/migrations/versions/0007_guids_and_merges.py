"""GUIDs on codes and themes, and other projects' trails kept by merges; user_version 7.

A merge of two copies coded apart matches codes and themes by a GUID made with them. Codes
and themes made before this revision get one derived from what every copy shares (see
core/guids.py), so copies split before the upgrade still agree. A merge records itself in
``project_merge`` and keeps the other project's audit trail verbatim in ``kept_event``;
both are append-only.

Revision ID: 0007_guids_and_merges
Revises: 0006_signed_anchors
Create Date: 2026-12-05 07:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematic_workbench.core.guids import earlier_guid
from thematic_workbench.core.storage.migrations.dialects import (
    drop_refusals,
    refuse_changes,
    set_schema_number,
)

revision = "0007_guids_and_merges"
down_revision = "0006_signed_anchors"
branch_labels = None
depends_on = None

_EVENT_COLUMNS = (
    ("at", sa.String(length=40), False),
    ("coder", sa.String(length=200), False),
    ("phase", sa.Integer(), False),
    ("action", sa.String(length=60), False),
    ("entity_kind", sa.String(length=30), False),
    ("entity_id", sa.Integer(), True),
    ("before_json", sa.Text(), True),
    ("after_json", sa.Text(), True),
    ("prev_hash", sa.String(length=64), False),
    ("hash", sa.String(length=64), False),
)


def _give_guids(table: str) -> None:
    bind = op.get_bind()
    created = bind.execute(sa.text("SELECT created_at FROM project")).scalar()
    rows = bind.execute(sa.text(f"SELECT id, created_at FROM {table}")).all()
    if created is not None and rows:
        bind.execute(sa.text(f"UPDATE {table} SET guid = :guid WHERE id = :id"),
                     [{"id": row[0], "guid": earlier_guid(created, table, row[0], row[1])}
                      for row in rows])


def upgrade() -> None:
    for table in ("code", "theme"):
        op.add_column(table, sa.Column("guid", sa.String(length=36), nullable=True))
        _give_guids(table)
        op.create_index(f"ix_{table}_guid", table, ["guid"], unique=True)
    op.create_table(
        "project_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("other_title", sa.String(length=300), nullable=False),
        sa.Column("other_location", sa.Text(), nullable=False),
        sa.Column("other_created_at", sa.String(length=40), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"],
                                name="fk_project_merge_coder_id_coder"),
        sa.PrimaryKeyConstraint("id", name="pk_project_merge"),
    )
    op.create_index("ix_project_merge_head_hash", "project_merge", ["head_hash"], unique=False)
    op.create_table(
        "kept_event",
        sa.Column("merge_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        *(sa.Column(name, kind, nullable=nullable) for name, kind, nullable in _EVENT_COLUMNS),
        sa.ForeignKeyConstraint(["merge_id"], ["project_merge.id"],
                                name="fk_kept_event_merge_id_project_merge"),
        sa.PrimaryKeyConstraint("merge_id", "seq", name="pk_kept_event"),
    )
    refuse_changes("project_merge", "merge records are append-only: they cannot be changed",
                   "merge records are append-only: they cannot be deleted")
    refuse_changes("kept_event", "kept audit trails are append-only: they cannot be changed",
                   "kept audit trails are append-only: they cannot be deleted")
    set_schema_number(7)


def downgrade() -> None:
    for table in ("kept_event", "project_merge"):
        drop_refusals(table)
    op.drop_table("kept_event")
    op.drop_index("ix_project_merge_head_hash", table_name="project_merge")
    op.drop_table("project_merge")
    for table in ("theme", "code"):
        op.drop_index(f"ix_{table}_guid", table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("guid")
    set_schema_number(6)
