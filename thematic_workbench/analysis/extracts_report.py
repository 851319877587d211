"""The extracts report built from the store: each final theme with its definition and
representative extract, its emerging themes, their codes and a few of each code's extracts
(the model is plain data in core/reports/extracts.py).

The report is the evidence behind the write-up, so a code's extracts are chosen to show its
spread: one from each participant in turn (in participant order) before a second from anyone,
then shown in reading order. The frame's order is the board's (``read_board``), the one
order Table 1 uses too. A handful of queries serve the whole report, however large.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from thematic_workbench.core.queries.attribution import coding_said_by
from thematic_workbench.core.queries.project import Extract, quoted
from thematic_workbench.core.queries.theme_board import Board, BoardCode, BoardTheme, read_board
from thematic_workbench.core.reports.extracts import ExtractsReport, ReportCode, ReportTheme
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.models import (
    Coder,
    Coding,
    Document,
    Line,
    Participant,
    Project,
    Theme,
)

_CHUNK = 500  # ids per IN (...): well under every database's limit on bound values


@dataclass(frozen=True)
class _Coded:
    """What choosing needs to know of a coding, without its text."""

    id: int
    code_id: int
    participant: str | None
    document: str
    start: int

    @property
    def order(self) -> tuple[bool, str, str, int, int]:
        return (self.participant is None, self.participant or "", self.document, self.start,
                self.id)

    @property
    def voice(self) -> str:
        """Whose words these are: the participant, or the transcript when it has none."""
        return self.participant if self.participant is not None else f"\0{self.document}"


def spread_choice(codings: Sequence[_Coded], most: int | None) -> list[_Coded]:
    """Up to ``most`` codings (all for None), one per participant in turn, in reading order."""
    ordered = sorted(codings, key=lambda coded: coded.order)
    if most is None or len(ordered) <= most:
        return ordered
    by_voice: dict[str, list[_Coded]] = defaultdict(list)
    for coded in ordered:
        by_voice[coded.voice].append(coded)
    chosen: list[_Coded] = []
    turn = 0
    while len(chosen) < most:
        chosen += [group[turn] for group in by_voice.values() if turn < len(group)]
        turn += 1
    return sorted(chosen[:most], key=lambda coded: coded.order)


def _codings_of(session: Session, code_ids: Collection[int]) -> dict[int, list[_Coded]]:
    """Every coding of the given codes, light (no text), grouped by code."""
    found: dict[int, list[_Coded]] = defaultdict(list)
    ids = sorted(code_ids)
    for first in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Coding.id, Coding.code_id, Participant.label, Document.name, Coding.start)
            .join(Document, Document.id == Coding.document_id)
            .outerjoin(Participant, Participant.id == coding_said_by())
            .where(Coding.code_id.in_(ids[first:first + _CHUNK])))
        for row in rows:
            found[row[1]].append(_Coded(row[0], row[1], row[2], row[3], row[4]))
    return found


def extracts_by_id(session: Session, coding_ids: Iterable[int]) -> dict[int, Extract]:
    """The extracts of the given codings with their text and line numbers, in a few queries
    (``core.queries.extracts_of_code`` reads one code at a time), quoted without speaker
    labels."""
    first, last = aliased(Line), aliased(Line)
    first_line = (select(first.number).where(first.document_id == Coding.document_id,
                                             first.start <= Coding.start)
                  .order_by(first.start.desc()).limit(1).scalar_subquery())
    last_line = (select(last.number).where(last.document_id == Coding.document_id,
                                           last.start < Coding.end)
                 .order_by(last.start.desc()).limit(1).scalar_subquery())
    statement = (select(Coding.id, Coding.document_id, Document.name, Participant.label,
                        Coder.name, Coding.start, Coding.end, first_line, last_line,
                        func.substr(Document.text, Coding.start + 1, Coding.end - Coding.start),
                        Coding.memo)
                 .join(Document, Document.id == Coding.document_id)
                 .join(Coder, Coder.id == Coding.coder_id)
                 .outerjoin(Participant, Participant.id == coding_said_by()))
    ids = sorted(set(coding_ids))
    found: list[Extract] = []
    for start in range(0, len(ids), _CHUNK):
        found += [Extract(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] or 1,
                          row[8] or 1, row[9], row[10])
                  for row in session.execute(statement.where(
                      Coding.id.in_(ids[start:start + _CHUNK])))]
    return {extract.coding_id: extract for extract in quoted(session, found)}


def build_extracts_report(session: Session, extracts_per_code: int | None = 3) -> ExtractsReport:
    """The report over the board as it stands; ``None`` quotes every extract of every code."""
    if extracts_per_code is not None and extracts_per_code < 0:
        raise ValueError("the number of extracts per code cannot be negative")
    board = read_board(session)
    title = session.execute(select(Project.title)).scalar_one()
    themes = [*board.finals, *(t for group in board.emerging.values() for t in group)]
    details = {row[0]: (row[1], row[2]) for row in session.execute(
        select(Theme.id, Theme.scope_notes, Theme.representative_coding_id)
        .where(Theme.id.in_([t.id for t in themes])))} if themes else {}
    codings = _codings_of(session, {code.id for theme in themes for code in theme.codes})
    chosen = {code_id: spread_choice(found, extracts_per_code)
              for code_id, found in codings.items()}
    wanted = {coded.id for found in chosen.values() for coded in found}
    wanted |= {rep for _notes, rep in details.values() if rep is not None}
    extracts = extracts_by_id(session, wanted)

    def code(item: BoardCode) -> ReportCode:
        found = codings.get(item.id, [])
        people = {coded.participant for coded in found if coded.participant is not None}
        return ReportCode(item.id, item.name, item.definition, len(found), len(people),
                          tuple(extracts[coded.id] for coded in chosen.get(item.id, [])
                                if coded.id in extracts))

    def theme(item: BoardTheme, grouped: Sequence[BoardTheme] = ()) -> ReportTheme:
        notes, rep = details.get(item.id, ("", None))
        return ReportTheme(item.id, item.name, item.level, item.definition, notes or "",
                           extracts.get(rep) if rep is not None else None,
                           tuple(code(c) for c in item.codes),
                           tuple(theme(child) for child in grouped))

    return ExtractsReport(
        title, extracts_per_code,
        tuple(theme(final, board.emerging.get(final.id, ())) for final in board.finals),
        tuple(theme(loose) for loose in board.emerging.get(None, ())),
        tuple(code.name for code in board.miscellaneous), project_theme_words(session))


def report_board(report: ExtractsReport) -> Board:
    """The report's frame as a board (for the map of themes), without reading the store."""
    def board_theme(item: ReportTheme, parent: int | None) -> BoardTheme:
        return BoardTheme(item.id, item.name, item.level, item.definition, parent,
                          tuple(BoardCode(c.id, c.name, "", c.definition, c.codings)
                                for c in item.codes))

    emerging: dict[int | None, tuple[BoardTheme, ...]] = {
        final.id: tuple(board_theme(child, final.id) for child in final.emerging)
        for final in report.finals if final.emerging}
    if report.ungrouped:
        emerging[None] = tuple(board_theme(loose, None) for loose in report.ungrouped)
    left_out = tuple(BoardCode(0, name, "", "", 0) for name in report.codes_left_out)
    return Board(tuple(board_theme(final, None) for final in report.finals), emerging,
                 left_out)
