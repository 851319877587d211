"""The methods appendix read from a project in one read session (nothing is written).

Gathers what the app already holds (the design sheet, the phase moves and their reasons,
the checklist, the sign-offs with the anchors signed for them, snapshots, counts, themes
with their central organising concepts, the diary entries marked for the appendix) and works
out what the researcher still has to write, item by RTARG item.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.queries.project import coders_who_coded
from thematic_workbench.core.queries.theme_board import themes_to_define
from thematic_workbench.core.reports import methods as items
from thematic_workbench.core.reports.appendices import project_title
from thematic_workbench.core.reports.methods import (
    MethodsAppendix,
    SignedOff,
    StudyCounts,
    ThemeEntry,
    ToWrite,
)
from thematic_workbench.core.services.design import FIELDS, DesignSheet, design_sheet
from thematic_workbench.core.services.diary import list_entries
from thematic_workbench.core.services.phases import checklist, phase_history
from thematic_workbench.core.services.review import list_sign_offs
from thematic_workbench.core.services.snapshots import list_snapshots
from thematic_workbench.core.storage.models import Code, Coding, Document, Participant, Theme
from thematic_workbench.core.timestamps import utc_now
from thematic_workbench.core.trail.anchors import list_anchors

# The design field each RTARG item needs, and what to write when it is empty.
_FIELD_ITEMS = {
    "approach": items.ITEM_KIND,
    "theoretical_assumptions": items.ITEM_FRAME,
    "research_question": items.ITEM_QUESTION,
    "orientation": items.ITEM_ORIENTATION,
    "meaning": items.ITEM_ORIENTATION,
    "positionality": items.ITEM_REFLEXIVITY,
}


def study_counts(session: Session) -> StudyCounts:
    themes: dict[str, int] = {level: number for level, number in session.execute(
        select(Theme.level, func.count()).where(Theme.status != "discarded")
        .group_by(Theme.level))}
    return StudyCounts(
        transcripts=int(session.execute(select(func.count(Document.id))).scalar_one()),
        participants=int(session.execute(select(func.count(Participant.id))).scalar_one()),
        codes=int(session.execute(select(func.count(Code.id))
                                  .where(Code.status == "active")).scalar_one()),
        emerging_themes=themes.get("emerging", 0), final_themes=themes.get("final", 0),
        codings=int(session.execute(select(func.count(Coding.id))).scalar_one()),
        coders=tuple(coders_who_coded(session)))


def signed_sign_offs(session: Session) -> tuple[SignedOff, ...]:
    """Every sign-off, oldest first, with the anchor signed at it (if any)."""
    anchors = {anchor.entity_id: anchor for anchor in list_anchors(session)
               if anchor.kind == "sign_off"}
    signed = []
    for view in list_sign_offs(session):
        anchor = anchors.get(view.id)
        signed.append(SignedOff(view.at, view.phase, view.coder, view.note,
                                anchor.seq if anchor else None,
                                anchor.head_hash if anchor else None))
    return tuple(signed)


def _themes(session: Session) -> tuple[ThemeEntry, ...]:
    details = themes_to_define(session)
    names = {theme.id: theme.name for theme in details}
    return tuple(ThemeEntry(theme.name, theme.level, theme.definition, theme.central_concept,
                            names.get(theme.parent_id) if theme.parent_id else None)
                 for theme in details)


def still_to_write(design: DesignSheet, appendix_parts: dict[str, int],
                   themes: tuple[ThemeEntry, ...]) -> tuple[ToWrite, ...]:
    """What the researcher still has to write, in the order of the appendix's items.

    ``appendix_parts`` counts the diary entries marked for the appendix ("diary") and the
    phase moves recorded ("moves").
    """
    unstated = set(design.unstated())
    wanted: list[ToWrite] = []
    for item in (items.ITEM_KIND, items.ITEM_FRAME, items.ITEM_QUESTION, items.ITEM_DATA,
                 items.ITEM_REFLEXIVITY, items.ITEM_ORIENTATION, items.ITEM_PROCESS,
                 items.ITEM_THEMES, items.ITEM_QUALITY, items.ITEM_RESULTS):
        wanted += [ToWrite(item, f"{FIELDS[name]}: not stated on the design sheet")
                   for name, field_item in _FIELD_ITEMS.items()
                   if field_item == item and name in unstated]
        wanted += [ToWrite(item, what) for what in _beyond_the_sheet(item, design,
                                                                     appendix_parts, themes)]
    return tuple(wanted)


def _beyond_the_sheet(item: str, design: DesignSheet, parts: dict[str, int],
                      themes: tuple[ThemeEntry, ...]) -> list[str]:
    """What an item needs that the app does not hold, or holds nothing of yet."""
    if item == items.ITEM_KIND and design.approach:
        return ["Why this kind of thematic analysis suits the research question"]
    if item == items.ITEM_DATA:
        return ["How participants were recruited and the data were gathered (the app "
                "holds only the counts)"]
    if item == items.ITEM_REFLEXIVITY and not parts["diary"]:
        return ["No diary entry is marked for the appendix: mark the reflexive entries "
                "that show how your position shaped the analysis"]
    if item == items.ITEM_PROCESS and not parts["moves"]:
        return ["No move between phases is recorded: describe how the analysis moved"]
    if item == items.ITEM_THEMES:
        if not themes:
            return ["No themes on the board yet"]
        lines = []
        if missing := [t.name for t in themes if not t.central_concept.strip()]:
            lines.append("Central organising concept of: " + "; ".join(missing))
        if missing := [t.name for t in themes if not t.definition.strip()]:
            lines.append("Definition of: " + "; ".join(missing))
        return lines
    if item == items.ITEM_RESULTS:
        return ["The analytic narrative of each theme with its data extracts (the "
                "extracts report can help)"]
    return []


def methods_appendix(session: Session) -> MethodsAppendix:
    """The methods appendix as it stands now."""
    design = design_sheet(session)
    moves = tuple(phase_history(session))
    diary = tuple(entry for entry in list_entries(session) if entry.in_appendix)
    themes = _themes(session)
    return MethodsAppendix(
        project=project_title(session), made_at=utc_now(), design=design, words=design.words,
        counts=study_counts(session), moves=moves, checklist=tuple(checklist(session)),
        sign_offs=signed_sign_offs(session), snapshots=tuple(list_snapshots(session)),
        themes=themes, diary=diary,
        to_write=still_to_write(design, {"diary": len(diary), "moves": len(moves)}, themes))
