"""A merge record's words can be pseudonymised; its link to the other trail cannot change;
user_version 9.

A merge record names the other project (its title, where it was) and keeps the merge's
report, which names codes, transcripts and conflicts: a participant's real name can be in any
of them. Pseudonymising the study has to reach them, so the trigger that refused every update
of ``project_merge`` is replaced, under the same name, by one that lets those three columns
change and nothing else: the record's id, time, coder, the other project's creation time and
the head of its trail (which the kept trail is verified against) stay as they were. Deleting
a record is still refused. The change itself goes through a service that writes its audit
event, as every change does.

Downgrading restores the trigger that refuses every update.

Revision ID: 0009_merge_record_words
Revises: 0008_redaction
Create Date: 2026-12-05 14:30:00.000000
"""

from __future__ import annotations

from thematic_workbench.core.storage.migrations.dialects import (
    refuse_updates_unless,
    set_schema_number,
)

revision = "0009_merge_record_words"
down_revision = "0008_redaction"
branch_labels = None
depends_on = None

_TABLE = "project_merge"
_CHANGED = "merge records are append-only: they cannot be changed"
_FIXED = ("id", "at", "coder_id", "other_created_at", "head_seq", "head_hash")
_WORDS = ("other_title", "other_location", "report_json")


def upgrade() -> None:
    sqlite_allowed = " AND ".join(f"NEW.{name} IS OLD.{name}" for name in _FIXED)
    words = " ".join(f"- '{name}'" for name in _WORDS)
    server_allowed = f"to_jsonb(NEW) {words} = to_jsonb(OLD) {words}"
    refuse_updates_unless(_TABLE, _CHANGED, sqlite_allowed, server_allowed)
    set_schema_number(9)


def downgrade() -> None:
    refuse_updates_unless(_TABLE, _CHANGED)
    set_schema_number(8)
