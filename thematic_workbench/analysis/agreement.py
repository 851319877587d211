"""Agreement between two coders on the documents both coded: NVivo's coding comparison,
plus Krippendorff's alpha. Reflexive thematic analysis does not need agreement measures;
they serve coding-reliability designs, and a team may still want to see where coders differ.

Units are characters. Per code and document: A characters coded by both coders, B by the
first only, C by the second only, D by neither; N = A + B + C + D, the document's length
(a character coded twice by one coder counts once). As NVivo's help defines them, per
combination of node and source ("Run a Coding Comparison query", NVivo 9-11,
help-nv10.qsrinternational.com/desktop/procedures/run_a_coding_comparison_query.htm;
"Coding comparison query", NVivo 12,
help-nv.qsrinternational.com/12/win/v12.1.90-d3ea61/Content/queries/coding-comparison-query.htm):

- percentage agreement = (A + D) / N, "units of agreement divided by the total units"
  (its example: 1,000 characters, 50 coded by both, 150 by one, 800 by neither: 85%);
- kappa = (Po - Pe) / (1 - Pe), Po = (A + D) / N, Pe the agreement expected by chance: the
  units coded by user A times those coded by user B over the total, plus the same for the
  units each left uncoded, over N: Pe = ((A+B)/N)((A+C)/N) + ((C+D)/N)((B+D)/N). Where
  Pe = 1 (both coded all of it, or neither any) the ratio is 0/0; the help says "if the
  users are in complete agreement then the Kappa coefficient (K) = 1" and asks "All my
  Kappa coefficients are 0 or 1. Is something wrong?". We report 1, as does nltk's
  AnnotationTask (3.10; older releases raise ZeroDivisionError there).

Krippendorff's alpha, nominal, two coders, "coded"/"not coded" per character:
1 - Do/De = 1 - (n - 1)(B + C) / (n0 n1), n = 2N values, n1 = 2A + B + C "coded",
n0 = 2D + B + C "not coded"; 0/0 in the same cases as Pe = 1, reported as 1 (as nltk does).

All of it is interval arithmetic on sorted spans: the cost grows with the number of
codings, never with the length of the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.finding.scope import Scope, regions_in_scope
from thematic_workbench.core.queries.project import merged_spans
from thematic_workbench.core.storage.models import Code, Coder, Coding, Document, Line, Participant
from thematic_workbench.core.text.textlayout import lines_of_span

Span = tuple[int, int]
EXCERPT_LIMIT = 280
POOLED = "All compared documents"


@dataclass(frozen=True)
class Counts:
    """Characters coded by both coders, by the first only, by the second only, by neither."""

    both: int = 0
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.both + other.both, self.only_a + other.only_a,
                      self.only_b + other.only_b, self.neither + other.neither)

    @property
    def units(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    def _chance_units(self) -> int:
        """N² · Pe, kept in whole numbers so that Pe = 1 is found exactly."""
        a, b, c, d = self.both, self.only_a, self.only_b, self.neither
        return (a + b) * (a + c) + (c + d) * (b + d)

    @property
    def degenerate(self) -> bool:
        """Pe = 1: both coders coded every unit, or neither coded any."""
        return self._chance_units() == self.units ** 2

    @property
    def agreement(self) -> float:
        """(A + D) / N, a fraction (NVivo shows it as a percentage)."""
        return (self.both + self.neither) / self.units if self.units else 1.0

    @property
    def chance(self) -> float:
        """Pe, the agreement expected by chance from each coder's share."""
        return self._chance_units() / self.units ** 2 if self.units else 1.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa (Po - Pe) / (1 - Pe); 1 where Pe = 1, as NVivo reports it."""
        n, expected = self.units, self._chance_units()
        if expected == n * n:
            return 1.0
        return (n * (self.both + self.neither) - expected) / (n * n - expected)

    @property
    def alpha(self) -> float:
        """Krippendorff's alpha (nominal, two coders); 1 where one value is all (0/0)."""
        n = 2 * self.units
        coded = 2 * self.both + self.only_a + self.only_b
        uncoded = 2 * self.neither + self.only_a + self.only_b
        if coded * uncoded == 0:
            return 1.0
        return 1.0 - (n - 1) * (self.only_a + self.only_b) / (coded * uncoded)


@dataclass(frozen=True)
class ComparedDocument:
    id: int
    name: str
    participant: str | None
    characters: int


@dataclass(frozen=True)
class OneCoderDocument:
    """A document that only one of the two coders coded: not compared, but listed."""

    id: int
    name: str
    coder: str


@dataclass(frozen=True)
class AgreementRow:
    """One code in one document that at least one of the two coders applied there."""

    code_id: int
    code: str
    colour: str
    document_id: int
    document: str
    participant: str | None
    counts: Counts
    agreement: float = field(init=False)
    kappa: float = field(init=False)
    alpha: float = field(init=False)
    degenerate: bool = field(init=False)

    def __post_init__(self) -> None:
        for name in ("agreement", "kappa", "alpha", "degenerate"):
            object.__setattr__(self, name, getattr(self.counts, name))


@dataclass(frozen=True)
class CodeSummary:
    """A code over the compared documents where either coder applied it: ``kappa`` and
    ``alpha`` from the pooled counts; ``kappa_average`` NVivo's summary, each document's kappa
    weighted by its length (pooled agreement is that average already). ``absent_documents``:
    compared documents where neither applied the code, left out so as not to inflate it."""

    code_id: int
    code: str
    colour: str
    documents: int
    absent_documents: int
    counts: Counts
    agreement: float
    kappa: float
    alpha: float
    kappa_average: float


@dataclass(frozen=True)
class Comparison:
    coder_a: str
    coder_b: str
    rows: tuple[AgreementRow, ...]
    summaries: tuple[CodeSummary, ...]
    documents: tuple[ComparedDocument, ...]
    one_coder: tuple[OneCoderDocument, ...]
    codes_compared: int
    absent_pairs: int  # (code, compared document) pairs that neither coder applied: no row


@dataclass(frozen=True)
class Passage:
    """A maximal span coded by exactly one of the two coders."""

    document_id: int
    start: int
    end: int
    coder: str
    first_line: int
    last_line: int
    excerpt: str

    @property
    def characters(self) -> int:
        return self.end - self.start


# -- interval arithmetic ---------------------------------------------------------------------
def union(spans: Iterable[Span]) -> list[Span]:
    """The spans merged: sorted, disjoint, touching spans joined (a character counts once)."""
    return merged_spans(spans)


def overlap(first: Sequence[Span], second: Sequence[Span]) -> int:
    """Characters in both of two unions (a two-pointer sweep)."""
    total, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        low, high = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if low < high:
            total += high - low
        if first[i][1] <= second[j][1]:
            i += 1
        else:
            j += 1
    return total


def minus(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """The parts of union ``first`` outside union ``second``, as maximal spans."""
    left: list[Span] = []
    j = 0
    for start, end in first:
        while j < len(second) and second[j][1] <= start:
            j += 1
        pos, k = start, j
        while k < len(second) and second[k][0] < end:
            if second[k][0] > pos:
                left.append((pos, second[k][0]))
            pos = max(pos, second[k][1])
            k += 1
        if pos < end:
            left.append((pos, end))
    return left


def count(length: int, spans_a: Iterable[Span], spans_b: Iterable[Span]) -> Counts:
    """A, B, C and D for one code in a document of ``length`` characters."""
    ua, ub = union(spans_a), union(spans_b)
    both = overlap(ua, ub)
    only_a = sum(end - start for start, end in ua) - both
    only_b = sum(end - start for start, end in ub) - both
    return Counts(both, only_a, only_b, length - both - only_a - only_b)


# -- reading the project ---------------------------------------------------------------------
def _pair(session: Session, coder_a: str, coder_b: str) -> tuple[int, int]:
    """The two coders' ids; NotFoundError naming every name that is not a coder."""
    if coder_a == coder_b:
        raise InvariantError(f"choose two different coders to compare, not {coder_a} twice")
    names = (coder_a, coder_b)
    found = dict(session.execute(select(Coder.name, Coder.id).where(Coder.name.in_(names))).all())
    if missing := [f"'{name}'" for name in names if name not in found]:
        raise NotFoundError(f"no coder{'s' if len(missing) > 1 else ''} named "
                            f"{', '.join(missing)} in this project")
    return found[coder_a], found[coder_b]


def _all_found(wanted: Collection[int] | None, found: Collection[int], what: str) -> None:
    if wanted is not None and (unknown := sorted(set(wanted) - set(found))):
        raise NotFoundError(f"no {what} with id {', '.join(map(str, unknown))}")


def coders_with_codings(session: Session) -> list[str]:
    """The coders who have coded something (with a code still in use), by name."""
    return list(session.execute(
        select(Coder.name).where(Coder.id.in_(
            select(Coding.coder_id).join(Code, Code.id == Coding.code_id)
            .where(Code.status == "active")))
        .order_by(Coder.name)).scalars())


def _codes(session: Session, code_ids: Collection[int] | None) -> dict[int, tuple[str, str]]:
    query = select(Code.id, Code.name, Code.colour).where(Code.status == "active") \
        .order_by(Code.name_key)
    if code_ids is not None:
        query = query.where(Code.id.in_(code_ids))
    codes = {row.id: (row.name, row.colour) for row in session.execute(query)}
    _all_found(code_ids, codes, "code in use")
    return codes


def _documents(session: Session, document_ids: Collection[int] | None) \
        -> dict[int, ComparedDocument]:
    query = (select(Document.id, Document.name, Participant.label, Document.char_count)
             .outerjoin(Participant, Participant.id == Document.participant_id)
             .order_by(Document.name))
    if document_ids is not None:
        query = query.where(Document.id.in_(document_ids))
    documents = {row.id: ComparedDocument(row.id, row.name, row.label, row.char_count)
                 for row in session.execute(query)}
    _all_found(document_ids, documents, "document")
    return documents


def clip_to_regions(spans: Iterable[Span], regions: Sequence[Span]) -> list[Span]:
    """The parts of some spans inside the regions (both sorted and disjoint once merged)."""
    merged, kept, i = union(spans), [], 0
    for start, end in merged:
        while i < len(regions) and regions[i][1] <= start:
            i += 1
        j = i
        while j < len(regions) and regions[j][0] < end:
            low, high = max(start, regions[j][0]), min(end, regions[j][1])
            if low < high:
                kept.append((low, high))
            j += 1
    return kept


def compare_coders(session: Session, coder_a: str, coder_b: str,
                   code_ids: Collection[int] | None = None,
                   document_ids: Collection[int] | None = None, *,
                   scope: Scope | None = None,
                   progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Per code and document (and per code, pooled) agreement between two coders, over the
    documents both of them coded; ``progress(done, total)`` is told after each document.

    A ``scope`` (participants, attribute values, speakers) narrows the characters compared
    to the speech it keeps: in a focus group, the turns of the participants chosen; a
    transcript with nothing in scope is not compared."""
    first, second = _pair(session, coder_a, coder_b)
    codes = _codes(session, code_ids)
    documents = _documents(session, document_ids)
    kept: dict[int, list[Span]] | None = None
    if scope is not None and not scope.everything:
        kept = {document_id: [(region.start, region.end) for region in regions]
                for document_id, regions in regions_in_scope(session, scope,
                                                              documents).items()}
        documents = {document_id: replace(doc, characters=sum(
            end - start for start, end in kept[document_id]))
            for document_id, doc in documents.items() if document_id in kept}
    # Which documents each coder worked on, with any code in use: a coder who coded a
    # document, but not with a given code, has decided that code does not apply there.
    worked: dict[int, set[int]] = defaultdict(set)
    for document_id, coder_id in session.execute(
            select(Coding.document_id, Coding.coder_id).distinct()
            .join(Code, Code.id == Coding.code_id)
            .where(Code.status == "active", Coding.coder_id.in_((first, second)))):
        if document_id in documents:
            worked[document_id].add(coder_id)
    compared = [doc for doc in documents.values() if len(worked[doc.id]) == 2]
    one_coder = tuple(OneCoderDocument(doc.id, doc.name, coder_a if first in worked[doc.id]
                                       else coder_b)
                      for doc in documents.values() if len(worked[doc.id]) == 1)
    spans: dict[int, dict[int, tuple[list[Span], list[Span]]]] = defaultdict(dict)
    wanted = {doc.id for doc in compared}
    for document_id, code_id, coder_id, start, end in session.execute(
            select(Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start,
                   Coding.end).where(Coding.coder_id.in_((first, second)))):
        if document_id in wanted and code_id in codes:
            pair = spans[document_id].setdefault(code_id, ([], []))
            pair[0 if coder_id == first else 1].append((start, end))
    if kept is not None:
        for document_id, code_spans in spans.items():
            for code_id, (spans_a, spans_b) in list(code_spans.items()):
                pair = (clip_to_regions(spans_a, kept[document_id]),
                        clip_to_regions(spans_b, kept[document_id]))
                if pair[0] or pair[1]:
                    code_spans[code_id] = pair
                else:
                    del code_spans[code_id]  # applied only outside the scope
    by_code: dict[int, list[AgreementRow]] = defaultdict(list)
    for done, doc in enumerate(compared, start=1):
        for code_id, pair in spans[doc.id].items():
            name, colour = codes[code_id]
            by_code[code_id].append(AgreementRow(code_id, name, colour, doc.id, doc.name,
                                                 doc.participant, count(doc.characters, *pair)))
        if progress is not None:
            progress(done, len(compared))
    rows = tuple(row for code_id in codes for row in by_code.get(code_id, ()))
    summaries = tuple(_summary(by_code[code_id], len(compared))
                      for code_id in codes if by_code.get(code_id))
    return Comparison(coder_a, coder_b, rows, summaries, tuple(compared), one_coder,
                      len(codes), len(codes) * len(compared) - len(rows))


def _summary(rows: Sequence[AgreementRow], compared: int) -> CodeSummary:
    pooled = sum((row.counts for row in rows), Counts())
    average = sum(row.kappa * row.counts.units for row in rows) / pooled.units \
        if pooled.units else 1.0
    return CodeSummary(rows[0].code_id, rows[0].code, rows[0].colour, len(rows),
                       compared - len(rows), pooled, pooled.agreement, pooled.kappa,
                       pooled.alpha, average)


def excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """A passage on one line, shortened in the middle past ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    half = (limit - 3) // 2
    return f"{flat[:half].rstrip()} … {flat[-half:].lstrip()}"


def disagreements(session: Session, coder_a: str, coder_b: str, code_id: int,
                  document_id: int) -> list[Passage]:
    """Where two coders differ on one code in one document: the maximal spans coded by
    exactly one of them, in text order, with who coded them and their lines."""
    first, second = _pair(session, coder_a, coder_b)
    if (document := session.get(Document, document_id)) is None:
        raise NotFoundError(f"no document with id {document_id}")
    found: tuple[list[Span], list[Span]] = ([], [])
    for coder_id, start, end in session.execute(
            select(Coding.coder_id, Coding.start, Coding.end)
            .where(Coding.document_id == document_id, Coding.code_id == code_id,
                   Coding.coder_id.in_((first, second)))):
        found[0 if coder_id == first else 1].append((start, end))
    ua, ub = union(found[0]), union(found[1])
    pieces = [(span, coder_a) for span in minus(ua, ub)]
    pieces += [(span, coder_b) for span in minus(ub, ua)]
    lines = session.execute(select(Line.start, Line.number).where(
        Line.document_id == document_id).order_by(Line.number)).all()
    starts, numbers = [line[0] for line in lines], [line[1] for line in lines]
    return [Passage(document_id, start, end, who, *lines_of_span(starts, start, end, numbers),
                    excerpt(document.text[start:end]))
            for (start, end), who in sorted(pieces)]


Cell = str | int | float | None  # one value of a flat table's row


def table_rows(comparison: Comparison) -> tuple[list[str], list[list[Cell]]]:
    """The comparison as one flat table (per code and document, then each code pooled),
    for a CSV file: headers and rows of plain values."""
    a, b = comparison.coder_a, comparison.coder_b
    headers = ["code", "document", "participant", "characters", "coded by both",
               f"coded by {a} only", f"coded by {b} only", "coded by neither",
               "agreement %", "kappa", "alpha", "kappa (NVivo average)"]

    def figures(c: Counts, agreement: float, kappa: float, alpha: float) -> list[Cell]:
        return [c.units, c.both, c.only_a, c.only_b, c.neither, round(100 * agreement, 2),
                round(kappa, 4), round(alpha, 4)]

    rows: list[list[Cell]] = [[row.code, row.document, row.participant or "",
             *figures(row.counts, row.agreement, row.kappa, row.alpha), None]
            for row in comparison.rows]
    rows += [[s.code, f"{POOLED} ({s.documents})", "",
              *figures(s.counts, s.agreement, s.kappa, s.alpha), round(s.kappa_average, 4)]
             for s in comparison.summaries]
    return headers, rows
