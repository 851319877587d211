"""Autocoding: code every hit of a search, or every turn of a speaker, in one step.

Planning reads (a search, or a speaker's turns, turned into passages by
``core.autocode``) and writes nothing, so the window can preview the plan and the command
line can print it. :func:`autocode` then codes the plan's passages with one code in the
caller's transaction: the rows go in with one bulk insert and the step is one audit event,
``coding.autocode``, naming the code, what was asked (the query and its options, or the
speaker), the unit and every coding made. :func:`remove_autocoded` is its inverse (undo):
it removes exactly those codings, audited as ``coding.autocode_remove``.
"""

from __future__ import annotations

import inspect
import sys
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, Row, String, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.finding.autocode import (
    HIT,
    TURN,
    UNITS,
    Layout,
    Passage,
    hit_passages,
    split_coded,
    turn_passages,
)
from thematic_workbench.core.finding.scope import Scope, speaker_key
from thematic_workbench.core.finding.search import search_project
from thematic_workbench.core.queries.project import citation, line_numbers
from thematic_workbench.core.storage.models import (
    Code,
    Coder,
    Coding,
    Document,
    Line,
    Participant,
    Turn,
)
from thematic_workbench.core.storage.transaction import Tx

AUTOCODE_ACTION = "coding.autocode"
REMOVE_ACTION = "coding.autocode_remove"
_CHUNK = 5_000  # ids per DELETE: well under SQLite's limit on bound values


@dataclass(frozen=True)
class AutocodePlan:
    """What autocoding would code: ``passages`` (new) and ``already`` (the code has them on
    exactly that span already, so they are skipped), from ``found`` hits or turns."""

    source: dict[str, Any]
    unit: str
    found: int
    passages: tuple[Passage, ...]
    already: tuple[Passage, ...] = ()

    @property
    def documents(self) -> int:
        """How many transcripts the new passages lie in."""
        return len({passage.document_id for passage in self.passages})

    def with_coded(self, coded: Collection[tuple[int, int, int]]) -> AutocodePlan:
        """The same plan measured against a code's existing ``(document, start, end)``."""
        new, already = split_coded((*self.passages, *self.already), coded)
        order = sorted(new, key=_position(self.passages, self.already))
        return AutocodePlan(self.source, self.unit, self.found, tuple(order), tuple(already))


def _position(*groups: Sequence[Passage]) -> Any:
    rank = {passage: index for index, passage in enumerate(p for g in groups for p in g)}
    return lambda passage: rank[passage]


@dataclass(frozen=True)
class PassageRow:
    """A passage as a preview lists it: where, its citation and its words."""

    document_id: int
    document: str
    participant: str | None
    start: int
    end: int
    first_line: int
    last_line: int
    text: str

    @property
    def citation(self) -> str:
        return citation(self.participant or self.document, self.first_line, self.last_line)


@dataclass(frozen=True)
class SpeakerCount:
    """A speaker label (as most often written) with its turns and transcripts."""

    label: str
    turns: int
    documents: int
    spellings: tuple[str, ...] = field(default=())


# -- reading -------------------------------------------------------------------------------
def _joined(session: Session, *columns: Any) -> Any:
    """Per group, the columns' values as one string: "a,b c,d ..." (a row per document
    instead of a row per turn or line)."""
    piece: ColumnElement[str] = cast(columns[0], String)
    for column in columns[1:]:
        piece = piece + "," + cast(column, String)
    if session.get_bind().dialect.name == "sqlite":
        return func.group_concat(piece, " ")
    return func.string_agg(piece, " ")


def _numbers(joined: str | None) -> list[int]:
    """The numbers in a :func:`_joined` string."""
    return list(map(int, (joined or "").replace(",", " ").split()))


def _pairs(joined: str | None) -> list[tuple[int, int]]:
    """The ``(start, end)`` pairs in a :func:`_joined` string of two columns."""
    values = _numbers(joined)
    return list(zip(values[0::2], values[1::2], strict=True))


def _triples(joined: str | None) -> list[tuple[int, int, int]]:
    """The triples in a :func:`_joined` string of three columns."""
    values = _numbers(joined)
    return list(zip(values[0::3], values[1::3], values[2::3], strict=True))


def _layouts(session: Session, document_ids: Iterable[int], with_lines: bool,
             with_speakers: bool = False) -> tuple[dict[int, Layout], dict[int, list[str]]]:
    """Each document's text, line map (when the unit needs it) and turns, and (when asked)
    its turns' speakers in text order.

    A corpus has tens of thousands of turns and hundreds of thousands of lines: fetched as
    one joined string per document they take a fraction of the time that one row each
    takes (a third of a 5,000-hit autocode went on reading turn rows).
    """
    ids = sorted(set(document_ids))
    connection = session.connection()
    texts = dict(connection.execute(select(Document.id, Document.text)
                                    .where(Document.id.in_(ids))).all())
    lines: dict[int, list[tuple[int, int]]] = {}
    if with_lines:
        lines = {document_id: _pairs(joined) for document_id, joined in connection.execute(
            select(Line.document_id, _joined(session, Line.start, Line.end))
            .where(Line.document_id.in_(ids)).group_by(Line.document_id)).all()}
    speakers: dict[int, list[str]] = defaultdict(list)
    turns: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    if with_speakers:
        for document_id, start, speech_start, end, speaker in connection.execute(
                select(Turn.document_id, Turn.start, Turn.speech_start, Turn.end, Turn.speaker)
                .where(Turn.document_id.in_(ids))
                .order_by(Turn.document_id, Turn.start, Turn.speech_start, Turn.end)).all():
            turns[document_id].append((start, speech_start, end))
            speakers[document_id].append(speaker)
    else:
        turns.update((document_id, _triples(joined)) for document_id, joined in
                     connection.execute(
                         select(Turn.document_id,
                                _joined(session, Turn.start, Turn.speech_start, Turn.end))
                         .where(Turn.document_id.in_(ids)).group_by(Turn.document_id)).all())
    layouts = {document_id: Layout.of(text, lines.get(document_id, ()),
                                      turns.get(document_id, ()))
               for document_id, text in texts.items()}
    return layouts, speakers


def _coded(session: Session, code_id: int | None, coder: str | None
           ) -> set[tuple[int, int, int]]:
    """``(document, start, end)`` of the code's codings by this coder."""
    if code_id is None or coder is None:
        return set()
    coder_id = session.execute(select(Coder.id).where(Coder.name == coder)).scalar()
    if coder_id is None:
        return set()
    return {(document_id, start, end) for document_id, start, end in session.execute(
        select(Coding.document_id, Coding.start, Coding.end)
        .where(Coding.code_id == code_id, Coding.coder_id == coder_id))}


def _search(session: Session, query: str, forms: bool, scope: Scope | None,
            document_id: int | None) -> list[Any]:
    """Every hit of a search (in one transcript, if given), with word forms and scope when
    ``search_project`` takes them."""
    accepts = inspect.signature(search_project).parameters
    options: dict[str, Any] = {}
    if "forms" in accepts:
        options["forms"] = forms
    elif forms:
        raise InvariantError("this version cannot search for word forms yet")
    if document_id is not None:
        only = frozenset({document_id})
        scope = replace(scope or Scope(), documents=only if scope is None or
                        scope.documents is None else scope.documents & only)
    if "scope" in accepts:
        options["scope"] = scope or Scope()
    elif scope is not None and not replace(scope, documents=None).everything:
        raise InvariantError("this version cannot narrow a search yet")
    limit = None if "scope" in accepts else sys.maxsize  # the older search needs a number
    hits = search_project(session, query, limit, **options)
    if scope is not None and scope.documents is not None:
        hits = [hit for hit in hits if hit.document_id in scope.documents]
    return list(hits)


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise InvariantError(f"unknown unit '{unit}'; use one of {', '.join(UNITS)}")


def plan_search(session: Session, query: str, *, unit: str = HIT, forms: bool = False,
                scope: Scope | None = None, document_id: int | None = None,
                code_id: int | None = None, coder: str | None = None) -> AutocodePlan:
    """The passages a search's hits stand for in ``unit``, merged per transcript; measured
    against ``code_id``'s codings by ``coder`` when both are given."""
    _check_unit(unit)
    if not query.strip():
        raise InvariantError("autocoding from a search needs words to search for")
    hits = _search(session, query, forms, scope, document_id)
    by_document: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for hit in hits:
        by_document[hit.document_id].append((hit.start, hit.end))
    layouts, _speakers = _layouts(session, by_document, with_lines=unit == "line")
    passages = [Passage(doc, start, end) for doc, spans in by_document.items()
                for start, end in hit_passages(layouts[doc], spans, unit)]
    source: dict[str, Any] = {"search": query, "forms": forms, "unit": unit}
    if scope is not None and not scope.everything:
        source["scope"] = _scope_record(scope)
    if document_id is not None:
        source["document_id"] = document_id
    plan = AutocodePlan(source, unit, len(hits), tuple(passages))
    return plan.with_coded(_coded(session, code_id, coder))


def _scope_record(scope: Scope) -> dict[str, Any]:
    """A scope as plain JSON for the audit event."""
    record: dict[str, Any] = {}
    if scope.documents is not None:
        record["documents"] = sorted(scope.documents)
    if scope.participants is not None:
        record["participants"] = sorted(scope.participants)
    if scope.attributes:
        record["attributes"] = [list(pair) for pair in scope.attributes]
    if scope.speakers is not None:
        record["speakers"] = sorted(scope.speakers)
    if scope.not_speakers:
        record["not_speakers"] = sorted(scope.not_speakers)
    return record


def plan_speaker(session: Session, speaker: str, *, document_id: int | None = None,
                 code_id: int | None = None, coder: str | None = None) -> AutocodePlan:
    """Every turn of one speaker (label in any case), in one transcript or in all; the
    speech only, labels left out."""
    wanted = speaker_key(speaker)
    query = select(Turn.document_id, Turn.speaker)
    if document_id is not None:
        query = query.where(Turn.document_id == document_id)
    documents = {doc for doc, label in session.execute(query.distinct())
                 if speaker_key(label) == wanted}
    if not documents:
        where = ""
        if document_id is not None:
            name = session.execute(select(Document.name)
                                   .where(Document.id == document_id)).scalar()
            if name is None:
                raise NotFoundError(f"no document with id {document_id}")
            where = f" in '{name}'"
        raise NotFoundError(f"no speaker labelled '{' '.join(speaker.split())}'{where}")
    layouts, speakers = _layouts(session, documents, with_lines=False, with_speakers=True)
    passages: list[Passage] = []
    turns = 0
    for doc in _document_order(session, documents):
        turns += sum(speaker_key(label) == wanted for label in speakers[doc])
        passages += [Passage(doc, start, end)
                     for start, end in turn_passages(layouts[doc], speakers[doc], {wanted})]
    source: dict[str, Any] = {"speaker": " ".join(speaker.split()), "unit": TURN}
    if document_id is not None:
        source["document_id"] = document_id
    plan = AutocodePlan(source, TURN, turns, tuple(passages))
    return plan.with_coded(_coded(session, code_id, coder))


def _document_order(session: Session, ids: Collection[int]) -> list[int]:
    """Documents as the documents panel lists them: by participant, then by name."""
    rows = session.execute(select(Document.id, Document.name, Participant.label)
                           .outerjoin(Participant, Participant.id == Document.participant_id)
                           .where(Document.id.in_(sorted(ids)))).all()
    return [row.id for row in sorted(rows, key=lambda row: (
        row.label is None, (row.label or "").casefold(), row.name.casefold(), row.id))]


def speaker_counts(session: Session, document_id: int | None = None) -> list[SpeakerCount]:
    """The speakers (labels matched in any case) with their turns and transcripts, the
    most frequent first."""
    query = select(Turn.speaker, Turn.document_id)
    if document_id is not None:
        query = query.where(Turn.document_id == document_id)
    spellings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    documents: dict[str, set[int]] = defaultdict(set)
    for label, doc in session.execute(query):
        key = speaker_key(label)
        spellings[key][label] += 1
        documents[key].add(doc)
    counts = []
    for key, written in spellings.items():
        label = max(written, key=lambda name: (written[name], name))
        counts.append(SpeakerCount(label, sum(written.values()), len(documents[key]),
                                   tuple(sorted(written))))
    return sorted(counts, key=lambda count: (-count.turns, count.label.casefold()))


def passage_rows(session: Session, passages: Sequence[Passage]) -> list[PassageRow]:
    """Each passage with its transcript, participant, line numbers and words, for a
    preview."""
    ids = sorted({passage.document_id for passage in passages})
    heads = {row.id: row for row in session.execute(
        select(Document.id, Document.name, Document.text, Participant.label)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .where(Document.id.in_(ids)))}
    points = [(p.document_id, position) for p in passages for position in (p.start, p.end - 1)]
    numbers = line_numbers(session, points) if points else {}
    rows = []
    for passage in passages:
        head = heads[passage.document_id]
        rows.append(PassageRow(
            passage.document_id, head.name, head.label, passage.start, passage.end,
            numbers.get((passage.document_id, passage.start), 1),
            numbers.get((passage.document_id, passage.end - 1), 1),
            head.text[passage.start:passage.end]))
    return rows


# -- writing -------------------------------------------------------------------------------
def autocode(tx: Tx, code_id: int, plan: AutocodePlan) -> Change:
    """Code the plan's passages with one code as the acting coder: one bulk insert, one
    audit event. Passages the coder already has on exactly that span with this code are
    skipped (checked again here: the plan may be older than the transaction)."""
    code = tx.session.get(Code, code_id)
    if code is None:
        raise NotFoundError(f"no code with id {code_id}")
    if code.status != "active":
        raise InvariantError(f"code '{code.name}' was merged into another code")
    plan = plan.with_coded(_coded(tx.session, code_id, tx.coder_name))
    if not plan.passages:
        return Change()
    lengths = dict(tx.session.execute(
        select(Document.id, Document.char_count)
        .where(Document.id.in_(sorted({p.document_id for p in plan.passages})))).all())
    for passage in plan.passages:
        length = lengths.get(passage.document_id)
        if length is None:
            raise NotFoundError(f"no document with id {passage.document_id}")
        if not 0 <= passage.start < passage.end <= length:
            raise InvariantError(f"span {passage.start}-{passage.end} is not inside the text "
                                 f"(0-{length}) or is empty")
    # One executemany, then the new rows' ids in one query: asking for the ids back row
    # by row (RETURNING) took most of the time of a 5,000-passage step.
    table = Coding.__table__
    newest = tx.session.execute(select(func.max(table.c.id))).scalar() or 0
    tx.session.execute(insert(table), [
        {"document_id": p.document_id, "code_id": code_id, "coder_id": tx.coder_id,
         "start": p.start, "end": p.end, "memo": ""} for p in plan.passages])
    made = {(document_id, start, end): coding_id for coding_id, document_id, start, end
            in tx.session.execute(select(table.c.id, table.c.document_id, table.c.start,
                                         table.c.end)
                                  .where(table.c.id > newest, table.c.code_id == code_id,
                                         table.c.coder_id == tx.coder_id)).all()}
    ids = [made[passage] for passage in plan.passages]
    tx.audit(AUTOCODE_ACTION, "code", code_id, after={
        "code": code.name, "source": plan.source, "unit": plan.unit,
        "already_coded": len(plan.already),
        "codings": [[coding_id, p.document_id, p.start, p.end]
                    for coding_id, p in zip(ids, plan.passages, strict=True)]})
    change = Change()
    change.added[Kind.CODING] = ids
    return change.change(Kind.CODE, code_id)


def remove_autocoded(tx: Tx, coding_ids: Sequence[int]) -> Change:
    """Remove exactly these codings (what one :func:`autocode` made): its undo. Codings
    already gone are passed over; the event keeps what the removed ones were."""
    table = Coding.__table__
    rows: list[Row[*tuple[Any, ...]]] = []
    for at in range(0, len(coding_ids), _CHUNK):
        rows += tx.session.execute(
            select(table.c.id, table.c.document_id, table.c.code_id, table.c.coder_id,
                   table.c.start, table.c.end, table.c.memo)
            .where(table.c.id.in_(coding_ids[at:at + _CHUNK]))).all()
    if not rows:
        return Change()
    found = [row.id for row in rows]
    for at in range(0, len(found), _CHUNK):
        tx.session.execute(delete(table).where(table.c.id.in_(found[at:at + _CHUNK])))
    codes = sorted({row.code_id for row in rows})
    tx.audit(REMOVE_ACTION, "code", codes[0] if len(codes) == 1 else None,
             before={"codings": [list(row) for row in rows]})
    change = Change()
    change.removed[Kind.CODING] = found
    for code_id in codes:
        change.change(Kind.CODE, code_id)
    return change


def code_choices(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, colour) of the active codes, by name: what a code chooser offers."""
    return [(row.id, row.name, row.colour) for row in session.execute(
        select(Code.id, Code.name, Code.colour).where(Code.status == "active")
        .order_by(Code.name_key))]
