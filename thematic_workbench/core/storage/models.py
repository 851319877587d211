"""The domain model as SQLAlchemy 2.0 typed mappings (DESIGN.md section 3).

Rows hold plain values; rules that span rows (unique names case-insensitively, no theme
cycles, spans inside the text) are checked by the services, and the simple ones are also
constraints here so that no path can break them.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from thematic_workbench.core.guids import GUID_LENGTH, new_guid
from thematic_workbench.core.roles import ROLES as ROLES  # its home; kept importable here
from thematic_workbench.core.timestamps import utc_now

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CODE_ORIGINS = ("inductive", "deductive", "in_vivo")
CODE_STATUSES = ("active", "merged")
THEME_LEVELS = ("emerging", "final")
THEME_STATUSES = ("candidate", "final", "discarded")
DESIGN_APPROACHES = ("", "reflexive", "codebook", "coding_reliability")
DESIGN_ORIENTATIONS = ("", "inductive", "deductive", "both")
DESIGN_MEANINGS = ("", "semantic", "latent", "both")
THEME_WORDS = ("emerging_final", "initial_developed")
ATTRIBUTE_TYPES = ("text", "number", "date", "choice")
COMMENT_TARGETS = ("code", "theme", "coding", "document")
COMMENT_STATUSES = ("open", "resolved")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Every model here is mapped to a Table (SQLAlchemy types it as any FromClause), so
    # ``Model.__table__`` can be inserted into and deleted from.
    __table__: ClassVar[Table]


class Project(Base):
    """The single row describing the study; ``current_phase`` is 1..6."""

    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint("current_phase BETWEEN 1 AND 6", name="phase_range"),
        CheckConstraint("id = 1", name="single_row"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)
    created_with: Mapped[str] = mapped_column(String(40))
    current_phase: Mapped[int] = mapped_column(Integer, default=1)
    # The Snowball language for word forms and stop words (search, word frequencies).
    language: Mapped[str] = mapped_column(String(40), default="english",
                                          server_default="english")


class StudyDesign(Base):
    """The design choices a write-up states (Braun and Clarke): one row, absent until the
    first choice is made, which reads as "not stated yet"."""

    __tablename__ = "study_design"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(f"approach IN {DESIGN_APPROACHES}", name="approach"),
        CheckConstraint(f"orientation IN {DESIGN_ORIENTATIONS}", name="orientation"),
        CheckConstraint(f"meaning IN {DESIGN_MEANINGS}", name="meaning"),
        CheckConstraint(f"theme_words IN {THEME_WORDS}", name="theme_words"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    approach: Mapped[str] = mapped_column(String(30), default="", server_default="")
    orientation: Mapped[str] = mapped_column(String(30), default="", server_default="")
    meaning: Mapped[str] = mapped_column(String(30), default="", server_default="")
    theoretical_assumptions: Mapped[str] = mapped_column(Text, default="", server_default="")
    research_question: Mapped[str] = mapped_column(Text, default="", server_default="")
    positionality: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The words of the two theme levels on every screen and in every report.
    theme_words: Mapped[str] = mapped_column(String(30), default="emerging_final",
                                             server_default="emerging_final")
    updated_at: Mapped[str] = mapped_column(String(40), default=utc_now, server_default="")


class Coder(Base):
    __tablename__ = "coder"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="analyst")
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)


class Participant(Base):
    __tablename__ = "participant"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(100), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")


class AttributeDefinition(Base):
    """A typed participant attribute such as gender, profession or years in practice."""

    __tablename__ = "attribute_definition"
    __table_args__ = (CheckConstraint(f"type IN {ATTRIBUTE_TYPES}", name="type"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(10), default="text")
    choices_json: Mapped[str] = mapped_column(Text, default="[]")


class ParticipantAttribute(Base):
    __tablename__ = "participant_attribute"
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attribute_definition.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[str] = mapped_column(Text)


class Document(Base):
    """A transcript. Its text changes only through the audited text-edit service
    (core/services/text_edits.py), which moves everything anchored to it."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    source_name: Mapped[str] = mapped_column(String(500))
    source_format: Mapped[str] = mapped_column(String(10))
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    char_count: Mapped[int] = mapped_column(Integer)
    wrap_width: Mapped[int] = mapped_column(Integer)
    metadata_json: Mapped[str] = mapped_column(Text, default="{}")
    imported_at: Mapped[str] = mapped_column(String(40), default=utc_now)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))


class Line(Base):
    __tablename__ = "line"
    __table_args__ = (
        CheckConstraint("start >= 0 AND start < \"end\"", name="span"),
        Index("ix_line_document_start", "document_id", "start"),
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Turn(Base):
    __tablename__ = "turn"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    speaker: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speech_start: Mapped[int] = mapped_column(Integer)
    time_start_ms: Mapped[int | None] = mapped_column(Integer)
    time_end_ms: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (Index("ix_turn_document_start", "document_id", "start"),)


class SpeakerParticipant(Base):
    """In a focus group, who a speaker label of one transcript is: what that speaker said
    counts for this participant, not for the transcript's participant."""

    __tablename__ = "speaker_participant"
    __table_args__ = (Index("ix_speaker_participant_participant", "participant_id"),)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    speaker: Mapped[str] = mapped_column(String(200), primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE")
    )


class Code(Base):
    """A code; merged codes stay as history, pointing at the code they went into."""

    __tablename__ = "code"
    __table_args__ = (
        CheckConstraint(f"origin IN {CODE_ORIGINS}", name="origin"),
        CheckConstraint(f"status IN {CODE_STATUSES}", name="status"),
        Index(
            "uq_code_active_name", "name_key", unique=True,
            sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(9), default="#4E79A7")
    origin: Mapped[str] = mapped_column(String(10), default="inductive")
    status: Mapped[str] = mapped_column(String(10), default="active")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="SET NULL"))
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    # Stays with the code in every copy of the project: what a merge matches first.
    guid: Mapped[str] = mapped_column(String(GUID_LENGTH), default=new_guid, nullable=True,
                                      unique=True, index=True)


class Coding(Base):
    __tablename__ = "coding"
    __table_args__ = (
        CheckConstraint("start >= 0 AND start < \"end\"", name="span"),
        UniqueConstraint("document_id", "code_id", "coder_id", "start", "end", name="uq_coding"),
        Index("ix_coding_code", "code_id", "document_id"),
        Index("ix_coding_document_start", "document_id", "start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)


class Theme(Base):
    """An emerging (candidate) or final theme; a final theme groups emerging themes."""

    __tablename__ = "theme"
    __table_args__ = (
        CheckConstraint(f"level IN {THEME_LEVELS}", name="level"),
        CheckConstraint(f"status IN {THEME_STATUSES}", name="status"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str] = mapped_column(Text, default="")
    # The one idea the theme is built around (Braun and Clarke), beside its definition.
    central_concept: Mapped[str] = mapped_column(Text, default="", server_default="")
    scope_notes: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="candidate")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    representative_coding_id: Mapped[int | None] = mapped_column(
        ForeignKey("coding.id", ondelete="SET NULL")
    )
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)
    # Stays with the theme in every copy of the project: what a merge matches first.
    guid: Mapped[str] = mapped_column(String(GUID_LENGTH), default=new_guid, nullable=True,
                                      unique=True, index=True)


class ThemeMembership(Base):
    """Code in theme, ordered: the order is Table 1's order."""

    __tablename__ = "theme_membership"
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("code.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_theme_membership_code", "code_id"),)


class ThemeLink(Base):
    """A labelled edge the user draws on the map: theme to theme, or theme to code."""

    __tablename__ = "theme_link"
    __table_args__ = (
        CheckConstraint(
            "(target_theme_id IS NULL) <> (target_code_id IS NULL)", name="one_target"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    target_theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    target_code_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200), default="")


class MapPosition(Base):
    """Where a theme's or a code's node sits on the map of themes (scene coordinates)."""

    __tablename__ = "map_position"
    __table_args__ = (CheckConstraint("node_kind IN ('theme', 'code')", name="node_kind"),)
    node_kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    node_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)


class Annotation(Base):
    """A margin note on a span, written while familiarising."""

    __tablename__ = "annotation"
    __table_args__ = (CheckConstraint("start >= 0 AND start < \"end\"", name="span"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)


class ReadingMark(Base):
    """One reading of a transcript by a coder while familiarising: a coder's first mark on a
    document is its read, later ones are re-reads. Undoing a mark deletes its row."""

    __tablename__ = "reading_mark"
    __table_args__ = (Index("ix_reading_mark_document_coder", "document_id", "coder_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    read_at: Mapped[str] = mapped_column(String(40), default=utc_now)


class DiaryEntry(Base):
    __tablename__ = "diary_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)
    updated_at: Mapped[str] = mapped_column(String(40), default=utc_now)
    phase: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    # Chosen by the researcher for the methods appendix.
    in_appendix: Mapped[bool] = mapped_column(Boolean, default=False,
                                              server_default=text("false"))
    links: Mapped[list[DiaryLink]] = relationship(cascade="all, delete-orphan")


class DiaryLink(Base):
    __tablename__ = "diary_link"
    __table_args__ = (
        CheckConstraint("target_kind IN ('code', 'theme', 'document')", name="target_kind"),
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("diary_entry.id", ondelete="CASCADE"), primary_key=True
    )
    target_kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    target_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class ChecklistItem(Base):
    """One point of Braun and Clarke's 15-point checklist, placed in its phase."""

    __tablename__ = "checklist_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    phase: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    done_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    done_at: Mapped[str | None] = mapped_column(String(40))


class PhaseTransition(Base):
    __tablename__ = "phase_transition"
    id: Mapped[int] = mapped_column(primary_key=True)
    from_phase: Mapped[int] = mapped_column(Integer)
    to_phase: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    at: Mapped[str] = mapped_column(String(40), default=utc_now)


class Comment(Base):
    """A reviewer's comment on a code, theme, coding or document; replies form a thread."""

    __tablename__ = "comment"
    __table_args__ = (
        CheckConstraint(f"target_kind IN {COMMENT_TARGETS}", name="target_kind"),
        CheckConstraint(f"status IN {COMMENT_STATUSES}", name="status"),
        Index("ix_comment_target", "target_kind", "target_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    resolved_at: Mapped[str | None] = mapped_column(String(40))


class SignOff(Base):
    __tablename__ = "sign_off"
    id: Mapped[int] = mapped_column(primary_key=True)
    phase: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[str] = mapped_column(String(40), default=utc_now)


class Snapshot(Base):
    """A frozen copy of the coding frame (codes, themes, memberships) as JSON."""

    __tablename__ = "snapshot"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)
    frame_json: Mapped[str] = mapped_column(Text)


class ChainedFields:
    """The fields of an event on a hash chain (besides its sequence and action), the same
    in our trail and in another project's trail kept by a merge."""

    at: Mapped[str] = mapped_column(String(40))
    coder: Mapped[str] = mapped_column(String(200))
    phase: Mapped[int] = mapped_column(Integer)
    entity_kind: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # 1: the hash covers the payloads themselves; 2: it covers ``payload_sha256``, the
    # digest of the payloads, so a payload can be erased and the event still verified.
    hash_version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    payload_sha256: Mapped[str | None] = mapped_column(String(64))


class AuditEvent(ChainedFields, Base):
    """Append-only; refers to entities by kind and id so history outlives deletions."""

    __tablename__ = "audit_event"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    action: Mapped[str] = mapped_column(String(60), index=True)
    __table_args__ = (Index("ix_audit_event_entity", "entity_kind", "entity_id"),)


class Redaction(Base):
    """An audit event whose payloads were erased (a tombstone put in their place), and the
    ``audit.redact`` event that records it (``recorded_seq``). Append-only like the trail.

    ``merge_id`` is None for this project's own trail, or the merge whose kept trail holds
    the event. ``recorded_in`` says where the ``audit.redact`` event is: None for ours, or
    the merge whose kept trail holds it (an erasure the other project made before the
    merge, kept with its trail). ``fields_sha256`` is kept for a version-1 event, whose own
    hash cannot be recomputed without its payloads: the digest of its other fields when it
    was erased.
    """

    __tablename__ = "redaction"
    id: Mapped[int] = mapped_column(primary_key=True)
    merge_id: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(40))
    coder: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    recorded_seq: Mapped[int] = mapped_column(Integer)
    recorded_in: Mapped[int | None] = mapped_column(Integer)
    fields_sha256: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_redaction_event", "seq", "merge_id"),)


class CoderKey(Base):
    """A coder's Ed25519 public key (hex); the private half stays on the coder's machine."""

    __tablename__ = "coder_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)


class AuditAnchor(Base):
    """The chain head (``seq``, ``head_hash``) signed by a coder at a sign-off or snapshot.

    Append-only like the trail; the anchor outlives the sign-off or snapshot it was made for.
    """

    __tablename__ = "audit_anchor"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    head_hash: Mapped[str] = mapped_column(String(64))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[str] = mapped_column(String(40), default=utc_now)


class ProjectMerge(Base):
    """One merge of another project into this one: where it came from, the head of its
    audit trail at the time, and the merge report. Append-only like the trail."""

    __tablename__ = "project_merge"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(40), default=utc_now)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    other_title: Mapped[str] = mapped_column(String(300))
    other_location: Mapped[str] = mapped_column(Text)
    other_created_at: Mapped[str] = mapped_column(String(40))
    head_seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64), index=True)
    report_json: Mapped[str] = mapped_column(Text)


class KeptEvent(ChainedFields, Base):
    """An event of another project's audit trail, kept verbatim beside ours by a merge, so
    that its chain can still be recomputed and checked here."""

    __tablename__ = "kept_event"
    merge_id: Mapped[int] = mapped_column(ForeignKey("project_merge.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    action: Mapped[str] = mapped_column(String(60))
