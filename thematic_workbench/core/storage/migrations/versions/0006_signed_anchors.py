"""Coders' public keys and signed anchors of the audit trail; user_version 6.

A supervisor's sign-off and every snapshot sign the chain head (sequence and hash) with the
coder's Ed25519 key, so a trail rewritten up to that point no longer matches the signature.
Anchors are append-only, guarded by triggers like the trail itself.

Revision ID: 0006_signed_anchors
Revises: 0005_speakers_and_language
Create Date: 2026-12-03 21:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematic_workbench.core.storage.migrations.dialects import (
    drop_refusals,
    refuse_changes,
    set_schema_number,
)

revision = "0006_signed_anchors"
down_revision = "0005_speakers_and_language"
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.create_table(
        "coder_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"],
                                name="fk_coder_key_coder_id_coder"),
        sa.PrimaryKeyConstraint("id", name="pk_coder_key"),
        sa.UniqueConstraint("public_key", name="uq_coder_key_public_key"),
    )
    with op.batch_alter_table("coder_key", schema=None) as batch_op:
        batch_op.create_index("ix_coder_key_coder_id", ["coder_id"], unique=False)
    op.create_table(
        "audit_anchor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"],
                                name="fk_audit_anchor_coder_id_coder"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_anchor"),
    )
    with op.batch_alter_table("audit_anchor", schema=None) as batch_op:
        batch_op.create_index("ix_audit_anchor_seq", ["seq"], unique=False)
    refuse_changes("audit_anchor", "audit anchors are append-only: they cannot be changed",
                   "audit anchors are append-only: they cannot be deleted")
    set_schema_number(6)


def downgrade() -> None:
    drop_refusals("audit_anchor")
    with op.batch_alter_table("audit_anchor", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_anchor_seq")
    op.drop_table("audit_anchor")
    with op.batch_alter_table("coder_key", schema=None) as batch_op:
        batch_op.drop_index("ix_coder_key_coder_id")
    op.drop_table("coder_key")
    set_schema_number(5)
