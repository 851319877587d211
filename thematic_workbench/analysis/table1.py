"""Table 1 of the paper built from the store: "Initial codes | Emerging themes | Final themes"
(the model is plain data in core/reports/table1.py).

One row per code, in the project's order (final themes, their emerging themes, their codes,
as arranged on the theme board; see core/queries/theme_board.py). Each emerging and each final theme
spans its codes, which the Word table draws as vertically merged cells and the preview as
spanned cells; CSV and XLSX repeat the theme on every row so that the file can be sorted
and filtered. Codes in no theme are left out and named in a warning, because a paper's
Table 1 shows the final frame, while the researcher must still see what it leaves behind.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.queries.attribution import coding_said_by
from thematic_workbench.core.queries.theme_board import Board, BoardCode, BoardTheme, read_board
from thematic_workbench.core.reports.table1 import (
    Table1,
    Table1Options,
    Table1Row,
)
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.models import Coding, Document
from thematic_workbench.core.theme_words import ThemeWords

# building the table, and the model's names the window and the command line read here


def _reach(session: Session) -> dict[int, tuple[int, int]]:
    """Per code: codings, and the participants they come from (one query)."""
    return {code_id: (codings, people) for code_id, codings, people in session.execute(
        select(Coding.code_id, func.count(), func.count(func.distinct(coding_said_by())))
        .join(Document, Document.id == Coding.document_id).group_by(Coding.code_id))}


def _three_level(board: Board, reach: dict[int, tuple[int, int]],
                 warnings: list[str], words: ThemeWords) -> list[Table1Row]:
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
                warnings.append(f"{words.theme('emerging', True)} '{emerging.name}' has no codes "
                                "and is left out.")
            rows += rows_of(emerging.codes, emerging, final)
        rows += rows_of(final.codes, None, final)
        if len(rows) == before:
            warnings.append(f"{words.theme('final', True)} '{final.name}' has no codes and is "
                            "left out.")
    for emerging in board.emerging.get(None, ()):
        if not emerging.codes:
            warnings.append(f"{words.theme('emerging', True)} '{emerging.name}' has no codes "
                            "and is left out.")
            continue
        warnings.append(f"{words.theme('emerging', True)} '{emerging.name}' is in no "
                        f"{words.theme('final')}; its {words.theme('final')} cell is empty.")
        rows += rows_of(emerging.codes, emerging, None)
    return rows


def _two_level(board: Board, reach: dict[int, tuple[int, int]],
               warnings: list[str], words: ThemeWords) -> list[Table1Row]:
    """Codes | themes: the final themes when there are any, else the emerging themes."""
    groups: list[tuple[BoardTheme, list[BoardCode]]] = []
    if board.finals:
        for final in board.finals:
            codes = [c for e in board.emerging.get(final.id, ()) for c in e.codes]
            groups.append((final, list({c.id: c for c in [*codes, *final.codes]}.values())))
        loose = board.emerging.get(None, ())
        if loose:
            warnings.append(f"{words.themes('emerging', True)} in no {words.theme('final')} "
                            "are left out of the two-level table: "
                            f"{', '.join(t.name for t in loose)}.")
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
    words = project_theme_words(session)
    rows = (_three_level if options.levels == 3 else _two_level)(board, reach, warnings, words)
    left_out = tuple(code.name for code in board.miscellaneous)
    if left_out:
        warnings.insert(0, f"{len(left_out)} code{'s' if len(left_out) != 1 else ''} in no "
                        f"theme {'are' if len(left_out) != 1 else 'is'} left out: "
                        f"{', '.join(left_out)}.")
    return Table1(options, tuple(rows), left_out, tuple(warnings), words)

