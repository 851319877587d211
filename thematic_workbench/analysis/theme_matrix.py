"""Reviewing themes against the data (phase 4): the theme × participant matrix, the
code × theme table, and a theme's extracts collated by code.

The question behind the matrix is whether a theme is carried by the data set or by one
voice. A final theme is supported by its own codes and those of its emerging themes
(discarded themes and merged codes left out, as everywhere else). A segment is a stretch of
coded text: codings that overlap in one document (two codes on the same words, a short
coding inside a longer one, two coders) make one segment, and characters are the union of
their spans, so a passage coded twice does not look like twice the data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, case, func, literal, select, union
from sqlalchemy.orm import Session, aliased

from thematic_workbench.core.queries.attribution import said_by
from thematic_workbench.core.queries.project import Extract
from thematic_workbench.core.queries.theme_extracts import (
    ExtractSet,
    codes_of_theme,
    extracts_for_theme,
    extracts_of_codings,
    sort_key,
)
from thematic_workbench.core.storage.models import (
    Code,
    Coding,
    Document,
    Participant,
    Theme,
    ThemeMembership,
)

LEVELS = ("emerging", "final")
NO_PARTICIPANT = ""  # the matrix's key for transcripts tied to no participant


@dataclass(frozen=True)
class BoardTheme:
    """A theme as the board places it; ``group`` names an emerging theme's final theme."""

    id: int
    name: str
    level: str
    group: str | None = None
    group_id: int | None = None


@dataclass(frozen=True)
class Support:
    """How many coded segments, covering how many characters, support something."""

    segments: int = 0
    characters: int = 0

    def __add__(self, other: Support) -> Support:
        return Support(self.segments + other.segments, self.characters + other.characters)


NONE = Support()


@dataclass(frozen=True)
class ThemeParticipantMatrix:
    """Themes in board order × participants by label; cells keyed (theme id, label).

    ``participant_totals`` counts each segment once however many themes it supports, so it
    is not the sum of its column when codes sit in several themes.
    """

    level: str
    themes: tuple[BoardTheme, ...]
    participants: tuple[str, ...]
    cells: Mapping[tuple[int, str], Support]
    participant_totals: Mapping[str, Support]

    def cell(self, theme_id: int, participant: str) -> Support:
        return self.cells.get((theme_id, participant), NONE)

    def theme_total(self, theme_id: int) -> Support:
        """Exact as a sum: each transcript belongs to one participant."""
        return sum((self.cell(theme_id, label) for label in self.participants), NONE)

    def participant_total(self, participant: str) -> Support:
        return self.participant_totals.get(participant, NONE)

    @property
    def total(self) -> Support:
        return sum(self.participant_totals.values(), NONE)


@dataclass(frozen=True)
class CodeThemeRow:
    """A row of the code × theme table; a code in no theme has empty theme tuples."""

    code_id: int
    code: str
    colour: str
    codings: int
    participants: int
    emerging: tuple[str, ...]
    final: tuple[str, ...]

    @property
    def unthemed(self) -> bool:
        return not (self.emerging or self.final)


@dataclass(frozen=True)
class CodeSection:
    """One code's extracts within a theme; ``via`` names the emerging themes it comes
    through when a final theme is reviewed."""

    code_id: int
    code: str
    colour: str
    via: tuple[str, ...]
    extracts: tuple[Extract, ...]


@dataclass(frozen=True)
class CollatedTheme:
    """A theme with its extracts grouped by code, codes in board order."""

    theme: BoardTheme
    definition: str
    children: tuple[str, ...]
    sections: tuple[CodeSection, ...]

    @property
    def extract_count(self) -> int:
        return sum(len(section.extracts) for section in self.sections)

    @property
    def participants(self) -> int:
        return len({e.participant for s in self.sections for e in s.extracts
                    if e.participant is not None})


def label_order(label: str) -> list[tuple[int, int | str]]:
    """Natural order, so that P2 comes before P10."""
    return [(0, int(part)) if part.isdigit() else (1, part.casefold())
            for part in re.split(r"(\d+)", label) if part]


def board_themes(session: Session) -> list[BoardTheme]:
    """Live themes in board order: each final theme then its emerging themes, then the
    emerging themes in no (live) final theme."""
    rows = session.execute(
        select(Theme.id, Theme.name, Theme.level, Theme.parent_id)
        .where(Theme.status != "discarded").order_by(Theme.position, Theme.id)).all()
    finals = [row for row in rows if row.level == "final"]
    children: dict[int | None, list[BoardTheme]] = defaultdict(list)
    final_names = {row.id: row.name for row in finals}
    for row in rows:
        if row.level == "emerging":
            if row.parent_id in final_names:
                children[row.parent_id].append(BoardTheme(
                    row.id, row.name, "emerging", final_names[row.parent_id], row.parent_id))
            else:
                children[None].append(BoardTheme(row.id, row.name, "emerging"))
    ordered: list[BoardTheme] = []
    for row in finals:
        ordered.append(BoardTheme(row.id, row.name, "final"))
        ordered.extend(children[row.id])
    return ordered + children[None]


def _support_pairs(level: str) -> Subquery:
    """(theme_id, code_id): which codes support each live theme of a level."""
    members = (select(ThemeMembership.theme_id, ThemeMembership.code_id)
               .join(Theme, Theme.id == ThemeMembership.theme_id)
               .where(Theme.level == level, Theme.status != "discarded"))
    if level == "emerging":
        return members.subquery()
    child, parent = aliased(Theme), aliased(Theme)
    grouped = (select(child.parent_id.label("theme_id"), ThemeMembership.code_id)
               .join(child, child.id == ThemeMembership.theme_id)
               .join(parent, parent.id == child.parent_id)
               .where(child.status != "discarded", parent.status != "discarded",
                      parent.level == "final"))
    return union(members, grouped).subquery()


def _who() -> ColumnElement[str]:
    return func.coalesce(Participant.label, literal(NO_PARTICIPANT))


def _spans(base: Select[Any]) -> Select[Any]:
    """Add the span of each coding (of an active code) and who said it to a select of
    codings (core/queries/attribution.py: in a focus group, the speaker's participant)."""
    return (base.add_columns(Coding.document_id, Coding.start, Coding.end,
                             said_by(Coding.document_id, Coding.start).label("who"))
            .join(Code, (Code.id == Coding.code_id) & (Code.status == literal("active"))))


def _counted(spans: Subquery, keys: tuple[str, ...]) -> Select[Any]:
    """Per ``keys`` and participant: segments and characters, text coded twice counted
    once. A sweep in SQL: each span, in order of start, adds what reaches past the furthest
    end before it in its document; a span that starts at or after that end starts a new
    segment, so overlapping codings (two codes on the same words) make one segment."""
    columns = [spans.c[key] for key in keys]
    reach = func.max(spans.c.end).over(
        partition_by=[*columns, spans.c.document_id, spans.c.who],
        order_by=(spans.c.start, spans.c.end), rows=(None, -1))
    step = select(*columns, spans.c.document_id, spans.c.who, spans.c.start, spans.c.end,
                  reach.label("reach")).subquery()
    fresh = step.c.reach.is_(None) | (step.c.start >= step.c.reach)
    added = case((fresh, step.c.end - step.c.start),
                 (step.c.end > step.c.reach, step.c.end - step.c.reach), else_=0)
    by_document = [*(step.c[key] for key in keys), step.c.document_id, step.c.who]
    per_document = select(*by_document, func.sum(case((fresh, 1), else_=0)).label("segments"),
                          func.sum(added).label("characters")).group_by(*by_document).subquery()
    # Participants join the few per-document sums, not the many spans.
    grouped = [*(per_document.c[key] for key in keys), _who()]
    return (select(*grouped, func.sum(per_document.c.segments),
                   func.sum(per_document.c.characters))
            .select_from(per_document)
            .outerjoin(Participant, Participant.id == per_document.c.who)
            .group_by(*grouped))


def _support(row: Sequence[Any]) -> Support:
    """The last two columns of a counted row: segments, characters."""
    return Support(int(row[-2]), int(row[-1] or 0))


def theme_participant_matrix(session: Session, level: str = "emerging") -> ThemeParticipantMatrix:
    """How many segments, and how much text, from each participant support each theme of
    a level. Every participant is a column; "no participant" only where it supports one."""
    if level not in LEVELS:
        raise ValueError(f"level is 'emerging' or 'final', not {level!r}")
    themes = tuple(theme for theme in board_themes(session) if theme.level == level)
    pairs = _support_pairs(level)
    per_theme = _spans(select(pairs.c.theme_id.label("theme_id"))
                       .join(Coding, Coding.code_id == pairs.c.code_id)).subquery()
    cells = {(row[0], row[1]): _support(row)
             for row in session.execute(_counted(per_theme, ("theme_id",)))}
    anywhere = _spans(select(Coding.id).where(
        Coding.code_id.in_(select(pairs.c.code_id)))).subquery()
    totals = {row[0]: _support(row) for row in session.execute(_counted(anywhere, ()))}
    labels = sorted(session.execute(select(Participant.label)).scalars(), key=label_order)
    if NO_PARTICIPANT in totals:
        labels.append(NO_PARTICIPANT)
    return ThemeParticipantMatrix(level, themes, tuple(labels), cells, totals)


def extracts_for_cell(session: Session, theme_id: int, participant: str,
                      coders: Collection[str] | None = None) -> ExtractSet | None:
    """The extracts behind one cell of the matrix (``participant`` is a label, or
    NO_PARTICIPANT), or only those ``coders`` made; None if the theme is gone."""
    theme = session.execute(select(Theme.name, Theme.level).where(Theme.id == theme_id)).first()
    if theme is None:
        return None
    codes = codes_of_theme(session, theme_id)
    found = session.execute(
        select(Coding.id, Coding.code_id)
        .join(Document, Document.id == Coding.document_id)
        .outerjoin(Participant, Participant.id == said_by(Coding.document_id, Coding.start,
                                                          Document.participant_id))
        .where(Coding.code_id.in_([code_id for code_id, _name, _colour in codes]),
               _who() == participant)).all()
    used = {code_id for _coding_id, code_id in found}
    shown = ExtractSet(f"{theme.level} theme",
                       f"{theme.name} · {participant or 'no participant'}", (),
                       tuple(code_id for code_id, _name, _colour in codes if code_id in used))
    extracts = extracts_of_codings(session, shown, [coding_id for coding_id, _code in found],
                                   coders)
    return ExtractSet(shown.kind, shown.name, tuple(sorted(extracts, key=sort_key)),
                      shown.code_ids)


def _memberships(session: Session) -> dict[int, list[int]]:
    """Live theme id -> its active codes, in membership order."""
    members: dict[int, list[int]] = defaultdict(list)
    for theme_id, code_id in session.execute(
            select(ThemeMembership.theme_id, ThemeMembership.code_id)
            .join(Theme, Theme.id == ThemeMembership.theme_id)
            .join(Code, Code.id == ThemeMembership.code_id)
            .where(Theme.status != "discarded", Code.status == "active")
            .order_by(ThemeMembership.position, ThemeMembership.code_id)):
        members[theme_id].append(code_id)
    return members


def code_theme_table(session: Session) -> list[CodeThemeRow]:
    """Every active code with its reach and its themes, in Table 1 order (final themes,
    their emerging themes, membership order); codes in no theme last, by name."""
    members = _memberships(session)
    emerging: dict[int, list[str]] = defaultdict(list)
    final: dict[int, list[str]] = defaultdict(list)
    order: dict[int, int] = {}
    for theme in board_themes(session):
        above = theme.name if theme.level == "final" else theme.group
        for code_id in members.get(theme.id, ()):
            order.setdefault(code_id, len(order))
            if theme.level == "emerging":
                emerging[code_id].append(theme.name)
            if above is not None and above not in final[code_id]:
                final[code_id].append(above)
    reach = {code_id: (codings, people) for code_id, codings, people in session.execute(
        select(Coding.code_id, func.count(),
               func.count(func.distinct(said_by(Coding.document_id, Coding.start,
                                                Document.participant_id))))
        .join(Document, Document.id == Coding.document_id).group_by(Coding.code_id))}
    codes = session.execute(select(Code.id, Code.name, Code.colour)
                            .where(Code.status == "active").order_by(Code.name_key)).all()
    rows = [CodeThemeRow(code_id, name, colour, *reach.get(code_id, (0, 0)),
                         tuple(emerging[code_id]), tuple(final[code_id]))
            for code_id, name, colour in codes]
    rows.sort(key=lambda row: order.get(row.code_id, len(order)))  # stable: names after
    return rows


def collate_theme(session: Session, theme_id: int,
                  coders: Collection[str] | None = None) -> CollatedTheme | None:
    """A theme's extracts grouped by code (everyone's, or those ``coders`` made), to read
    the theme against its data; None if the theme is gone."""
    theme = session.execute(select(Theme.id, Theme.name, Theme.level, Theme.definition,
                                   Theme.parent_id, Theme.status)
                            .where(Theme.id == theme_id)).first()
    shown = extracts_for_theme(session, theme_id, coders)
    if theme is None or shown is None:
        return None
    placed = {item.id: item for item in board_themes(session)}
    board = placed.get(theme_id, BoardTheme(theme.id, theme.name, theme.level))
    children = [item for item in placed.values() if item.group_id == theme_id]
    members = _memberships(session)
    via: dict[int, list[str]] = defaultdict(list)
    for child in children:
        for code_id in members.get(child.id, ()):
            via[code_id].append(child.name)
    by_code: dict[int, list[Extract]] = defaultdict(list)
    colours: dict[int, tuple[str, str]] = {}
    for item in shown.extracts:
        by_code[item.code_id].append(item.extract)
    for code_id, name, colour in codes_of_theme(session, theme_id):
        colours[code_id] = (name, colour)
    sections = tuple(
        CodeSection(code_id, *colours[code_id], tuple(via.get(code_id, ())),
                    tuple(by_code.get(code_id, ())))
        for code_id in shown.code_ids)
    return CollatedTheme(board, theme.definition, tuple(c.name for c in children), sections)
