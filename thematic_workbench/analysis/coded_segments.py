"""Coded segments as rows: one per coding, for a spreadsheet, a Word table or another tool.

Each row says who said the passage (the participant mapped to the speaker of the turn where
the coding starts, else the transcript's participant: ``core.attribution``), where it is
(document, stable line numbers of the quote, code points), the speaker of that turn, the
code with its emerging and final themes on the board, the coder, memo and time, and the
words. The words are a quote (``core.quotes``): no speaker label at either end, and a coding
that runs over several turns gives each turn's speech, labels left out, joined by
:data:`TURN_SEPARATOR`.

Rows follow the documents panel (participants alphabetically, no participant last, then the
document name), then the place in the text. A handful of bulk queries serve any number of
codings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.finding.scope import Scope, participant_ids_in_scope
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.attribution import participant_label_map, passage_participants
from thematic_workbench.core.queries.theme_board import read_board
from thematic_workbench.core.queries.theme_extracts import codes_of_theme
from thematic_workbench.core.reports.coded_segments import CodedSegment
from thematic_workbench.core.storage.models import (
    AttributeDefinition,
    Code,
    Coder,
    Coding,
    Document,
    Line,
    Participant,
    ParticipantAttribute,
    Theme,
    Turn,
)
from thematic_workbench.core.text.quotes import SpeakerLabels, trim_quote

TURN_SEPARATOR = " | "  # between the speech of two turns within one segment
THEME_SEPARATOR = "; "  # between the names of a code's themes
_CHUNK = 5000  # coding ids per IN (...): under SQLite's limit on bound values


@dataclass(frozen=True)
class SegmentFilter:
    """Which codings to give. Names within one kind are alternatives (any of them); the
    kinds narrow each other. Codes and themes both choose codes, so together they give the
    codings of any code named or of any code of a theme named (a final theme's codes include
    those of its emerging themes). ``coding_ids``: exactly these codings (an extracts list)."""

    codes: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()  # (attribute name, value)
    coding_ids: frozenset[int] | None = None

    @property
    def everything(self) -> bool:
        return not (self.codes or self.themes or self.participants or self.attributes) \
            and self.coding_ids is None


# -- choosing ------------------------------------------------------------------------------
def _chosen_code_ids(session: Session, chosen: SegmentFilter) -> set[int] | None:
    """The codes the code and theme filters name; None when neither is given."""
    if not chosen.codes and not chosen.themes:
        return None
    found: set[int] = set()
    if chosen.codes:
        by_key = {key: code_id for code_id, key in session.execute(
            select(Code.id, Code.name_key).where(Code.status == "active"))}
        for name in chosen.codes:
            code_id = by_key.get(name_key(" ".join(name.split())))
            if code_id is None:
                raise NotFoundError(f"no code named '{name}'")
            found.add(code_id)
    if chosen.themes:
        themes: dict[str, list[int]] = defaultdict(list)
        for theme_id, theme_name in session.execute(
                select(Theme.id, Theme.name).where(Theme.status != "discarded")):
            themes[name_key(theme_name)].append(theme_id)
        for name in chosen.themes:
            ids = themes.get(name_key(" ".join(name.split())))
            if not ids:
                raise NotFoundError(f"no theme named '{name}'")
            for theme_id in ids:  # an emerging and a final theme may share a name: both
                found.update(code_id for code_id, _name, _colour in
                             codes_of_theme(session, theme_id))
    return found


def _chosen_participant_ids(session: Session, chosen: SegmentFilter) -> set[int] | None:
    """The participants the participant and attribute filters leave in; None: everyone."""
    if not chosen.participants and not chosen.attributes:
        return None
    labels = {label.casefold(): label
              for label in session.execute(select(Participant.label)).scalars()}
    wanted = []
    for label in chosen.participants:
        found = labels.get(" ".join(label.split()).casefold())
        if found is None:
            raise NotFoundError(f"no participant labelled '{label}'")
        wanted.append(found)
    names = {name.casefold(): name
             for name in session.execute(select(AttributeDefinition.name)).scalars()}
    attributes = []
    for name, value in chosen.attributes:
        found = names.get(name.strip().casefold())
        if found is None:
            raise NotFoundError(f"no attribute named '{name}'")
        attributes.append((found, value.strip()))
    scope = Scope(participants=frozenset(wanted) if wanted else None,
                  attributes=tuple(attributes))
    ids = participant_ids_in_scope(session, scope)
    return set(ids) if ids is not None else None


# -- reading -------------------------------------------------------------------------------
# The words, lines and turns are read once per transcript and looked up in Python: asking
# SQLite for each coding's substring and line numbers took seconds over 50,000 codings.
_STATEMENT = (select(Coding.id, Coding.document_id, Document.name, Participant.label,
                     Coder.name, Coding.start, Coding.end, Coding.memo, Coding.code_id,
                     Code.name, Coding.created_at)
              .join(Document, Document.id == Coding.document_id)
              .join(Coder, Coder.id == Coding.coder_id)
              .join(Code, Code.id == Coding.code_id)
              .outerjoin(Participant, Participant.id == Document.participant_id))


def _rows(session: Session, code_ids: set[int] | None,
          coding_ids: Collection[int] | None) -> list[tuple[Any, ...]]:
    statement = _STATEMENT
    if code_ids is not None:
        statement = statement.where(Coding.code_id.in_(sorted(code_ids)))
    if coding_ids is None:
        return [tuple(row) for row in session.execute(statement)]
    ids = sorted(coding_ids)
    rows: list[tuple[Any, ...]] = []
    for at in range(0, len(ids), _CHUNK):
        rows.extend(tuple(row) for row in session.execute(
            statement.where(Coding.id.in_(ids[at:at + _CHUNK]))))
    return rows


class _Transcript:
    """One document's text, line starts and turns, for quick lookups by position."""

    __slots__ = ("label_ends", "labels", "line_numbers", "line_starts", "quote_labels",
                 "speakers", "text", "turn_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts: list[int] = []
        self.line_numbers: list[int] = []
        self.turn_starts: list[int] = []
        self.speakers: list[str] = []
        self.labels: list[tuple[int, int]] = []
        self.label_ends: list[int] = []
        self.quote_labels = SpeakerLabels()

    def add_turns(self, turns: list[tuple[int, int, str]]) -> None:
        """``(start, speech_start, speaker)`` of every turn, in any order."""
        turns.sort()
        self.turn_starts = [start for start, _speech, _speaker in turns]
        self.speakers = [speaker for _start, _speech, speaker in turns]
        self.labels = [(start, speech) for start, speech, _speaker in turns if speech > start]
        self.label_ends = [speech for _start, speech in self.labels]
        self.quote_labels = SpeakerLabels(self.labels)

    def line_at(self, position: int) -> int:
        """The number of the line holding ``position`` (1 before the first line)."""
        index = bisect_right(self.line_starts, position) - 1
        return self.line_numbers[index] if index >= 0 else 1

    def speaker_at(self, position: int) -> str | None:
        """The speaker of the last turn to start at or before ``position``: the turn
        ``core.attribution`` credits, so speaker and participant always agree."""
        index = bisect_right(self.turn_starts, position) - 1
        return self.speakers[index] if index >= 0 else None

    def quote(self, start: int, end: int) -> tuple[str, str]:
        """The lines ("12-14") and words of a coding as quoted (``core.quotes``): no label
        at either end, none inside (each turn's speech trimmed, joined by
        :data:`TURN_SEPARATOR`)."""
        first, last = trim_quote(self.text[start:end], start, self.quote_labels)
        lines = _lines(self.line_at(first), self.line_at(last - 1))
        pieces, at = [], first
        for label, speech in self.labels[bisect_right(self.label_ends, first):]:
            if label >= last:
                break
            pieces.append(self.text[at:max(at, label)])
            at = max(at, speech)
        pieces.append(self.text[at:last])
        kept = [piece.strip() for piece in pieces if piece.strip()]
        return lines, TURN_SEPARATOR.join(kept)


def _transcripts(session: Session, document_ids: Iterable[int]) -> dict[int, _Transcript]:
    """The texts, lines and turns of the documents, a few queries for all of them."""
    ids = sorted(set(document_ids))
    connection = session.connection()  # plain rows: the ORM's result handling is not needed
    found: dict[int, _Transcript] = {}
    turns: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for at in range(0, len(ids), _CHUNK):
        chunk = ids[at:at + _CHUNK]
        for document_id, text in connection.execute(
                select(Document.id, Document.text).where(Document.id.in_(chunk))):
            found[document_id] = _Transcript(text)
        # a document's lines as two lists of numbers in one row: a row per line cost more
        lines = (select(Line.document_id, Line.number, Line.start)
                 .where(Line.document_id.in_(chunk))
                 .order_by(Line.document_id, Line.start).subquery())
        for document_id, starts, numbers in connection.execute(
                select(lines.c.document_id, func.aggregate_strings(lines.c.start, ","),
                       func.aggregate_strings(lines.c.number, ","))
                .group_by(lines.c.document_id)):
            pairs = list(zip(map(int, starts.split(",")), map(int, numbers.split(",")),
                             strict=True))
            if any(pairs[at][0] > pairs[at + 1][0] for at in range(len(pairs) - 1)):
                pairs.sort()  # the order of aggregation is the database's to choose
            found[document_id].line_starts = [start for start, _number in pairs]
            found[document_id].line_numbers = [number for _start, number in pairs]
        for document_id, start, speech, speaker in connection.execute(
                select(Turn.document_id, Turn.start, Turn.speech_start, Turn.speaker)
                .where(Turn.document_id.in_(chunk))):
            turns[document_id].append((start, speech, speaker))
    for document_id, found_turns in turns.items():
        found[document_id].add_turns(found_turns)
    return found


def _themes_of_codes(session: Session) -> dict[int, tuple[list[str], list[str]]]:
    """Each code's emerging and final themes' names, in board order."""
    board = read_board(session)
    found: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))

    def add(names: list[str], name: str) -> None:
        if name not in names:
            names.append(name)

    finals = {theme.id: theme.name for theme in board.finals}
    for theme in board.finals:
        for code in theme.codes:
            add(found[code.id][1], theme.name)
    for parent, group in board.emerging.items():
        for theme in group:
            for code in theme.codes:
                add(found[code.id][0], theme.name)
                if parent is not None:
                    add(found[code.id][1], finals[parent])
    return found


def describe(chosen: SegmentFilter) -> str:
    """What was chosen, in words, for a caption: "Code ‘Running’; participant PA"."""
    parts = []
    for kind, names in (("code", chosen.codes), ("theme", chosen.themes),
                        ("participant", chosen.participants)):
        if names:
            shown = " or ".join(f"\N{LEFT SINGLE QUOTATION MARK}{name}"
                                f"\N{RIGHT SINGLE QUOTATION MARK}" if kind != "participant"
                                else name for name in names)
            parts.append(f"{kind if len(names) == 1 else kind + 's'} {shown}")
    if chosen.attributes:
        parts.append(" and ".join(f"{name}: {value}" for name, value in chosen.attributes))
    if chosen.coding_ids is not None:
        parts.insert(0, "The extracts listed")
    text = "; ".join(parts) or "Every coding"
    return text[:1].upper() + text[1:]


def _lines(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


@dataclass(frozen=True)
class SegmentChoices:
    """What the filters can be set to, for choosers: names as the project spells them."""

    codes: tuple[str, ...]
    themes: tuple[tuple[str, str], ...]  # (name, level), board order
    participants: tuple[str, ...]
    attribute_values: tuple[tuple[str, str], ...]  # (attribute name, value) someone has


def segment_choices(session: Session) -> SegmentChoices:
    board = read_board(session)
    themes = [(theme.name, "final") for theme in board.finals]
    themes += [(theme.name, "emerging") for group in board.emerging.values() for theme in group]
    codes = session.execute(select(Code.name).where(Code.status == "active")
                            .order_by(Code.name_key)).scalars().all()
    labels = sorted(session.execute(select(Participant.label)).scalars(), key=str.casefold)
    values = {(name, value.strip()) for name, value in session.execute(
        select(AttributeDefinition.name, ParticipantAttribute.value)
        .join(ParticipantAttribute,
              ParticipantAttribute.attribute_id == AttributeDefinition.id)) if value.strip()}
    return SegmentChoices(tuple(codes), tuple(themes), tuple(labels),
                          tuple(sorted(values, key=lambda pair: (pair[0].casefold(),
                                                                 pair[1].casefold()))))


def count_segments(session: Session, chosen: SegmentFilter) -> int:
    """How many rows :func:`coded_segments` would give, without reading their words."""
    code_ids = _chosen_code_ids(session, chosen)
    participant_ids = _chosen_participant_ids(session, chosen)
    query = select(Coding.id, Coding.document_id, Coding.start)
    if code_ids is not None:
        query = query.where(Coding.code_id.in_(sorted(code_ids)))
    wanted = chosen.coding_ids
    passages = [(document_id, start) for coding_id, document_id, start in session.execute(query)
                if wanted is None or coding_id in wanted]
    if participant_ids is None:
        return len(passages)
    who = passage_participants(session, passages)
    return sum(1 for passage in passages if who.get(passage) in participant_ids)


def coded_segments(session: Session, chosen: SegmentFilter | None = None
                   ) -> list[CodedSegment]:
    """The codings ``chosen`` lets through (all of them by default), as rows in the
    documents panel's order, then by place; a name that matches nothing is an error."""
    chosen = chosen or SegmentFilter()
    code_ids = _chosen_code_ids(session, chosen)
    participant_ids = _chosen_participant_ids(session, chosen)
    if (code_ids is not None and not code_ids) or (chosen.coding_ids is not None
                                                    and not chosen.coding_ids):
        return []
    rows = _rows(session, code_ids, chosen.coding_ids)
    if not rows:
        return []
    who = passage_participants(session, {(row[1], row[5]) for row in rows})
    if participant_ids is not None:
        rows = [row for row in rows if who.get((row[1], row[5])) in participant_ids]
    labels = participant_label_map(session)
    transcripts = _transcripts(session, {row[1] for row in rows})
    themes = _themes_of_codes(session)
    segments = []
    for (coding_id, document_id, document, _owner, coder, start, end, memo, code_id, code,
         created) in rows:
        transcript = transcripts[document_id]
        lines, text = transcript.quote(start, end)
        participant_id = who.get((document_id, start))
        emerging, finals = themes.get(code_id, ([], []))
        segments.append(CodedSegment(
            coding_id=coding_id,
            participant=labels.get(participant_id, "") if participant_id is not None else "",
            document=document, lines=lines, speaker=transcript.speaker_at(start) or "",
            code=code, emerging_themes=THEME_SEPARATOR.join(emerging),
            final_themes=THEME_SEPARATOR.join(finals), coder=coder, memo=memo,
            created=created, start=start, end=end, text=text))
    order = {row[0]: (row[3] is None, (row[3] or "").casefold(), row[2]) for row in rows}
    segments.sort(key=lambda s: (*order[s.coding_id], s.start, s.end, s.code.casefold(),
                                 s.coding_id))
    return segments
