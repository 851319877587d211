"""The report model of the methods appendix: what the project can say about how the
analysis was done, organised after the items of Braun and Clarke's Reflexive Thematic
Analysis Reporting Guidelines (RTARG, 2024), and what the researcher still has to write.

Plain values only, built by core/reports/methods_appendix.py in one read session, so that io
(io/methods_docx.py) renders it without a database. The items are named here in our own
short words; the guideline itself is the place to read what each asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from thematic_workbench.core.services.design import DesignSheet
from thematic_workbench.core.services.diary import EntryView
from thematic_workbench.core.services.phases import ChecklistPoint, PhaseMove
from thematic_workbench.core.services.snapshots import SnapshotInfo
from thematic_workbench.core.theme_words import ThemeWords

# The RTARG items a section of the appendix answers to, in short words of our own.
ITEM_KIND = "The kind of thematic analysis, and why it fits"
ITEM_FRAME = "Theoretical and philosophical assumptions"
ITEM_QUESTION = "The research question"
ITEM_DATA = "Participants, data and how they were gathered"
ITEM_REFLEXIVITY = "The researcher's reflexivity and positionality"
ITEM_ORIENTATION = "Orientation to the data (inductive or deductive, semantic or latent)"
ITEM_PROCESS = "The analytic process through the phases, and who coded"
ITEM_THEMES = "Themes as patterns of shared meaning around a central organising concept"
ITEM_QUALITY = "Practices for quality, in keeping with a reflexive approach"
ITEM_RESULTS = "The analytic narrative of the results, with data extracts"


@dataclass(frozen=True)
class StudyCounts:
    """How big the study is: transcripts, participants, active codes, themes on the board
    (by level), codings, and the coders who coded."""

    transcripts: int
    participants: int
    codes: int
    emerging_themes: int
    final_themes: int
    codings: int
    coders: tuple[str, ...]


@dataclass(frozen=True)
class SignedOff:
    """A supervisor's sign-off of a phase, with the anchor signed for it (None: unsigned)."""

    at: str
    phase: int
    supervisor: str
    note: str
    anchor_seq: int | None
    anchor_hash: str | None

    @property
    def signed(self) -> bool:
        return self.anchor_seq is not None


@dataclass(frozen=True)
class ThemeEntry:
    """A theme on the board as the appendix defines it."""

    name: str
    level: str  # stored level: "emerging" or "final"
    definition: str
    central_concept: str
    parent: str | None  # the final theme an emerging theme belongs to


@dataclass(frozen=True)
class ToWrite:
    """One thing the researcher still has to write, under the RTARG item it belongs to."""

    item: str
    what: str


@dataclass(frozen=True)
class MethodsAppendix:
    project: str
    made_at: str  # UTC, when the appendix was read from the project
    design: DesignSheet
    words: ThemeWords
    counts: StudyCounts
    moves: tuple[PhaseMove, ...]
    checklist: tuple[ChecklistPoint, ...]
    sign_offs: tuple[SignedOff, ...]
    snapshots: tuple[SnapshotInfo, ...]
    themes: tuple[ThemeEntry, ...]  # final themes first, each level in board order
    diary: tuple[EntryView, ...]  # the entries marked for the appendix, oldest first
    to_write: tuple[ToWrite, ...]
