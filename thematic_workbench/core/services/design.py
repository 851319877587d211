"""The study's design sheet: the choices a reflexive TA write-up states, and the words the
project uses for its theme levels.

Braun and Clarke ask authors to say which kind of thematic analysis they did, whether
their coding was inductive or deductive and semantic or latent, what theoretical
assumptions it rests on, what question it answers, and where they stand (positionality).
The sheet is one row; before its first change every choice reads "not stated", which the
methods appendix lists as still to write. Each change is one audited event naming the
values it replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services.common import session_of
from thematic_workbench.core.storage.models import (
    DESIGN_APPROACHES,
    DESIGN_MEANINGS,
    DESIGN_ORIENTATIONS,
    THEME_WORDS,
    StudyDesign,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.theme_words import ThemeWords, theme_words
from thematic_workbench.core.timestamps import utc_now

MAX_TEXT = 20_000

# What each choice is called in the window and the appendix ("" is "not stated").
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "approach": {"reflexive": "Reflexive thematic analysis",
                 "codebook": "Codebook thematic analysis (e.g. template, framework)",
                 "coding_reliability": "Coding reliability thematic analysis"},
    "orientation": {"inductive": "Inductive (data-driven)",
                    "deductive": "Deductive (theory-driven)",
                    "both": "Both inductive and deductive"},
    "meaning": {"semantic": "Semantic (explicit meaning)",
                "latent": "Latent (underlying meaning)",
                "both": "Both semantic and latent"},
    "theme_words": {"emerging_final": "emerging / final",
                    "initial_developed": "initial / developed"},
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "approach": DESIGN_APPROACHES, "orientation": DESIGN_ORIENTATIONS,
    "meaning": DESIGN_MEANINGS, "theme_words": THEME_WORDS,
}
# Every field of the sheet with what it asks, in the order the sheet shows them.
FIELDS: dict[str, str] = {
    "approach": "Which kind of thematic analysis",
    "orientation": "Orientation to data: inductive or deductive",
    "meaning": "Focus of meaning: semantic or latent",
    "theoretical_assumptions": "Theoretical assumptions (e.g. critical realist, "
                               "contextualist, constructionist)",
    "research_question": "Research question",
    "positionality": "Positionality statement",
    "theme_words": "Words for the two theme levels",
}


@dataclass(frozen=True)
class DesignSheet:
    approach: str = ""
    orientation: str = ""
    meaning: str = ""
    theoretical_assumptions: str = ""
    research_question: str = ""
    positionality: str = ""
    theme_words: str = "emerging_final"
    updated_at: str = ""

    def values(self) -> dict[str, str]:
        return asdict(self)

    def shown(self, name: str) -> str:
        """A field as a reader sees it: a choice's label, a text as written, "" if unset."""
        value = str(getattr(self, name))
        return CHOICE_LABELS.get(name, {}).get(value, value)

    @property
    def words(self) -> ThemeWords:
        return theme_words(self.theme_words)

    def unstated(self) -> list[str]:
        """The fields (by name) the researcher has not filled in yet."""
        return [name for name in FIELDS if name != "theme_words" and not getattr(self, name)]


def design_sheet(tx_or_session: Tx | Session) -> DesignSheet:
    row = session_of(tx_or_session).get(StudyDesign, 1)
    if row is None:
        return DesignSheet()
    return DesignSheet(row.approach, row.orientation, row.meaning,
                       row.theoretical_assumptions, row.research_question, row.positionality,
                       row.theme_words, row.updated_at)


def project_theme_words(tx_or_session: Tx | Session) -> ThemeWords:
    """The words this project uses for emerging and final themes."""
    words = session_of(tx_or_session).execute(
        select(StudyDesign.theme_words).where(StudyDesign.id == 1)).scalar_one_or_none()
    return theme_words(words or "emerging_final")


def check_design_value(name: str, value: str) -> str:
    """The value tidied, or an error that names the field and what it accepts."""
    if name not in FIELDS:
        raise InvariantError(f"the design sheet has no field {name!r}; its fields are "
                             + ", ".join(FIELDS))
    if name in _CHOICES:
        value = value.strip().lower().replace("-", "_").replace(" ", "_")
        if value in ("", "none", "not_stated"):
            value = ""
        allowed = [choice for choice in _CHOICES[name] if choice]
        if value not in _CHOICES[name] or (name == "theme_words" and not value):
            raise InvariantError(f"{name} is one of {', '.join(allowed)}, not {value!r}")
        return value
    value = value.strip().replace("\r\n", "\n")
    if len(value) > MAX_TEXT:
        raise InvariantError(f"{name} is longer than {MAX_TEXT:,} characters")
    return value


def set_design(tx: Tx, values: Mapping[str, str]) -> Change:
    """Change some fields of the sheet in one audited event; unchanged fields are left out."""
    checked = {name: check_design_value(name, value) for name, value in values.items()}
    row = tx.session.get(StudyDesign, 1)
    held = design_sheet(tx) if row is None else row  # an absent row reads as the defaults
    before = {name: getattr(held, name) for name in checked
              if getattr(held, name) != checked[name]}
    if not before:
        return Change()
    if row is None:  # made only when there is something to record, with its event
        row = StudyDesign(id=1)
        tx.session.add(row)
    after = {name: checked[name] for name in before}
    for name, value in after.items():
        setattr(row, name, value)
    row.updated_at = utc_now()
    tx.session.flush()
    tx.audit("design.set", "study_design", 1, before=before, after=after)
    return Change().change(Kind.PROJECT, 1).keep_before(Kind.PROJECT, 1, before)
