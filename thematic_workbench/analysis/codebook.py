"""The codebook as a report: one row per place a code has on the theme board.

A codebook shows each code with its definition, where it sits (emerging theme, final
theme), how much it was used and one example, so a reader can judge whether the code is
applied consistently. A code in two themes has two rows, as in Table 1; codes in no theme
come last. Built from the board (core/queries/theme_board.py) plus three grouped queries, so a
frame of hundreds of codes costs the same few queries as a small one. The model it builds
is plain data in core/reports/codebook.py, which io writes.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.analysis.extracts_report import extracts_by_id
from thematic_workbench.core.queries.attribution import coding_said_by
from thematic_workbench.core.queries.theme_board import BoardCode, read_board
from thematic_workbench.core.reports.codebook import CodebookEntry, CodebookModel
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.models import Code, Coding, Document, Participant, Project

EXAMPLE_MAX = 300  # characters: an example should fit a table cell


def _participant_counts(session: Session) -> dict[int, int]:
    return dict(session.execute(
        select(Coding.code_id, func.count(func.distinct(coding_said_by())))
        .join(Document, Document.id == Coding.document_id)
        .join(Code, Code.id == Coding.code_id).where(Code.status == "active")
        .group_by(Coding.code_id)).all())


def _chosen_codings(session: Session) -> dict[int, int]:
    """Per code, the first coding (in participant, document, text order) that fits a cell,
    or the shortest when none does: the same choice every time."""
    rows = session.execute(
        select(Coding.id, Coding.code_id, Coding.end - Coding.start)
        .join(Document, Document.id == Coding.document_id)
        .join(Code, Code.id == Coding.code_id)
        .outerjoin(Participant, Participant.id == coding_said_by())
        .where(Code.status == "active")
        .order_by(Participant.label, Document.name, Coding.start, Coding.id)).all()
    first_fit: dict[int, int] = {}
    shortest: dict[int, tuple[int, int]] = {}
    for coding_id, code_id, length in rows:
        if length <= EXAMPLE_MAX and code_id not in first_fit:
            first_fit[code_id] = coding_id
        if code_id not in shortest or length < shortest[code_id][0]:
            shortest[code_id] = (length, coding_id)
    return {code_id: first_fit.get(code_id, best[1]) for code_id, best in shortest.items()}


def shorten(text: str, limit: int = EXAMPLE_MAX) -> str:
    """One line of text, cut at a word boundary with an ellipsis when too long."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit - 1].rsplit(" ", 1)[0] or flat[:limit - 1]
    return cut.rstrip(",;:.") + "…"


def build_codebook(session: Session) -> CodebookModel:
    """The codebook of the project in board order."""
    board = read_board(session)
    title = session.execute(select(Project.title)).scalar_one()
    participants = _participant_counts(session)
    chosen = _chosen_codings(session)
    by_coding = extracts_by_id(session, chosen.values())
    extracts = {code_id: by_coding[coding_id] for code_id, coding_id in chosen.items()}

    def entry(code: BoardCode, emerging: str, final: str) -> CodebookEntry:
        extract = extracts.get(code.id)
        return CodebookEntry(
            code.id, code.name, code.definition, code.colour, emerging, final, code.codings,
            participants.get(code.id, 0), shorten(extract.text) if extract else "",
            extract.citation if extract else "")

    entries: list[CodebookEntry] = []
    for final in board.finals:
        for theme in board.emerging.get(final.id, ()):
            entries += [entry(code, theme.name, final.name) for code in theme.codes]
        entries += [entry(code, "", final.name) for code in final.codes]
    for theme in board.emerging.get(None, ()):
        entries += [entry(code, theme.name, "") for code in theme.codes]
    entries += [entry(code, "", "") for code in board.miscellaneous]
    return CodebookModel(title, tuple(entries), project_theme_words(session))


def placements_by_code(model: CodebookModel) -> dict[int, list[CodebookEntry]]:
    """The rows of each code, for a view that lists a code once with all its places."""
    grouped: dict[int, list[CodebookEntry]] = defaultdict(list)
    for row in model.entries:
        grouped[row.code_id].append(row)
    return dict(grouped)
