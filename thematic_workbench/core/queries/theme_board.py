"""The theme board as plain data: final themes, their emerging themes, their codes in order.

The board's order is Table 1's order, so this is the one reading of it: final themes by
position, the emerging themes under each by position, loose emerging themes after them,
and the active codes that belong to no theme on the board ("miscellaneous", as Braun and
Clarke call the pile of codes that do not yet fit).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.storage.models import AuditEvent, Code, Coding, Theme, ThemeMembership


@dataclass(frozen=True)
class BoardCode:
    id: int
    name: str
    colour: str
    definition: str
    codings: int
    guid: str = ""  # what exchange files name the code by (core/guids.py)


@dataclass(frozen=True)
class BoardTheme:
    id: int
    name: str
    level: str
    definition: str
    parent_id: int | None
    codes: tuple[BoardCode, ...]
    guid: str = ""


@dataclass(frozen=True)
class Board:
    finals: tuple[BoardTheme, ...]
    emerging: dict[int | None, tuple[BoardTheme, ...]]  # by final theme id; None: ungrouped
    miscellaneous: tuple[BoardCode, ...]

    def theme(self, theme_id: int) -> BoardTheme | None:
        every = [*self.finals, *(t for group in self.emerging.values() for t in group)]
        return next((t for t in every if t.id == theme_id), None)


def read_board(session: Session) -> Board:
    """The board in its order, with each code's number of codings."""
    counts = dict(session.execute(
        select(Coding.code_id, func.count()).group_by(Coding.code_id)).all())
    codes = {row.id: BoardCode(row.id, row.name, row.colour, row.definition,
                               counts.get(row.id, 0), row.guid or "")
             for row in session.execute(select(Code.id, Code.name, Code.colour,
                                               Code.definition, Code.guid)
                                        .where(Code.status == "active"))}
    members: dict[int, list[BoardCode]] = defaultdict(list)
    for theme_id, code_id in session.execute(
            select(ThemeMembership.theme_id, ThemeMembership.code_id)
            .order_by(ThemeMembership.theme_id, ThemeMembership.position)):
        if code_id in codes:
            members[theme_id].append(codes[code_id])
    rows = session.execute(select(Theme.id, Theme.name, Theme.level, Theme.definition,
                                  Theme.parent_id, Theme.guid)
                           .where(Theme.status != "discarded")
                           .order_by(Theme.position, Theme.id)).all()
    finals = tuple(BoardTheme(r.id, r.name, r.level, r.definition, None,
                              tuple(members[r.id]), r.guid or "")
                   for r in rows if r.level == "final")
    final_ids = {t.id for t in finals}
    emerging: dict[int | None, list[BoardTheme]] = defaultdict(list)
    for r in rows:
        if r.level == "emerging":
            parent = r.parent_id if r.parent_id in final_ids else None
            emerging[parent].append(BoardTheme(r.id, r.name, r.level, r.definition, parent,
                                               tuple(members[r.id]), r.guid or ""))
    placed = {code.id for theme_id in {r.id for r in rows} for code in members[theme_id]}
    loose = tuple(sorted((c for c in codes.values() if c.id not in placed),
                         key=lambda c: c.name.casefold()))
    return Board(finals, {key: tuple(value) for key, value in emerging.items()}, loose)


def emerging_order(session: Session) -> list[int]:
    """The emerging themes on the board, in the one order their positions give."""
    return list(session.execute(select(Theme.id).where(
        Theme.level == "emerging", Theme.status != "discarded")
        .order_by(Theme.position, Theme.id)).scalars())


# -- one theme as its definition shows it ------------------------------------------------------
@dataclass(frozen=True)
class ThemeDetails:
    """What a theme's definition shows and edits: its name, definition, scope and extract."""

    id: int
    name: str
    level: str
    status: str
    parent_id: int | None
    definition: str
    scope_notes: str
    representative_coding_id: int | None
    central_concept: str = ""  # the idea the theme is built around


_DETAILS = (Theme.id, Theme.name, Theme.level, Theme.status, Theme.parent_id,
            Theme.definition, Theme.scope_notes, Theme.representative_coding_id,
            Theme.central_concept)


def theme_details(session: Session, theme_id: int) -> ThemeDetails | None:
    """One theme (discarded or not), or None when there is no theme with this id."""
    row = session.execute(select(*_DETAILS).where(Theme.id == theme_id)).first()
    return None if row is None else ThemeDetails(*row)


def themes_to_define(session: Session) -> list[ThemeDetails]:
    """The themes on the board, final themes first, each level in its board order."""
    return [ThemeDetails(*row) for row in session.execute(
        select(*_DETAILS).where(Theme.status != "discarded")
        .order_by(Theme.level.desc(), Theme.position))]


def name_history(session: Session, theme_id: int) -> list[tuple[str, str, str]]:
    """(time, coder, name) for the theme's creation and each rename, oldest first.

    The names come from the audit trail, which is where renames are recorded.
    """
    rows = session.execute(
        select(AuditEvent.at, AuditEvent.coder, AuditEvent.after_json)
        .where(AuditEvent.entity_kind == "theme", AuditEvent.entity_id == theme_id,
               AuditEvent.action.in_(("theme.create", "theme.rename", "theme.restore")))
        .order_by(AuditEvent.seq)).all()
    history: list[tuple[str, str, str]] = []
    for at, coder, after in rows:
        name = (json.loads(after) or {}).get("name") if after else None
        if name and (not history or history[-1][2] != name):
            history.append((at[:16].replace("T", " "), coder, name))
    return history
