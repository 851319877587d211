"""The codes of the coding frame as a flat list, for a codebook written without themes.

A plain model read in one session (DESIGN.md section 6): io/codebook_files.py renders it as
the .csv Taguette imports, which has tags and no themes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from thematic_workbench.core.queries.theme_board import BoardCode, read_board


@dataclass(frozen=True)
class CodeList:
    """Every active code once, in the order of the board, and how many themes the board
    holds (which a flat list leaves out)."""

    codes: tuple[BoardCode, ...]
    theme_count: int


def code_list(session: Session) -> CodeList:
    """The codes in the board's order: each final theme's emerging themes, then the final
    theme, then emerging themes under no final one, then the codes in no theme; a code in
    two themes comes where it is first met."""
    board = read_board(session)
    ordered = [theme for final in board.finals
               for theme in (*board.emerging.get(final.id, ()), final)]
    ordered += board.emerging.get(None, ())
    codes: dict[int, BoardCode] = {}
    for code in (*(c for theme in ordered for c in theme.codes), *board.miscellaneous):
        codes.setdefault(code.id, code)
    return CodeList(tuple(codes.values()), len(ordered))
