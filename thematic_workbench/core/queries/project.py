"""Read-side queries that return plain data for the CLI, the views and the reports."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select, text
from sqlalchemy.orm import Session, aliased

from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.queries.attribution import coding_said_by
from thematic_workbench.core.queries.coders_filter import coded_by
from thematic_workbench.core.storage.models import (
    Code,
    Coder,
    Coding,
    Document,
    Line,
    Participant,
    Theme,
    ThemeMembership,
    Turn,
)
from thematic_workbench.core.text.quotes import SpeakerLabels, trim_quote
from thematic_workbench.core.wording import lines_phrase

_POINTS_PER_QUERY = 5000  # positions whose line numbers one query looks up


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    name: str
    participant: str | None
    source_name: str
    source_format: str
    characters: int
    lines: int
    turns: int
    codings: int
    coded_characters: int

    @property
    def coded_percent(self) -> float:
        return 100.0 * self.coded_characters / self.characters if self.characters else 0.0


@dataclass(frozen=True)
class CodeSummary:
    id: int
    name: str
    definition: str
    colour: str
    origin: str
    codings: int
    documents: int
    participants: int
    themes: tuple[str, ...]


@dataclass(frozen=True)
class Extract:
    """A coded passage as it is quoted: ``start``, ``end``, the lines and ``text`` leave out
    a speaker label at either end (:func:`quoted`); the coding itself may include it."""

    coding_id: int
    document_id: int
    document: str
    participant: str | None
    coder: str
    start: int
    end: int
    first_line: int
    last_line: int
    text: str
    memo: str

    @property
    def citation(self) -> str:
        """``[PA, lines 120-134]``, the form used in reports."""
        return citation(self.participant or self.document, self.first_line, self.last_line)


def citation(who: str, first_line: int, last_line: int) -> str:
    """``[PA, lines 120-134]`` (or ``[PA, line 7]``): how reports and copies cite a passage."""
    return f"[{who}, {lines_phrase(first_line, last_line)}]"


def find_document(session: Session, name_or_id: str) -> Document:
    """A document by exact name, by case-insensitive name, or by numeric id."""
    wanted = " ".join(unicodedata.normalize("NFC", name_or_id).split())
    document = session.execute(
        select(Document).where(Document.name == wanted)).scalar_one_or_none()
    if document is None:  # SQLite's lower() folds ASCII only, so compare here
        key = wanted.casefold()
        matches = [doc_id for doc_id, name in session.execute(select(Document.id, Document.name))
                   if name.casefold() == key]
        document = session.get(Document, matches[0]) if len(matches) == 1 else None
    if document is None and name_or_id.isdigit():
        document = session.get(Document, int(name_or_id))
    if document is None:
        raise NotFoundError(f"no document named '{name_or_id}'")
    return document


def merged_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans' union as sorted, disjoint spans (touching spans joined)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def union_length(spans: list[tuple[int, int]]) -> int:
    """How many characters the spans cover together (overlaps counted once)."""
    total = 0
    reach = -1
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def document_summaries(session: Session,
                       coders: Collection[str] | None = None) -> list[DocumentSummary]:
    """Every transcript with its size and how much of it is coded: by everyone, or by
    ``coders`` only (their codings and the characters those cover)."""
    line_counts = dict(session.execute(
        select(Line.document_id, func.count()).group_by(Line.document_id)).all())
    turn_counts = dict(session.execute(
        select(Turn.document_id, func.count()).group_by(Turn.document_id)).all())
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    coded = select(Coding.document_id, Coding.start, Coding.end)
    if coders is not None:
        coded = coded.where(coded_by(coders))
    for document_id, start, end in session.execute(coded):
        spans[document_id].append((start, end))
    rows = session.execute(
        select(Document.id, Document.name, Participant.label, Document.source_name,
               Document.source_format, Document.char_count)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .order_by(Participant.label, Document.name)).all()
    return [
        DocumentSummary(
            id=row.id, name=row.name, participant=row.label, source_name=row.source_name,
            source_format=row.source_format, characters=row.char_count,
            lines=line_counts.get(row.id, 0), turns=turn_counts.get(row.id, 0),
            codings=len(spans.get(row.id, [])),
            coded_characters=union_length(spans.get(row.id, [])),
        )
        for row in rows
    ]


def code_summaries(session: Session,
                   coders: Collection[str] | None = None) -> list[CodeSummary]:
    """Active codes, alphabetically, with counts of codings, documents and participants:
    of everyone's codings, or of those of ``coders`` only (a code they never used counts 0)."""
    counting = (select(Coding.code_id, func.count().label("codings"),
                       func.count(func.distinct(Coding.document_id)).label("documents"),
                       func.count(func.distinct(coding_said_by())).label("participants"))
                .join(Document, Document.id == Coding.document_id)
                .group_by(Coding.code_id))
    if coders is not None:
        counting = counting.where(coded_by(coders))
    counts = {row.code_id: row for row in session.execute(counting)}
    themes: dict[int, list[str]] = defaultdict(list)
    for code_id, theme_name in session.execute(
            select(ThemeMembership.code_id, Theme.name).join(Theme)
            .where(Theme.status != "discarded")
            .order_by(Theme.level, Theme.position, ThemeMembership.position)):
        themes[code_id].append(theme_name)
    codes = session.execute(
        select(Code).where(Code.status == "active").order_by(Code.name_key)).scalars()
    result = []
    for code in codes:
        row = counts.get(code.id)
        result.append(CodeSummary(
            id=code.id, name=code.name, definition=code.definition, colour=code.colour,
            origin=code.origin, codings=row.codings if row else 0,
            documents=row.documents if row else 0, participants=row.participants if row else 0,
            themes=tuple(themes.get(code.id, ())),
        ))
    return result


# -- Names and places the window looks up by id (issue 15: the gui reads no ORM rows) ------

def coders_who_coded(session: Session) -> list[str]:
    """The names of the coders with at least one coding, by name."""
    names = session.execute(select(Coder.name).where(
        select(Coding.id).where(Coding.coder_id == Coder.id).exists())).scalars()
    return sorted(names, key=str.casefold)


def code_names(session: Session, code_ids: Collection[int]) -> dict[int, str]:
    """The names of these codes (active or merged) by id; an id no code has is left out."""
    return {code_id: name for code_id, name in session.execute(
        select(Code.id, Code.name).where(Code.id.in_(code_ids)))}


def active_codes(session: Session,
                 code_ids: Collection[int] | None = None) -> list[tuple[int, str, str]]:
    """(id, name, colour) of the active codes, or of those of ``code_ids`` only: names
    only, no counting of codings."""
    query = select(Code.id, Code.name, Code.colour).where(Code.status == "active")
    if code_ids is not None:
        query = query.where(Code.id.in_(code_ids))
    return [(code_id, name, colour) for code_id, name, colour in session.execute(query)]


def coding_place(session: Session, coding_id: int) -> tuple[int, int, int] | None:
    """(document id, start, end) of a coding, or None when there is no such coding."""
    row = session.execute(select(Coding.document_id, Coding.start, Coding.end)
                          .where(Coding.id == coding_id)).first()
    return None if row is None else (row.document_id, row.start, row.end)


def extracts_of_code(session: Session, code_id: int,
                     coding_ids: Collection[int] | None = None,
                     coders: Collection[str] | None = None) -> list[Extract]:
    """Every coded segment of one code (or only those of ``coding_ids``; everyone's, or
    only those ``coders`` made), in document and text order, with line numbers."""
    return quoted(session, unquoted_extracts_of_code(session, code_id, coding_ids, coders))


def unquoted_extracts_of_code(session: Session, code_id: int,
                              coding_ids: Collection[int] | None = None,
                              coders: Collection[str] | None = None) -> list[Extract]:
    """:func:`extracts_of_code` as coded, not yet :func:`quoted`."""
    values: dict[str, Any] = {"code_id": code_id}
    if coding_ids is not None:
        values["coding_ids"] = list(coding_ids)
    if coders is not None:
        values["coders"] = sorted(coders)
    rows = session.execute(
        _extracts_statement(coding_ids is not None, coders is not None), values).all()
    return [Extract(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                    row[7] or 1, row[8] or 1, row[9], row[10]) for row in rows]


def quoted(session: Session, extracts: list[Extract]) -> list[Extract]:
    """The extracts as quotes (``core.quotes``): a speaker label or white space at either
    end left out of the text, the span and the cited lines. The codings are not changed."""
    if not extracts:
        return extracts
    labels = speaker_labels(session, {extract.document_id for extract in extracts})
    none = SpeakerLabels()
    trimmed = [(extract, *trim_quote(extract.text, extract.start,
                                     labels.get(extract.document_id, none)))
               for extract in extracts]
    points = []
    for extract, start, end in trimmed:
        if "\n" in extract.text[:start - extract.start]:
            points.append((extract.document_id, start))
        if "\n" in extract.text[end - extract.start:]:
            points.append((extract.document_id, end - 1))
    lines = line_numbers(session, points) if points else {}
    result = []
    for extract, start, end in trimmed:
        if (start, end) == (extract.start, extract.end):
            result.append(extract)
            continue
        first, last = extract.first_line, extract.last_line
        if "\n" in extract.text[:start - extract.start]:
            first = lines[(extract.document_id, start)]
        if "\n" in extract.text[end - extract.start:]:
            last = lines[(extract.document_id, end - 1)]
        result.append(replace(extract, start=start, end=end, first_line=first,
                              last_line=max(first, last),
                              text=extract.text[start - extract.start:end - extract.start]))
    return result


def speaker_labels(session: Session, document_ids: Collection[int] | None = None,
                   ) -> dict[int, SpeakerLabels]:
    """The speaker-label spans of each document's turns (every document's, or those
    given); a document with no labels is left out."""
    query = select(Turn.document_id, Turn.start, Turn.speech_start).where(
        Turn.speech_start > Turn.start)
    if document_ids is not None:
        query = query.where(Turn.document_id.in_(sorted(document_ids)))
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for document_id, start, speech_start in session.execute(query):
        spans[document_id].append((start, speech_start))
    return {document_id: SpeakerLabels(found) for document_id, found in spans.items()}


def line_numbers(session: Session, points: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """The number of the line holding each (document id, position), 1 before the first line,
    in one query per few thousand positions (a transcript's 1,500 line starts are not read
    for three lines). The positions are whole numbers written into the SQL: building the
    statement from thousands of bound values took longer than running it."""
    numbers: dict[tuple[int, int], int] = {}
    for at in range(0, len(points), _POINTS_PER_QUERY):
        rows = ", ".join(f"({int(doc)}, {int(pos)})"
                         for doc, pos in points[at:at + _POINTS_PER_QUERY])
        found = session.execute(text(
            f"WITH points(document_id, position) AS (VALUES {rows}) "
            "SELECT points.document_id, points.position, (SELECT line.number FROM line "
            "WHERE line.document_id = points.document_id AND line.start <= points.position "
            "ORDER BY line.start DESC LIMIT 1) FROM points"))
        numbers.update(((doc, pos), number or 1) for doc, pos, number in found)
    return numbers


@cache
def _extracts_statement(some_codings: bool, some_coders: bool) -> Select[*tuple[Any, ...]]:
    """Built once: coding a passage re-reads its extract, and building the statement
    cost more than running it. Its eleven columns are more than SQLAlchemy types one by one,
    hence ``Any``."""
    first = aliased(Line)
    last = aliased(Line)
    # Line numbers rise with line starts, so the nearest line by start (one index probe on
    # ix_line_document_start) is the line that holds a position; max(number) would scan.
    first_line = (select(first.number).where(
        first.document_id == Coding.document_id, first.start <= Coding.start)
        .order_by(first.start.desc()).limit(1).scalar_subquery())
    last_line = (select(last.number).where(
        last.document_id == Coding.document_id, last.start < Coding.end)
        .order_by(last.start.desc()).limit(1).scalar_subquery())
    chosen = Coding.code_id == bindparam("code_id")
    if some_codings:
        chosen = chosen & Coding.id.in_(bindparam("coding_ids", expanding=True))
    if some_coders:
        chosen = chosen & Coder.name.in_(bindparam("coders", expanding=True))
    return (select(Coding.id, Coding.document_id, Document.name, Participant.label,
                   Coder.name, Coding.start, Coding.end, first_line.label("first_line"),
                   last_line.label("last_line"),
                   func.substr(Document.text, Coding.start + 1, Coding.end - Coding.start),
                   Coding.memo)
            .join(Document, Document.id == Coding.document_id)
            .join(Coder, Coder.id == Coding.coder_id)
            .outerjoin(Participant, Participant.id == coding_said_by())
            .where(chosen)
            .order_by(Participant.label, Document.name, Coding.start))


@dataclass(frozen=True)
class ThemeNode:
    id: int
    name: str
    level: str
    status: str
    definition: str
    codes: tuple[str, ...]
    children: tuple[ThemeNode, ...]


def theme_tree(session: Session) -> tuple[list[ThemeNode], list[str]]:
    """Final themes with their emerging themes (board order), loose emerging themes after
    them; and the names of active codes that belong to no theme."""
    members: dict[int, list[str]] = defaultdict(list)
    for theme_id, code_name in session.execute(
            select(ThemeMembership.theme_id, Code.name).join(Code)
            .where(Code.status == "active").order_by(ThemeMembership.position)):
        members[theme_id].append(code_name)
    themes = session.execute(
        select(Theme).where(Theme.status != "discarded")
        .order_by(Theme.position, Theme.id)).scalars().all()

    def node(theme: Theme) -> ThemeNode:
        children = tuple(node(t) for t in themes if t.parent_id == theme.id)
        return ThemeNode(theme.id, theme.name, theme.level, theme.status, theme.definition,
                         tuple(members.get(theme.id, ())), children)

    ids = {t.id for t in themes}
    roots = [t for t in themes if t.level == "final"]
    roots += [t for t in themes if t.level == "emerging" and t.parent_id not in ids]
    grouped = {name for theme in themes for name in members.get(theme.id, ())}
    loose = [name for name in session.execute(
        select(Code.name).where(Code.status == "active").order_by(Code.name_key)).scalars()
        if name not in grouped]
    return [node(t) for t in roots], loose
