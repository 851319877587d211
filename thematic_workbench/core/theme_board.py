"""The theme board as plain data: final themes, their emerging themes, their codes in order.

The board's order is Table 1's order, so this is the one reading of it: final themes by
position, the emerging themes under each by position, loose emerging themes after them,
and the active codes that belong to no theme on the board ("miscellaneous", as Braun and
Clarke call the pile of codes that do not yet fit).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.models import Code, Coding, Theme, ThemeMembership


@dataclass(frozen=True)
class BoardCode:
    id: int
    name: str
    colour: str
    definition: str
    codings: int


@dataclass(frozen=True)
class BoardTheme:
    id: int
    name: str
    level: str
    definition: str
    parent_id: int | None
    codes: tuple[BoardCode, ...]


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
                               counts.get(row.id, 0))
             for row in session.execute(select(Code.id, Code.name, Code.colour,
                                               Code.definition)
                                        .where(Code.status == "active"))}
    members: dict[int, list[BoardCode]] = defaultdict(list)
    for theme_id, code_id in session.execute(
            select(ThemeMembership.theme_id, ThemeMembership.code_id)
            .order_by(ThemeMembership.theme_id, ThemeMembership.position)):
        if code_id in codes:
            members[theme_id].append(codes[code_id])
    rows = session.execute(select(Theme.id, Theme.name, Theme.level, Theme.definition,
                                  Theme.parent_id)
                           .where(Theme.status != "discarded")
                           .order_by(Theme.position, Theme.id)).all()
    finals = tuple(BoardTheme(r.id, r.name, r.level, r.definition, None,
                              tuple(members[r.id])) for r in rows if r.level == "final")
    final_ids = {t.id for t in finals}
    emerging: dict[int | None, list[BoardTheme]] = defaultdict(list)
    for r in rows:
        if r.level == "emerging":
            parent = r.parent_id if r.parent_id in final_ids else None
            emerging[parent].append(BoardTheme(r.id, r.name, r.level, r.definition, parent,
                                               tuple(members[r.id])))
    placed = {code.id for theme_id in {r.id for r in rows} for code in members[theme_id]}
    loose = tuple(sorted((c for c in codes.values() if c.id not in placed),
                         key=lambda c: c.name.casefold()))
    return Board(finals, {key: tuple(value) for key, value in emerging.items()}, loose)


def emerging_order(session: Session) -> list[int]:
    """The emerging themes on the board, in the one order their positions give."""
    return list(session.execute(select(Theme.id).where(
        Theme.level == "emerging", Theme.status != "discarded")
        .order_by(Theme.position, Theme.id)).scalars())
