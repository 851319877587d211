"""What a .qdpx holds, as plain data: read by ``io.refi.qdpx_read``, stored by
``core.services.project_import``.

Positions are already canonical (code points into ``RefiSource.text``), GUIDs are in one
spelling (upper case, no braces), and ``losses`` lists in plain words what the file holds
that this program cannot carry across, ``recast`` what it stores as another kind of thing
(a note as a margin note) and ``off_standard`` what breaks the schema but was read anyway:
the standard asks that the user be told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from thematic_workbench.core.records.codebook_plan import CodebookPlan

# XML 1.0 cannot hold most control characters, nor lone surrogates, nor U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EXCERPT_LENGTH = 60


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document cannot carry."""
    return _NOT_XML.sub("", text)


def excerpt(text: str) -> str:
    """A selection's name: its first words on one line, as other tools show quotations."""
    flat = " ".join(xml_text(text).split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[:EXCERPT_LENGTH - 1].rstrip() + "…"


def utc_time(value: str | None) -> str | None:
    """A REFI-QDA dateTime as our UTC timestamp; None when absent or unreadable.

    A time without a zone (some tools write local time so) is read as UTC.
    """
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class OutsideFile:
    """A local file a source or note points at, outside the archive's folder."""

    what: str  # "source 'Interview A'"
    url: str
    path: Path

    def describe(self) -> str:
        return f"{self.path} ({self.what})"


@dataclass(frozen=True)
class RefiUser:
    guid: str
    name: str


@dataclass(frozen=True)
class RefiCoding:
    code_guid: str
    user_guid: str | None = None
    created_at: str | None = None
    note_guids: tuple[str, ...] = ()  # the coding's memo


@dataclass(frozen=True)
class RefiSelection:
    """A span of a source with its codings; a description or notes become margin notes."""

    guid: str
    start: int
    end: int
    user_guid: str | None = None
    created_at: str | None = None
    description: str = ""
    codings: tuple[RefiCoding, ...] = ()
    note_guids: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefiSource:
    guid: str
    name: str
    text: str  # canonical
    sha256: str
    user_guid: str | None = None
    created_at: str | None = None
    description: str = ""
    selections: tuple[RefiSelection, ...] = ()
    note_guids: tuple[str, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RefiPlace:
    """The span a note marks in a source (canonical positions, as a selection's)."""

    source_guid: str
    start: int
    end: int


@dataclass(frozen=True)
class RefiNote:
    """A note; one holding a PlainTextSelection of its own (an annotation, as QualCoder and
    Quirkos write them) has the ``place`` it marks, or ``unplaced`` says why none was found."""

    guid: str
    name: str
    text: str
    user_guid: str | None = None
    created_at: str | None = None
    place: RefiPlace | None = None
    unplaced: str = ""


@dataclass(frozen=True)
class RefiVariable:
    guid: str
    name: str
    type: str  # Text, Boolean, Integer, Float, Date, DateTime


@dataclass(frozen=True)
class RefiCase:
    guid: str
    name: str
    description: str = ""
    source_guids: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # (variable GUID, value as text)


@dataclass(frozen=True)
class RefiProject:
    path: Path
    name: str
    origin: str
    users: tuple[RefiUser, ...]
    codebook: CodebookPlan
    description: str = ""
    sources: tuple[RefiSource, ...] = ()
    notes: tuple[RefiNote, ...] = ()
    variables: tuple[RefiVariable, ...] = ()
    cases: tuple[RefiCase, ...] = ()
    project_note_guids: tuple[str, ...] = ()
    code_note_guids: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by code GUID
    losses: tuple[str, ...] = ()  # what could not be carried across, one line each
    recast: tuple[str, ...] = ()  # what was read as a different kind of thing, one line each
    off_standard: tuple[str, ...] = ()  # parts that break the schema but were read anyway
    position_unit: str = "code points"  # how the file's positions were read (see positions)
    outside_read: tuple[OutsideFile, ...] = ()  # local files read with the user's leave

    @property
    def coding_count(self) -> int:
        return sum(len(sel.codings) for src in self.sources for sel in src.selections)
