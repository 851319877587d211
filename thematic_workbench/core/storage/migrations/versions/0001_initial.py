"""Create the whole schema: every table of the domain, the audit triggers, user_version 1.

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-11-22 19:36:28.187573
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from thematic_workbench.core.storage.migrations.dialects import (
    drop_refusals,
    refuse_changes,
    set_schema_number,
)

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.create_table(
        "attribute_definition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("choices_json", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "type IN ('text', 'number', 'date', 'choice')",
            name=op.f("ck_attribute_definition_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute_definition")),
        sa.UniqueConstraint("name", name=op.f("uq_attribute_definition_name")),
    )
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("coder", sa.String(length=200), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity_kind", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity_kind", "entity_id"], unique=False)

    op.create_table(
        "coder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "role IN ('analyst', 'second_coder', 'supervisor')", name=op.f("ck_coder_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coder")),
        sa.UniqueConstraint("name", name=op.f("uq_coder_name")),
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sa.UniqueConstraint("label", name=op.f("uq_participant_label")),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("created_with", sa.String(length=40), nullable=False),
        sa.Column("current_phase", sa.Integer(), nullable=False),
        sa.CheckConstraint("current_phase BETWEEN 1 AND 6", name=op.f("ck_project_phase_range")),
        sa.CheckConstraint("id = 1", name=op.f("ck_project_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
    )
    op.create_table(
        "checklist_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["done_by"], ["coder.id"], name=op.f("fk_checklist_item_done_by_coder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_item")),
        sa.UniqueConstraint("key", name=op.f("uq_checklist_item_key")),
    )
    op.create_table(
        "code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("colour", sa.String(length=9), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "origin IN ('inductive', 'deductive', 'in_vivo')", name=op.f("ck_code_origin")
        ),
        sa.CheckConstraint("status IN ('active', 'merged')", name=op.f("ck_code_status")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["coder.id"], name=op.f("fk_code_created_by_coder")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["code.id"],
            name=op.f("fk_code_merged_into_id_code"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code")),
    )
    with op.batch_alter_table("code", schema=None) as batch_op:
        batch_op.create_index(
            "uq_code_active_name",
            ["name_key"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.String(length=40), nullable=True),
        sa.CheckConstraint("status IN ('open', 'resolved')", name=op.f("ck_comment_status")),
        sa.CheckConstraint(
            "target_kind IN ('code', 'theme', 'coding', 'document')",
            name=op.f("ck_comment_target_kind"),
        ),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], name=op.f("fk_comment_coder_id_coder")),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["comment.id"],
            name=op.f("fk_comment_parent_id_comment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["coder.id"], name=op.f("fk_comment_resolved_by_coder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment")),
    )
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.create_index("ix_comment_target", ["target_kind", "target_id"], unique=False)

    op.create_table(
        "diary_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coder.id"], name=op.f("fk_diary_entry_coder_id_coder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diary_entry")),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("source_format", sa.String(length=10), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("char_count", sa.Integer(), nullable=False),
        sa.Column("wrap_width", sa.Integer(), nullable=False),
        sa.Column("metadata_json", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["coder.id"], name=op.f("fk_document_imported_by_coder")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_document_participant_id_participant"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("name", name=op.f("uq_document_name")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_source_sha256"), ["source_sha256"], unique=False
        )

    op.create_table(
        "participant_attribute",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attribute_id"],
            ["attribute_definition.id"],
            name=op.f("fk_participant_attribute_attribute_id_attribute_definition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_participant_attribute_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "attribute_id", name=op.f("pk_participant_attribute")
        ),
    )
    op.create_table(
        "phase_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_phase", sa.Integer(), nullable=False),
        sa.Column("to_phase", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coder.id"], name=op.f("fk_phase_transition_coder_id_coder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phase_transition")),
    )
    op.create_table(
        "sign_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coder.id"], name=op.f("fk_sign_off_coder_id_coder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_off")),
    )
    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("frame_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coder.id"], name=op.f("fk_snapshot_coder_id_coder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot")),
    )
    op.create_table(
        "annotation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_annotation_span")),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coder.id"], name=op.f("fk_annotation_coder_id_coder")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_annotation_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation")),
    )
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annotation_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "coding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_coding_span")),
        sa.ForeignKeyConstraint(
            ["code_id"], ["code.id"], name=op.f("fk_coding_code_id_code"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], name=op.f("fk_coding_coder_id_coder")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_coding_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding")),
        sa.UniqueConstraint("document_id", "code_id", "coder_id", "start", "end", name="uq_coding"),
    )
    with op.batch_alter_table("coding", schema=None) as batch_op:
        batch_op.create_index("ix_coding_code", ["code_id", "document_id"], unique=False)
        batch_op.create_index("ix_coding_document_start", ["document_id", "start"], unique=False)

    op.create_table(
        "diary_link",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "target_kind IN ('code', 'theme', 'document')", name=op.f("ck_diary_link_target_kind")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["diary_entry.id"],
            name=op.f("fk_diary_link_entry_id_diary_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "target_kind", "target_id", name=op.f("pk_diary_link")),
    )
    op.create_table(
        "line",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_line_span")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_line_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "number", name=op.f("pk_line")),
    )
    with op.batch_alter_table("line", schema=None) as batch_op:
        batch_op.create_index("ix_line_document_start", ["document_id", "start"], unique=False)

    op.create_table(
        "turn",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("speech_start", sa.Integer(), nullable=False),
        sa.Column("time_start_ms", sa.Integer(), nullable=True),
        sa.Column("time_end_ms", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_turn_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turn")),
    )
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.create_index("ix_turn_document_start", ["document_id", "start"], unique=False)

    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("scope_notes", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("representative_coding_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.CheckConstraint("level IN ('emerging', 'final')", name=op.f("ck_theme_level")),
        sa.CheckConstraint(
            "status IN ('candidate', 'final', 'discarded')", name=op.f("ck_theme_status")
        ),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_theme_not_own_parent")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["theme.id"], name=op.f("fk_theme_parent_id_theme"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["representative_coding_id"],
            ["coding.id"],
            name=op.f("fk_theme_representative_coding_id_coding"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
    )
    op.create_table(
        "theme_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_theme_id", sa.Integer(), nullable=False),
        sa.Column("target_theme_id", sa.Integer(), nullable=True),
        sa.Column("target_code_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "(target_theme_id IS NULL) <> (target_code_id IS NULL)",
            name=op.f("ck_theme_link_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["source_theme_id"],
            ["theme.id"],
            name=op.f("fk_theme_link_source_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_code_id"],
            ["code.id"],
            name=op.f("fk_theme_link_target_code_id_code"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_theme_id"],
            ["theme.id"],
            name=op.f("fk_theme_link_target_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_link")),
    )
    op.create_table(
        "theme_membership",
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["code.id"],
            name=op.f("fk_theme_membership_code_id_code"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_theme_membership_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("theme_id", "code_id", name=op.f("pk_theme_membership")),
    )
    with op.batch_alter_table("theme_membership", schema=None) as batch_op:
        batch_op.create_index("ix_theme_membership_code", ["code_id"], unique=False)
    refuse_changes("audit_event", "audit trail is append-only: events cannot be changed",
                   "audit trail is append-only: events cannot be deleted")
    set_schema_number(1)


def downgrade() -> None:
    drop_refusals("audit_event")
    with op.batch_alter_table("theme_membership", schema=None) as batch_op:
        batch_op.drop_index("ix_theme_membership_code")

    op.drop_table("theme_membership")
    op.drop_table("theme_link")
    op.drop_table("theme")
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_index("ix_turn_document_start")

    op.drop_table("turn")
    op.drop_table("line")
    op.drop_table("diary_link")
    with op.batch_alter_table("coding", schema=None) as batch_op:
        batch_op.drop_index("ix_coding_document_start")
        batch_op.drop_index("ix_coding_code")

    op.drop_table("coding")
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_document_id"))

    op.drop_table("annotation")
    op.drop_table("snapshot")
    op.drop_table("sign_off")
    op.drop_table("phase_transition")
    op.drop_table("participant_attribute")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_source_sha256"))
        batch_op.drop_index(batch_op.f("ix_document_participant_id"))

    op.drop_table("document")
    op.drop_table("diary_entry")
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_target")

    op.drop_table("comment")
    with op.batch_alter_table("code", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_code_active_name",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.drop_table("code")
    op.drop_table("checklist_item")
    op.drop_table("project")
    op.drop_table("participant")
    op.drop_table("coder")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    op.drop_table("attribute_definition")
    set_schema_number(0)
