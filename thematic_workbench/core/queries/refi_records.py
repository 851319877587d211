"""What a REFI-QDA export (.qdpx, .qdc) is written from, as plain data: read by
``core.queries.refi_export`` in one read session, rendered by ``io.refi``. No Session here.

Ids are the rows' own: the writers derive each element's GUID from the project's creation
time (``ExportFrame.created_at``) and the id, so exporting twice gives the same GUIDs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thematic_workbench.core.queries.theme_board import Board
from thematic_workbench.core.text.quotes import SpeakerLabels


@dataclass(frozen=True)
class ExportFrame:
    """The coding frame as the board orders it; ``created_at`` is the project's creation
    time, the namespace of every GUID the project's exports hold."""

    created_at: str
    board: Board


@dataclass(frozen=True)
class ExportUser:
    """A coder, who becomes a REFI-QDA user by name."""

    id: int
    name: str


@dataclass(frozen=True)
class ExportDocument:
    id: int
    name: str
    text: str
    imported_at: str
    imported_by: int | None = None  # the coder's id
    participant_id: int | None = None


@dataclass(frozen=True)
class ExportCoding:
    """A coding of an active code: ``text[start:end]`` of its document."""

    id: int
    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    created_at: str
    memo: str = ""


@dataclass(frozen=True)
class ExportAnnotation:
    """A margin note on ``text[start:end]`` of its document."""

    id: int
    document_id: int
    coder_id: int
    start: int
    end: int
    body: str
    created_at: str


@dataclass(frozen=True)
class ExportDiaryEntry:
    """A diary entry with the documents it links to (by id, smallest first)."""

    id: int
    title: str
    body: str
    coder_id: int
    created_at: str
    updated_at: str
    document_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ExportAttribute:
    """A participant attribute: ``type`` is text, number, date or choice."""

    id: int
    name: str
    type: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportParticipant:
    """A participant with its attribute values, (attribute id, value) by attribute id."""

    id: int
    label: str
    note: str = ""
    values: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class ExportFacts:
    """The counts and names the export report is told from (what a .qdpx cannot carry,
    and what it carries as something else)."""

    audit_events: int = 0
    turns: int = 0
    active_codes: int = 0
    non_inductive_codes: int = 0  # active codes whose origin is in vivo or deductive
    merged_codes: int = 0
    live_themes: int = 0  # themes not discarded
    discarded_themes: int = 0
    scoped_themes: int = 0  # live themes with scope notes
    themes_with_extract: int = 0  # live themes with a representative extract
    lone_finals: tuple[str, ...] = ()  # live final themes with no live emerging theme
    theme_links: int = 0
    phase_moves: int = 0
    checklist_ticked: int = 0
    checklist_points: int = 0
    comments: int = 0
    sign_offs: int = 0
    snapshots: int = 0
    diary_entries: int = 0
    choice_lists: tuple[tuple[str, ...], ...] = ()  # each choice attribute's values


@dataclass(frozen=True)
class ProjectExport:
    """Everything a .qdpx of the project holds, each kind in id order."""

    frame: ExportFrame
    title: str
    description: str = ""
    users: tuple[ExportUser, ...] = ()
    documents: tuple[ExportDocument, ...] = ()
    codings: tuple[ExportCoding, ...] = ()
    annotations: tuple[ExportAnnotation, ...] = ()
    diary: tuple[ExportDiaryEntry, ...] = ()
    attributes: tuple[ExportAttribute, ...] = ()
    participants: tuple[ExportParticipant, ...] = ()
    speaker_labels: dict[int, SpeakerLabels] = field(default_factory=dict)  # by document
    facts: ExportFacts = field(default_factory=ExportFacts)
