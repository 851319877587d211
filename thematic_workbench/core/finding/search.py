"""Finding words and phrases across the transcripts of a project: the search researchers use.

**The query language.** Words match whole words, ignoring case and the accents the index
ignores; ``risk*`` matches words starting with "risk"; ``"exact phrase"`` matches its words in
order, whatever punctuation lies between. ``AND``, ``OR``, ``NOT``, ``NEAR`` and ``NEAR/N``
(written in capitals, as in SQLite FTS5; in lower case they are plain words) combine terms,
and parentheses group them. Words side by side without an operator mean AND. Binding, from
tightest: NEAR, NOT, AND, OR, so ``a b NOT c OR d`` is ``(a AND (b NOT c)) OR d``; ``AND NOT``
is NOT. An operator
with nothing to act on (``NOT`` first, ``OR`` last) is read as a word, and an unclosed
parenthesis closes at the end: no query is a syntax error.

**What it means.** AND, OR and NOT decide per transcript, over the text in scope (as FTS5
decides per row): ``a AND b`` keeps transcripts holding both, ``a NOT b`` those holding a and
no b. ``a NEAR/N b`` keeps only the occurrences of a and of b that lie within N words of an
occurrence of the other (N words or fewer between them, counted in the text as it reads,
a speaker label included; plain NEAR is NEAR/10). The hits are the occurrences of the terms
that are not negated in the transcripts that qualify; where two overlap, the longer one.
With word forms, a word (not a prefix) matches every word of the transcripts that shares its
stem in the project's language (core/finding/wordforms.py), and in English also the "-y" adjective
("risk" finds risks, risked, risking and risky).

**How.** SQLite FTS5 (migration 0002) says *which* transcripts may qualify; Python then finds
*where*, so results carry exact code-point spans, line numbers and context. The Python side
treats words as the index's ``unicode61 remove_diacritics 2`` tokenizer does (letters, digits
and private-use characters; case and Latin accents ignored), so the two agree. It searches
the original text, not a folded copy, so spans need no mapping back. The user's query never
reaches FTS5 as syntax: every term is sent as a quoted string. Word forms read the index's
own vocabulary (an ``fts5vocab`` view of ``document_fts``), so they need no index of their
own to keep in step with imports and deletions. With a :class:`Scope`, only the regions in
scope are searched (a speaker's turns, a participant's); speaker labels are never searched.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import accumulate, islice
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from thematic_workbench.core.finding.scope import Region, Scope, regions_in_scope, speaker_key
from thematic_workbench.core.finding.wordforms import project_language, stem_function
from thematic_workbench.core.queries.attribution import SpeakerMap, participant_label_map
from thematic_workbench.core.storage.models import Document, Participant
from thematic_workbench.core.storage.search_index import (
    CREATE_VOCABULARY,
    SEARCH_TABLE,
    VOCABULARY_TABLE,
)

DEFAULT_LIMIT = 200
DEFAULT_NEAR = 10
CONTEXT_CHARS = 60
ELLIPSIS = "…"

# A word character for unicode61: letters, numbers and private-use characters.
_WORD = r"(?:[^\W_]|[\ue000-\uf8ff\U000f0000-\U0010fffd])"
WORD_RE = re.compile(f"{_WORD}+")
# The combining accents unicode61 (remove_diacritics 2) takes out of words.
REMOVED_MARK = re.compile("[\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328"
                           "\u032d\u032e\u0330\u0331]")
_TOKEN_RE = re.compile(r'"([^"]*)"?|([()])|([^\s()"]+)')
_NEAR_RE = re.compile(r"NEAR(?:/(\d{1,6}))?")
_OPERATORS = ("AND", "OR", "NOT")
_SPACE_RE = re.compile(r"\s+")
_NATURAL_RE = re.compile(r"(\d+)")
_LAST_CHAR = "\U0010ffff"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One occurrence of a query term: a code-point span of a document, with its context.

    ``participant`` is who said it (in a focus group, the participant mapped to the turn's
    speaker; else the transcript's participant); ``speaker`` the turn's label, if any.
    """

    document_id: int
    document_name: str
    participant: str | None
    start: int
    end: int
    line: int | None
    end_line: int | None
    before: str
    match: str
    after: str
    speaker: str | None = None


# -- the parsed query ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Term:
    """A word, a phrase or a prefix. ``forms``: per word, the words sharing its stem."""

    words: tuple[str, ...]  # folded
    raw: str  # as typed, for the FTS query
    prefix: bool
    forms: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    keep: Node
    drop: Node


@dataclass(frozen=True, slots=True)
class Near:
    left: Node
    right: Node
    distance: int


Node = Term | And | Or | Not | Near


class _Folding(dict[int, str]):
    """``str.translate`` table, filled on demand, that folds characters as unicode61 does.

    Lower case (simple case folding), and an accented Latin letter becomes its ASCII base
    letter when every accent on it is one the tokenizer removes; those accents, standing
    alone, vanish. Greek or Cyrillic accents stay, as they do in the index.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if REMOVED_MARK.match(char):
            folded = ""
        else:
            folded = char.casefold()
            if len(folded) != 1:
                folded = char.lower()
            decomposed = unicodedata.normalize("NFD", folded)
            base, marks = decomposed[0], decomposed[1:]
            if marks and base.isascii() and all(REMOVED_MARK.match(m) for m in marks):
                folded = base
            elif len(folded) != 1:
                folded = char
        self[code] = folded
        return folded


_FOLDING = _Folding()


def fold(value: str) -> str:
    """Lower case without accents, as the search index compares words."""
    return value.translate(_FOLDING)


@cache
def _other_forms() -> dict[str, str]:
    """For each folded letter, the Latin, Greek and Cyrillic letters that fold to it.

    ``"e"`` gets ``"EÈÉÊË..."``, ``"σ"`` gets ``"Σς"``: the regex then needs no IGNORECASE,
    which would make scanning a long transcript about three times slower.
    """
    forms: dict[str, set[str]] = {}
    for code in (*range(0x41, 0x530), *range(0x1E00, 0x2000), 0x212A, 0x212B):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded != char:
            forms.setdefault(folded, set()).add(char)
    return {key: "".join(sorted(chars)) for key, chars in forms.items()}


# -- parsing ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "word", "phrase", "(", ")", "AND", "OR", "NOT", "NEAR"
    text: str
    distance: int = DEFAULT_NEAR


def _tokens(query: str) -> list[_Token]:
    found = []
    for match in _TOKEN_RE.finditer(query.replace("\x00", "")):
        phrase, paren, bare = match.groups()
        if phrase is not None:
            found.append(_Token("phrase", phrase))
        elif paren:
            found.append(_Token(paren, paren))
        elif bare in _OPERATORS:
            found.append(_Token(bare, bare))
        elif (near := _NEAR_RE.fullmatch(bare)) is not None:
            distance = int(near.group(1)) if near.group(1) else DEFAULT_NEAR
            found.append(_Token("NEAR", bare, distance))
        else:
            found.append(_Token("word", bare))
    return found


def _term(token: _Token) -> Term | None:
    """A term from a word, a phrase or an operator read as a word; None without words."""
    raw, prefix = token.text, False
    if token.kind != "phrase" and raw.endswith("*"):
        raw, prefix = raw.rstrip("*"), True
    words = tuple(WORD_RE.findall(fold(raw)))
    return Term(words, raw, prefix) if words else None


def _joined(kind: type[And] | type[Or], parts: list[Node | None]) -> Node | None:
    kept = tuple(part for part in parts if part is not None)
    return None if not kept else kept[0] if len(kept) == 1 else kind(kept)


class _Parser:
    """Recursive descent over the tokens; never fails (see the module's notes)."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens, self.at = tokens, 0

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.at + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def acting(self, kind: str) -> bool:
        """Whether the next token is operator ``kind`` with an operand after it."""
        token, following = self.peek(), self.peek(1)
        return (token is not None and token.kind == kind and following is not None
                and following.kind != ")")

    def query(self) -> Node | None:
        parts = [self.either()]
        while self.peek() is not None:  # a stray ")": skip it and go on
            self.at += 1
            parts.append(self.either())
        return _joined(And, parts)

    def either(self) -> Node | None:
        parts = [self.both()]
        while self.acting("OR"):
            self.at += 1
            parts.append(self.both())
        return _joined(Or, parts)

    def both(self) -> Node | None:
        parts = [self.without()]
        while (token := self.peek()) is not None and token.kind != ")" \
                and not self.acting("OR"):
            if self.acting("AND"):
                self.at += 1
            parts.append(self.without())
        return _joined(And, parts)

    def negation(self) -> int:
        """How many tokens the NOT operator ahead takes: 1 for ``NOT``, 2 for ``AND NOT``
        (as NVivo and MAXQDA users write it), 0 when none acts here."""
        if self.acting("NOT"):
            return 1
        token, following, operand = self.peek(), self.peek(1), self.peek(2)
        if token is not None and token.kind == "AND" and following is not None \
                and following.kind == "NOT" and operand is not None and operand.kind != ")":
            return 2
        return 0

    def without(self) -> Node | None:
        node = self.near()
        while taken := self.negation():
            self.at += taken
            drop = self.near()
            if node is not None and drop is not None:
                node = Not(node, drop)
        return node

    def near(self) -> Node | None:
        node = self.primary()
        while self.acting("NEAR"):
            distance = self.tokens[self.at].distance
            self.at += 1
            right = self.primary()
            node = (Near(node, right, distance) if node is not None and right is not None
                    else node or right)
        return node

    def primary(self) -> Node | None:
        token = self.peek()
        if token is None or token.kind == ")":
            return None
        self.at += 1
        if token.kind == "(":
            inner = self.either()
            if (closing := self.peek()) is not None and closing.kind == ")":
                self.at += 1
            return inner
        return _term(token)


def parse_query(query: str) -> Node | None:
    """The query as a tree of terms and operators; None when it holds no word."""
    return _Parser(_tokens(query)).query()


def _terms(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, And | Or):
        for part in node.parts:
            yield from _terms(part)
    elif isinstance(node, Not):
        yield from _terms(node.keep)
        yield from _terms(node.drop)
    else:
        yield from _terms(node.left)
        yield from _terms(node.right)


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def fts_query(node: Node, exact_not: bool = True) -> str:
    """The FTS5 MATCH expression: every term a quoted string (so no syntax errors).

    It selects the transcripts that *may* qualify: NEAR is sent as AND, and NOT only when
    ``exact_not`` (the whole text is in scope; with a filter, a word may be present in a
    transcript but outside the scope).
    """
    if isinstance(node, Term):
        if not node.forms:
            return _quoted(node.raw) + ("*" if node.prefix else "")
        groups = ["(" + " OR ".join(_quoted(word) for word in words) + ")"
                  for words in node.forms]
        return groups[0] if len(groups) == 1 else "(" + " AND ".join(groups) + ")"
    if isinstance(node, And | Or):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(fts_query(part, exact_not) for part in node.parts) + ")"
    if isinstance(node, Not):
        keep = fts_query(node.keep, exact_not)
        return f"({keep} NOT {fts_query(node.drop, exact_not)})" if exact_not else keep
    return f"({fts_query(node.left, exact_not)} AND {fts_query(node.right, exact_not)})"


# -- word forms -------------------------------------------------------------------------------
class WordForms:
    """The words of the project's transcripts that are forms of a query word.

    It reads the FTS index's vocabulary (words starting as the stem does) and keeps those
    whose stem is the query word's: no list of its own to keep in step with the index.
    """

    def __init__(self, connection: Connection, language: str) -> None:
        self.connection = connection
        self.language = language
        self.stem = stem_function(language)
        self._words: list[str] | None = None  # a server's vocabulary, read on first use
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(CREATE_VOCABULARY)  # there already on a reading one

    def stems(self, word: str) -> set[str]:
        stem = self.stem(word)
        # English Porter2 turns a final y into i: "risky" is "riski", not "risk".
        return {stem, stem + "i"} if self.language == "english" else {stem}

    def __call__(self, word: str) -> tuple[str, ...]:
        wanted = self.stems(word)
        stem = self.stem(word)
        # A stem's forms start as the stem does but for its last letter ("worri": worry).
        start = _shared_start(word, stem[:-1] or stem) or word[:1]
        words = self._vocabulary(start, start + _LAST_CHAR)
        found = tuple(term for term in words if self.stem(term) in wanted)
        return found if word in found else (word, *found)


    def _vocabulary(self, low: str, high: str) -> Sequence[str]:
        """The index's words from ``low`` up to ``high``. A server has no FTS5 vocabulary:
        the transcripts' words are folded here as the index folds them, once."""
        if self.connection.dialect.name == "sqlite":
            return self.connection.execute(
                text(f"SELECT term FROM temp.{VOCABULARY_TABLE} WHERE term >= :low "
                     "AND term < :high"), {"low": low, "high": high}).scalars().all()
        if self._words is None:
            found: set[str] = set()
            for body in self.connection.execute(select(Document.text)).scalars():
                found.update(WORD_RE.findall(fold(body)))
            self._words = sorted(found)
        return self._words[bisect_left(self._words, low):bisect_left(self._words, high)]


def _shared_start(one: str, other: str) -> str:
    size = 0
    while size < min(len(one), len(other)) and one[size] == other[size]:
        size += 1
    return one[:size]


def with_word_forms(node: Node, forms: Callable[[str], tuple[str, ...]]) -> Node:
    """The query with each word of its terms (prefixes aside) widened to its forms."""
    if isinstance(node, Term):
        return node if node.prefix else replace(
            node, forms=tuple(forms(word) for word in node.words))
    if isinstance(node, And | Or):
        return type(node)(tuple(with_word_forms(part, forms) for part in node.parts))
    if isinstance(node, Not):
        return Not(with_word_forms(node.keep, forms), with_word_forms(node.drop, forms))
    return Near(with_word_forms(node.left, forms), with_word_forms(node.right, forms),
                node.distance)


# -- finding ----------------------------------------------------------------------------------
def _letter(folded: str) -> str:
    """A regex for one folded letter of a query: any case, any accent the index ignores."""
    variants = _other_forms().get(folded)
    if variants is None and folded.upper() != folded and len(folded.upper()) == 1:
        variants = folded.upper()  # other scripts: their capital letter
    return f"[{re.escape(folded + variants)}]" if variants else re.escape(folded)


_MARKS = f"{REMOVED_MARK.pattern}*"
_BETWEEN = f"(?:(?!{_WORD}).)+"


def _spelled(word: str) -> str:
    return "".join(_letter(char) + _MARKS for char in word)


def _either(words: Sequence[str]) -> str:
    spelled = sorted({_spelled(word) for word in words}, key=len, reverse=True)
    return spelled[0] if len(spelled) == 1 else f"(?:{'|'.join(spelled)})"


@lru_cache(maxsize=512)
def _patterns(term: Term) -> tuple[re.Pattern[str], ...]:
    """Regexes over the original text matching a term as whole words.

    They run on the text itself, not a folded copy, so spans need no mapping back. The
    word-start check sits after the first letter, which lets the regex engine jump to
    candidate letters instead of testing every position; so there is one regex per first
    letter of the term's forms (an alternation of first letters would not jump).
    """
    alternatives = term.forms or tuple((word,) for word in term.words)
    rest = [_either(words) for words in alternatives[1:]]
    tail = f"(?:{_WORD}|{REMOVED_MARK.pattern})*" if term.prefix else ""
    by_letter: dict[str, list[str]] = {}
    for word in alternatives[0]:
        by_letter.setdefault(word[0], []).append(word[1:])
    patterns = []
    for first, endings in sorted(by_letter.items()):
        head = f"{_letter(first)}(?<!{_WORD}.){_MARKS}{_either(endings)}"
        patterns.append(re.compile(f"{_BETWEEN.join([head, *rest])}{tail}(?!{_WORD})",
                                   re.DOTALL))
    return tuple(patterns)


Span = tuple[int, int]


class _Text:
    """One transcript's text and the regions of it in scope, as the evaluation sees them."""

    def __init__(self, body: str, regions: Sequence[tuple[int, int]]) -> None:
        self.body, self.regions = body, regions

    def find(self, term: Term, cap: int | None) -> list[Span]:
        """The first ``cap`` occurrences of a term in scope, in text order."""
        spans: list[Span] = []
        for pattern in _patterns(term):
            found: list[Span] = []
            for start, end in self.regions:
                found += islice((m.span() for m in pattern.finditer(self.body, start, end)),
                                None if cap is None else cap - len(found))
                if cap is not None and len(found) >= cap:
                    break
            spans += found
        spans.sort()
        return spans if cap is None else spans[:cap]

    def near(self, before: Span, after: Span, distance: int) -> bool:
        """Whether at most ``distance`` words lie between two spans (``before`` starts first)."""
        if after[0] <= before[1]:
            return True
        between = WORD_RE.finditer(self.body, before[1], after[0])
        return sum(1 for _word in islice(between, distance + 1)) <= distance


def _evaluate(node: Node, where: _Text, cap: int | None) -> list[Span]:
    """The occurrences a node contributes to the hits; none when the transcript fails it.

    ``cap`` bounds the occurrences wanted (the hits still missing); NEAR needs them all.
    """
    if isinstance(node, Term):
        return where.find(node, cap)
    if isinstance(node, And):
        found: list[Span] = []
        for part in node.parts:
            spans = _evaluate(part, where, cap)
            if not spans:
                return []
            found += spans
        return sorted(found)
    if isinstance(node, Or):
        return sorted(span for part in node.parts for span in _evaluate(part, where, cap))
    if isinstance(node, Not):
        kept = _evaluate(node.keep, where, cap)
        return kept if kept and not _evaluate(node.drop, where, 1) else []
    left = _evaluate(node.left, where, None)
    right = _evaluate(node.right, where, None) if left else []
    if not right:
        return []
    return sorted({*_near(left, right, node.distance, where),
                   *_near(right, left, node.distance, where)})


def _near(spans: list[Span], others: list[Span], distance: int, where: _Text) -> list[Span]:
    """The spans with at most ``distance`` words between them and one of ``others``.

    More text between holds at least as many words, so only the nearest other on each side
    needs counting: the last starting before the span, and the first starting after it.
    """
    starts = [start for start, _end in others]
    ends = list(accumulate((end for _start, end in others), max))
    kept = []
    for span in spans:
        at = bisect_left(starts, span[0])
        earlier = at > 0 and (ends[at - 1] > span[0] or where.near(
            (starts[at - 1], ends[at - 1]), span, distance))
        if earlier or (at < len(others) and where.near(span, others[at], distance)):
            kept.append(span)
    return kept


def _longest_first(spans: list[Span], limit: int | None) -> list[Span]:
    """Spans in text order; of overlapping ones the longest (the first, on a tie)."""
    merged: list[Span] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not merged or start >= merged[-1][1]:
            merged.append((start, end))
    return merged if limit is None else merged[:limit]


def find_in_text(value: str, query: str) -> list[Span]:
    """Code-point spans of the query's hits in ``value`` taken as one whole transcript."""
    node = parse_query(query)
    if node is None:
        return []
    return _longest_first(_evaluate(node, _Text(value, [(0, len(value))]), None), None)


def _natural(value: str) -> tuple[Any, ...]:
    parts = _NATURAL_RE.split(value.casefold())
    return tuple(int(part) if part.isdigit() else part for part in parts)


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: int
    name: str
    owner: int | None  # the transcript's participant
    label: str | None


def _candidates(session: Session, node: Node, exact_not: bool) -> list[_Candidate]:
    """Transcripts the index says may qualify, in the order the documents panel lists them.

    On a server every transcript may: PostgreSQL's parser splits words otherwise than
    FTS5's unicode61 (hyphens, accents), so it could not rule one out without changing
    what a query finds; the exact search below decides, the same on both.
    """
    query = select(Document.id, Document.name, Document.participant_id, Participant.label) \
        .outerjoin(Participant, Participant.id == Document.participant_id)
    if session.get_bind().dialect.name == "sqlite":
        ids = session.execute(
            text(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q"),
            {"q": fts_query(node, exact_not)}).scalars().all()
        if not ids:
            return []
        query = query.where(Document.id.in_(ids))
    rows = session.execute(query).all()
    found = [_Candidate(row.id, row.name, row.participant_id, row.label) for row in rows]
    return sorted(found, key=lambda row: (row.label is None, _natural(row.label or ""),
                                          _natural(row.name), row.id))


def _context(value: str, start: int, end: int) -> tuple[str, str, str]:
    """Words around a match, within its paragraph, whitespace tidied, cut at word ends."""
    para_start = value.rfind("\n", 0, start) + 1
    para_end = value.find("\n", end)
    para_end = len(value) if para_end == -1 else para_end
    left = max(para_start, start - CONTEXT_CHARS)
    right = min(para_end, end + CONTEXT_CHARS)
    before, after = value[left:start], value[end:right]
    if left > para_start:
        cut = before.find(" ")
        before = ELLIPSIS + (before[cut + 1:] if 0 <= cut < len(before) - 1 else before)
    if right < para_end:
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + ELLIPSIS
    tidy = _SPACE_RE.sub
    return tidy(" ", before).lstrip(), tidy(" ", value[start:end]), tidy(" ", after).rstrip()


def _line_numbers(connection: Connection, document_id: int, positions: list[int]
                  ) -> list[int | None]:
    """The numbers of the lines holding some positions of a document.

    A few positions are looked up one by one through the index; many, by reading the
    document's line starts once.
    """
    if len(positions) > 200:
        rows = connection.execute(
            text("SELECT start, number FROM line WHERE document_id = :d ORDER BY start"),
            {"d": document_id}).all()
        starts = [row[0] for row in rows]
        return [rows[at - 1][1] if (at := bisect_right(starts, position)) else None
                for position in positions]
    values = ",".join(f"({order}, {int(position)})" for order, position in enumerate(positions))
    return list(connection.execute(text(  # whole numbers, written in
        f"WITH wanted(k, pos) AS (VALUES {values}) "
        "SELECT (SELECT number FROM line WHERE document_id = :d AND start <= pos "
        "ORDER BY start DESC LIMIT 1) FROM wanted ORDER BY k"), {"d": document_id}).scalars())


def _speaker_regions(connection: Connection, candidate: _Candidate, length: int,
                     speakers: SpeakerMap, scope: Scope) -> list[Region]:
    """A transcript's regions when the scope does not narrow by person: its text but the
    speaker labels, kept or left out by speaker as ``regions_in_scope`` does, read straight
    from the turns (this path costs a tenth of that one on a long transcript)."""
    only = None if scope.speakers is None else {speaker_key(s) for s in scope.speakers}
    leave_out = {speaker_key(s) for s in scope.not_speakers}
    regions: list[Region] = []

    def add(start: int, end: int, speaker: str | None) -> None:
        key = None if speaker is None else speaker_key(speaker)
        if (only is None or key in only) and (key is None or key not in leave_out):
            regions.append(Region(start, end, speaker, speakers.speaker_participant(
                candidate.id, speaker, candidate.owner)))

    reach, speaker = 0, None
    for start, speech_start, label in connection.execute(text(
            "SELECT start, speech_start, speaker FROM turn WHERE document_id = :d "
            "ORDER BY start"), {"d": candidate.id}):
        if start > reach:
            add(reach, start, speaker)
        reach, speaker = max(reach, speech_start), label
    if length > reach:
        add(reach, length, speaker)
    return regions


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    """1, 2, 4, … items at a time: a search wanting few hits looks at few transcripts."""
    size, at = 1, 0
    while at < len(items):
        yield items[at:at + size]
        at, size = at + size, min(size * 2, 64)


def search_project(session: Session, query: str, limit: int | None = DEFAULT_LIMIT, *,
                   forms: bool = False, scope: Scope | None = None) -> list[SearchHit]:
    """The hits of a query (see the module's notes) in the transcripts and turns in scope.

    Results follow document order (participant, then name) and position within a document;
    at most ``limit`` are returned (ask for one more to learn whether there are more; None
    for every hit). ``forms`` widens words to their word forms in the project's language.
    """
    node = parse_query(query)
    if node is None or (limit is not None and limit <= 0):
        return []
    scope = scope or Scope()
    connection = session.connection()
    if forms:
        node = with_word_forms(node, WordForms(connection, project_language(session)))
    candidates = _candidates(session, node, exact_not=scope.everything)
    if scope.documents is not None:
        candidates = [row for row in candidates if row.id in scope.documents]
    if not candidates:
        return []
    labels = participant_label_map(session)
    speakers = None if scope.by_person else SpeakerMap(session, [row.id for row in candidates])
    hits: list[SearchHit] = []
    for batch in _batches(candidates):
        in_scope = {} if speakers is not None else regions_in_scope(
            session, scope, [row.id for row in batch])
        for candidate in batch:
            if speakers is None and candidate.id not in in_scope:
                continue
            body = connection.execute(select(Document.text).where(
                Document.id == candidate.id)).scalar_one()
            regions = in_scope[candidate.id] if speakers is None else _speaker_regions(
                connection, candidate, len(body), speakers, scope)
            hits += _document_hits(connection, node, candidate, body, regions, labels,
                                   None if limit is None else limit - len(hits))
            if limit is not None and len(hits) >= limit:
                return hits
    return hits


def _document_hits(connection: Connection, node: Node, candidate: _Candidate, body: str,
                   regions: list[Region], labels: dict[int, str], limit: int | None
                   ) -> list[SearchHit]:
    spans = _longest_first(_evaluate(node, _Text(body, [(r.start, r.end) for r in regions]),
                                     limit), limit)
    if not spans:
        return []
    lines = _line_numbers(connection, candidate.id,
                          [p for start, end in spans for p in (start, max(end - 1, start))])
    region_starts = [region.start for region in regions]
    hits = []
    for number, (start, end) in enumerate(spans):
        region = regions[max(bisect_right(region_starts, start) - 1, 0)]
        before, match, after = _context(body, start, end)
        who = None if region.participant_id is None else labels.get(region.participant_id)
        hits.append(SearchHit(candidate.id, candidate.name, who, start, end,
                              lines[2 * number], lines[2 * number + 1], before, match,
                              after, region.speaker))
    return hits
