"""Erasable payloads in the audit trail: hash version 2 and recorded redactions; user_version 8.

A real name that reached the trail (an in-vivo code, a memo, a deleted passage) must be
erasable after pseudonymisation without breaking verification. Events written from now on
are hashed over a digest of their payloads (``payload_sha256``, ``hash_version`` 2), so a
payload can give way to a tombstone and the event still verifies; events already written
keep version 1 and their hashes exactly, so signed anchors, witness records and exported
trails still hold. The same two columns go on kept trails.

An erasure is recorded in the append-only ``redaction`` table (with, for a trail a merge
kept, the erasures its own project recorded before the merge). The triggers that refuse
every update of an event (in our trail and in kept ones) are replaced, under the same names,
by ones that allow exactly one: both payloads set to the tombstone, nothing else changed, for
an event that has a redaction row.

Downgrading restores the triggers and drops the columns: events written as version 2 then
no longer verify (downgrades are for development).

Revision ID: 0008_redaction
Revises: 0007_guids_and_merges
Create Date: 2026-12-12 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematic_workbench.core.storage.migrations.dialects import (
    drop_refusals,
    on_sqlite,
    refuse_changes,
    refuse_updates_unless,
    set_schema_number,
)

revision = "0008_redaction"
down_revision = "0007_guids_and_merges"
branch_labels = None
depends_on = None

# Written out here, not imported, so that this revision stays what it was.
TOMBSTONE = '{"redacted":true}'
_KEPT_FIELDS = ("seq", "at", "coder", "phase", "action", "entity_kind", "entity_id",
                "prev_hash", "hash", "hash_version", "payload_sha256")
# (table, the message its update trigger gives, its columns besides the payloads, which
# redaction rows are its own)
_TRAILS = (
    ("audit_event", "audit trail is append-only: events cannot be changed", _KEPT_FIELDS,
     "redaction.merge_id IS NULL"),
    ("kept_event", "kept audit trails are append-only: they cannot be changed",
     ("merge_id", *_KEPT_FIELDS), "redaction.merge_id = OLD.merge_id"),
)


def _recorded(trail_match: str) -> str:
    return (f"EXISTS (SELECT 1 FROM redaction WHERE redaction.seq = OLD.seq "
            f"AND {trail_match})")


def _sqlite_allowed(fields: tuple[str, ...], trail_match: str) -> str:
    unchanged = " AND ".join(f"NEW.{name} IS OLD.{name}" for name in fields)
    return (f"{unchanged} AND NEW.before_json IS '{TOMBSTONE}' "
            f"AND NEW.after_json IS '{TOMBSTONE}' AND {_recorded(trail_match)}")


def _server_allowed(trail_match: str) -> str:
    payloads = "- 'before_json' - 'after_json'"
    return (f"NEW.before_json IS NOT DISTINCT FROM '{TOMBSTONE}' "
            f"AND NEW.after_json IS NOT DISTINCT FROM '{TOMBSTONE}' "
            f"AND to_jsonb(NEW) {payloads} = to_jsonb(OLD) {payloads} "
            f"AND {_recorded(trail_match)}")


def upgrade() -> None:
    for table, *_rest in _TRAILS:
        op.add_column(table, sa.Column("hash_version", sa.Integer(), nullable=False,
                                       server_default=sa.text("1")))
        op.add_column(table, sa.Column("payload_sha256", sa.String(length=64), nullable=True))
    op.create_table(
        "redaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("merge_id", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("coder", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_seq", sa.Integer(), nullable=False),
        sa.Column("recorded_in", sa.Integer(), nullable=True),
        sa.Column("fields_sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_redaction"),
    )
    op.create_index("ix_redaction_event", "redaction", ["seq", "merge_id"], unique=False)
    refuse_changes("redaction", "redactions are append-only: they cannot be changed",
                   "redactions are append-only: they cannot be deleted")
    for table, changed, fields, trail_match in _TRAILS:
        refuse_updates_unless(table, changed, _sqlite_allowed(fields, trail_match),
                              _server_allowed(trail_match))
    set_schema_number(8)


def downgrade() -> None:
    for table, changed, _fields, _match in _TRAILS:  # first: they name the table and columns
        refuse_updates_unless(table, changed)
    drop_refusals("redaction")
    op.drop_index("ix_redaction_event", table_name="redaction")
    op.drop_table("redaction")
    for table, *_rest in _TRAILS:
        if on_sqlite():  # in place: a batch copy of the table would lose its triggers
            op.execute(f"ALTER TABLE {table} DROP COLUMN payload_sha256")
            op.execute(f"ALTER TABLE {table} DROP COLUMN hash_version")
        else:
            op.drop_column(table, "payload_sha256")
            op.drop_column(table, "hash_version")
    set_schema_number(7)
