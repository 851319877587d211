"""Read queries for the codes and extracts panels: themes as a whole (their codes, their
extracts, their reach) and cheap checks of what a change of codings touched.

Extracts and counts are of everyone's codings, or, given ``coders``, of theirs only: what a
window shows when a coder codes blind (``core.queries.coders_filter``).

A theme's codes are its own members and, for a final theme, the members of the emerging
themes grouped under it (discarded themes and merged codes left out).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Subquery, bindparam, func, literal, select, union
from sqlalchemy.orm import Session

from thematic_workbench.core.queries.attribution import coding_said_by
from thematic_workbench.core.queries.coders_filter import coded_by
from thematic_workbench.core.queries.project import (
    Extract,
    extracts_of_code,
    quoted,
    union_length,
    unquoted_extracts_of_code,
)
from thematic_workbench.core.storage.models import (
    AuditEvent,
    Code,
    Coding,
    Document,
    Theme,
    ThemeMembership,
)


@dataclass(frozen=True)
class CodedExtract:
    """One extract with the code it was coded with."""

    code_id: int
    code: str
    colour: str
    extract: Extract


@dataclass(frozen=True)
class ExtractSet:
    """The extracts of one code or theme; ``kind`` is "code", "final theme"..."""

    kind: str
    name: str
    extracts: tuple[CodedExtract, ...]
    code_ids: tuple[int, ...] = ()

    @property
    def participants(self) -> int:
        return len({item.extract.participant for item in self.extracts
                    if item.extract.participant is not None})


@dataclass(frozen=True)
class Reach:
    """How many codings a code (or a theme's codes) has, from how many participants."""

    codings: int
    participants: int


def _theme_codes() -> Subquery:
    """(theme_id, code_id) pairs: members, and members of grouped emerging themes."""
    live = select(Theme.id).where(Theme.status != "discarded")
    direct = select(ThemeMembership.theme_id.label("theme_id"), ThemeMembership.code_id) \
        .where(ThemeMembership.theme_id.in_(live))
    grouped = (select(Theme.parent_id.label("theme_id"), ThemeMembership.code_id)
               .join(Theme, Theme.id == ThemeMembership.theme_id)
               .where(Theme.parent_id.is_not(None), Theme.status != "discarded"))
    return union(direct, grouped).subquery()


def codes_of_theme(session: Session, theme_id: int) -> list[tuple[int, str, str]]:
    """(id, name, colour) of the active codes of a theme, in board order."""
    child_ids = select(Theme.id).where(Theme.parent_id == theme_id,
                                       Theme.status != "discarded")
    rows = session.execute(
        select(Code.id, Code.name, Code.colour)
        .join(ThemeMembership, ThemeMembership.code_id == Code.id)
        .join(Theme, Theme.id == ThemeMembership.theme_id)
        .where(Code.status == "active",
               (ThemeMembership.theme_id == theme_id) | ThemeMembership.theme_id.in_(child_ids))
        .order_by((ThemeMembership.theme_id != theme_id), Theme.position,
                  ThemeMembership.position)).all()
    return list(dict.fromkeys((row[0], row[1], row[2]) for row in rows))


def extracts_for_code(session: Session, code_id: int,
                      coders: Collection[str] | None = None) -> ExtractSet | None:
    """Every coded segment of an active code (or those ``coders`` made); None if the code
    is gone or merged."""
    code = session.execute(select(Code.name, Code.colour).where(
        Code.id == code_id, Code.status == "active")).first()
    if code is None:
        return None
    return ExtractSet("code", code.name, tuple(
        CodedExtract(code_id, code.name, code.colour, extract)
        for extract in extracts_of_code(session, code_id, coders=coders)), (code_id,))


_ACTIVE_CODES = select(Code.id, Code.name, Code.colour).where(
    Code.id.in_(bindparam("code_ids", expanding=True)), Code.status == "active")


def extracts_of_codings(session: Session, shown: ExtractSet, coding_ids: Collection[int],
                        coders: Collection[str] | None = None) -> list[CodedExtract]:
    """The extracts among ``coding_ids`` that belong to what ``shown`` shows (its codes),
    made by ``coders`` if given."""
    if not coding_ids or not shown.code_ids:
        return []
    codes = {code_id: (name, colour) for code_id, name, colour in session.execute(
        _ACTIVE_CODES, {"code_ids": list(shown.code_ids)})}
    return _coded(session, [(code_id, name, colour, extract)
                            for code_id, (name, colour) in codes.items()
                            for extract in unquoted_extracts_of_code(session, code_id,
                                                                     coding_ids, coders)])


def _coded(session: Session,
           found: list[tuple[int, str, str, Extract]]) -> list[CodedExtract]:
    """The extracts, each with its code, quoted in one pass (one read of the turns)."""
    quotes = quoted(session, [extract for _id, _name, _colour, extract in found])
    return [CodedExtract(code_id, name, colour, quote)
            for (code_id, name, colour, _extract), quote in zip(found, quotes, strict=True)]


def sort_key(item: CodedExtract) -> tuple[bool, str, str, int, int, str]:
    """Participant (none last), document, place, then code: the order extracts are shown."""
    extract = item.extract
    return (extract.participant is None, extract.participant or "", extract.document,
            extract.start, extract.end, item.code.casefold())


def extracts_for_theme(session: Session, theme_id: int,
                       coders: Collection[str] | None = None) -> ExtractSet | None:
    """Every coded segment of every code of a theme (or those ``coders`` made), by
    participant, document and place; None if the theme is gone."""
    theme = session.execute(select(Theme.name, Theme.level).where(Theme.id == theme_id)).first()
    if theme is None:
        return None
    codes = codes_of_theme(session, theme_id)
    found = _coded(session, [(code_id, name, colour, extract)
                             for code_id, name, colour in codes
                             for extract in unquoted_extracts_of_code(session, code_id,
                                                                      coders=coders)])
    found.sort(key=sort_key)
    return ExtractSet(f"{theme.level} theme", theme.name, tuple(found),
                      tuple(code_id for code_id, _name, _colour in codes))


def theme_reach(session: Session, theme_ids: Collection[int] | None = None,
                coders: Collection[str] | None = None) -> dict[int, Reach]:
    """Per theme (all, or those given): distinct codings of its codes (everyone's, or those
    ``coders`` made), and distinct participants they come from."""
    pairs = _theme_codes()
    query = (select(pairs.c.theme_id, func.count(func.distinct(Coding.id)),
                    func.count(func.distinct(coding_said_by())))
             .join(Coding, Coding.code_id == pairs.c.code_id)
             .join(Code, (Code.id == Coding.code_id) & (Code.status == literal("active")))
             .join(Document, Document.id == Coding.document_id)
             .group_by(pairs.c.theme_id))
    if theme_ids is not None:
        query = query.where(pairs.c.theme_id.in_(list(theme_ids)))
    if coders is not None:
        query = query.where(coded_by(coders))
    return {theme_id: Reach(codings, people)
            for theme_id, codings, people in session.execute(query)}


def code_reach(session: Session, code_ids: Collection[int],
               coders: Collection[str] | None = None) -> dict[int, Reach]:
    """Per code given: its codings (everyone's, or those ``coders`` made) and the
    participants they come from (as code_summaries counts them), for refreshing a few codes
    without reloading them all."""
    query = (select(Coding.code_id, func.count(), func.count(func.distinct(coding_said_by())))
             .join(Document, Document.id == Coding.document_id)
             .where(Coding.code_id.in_(list(code_ids))).group_by(Coding.code_id))
    if coders is not None:
        query = query.where(coded_by(coders))
    found = {code_id: Reach(codings, people)
             for code_id, codings, people in session.execute(query)}
    return {code_id: found.get(code_id, Reach(0, 0)) for code_id in code_ids}


def coding_owners(session: Session,
                  coding_ids: Collection[int]) -> dict[int, tuple[int, int]] | None:
    """(document_id, code_id) of each coding, including codings just removed (read from
    their audit event, which records the row); None if one cannot be told."""
    wanted = set(coding_ids)
    owners = {row[0]: (row[1], row[2]) for row in session.execute(
        select(Coding.id, Coding.document_id, Coding.code_id).where(Coding.id.in_(wanted)))}
    gone = wanted - owners.keys()
    if gone:
        for coding_id, before, after in session.execute(
                select(AuditEvent.entity_id, AuditEvent.before_json, AuditEvent.after_json)
                .where(AuditEvent.entity_kind == "coding", AuditEvent.entity_id.in_(gone))
                .order_by(AuditEvent.seq.desc())):
            row = json.loads(before or after or "{}")
            if coding_id is not None and coding_id not in owners and isinstance(row, dict) and \
                    {"document_id", "code_id"} <= row.keys():
                owners[coding_id] = (int(row["document_id"]), int(row["code_id"]))
    return owners if owners.keys() >= wanted else None


def coded_characters(session: Session, document_ids: Collection[int],
                     coders: Collection[str] | None = None) -> dict[int, int]:
    """Per document given: how many characters at least one coding (of ``coders``, if
    given) covers."""
    spans: dict[int, list[tuple[int, int]]] = {document_id: [] for document_id in document_ids}
    query = (select(Coding.document_id, Coding.start, Coding.end)
             .where(Coding.document_id.in_(list(document_ids))))
    if coders is not None:
        query = query.where(coded_by(coders))
    for document_id, start, end in session.execute(query):
        spans[document_id].append((start, end))
    return {document_id: union_length(found) for document_id, found in spans.items()}
