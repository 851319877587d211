"""Table 1 of the paper as plain data: "Initial codes | Emerging themes | Final themes".

One row per code, in the project's order (final themes, their emerging themes, their codes,
as arranged on the theme board; see core/theme_board.py). Each emerging and each final theme
spans its codes, which the Word table draws as vertically merged cells and the preview as
spanned cells; CSV and XLSX repeat the theme on every row so that the file can be sorted
and filtered. Codes in no theme are left out and named in a warning, because a paper's
Table 1 shows the final frame, while the researcher must still see what it leaves behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.attribution import coding_said_by
from thematic_workbench.core.models import Coding, Document
from thematic_workbench.core.theme_board import Board, BoardCode, BoardTheme, read_board

CAPTION_LABEL = "Table 1"
CAPTION_TITLES = {3: "Coding frame for emerging and final themes",
                  2: "Coding frame: initial codes and themes"}
HEADERS_3 = ("Initial codes", "Emerging themes", "Final themes")
HEADERS_2 = ("Initial codes", "Themes")


@dataclass(frozen=True)
class Table1Options:
    """What the researcher chose; ``levels`` is 3 (codes | emerging | final) or 2."""

    levels: int = 3
    show_counts: bool = False
    landscape: bool = False
    caption_label: str = CAPTION_LABEL
    caption_title: str | None = None  # None: the usual title for the number of levels

    @property
    def title(self) -> str:
        return CAPTION_TITLES[self.levels] if self.caption_title is None else self.caption_title


@dataclass(frozen=True)
class Table1Row:
    code_id: int
    code: str
    codings: int
    participants: int
    emerging_id: int | None  # None: the code sits directly in its final theme
    emerging: str
    final_id: int | None  # None: the emerging theme is in no final theme
    final: str


@dataclass(frozen=True)
class Span:
    """A theme's cell: ``text`` over rows ``first``..``last`` (0-based body rows)."""

    text: str
    first: int
    last: int


@dataclass(frozen=True)
class Table1:
    options: Table1Options
    rows: tuple[Table1Row, ...]
    left_out_codes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def headers(self) -> tuple[str, ...]:
        return HEADERS_3 if self.options.levels == 3 else HEADERS_2

    def code_text(self, row: Table1Row) -> str:
        """The code as printed: "(codings, participants)" after it when counts are asked for."""
        if not self.options.show_counts:
            return row.code
        return f"{row.code} ({row.codings}, {row.participants})"

    def theme_columns(self) -> list[list[Span]]:
        """For each theme column, left to right, the spans its cells cover."""
        if self.options.levels == 2:
            return [_runs(self.rows, lambda r: ((r.final_id,), r.final))]
        return [_runs(self.rows, lambda r: ((r.final_id, r.emerging_id), r.emerging)),
                _runs(self.rows, lambda r: ((r.final_id,), r.final))]

    def flat_rows(self) -> list[list[str | int]]:
        """Every row with its themes repeated (CSV, XLSX); counts in their own columns."""
        result: list[list[str | int]] = []
        for row in self.rows:
            themes = [row.final] if self.options.levels == 2 else [row.emerging, row.final]
            counts = [row.codings, row.participants] if self.options.show_counts else []
            result.append([row.code, *themes, *counts])
        return result

    def flat_headers(self) -> list[str]:
        counts = ["Codings", "Participants"] if self.options.show_counts else []
        return [*self.headers, *counts]


def _runs(rows: tuple[Table1Row, ...],
          key: Callable[[Table1Row], tuple[tuple[int | None, ...], str]]) -> list[Span]:
    """Consecutive rows with the same key (the theme's ids, its text) form one span."""
    spans: list[Span] = []
    previous: object = object()
    for index, row in enumerate(rows):
        current = key(row)
        if spans and current == previous:
            spans[-1] = Span(spans[-1].text, spans[-1].first, index)
        else:
            spans.append(Span(current[1], index, index))
        previous = current
    return spans


def _reach(session: Session) -> dict[int, tuple[int, int]]:
    """Per code: codings, and the participants they come from (one query)."""
    return {code_id: (codings, people) for code_id, codings, people in session.execute(
        select(Coding.code_id, func.count(), func.count(func.distinct(coding_said_by())))
        .join(Document, Document.id == Coding.document_id).group_by(Coding.code_id))}


def _three_level(board: Board, reach: dict[int, tuple[int, int]],
                 warnings: list[str]) -> list[Table1Row]:
    def rows_of(codes: tuple[BoardCode, ...], emerging: BoardTheme | None,
                final: BoardTheme | None) -> list[Table1Row]:
        return [Table1Row(c.id, c.name, *reach.get(c.id, (0, 0)),
                          emerging.id if emerging else None, emerging.name if emerging else "",
                          final.id if final else None, final.name if final else "")
                for c in codes]

    rows: list[Table1Row] = []
    for final in board.finals:
        before = len(rows)
        for emerging in board.emerging.get(final.id, ()):
            if not emerging.codes:
                warnings.append(f"Emerging theme '{emerging.name}' has no codes and is left out.")
            rows += rows_of(emerging.codes, emerging, final)
        rows += rows_of(final.codes, None, final)
        if len(rows) == before:
            warnings.append(f"Final theme '{final.name}' has no codes and is left out.")
    for emerging in board.emerging.get(None, ()):
        if not emerging.codes:
            warnings.append(f"Emerging theme '{emerging.name}' has no codes and is left out.")
            continue
        warnings.append(f"Emerging theme '{emerging.name}' is in no final theme; its final "
                        "theme cell is empty.")
        rows += rows_of(emerging.codes, emerging, None)
    return rows


def _two_level(board: Board, reach: dict[int, tuple[int, int]],
               warnings: list[str]) -> list[Table1Row]:
    """Codes | themes: the final themes when there are any, else the emerging themes."""
    groups: list[tuple[BoardTheme, list[BoardCode]]] = []
    if board.finals:
        for final in board.finals:
            codes = [c for e in board.emerging.get(final.id, ()) for c in e.codes]
            groups.append((final, list({c.id: c for c in [*codes, *final.codes]}.values())))
        loose = board.emerging.get(None, ())
        if loose:
            warnings.append("Emerging themes in no final theme are left out of the two-level "
                            f"table: {', '.join(t.name for t in loose)}.")
    else:
        groups = [(e, list(e.codes)) for e in board.emerging.get(None, ())]
    rows: list[Table1Row] = []
    for theme, codes in groups:
        if not codes:
            warnings.append(f"Theme '{theme.name}' has no codes and is left out.")
        rows += [Table1Row(c.id, c.name, *reach.get(c.id, (0, 0)), None, "", theme.id,
                           theme.name) for c in codes]
    return rows


def build_table1(session: Session, options: Table1Options | None = None) -> Table1:
    """Table 1 from the project's board, in its order, with the warnings a reader needs."""
    options = options or Table1Options()
    if options.levels not in (2, 3):
        raise ValueError("Table 1 has 2 or 3 levels")
    board = read_board(session)
    reach = _reach(session)
    warnings: list[str] = []
    rows = (_three_level if options.levels == 3 else _two_level)(board, reach, warnings)
    left_out = tuple(code.name for code in board.miscellaneous)
    if left_out:
        warnings.insert(0, f"{len(left_out)} code{'s' if len(left_out) != 1 else ''} in no "
                        f"theme {'are' if len(left_out) != 1 else 'is'} left out: "
                        f"{', '.join(left_out)}.")
    return Table1(options, tuple(rows), left_out, tuple(warnings))

