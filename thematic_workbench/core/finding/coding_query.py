"""Coding queries: which passages are coded with A AND B, A OR B, A NOT B, A NEAR/N B.

An expression names codes or themes in double quotes (``"Trust" AND "Risk"``), joined by
AND, OR, NOT, NEAR/N and parentheses; operators may be written in any case. NOT and NEAR
bind tightest, then AND, then OR; operators of one level group from the left, so
``"A" OR "B" AND "C" NOT "D"`` is ``"A" OR ("B" AND ("C" NOT "D"))``. ``AND NOT`` may be
written for NOT. Inside quotes ``\\"`` is a double quote and ``\\\\`` a backslash.

A name is an active code, else a theme (not a discarded one): a final theme stands for its
codes and those of its emerging themes, an emerging theme for its codes. ``code:"x"`` and
``theme:"x"`` say which is meant when a code and a theme share a name; ``final:"x"`` and
``emerging:"x"`` when an emerging and a final theme do.

Each operand is a set of passages: per document, the sorted, disjoint character spans
(code points) that its codes cover, by every coder, touching spans joined. Then

* A AND B: the parts where A and B overlap;
* A OR B: the union;
* A NOT B: the passages of A that share no character with B, kept whole (not cut around
  B: a whole passage reads as an extract, a cut one does not);
* A NEAR/N B: the passages of A and of B that lie within N numbered lines of each other
  (on the same line, or on lines at most N apart), joined where they overlap.

The result's passages are then quoted as extracts are (``core.quotes``: no speaker label or
white space at either end) and filtered by who said them (``core.attribution``: in a focus
group the participant mapped to the speaker) against the scope's participants and
attribute values. They come in the documents panel's order: by the transcript's
participant (none last), then document name, then place.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVarTuple

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.finding.scope import Scope, participant_ids_in_scope
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.attribution import participant_label_map, passage_participants
from thematic_workbench.core.queries.project import citation, merged_spans
from thematic_workbench.core.storage.models import (
    AttributeDefinition,
    Code,
    Coding,
    Document,
    Line,
    Participant,
    ParticipantAttribute,
    Theme,
    ThemeMembership,
    Turn,
)
from thematic_workbench.core.text.quotes import SpeakerLabels, trim_quote

Spans = list[tuple[int, int]]
PassageSets = dict[int, Spans]  # document id -> sorted, disjoint spans

OPERATORS = ("AND", "OR", "NOT", "NEAR")
KINDS = ("code", "theme", "final", "emerging")  # what a name may be prefixed with
_Ts = TypeVarTuple("_Ts")

_LEVEL = {"OR": 1, "AND": 2, "NOT": 3, "NEAR": 3}
_LEAF_LEVEL = 4
MAX_NEAR = 10_000
QUOTE_MARKS = "\"'“”‘’„«»"


class QueryError(WorkbenchError):
    """An expression that cannot be read or names something the project lacks;
    ``position`` (0-based) is where in the expression, when the problem has a place."""

    def __init__(self, position: int | None, reason: str) -> None:
        self.position = position
        self.reason = reason
        super().__init__(reason if position is None else f"{_at(position)}: {reason}")


# -- the expression --------------------------------------------------------------------------
@dataclass(frozen=True)
class Name:
    """A quoted name, with ``kind`` when prefixed (``code:"x"``); ``position`` is where it
    stands in the expression (0-based), for messages, and is not part of its identity."""

    text: str
    kind: str | None = None
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Operation:
    """``left OP right``; ``distance`` is N of NEAR/N (0 for the other operators)."""

    operator: str
    left: Node
    right: Node
    distance: int = 0


Node = Name | Operation


@dataclass(frozen=True)
class _Token:
    kind: str  # "name", "word", "(", ")", ":", "end"
    text: str
    position: int
    distance: int = 0  # N of a NEAR/N word


_WORD = re.compile(r"[A-Za-z]+(?:/\d*)?")
_DISTANCE = re.compile(r"/(\d+)")


def _at(position: int) -> str:
    return f"at character {position + 1}"


def _tokens(expression: str) -> Iterator[_Token]:
    index, length = 0, len(expression)
    while index < length:
        char = expression[index]
        if char.isspace():
            index += 1
        elif char in "()":
            yield _Token(char, char, index)
            index += 1
        elif char == ":":
            yield _Token(":", char, index)
            index += 1
        elif char == '"':
            yield _quoted(expression, index)
            index = _quoted_end(expression, index)
        else:
            match = _WORD.match(expression, index)
            if char in "“”„«»":
                raise QueryError(index, f"names go in straight double quotes (\"), "
                                 f"not {char}")
            if match is None:
                raise QueryError(index, f"unexpected {char!r}; names go in double "
                                 "quotes, joined by AND, OR, NOT, NEAR/N and parentheses")
            word = match.group()
            yield _word(word, index)
            index = match.end()
    yield _Token("end", "", length)


def _quoted_end(expression: str, opening: int) -> int:
    """The index just after the closing quote of the name opened at ``opening``."""
    index = opening + 1
    while index < len(expression):
        char = expression[index]
        if char == "\\" and index + 1 < len(expression):
            index += 2
            continue
        if char == '"':
            return index + 1
        index += 1
    raise QueryError(opening, "the name opened here has no closing double quote")


def _quoted(expression: str, opening: int) -> _Token:
    end = _quoted_end(expression, opening)
    body = expression[opening + 1:end - 1]
    text = re.sub(r"\\(.)", r"\1", body)
    if not text.strip():
        raise QueryError(opening, "an empty name \"\"; write a code or theme name "
                         "between the quotes")
    return _Token("name", " ".join(text.split()), opening)


def _word(word: str, position: int) -> _Token:
    head, _slash, _rest = word.partition("/")
    upper = head.upper()
    if upper == "NEAR":
        match = _DISTANCE.fullmatch(word[len(head):])
        if match is None:
            raise QueryError(position, "NEAR needs a number of lines, for example "
                             "NEAR/3")
        distance = int(match.group(1))
        if distance > MAX_NEAR:
            raise QueryError(position, f"NEAR/{distance} is too far; at most "
                             f"NEAR/{MAX_NEAR}")
        return _Token("word", "NEAR", position, distance)
    if "/" in word:
        raise QueryError(position, f"only NEAR takes a number (NEAR/3), not {word!r}")
    if upper in OPERATORS or head.lower() in KINDS:
        return _Token("word", upper if upper in OPERATORS else head.lower(), position)
    raise QueryError(position, f"names go in double quotes: \"{word}\"")


class _Parser:
    def __init__(self, expression: str) -> None:
        self.tokens = list(_tokens(expression))
        self.index = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def is_word(self, *words: str) -> bool:
        return self.token.kind == "word" and self.token.text in words

    def fail(self, expected: str) -> QueryError:
        token = self.token
        found = "the expression ends" if token.kind == "end" else f"found {_shown(token)}"
        return QueryError(token.position, f"expected {expected}, but {found}")

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise QueryError(None, "the expression is empty; name a code or theme in double "
                             "quotes, for example \"Trust\" AND \"Risk\"")
        node = self.any()
        if self.token.kind != "end":
            if self.token.kind == ")":
                raise QueryError(self.token.position, "this \")\" closes no \"(\"")
            raise self.fail("AND, OR, NOT or NEAR/N")
        return node

    def any(self) -> Node:
        node = self.both()
        while self.is_word("OR"):
            self.take()
            node = Operation("OR", node, self.both())
        return node

    def both(self) -> Node:
        node = self.tight()
        while self.is_word("AND"):
            self.take()
            if self.is_word("NOT"):  # "A AND NOT B" is "A NOT B"
                self.take()
                node = Operation("NOT", node, self.tight())
            else:
                node = Operation("AND", node, self.tight())
        return node

    def tight(self) -> Node:
        node = self.operand()
        while self.is_word("NOT", "NEAR"):
            token = self.take()
            node = Operation(token.text, node, self.operand(), token.distance)
        return node

    def operand(self) -> Node:
        token = self.token
        if token.kind == "name":
            self.take()
            return Name(token.text, None, token.position)
        if token.kind == "(":
            self.take()
            node = self.any()
            if self.token.kind != ")":
                raise self.fail(f"\")\" to close the \"(\" {_at(token.position)}")
            self.take()
            return node
        if token.kind == "word" and token.text in KINDS:
            self.take()
            if self.token.kind != ":":
                raise self.fail(f"\":\" after {token.text} (as in {token.text}:\"name\")")
            self.take()
            if self.token.kind != "name":
                raise self.fail(f"a name in double quotes after {token.text}:")
            name = self.take()
            return Name(name.text, token.text, token.position)
        if token.kind == "word" and token.text == "NOT":
            raise QueryError(token.position, "NOT needs a code or theme before it, "
                             "as in \"A\" NOT \"B\" (passages of A that are not coded B)")
        raise self.fail("a name in double quotes or \"(\"")


def _shown(token: _Token) -> str:
    if token.kind == "name":
        return f"the name \"{token.text}\""
    if token.kind == "word" and token.text == "NEAR":
        return f"NEAR/{token.distance}"
    return f"\"{token.text}\"" if token.kind in "():" else token.text


def parse_query(expression: str) -> Node:
    """The expression as a tree; a QueryError names the place and what was expected."""
    return _Parser(expression).parse()


def _level(node: Node) -> int:
    return _LEAF_LEVEL if isinstance(node, Name) else _LEVEL[node.operator]


def _quote(name: Name) -> str:
    body = name.text.replace("\\", "\\\\").replace('"', '\\"')
    return f'{name.kind}:"{body}"' if name.kind else f'"{body}"'


def query_text(node: Node) -> str:
    """The tree as an expression, with only the parentheses it needs (canonical form)."""
    if isinstance(node, Name):
        return _quote(node)
    level = _level(node)
    left = query_text(node.left)
    right = query_text(node.right)
    if _level(node.left) < level:
        left = f"({left})"
    if _level(node.right) <= level:
        right = f"({right})"
    operator = f"NEAR/{node.distance}" if node.operator == "NEAR" else node.operator
    return f"{left} {operator} {right}"


def names_in(node: Node) -> list[Name]:
    """The names of the tree, left to right."""
    if isinstance(node, Name):
        return [node]
    return names_in(node.left) + names_in(node.right)


# -- what names mean -------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryName:
    """A code or theme an expression may name, for choosers and messages."""

    kind: str  # "code", "final theme", "emerging theme"
    name: str
    id: int

    @property
    def prefix(self) -> str | None:
        """The prefix that names it when its name alone is taken by something else."""
        return {"code": "code", "final theme": "final", "emerging theme": "emerging"}[self.kind]


@dataclass
class _Frame:
    """Active codes and live themes, with each theme's codes."""

    codes: dict[str, tuple[int, str]]  # name key -> (id, name)
    themes: dict[str, list[tuple[int, str, str]]]  # name key -> [(id, name, level)]
    theme_codes: dict[int, set[int]]

    @classmethod
    def read(cls, session: Session) -> _Frame:
        codes = {name_key(name): (code_id, name) for code_id, name in session.execute(
            select(Code.id, Code.name).where(Code.status == "active"))}
        live = session.execute(select(Theme.id, Theme.name, Theme.level, Theme.parent_id)
                               .where(Theme.status != "discarded")
                               .order_by(Theme.position, Theme.id)).all()
        themes: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for theme_id, name, level, _parent in live:
            themes[name_key(name)].append((theme_id, name, level))
        direct: dict[int, set[int]] = defaultdict(set)
        active = {code_id for code_id, _name in codes.values()}
        for theme_id, code_id in session.execute(
                select(ThemeMembership.theme_id, ThemeMembership.code_id)):
            if code_id in active:
                direct[theme_id].add(code_id)
        levels = {theme_id: level for theme_id, _name, level, _parent in live}
        theme_codes = {theme_id: set(direct.get(theme_id, ())) for theme_id in levels}
        for theme_id, _name, level, parent in live:
            if parent is not None and level == "emerging" and levels.get(parent) == "final":
                theme_codes[parent] |= direct.get(theme_id, set())
        return cls(codes, dict(themes), theme_codes)

    def _key(self, name: Name) -> str:
        """The key of the code or theme meant: the name as written, else (an in-vivo code's
        quotation written without its own quote marks) the one name that matches bare."""
        key = name_key(name.text)
        if key in self.codes or key in self.themes:
            return key
        bare = [known for known in (*self.codes, *self.themes) if _bare(known) == _bare(key)]
        return bare[0] if len(set(bare)) == 1 else key

    def names(self) -> list[str]:
        found = [name for _id, name in self.codes.values()]
        found += [name for group in self.themes.values() for _id, name, _level in group]
        return found

    def resolve(self, name: Name) -> tuple[QueryName, frozenset[int]]:
        key = self._key(name)
        if name.kind in (None, "code") and key in self.codes:
            code_id, text = self.codes[key]
            return QueryName("code", text, code_id), frozenset({code_id})
        themes = self.themes.get(key, []) if name.kind != "code" else []
        if name.kind in ("final", "emerging"):
            themes = [theme for theme in themes if theme[2] == name.kind]
        if len(themes) > 1:
            raise QueryError(name.position, f"both an emerging and a final theme are "
                             f"named \"{name.text}\"; write final:\"{name.text}\" or "
                             f"emerging:\"{name.text}\"")
        if themes:
            theme_id, text, level = themes[0]
            return (QueryName(f"{level} theme", text, theme_id),
                    frozenset(self.theme_codes.get(theme_id, ())))
        raise QueryError(name.position, self._unknown(name))

    def _unknown(self, name: Name) -> str:
        what = {None: "code or theme", "code": "code", "theme": "theme",
                "final": "final theme", "emerging": "emerging theme"}[name.kind]
        pool = {name_key(text): text for text in self.names()}
        close = difflib.get_close_matches(name_key(name.text), list(pool), n=3, cutoff=0.6)
        close += [key for key in pool if name_key(name.text) in key and key not in close]
        hint = ""
        if close:
            hint = "; did you mean " + " or ".join(f"\"{pool[key]}\"" for key in close[:3]) + "?"
        return f"no {what} named \"{name.text}\"{hint}"


def _bare(key: str) -> str:
    """A name without the quote marks an in-vivo code's quotation brings."""
    return key.strip(QUOTE_MARKS + " ")


def query_names(session: Session) -> list[QueryName]:
    """Every name an expression may use: active codes, then final and emerging themes
    (board order), each group alphabetical."""
    frame = _Frame.read(session)
    codes = sorted((QueryName("code", name, code_id)
                    for code_id, name in frame.codes.values()),
                   key=lambda item: name_key(item.name))
    themes = sorted((QueryName(f"{level} theme", name, theme_id)
                     for group in frame.themes.values() for theme_id, name, level in group),
                    key=lambda item: (item.kind != "final theme", name_key(item.name)))
    return codes + themes


def name_for_query(item: QueryName, taken: Iterable[QueryName]) -> str:
    """How an expression names ``item``: in double quotes (an in-vivo code without its own
    quote marks when nothing else then shares the name), prefixed only when an item of
    another kind has the same name."""
    others = [other for other in taken if other != item]
    key = name_key(item.name)
    clash = any(other.kind != item.kind and name_key(other.name) == key for other in others)
    text = item.name
    if _bare(key) != key and not any(_bare(name_key(other.name)) == _bare(key)
                                     for other in others):
        text = text.strip(QUOTE_MARKS + " ")
    return _quote(Name(text, item.prefix if clash else None))


@dataclass(frozen=True)
class FilterChoices:
    """The participants and attribute values a query may be narrowed to, for choosers."""

    participants: tuple[str, ...]
    attributes: tuple[tuple[str, tuple[str, ...]], ...]  # (name, its values in use)


def filter_choices(session: Session) -> FilterChoices:
    """Participant labels, and each attribute's values that some participant has."""
    labels = sorted(session.execute(select(Participant.label)).scalars(), key=str.casefold)
    values: dict[str, set[str]] = {name: set() for name in session.execute(
        select(AttributeDefinition.name)).scalars()}
    for name, value in session.execute(
            select(AttributeDefinition.name, ParticipantAttribute.value)
            .join(ParticipantAttribute,
                  ParticipantAttribute.attribute_id == AttributeDefinition.id)):
        if value.strip():
            values[name].add(value.strip())
    return FilterChoices(tuple(labels), tuple(
        (name, tuple(sorted(found, key=str.casefold)))
        for name, found in sorted(values.items(), key=lambda item: item[0].casefold())))


# -- passage sets ----------------------------------------------------------------------------
def intersect(first: Spans, second: Spans) -> Spans:
    """Where the two sorted, disjoint span lists overlap."""
    found: Spans = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            found.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return found


def union(first: Spans, second: Spans) -> Spans:
    """Both span lists as one sorted, disjoint list (touching spans joined)."""
    if not first:
        return list(second)
    if not second:
        return list(first)
    return merged_spans(first + second)


def without(first: Spans, second: Spans) -> Spans:
    """The spans of ``first`` that share no character with any span of ``second``."""
    starts = [start for start, _end in second]
    kept: Spans = []
    for start, end in first:
        # the last span of second starting before this one ends; it overlaps if it reaches in
        index = bisect_left(starts, end) - 1
        if index < 0 or second[index][1] <= start:
            kept.append((start, end))
    return kept


SpanLines = Callable[[tuple[int, int]], tuple[int, int]]  # span -> (first, last line)


def near(first: Spans, second: Spans, lines: SpanLines, distance: int) -> Spans:
    """The spans of either list within ``distance`` lines of a span of the other."""
    first_lines = [lines(span) for span in first]
    second_lines = [lines(span) for span in second]
    return union(_close(first, first_lines, second_lines, distance),
                 _close(second, second_lines, first_lines, distance))


def _close(spans: Spans, own: list[tuple[int, int]], other: list[tuple[int, int]],
           distance: int) -> Spans:
    """The spans whose lines (``own``) lie within ``distance`` of one of ``other``'s."""
    # Disjoint spans in text order have non-decreasing first and last lines, so the first
    # of the others that ends late enough is the one that starts earliest among them.
    last_lines = [last for _first, last in other]
    kept: Spans = []
    for span, (first_line, last_line) in zip(spans, own, strict=True):
        index = bisect_left(last_lines, first_line - distance)
        if index < len(other) and other[index][0] <= last_line + distance:
            kept.append(span)
    return kept


class LineRanges:
    """The numbered lines of one document, to say which lines a span covers."""

    __slots__ = ("_numbers", "_starts")

    def __init__(self, numbers: Iterable[int], starts: Iterable[int]) -> None:
        self._numbers, self._starts = list(numbers), list(starts)
        if self._starts != sorted(self._starts):  # rows usually come in order already
            ordered = sorted(zip(self._starts, self._numbers, strict=True))
            self._starts = [start for start, _number in ordered]
            self._numbers = [number for _start, number in ordered]

    def line(self, position: int) -> int:
        """The number of the line holding ``position`` (1 before the first line)."""
        index = bisect_right(self._starts, position) - 1
        return self._numbers[index] if index >= 0 else 1

    def of(self, span: tuple[int, int]) -> tuple[int, int]:
        """The first and last line of ``span``."""
        first = self.line(span[0])
        return first, max(first, self.line(span[1] - 1))


# -- running a query -------------------------------------------------------------------------
@dataclass(frozen=True)
class Passage:
    """One passage of a result, quoted: no speaker label or white space at either end."""

    document_id: int
    document: str
    participant: str | None  # who said it (a focus group's mapped speaker), else None
    start: int
    end: int
    start_line: int
    end_line: int
    text: str

    @property
    def citation(self) -> str:
        """``[PA, lines 12-14]``, the transcript's name when nobody is known."""
        return citation(self.participant or self.document, self.start_line, self.end_line)


@dataclass(frozen=True)
class QueryResult:
    """What a query found: the expression in canonical form, the names it used, and the
    passages in the documents panel's order."""

    expression: str
    names: tuple[QueryName, ...]
    passages: tuple[Passage, ...]

    @property
    def documents(self) -> int:
        return len({passage.document_id for passage in self.passages})


def plain_rows(session: Session, statement: Select[*_Ts]) -> list[tuple[*_Ts]]:
    """The rows of a statement of whole numbers, straight from the database driver, in the
    session's transaction: SQLAlchemy's result rows cost more than the query itself here
    (50,000 codings: 0.14 s against 0.04 s). Values are written into the SQL (numbers)."""
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect,
                                compile_kwargs={"literal_binds": True}))
    driver = connection.connection.dbapi_connection
    cursor = driver.cursor()  # type: ignore[union-attr]  # None only once invalidated
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _speaker_labels(session: Session, document_ids: Iterable[int]) -> dict[int, SpeakerLabels]:
    """:func:`core.queries.speaker_labels` read through :func:`plain_rows`: a query's
    passages can lie in every transcript of a large project (70,000 turns)."""
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for document_id, start, speech_start in plain_rows(session, select(
            Turn.document_id, Turn.start, Turn.speech_start).where(
            Turn.speech_start > Turn.start, Turn.document_id.in_(sorted(document_ids)))):
        spans[document_id].append((start, speech_start))
    return {document_id: SpeakerLabels(found) for document_id, found in spans.items()}


class _Evaluation:
    """One query over one read session: codings read once, lines read when needed."""

    def __init__(self, session: Session, leaves: dict[Name, frozenset[int]],
                 documents: frozenset[int] | None) -> None:
        self.session = session
        self.leaves: dict[Name, PassageSets] = {}
        self._lines: dict[int, LineRanges] = {}
        names = list(leaves)
        slots: dict[int, list[dict[int, Spans]]] = defaultdict(list)  # code -> its leaves'
        found: list[dict[int, Spans]] = [{} for _name in names]
        for name, spans in zip(names, found, strict=True):
            for code_id in leaves[name]:
                slots[code_id].append(spans)
        if slots:
            query = select(Coding.code_id, Coding.document_id, Coding.start, Coding.end) \
                .where(Coding.code_id.in_(sorted(slots)))
            if documents is not None:
                query = query.where(Coding.document_id.in_(sorted(documents)))
            for code_id, document_id, start, end in plain_rows(session, query):
                for spans in slots[code_id]:
                    if document_id in spans:
                        spans[document_id].append((start, end))
                    else:
                        spans[document_id] = [(start, end)]
        for name, spans in zip(names, found, strict=True):
            self.leaves[name] = {document_id: merged_spans(found)
                                 for document_id, found in spans.items()}

    def read_lines(self, found: PassageSets) -> None:
        """Read the numbered lines of the documents in ``found`` not read yet: each
        document's numbers and starts as two joined strings (reading 300,000 rows one by
        one, or probing the lines of tens of thousands of spans, took most of a second)."""
        missing = sorted(found.keys() - self._lines.keys())
        if not missing:
            return
        sqlite = self.session.get_bind().dialect.name == "sqlite"

        def joined(column: Any) -> Any:
            if sqlite:
                return func.group_concat(column)
            return func.string_agg(cast(column, String), ",")

        # Lines are numbered 1..n unless a text edit renumbered some: then (and only then)
        # the numbers are read too.
        rows = plain_rows(self.session, select(
            Line.document_id, func.min(Line.number), func.max(Line.number), func.count(),
            joined(Line.start)).where(Line.document_id.in_(missing)).group_by(Line.document_id))
        renumbered = [row[0] for row in rows if row[2] - row[1] + 1 != row[3]]
        numbers: dict[int, str] = dict(plain_rows(
            self.session, select(Line.document_id, joined(Line.number))
            .where(Line.document_id.in_(renumbered))
            .group_by(Line.document_id))) if renumbered else {}
        for document_id, lowest, highest, _count, starts in rows:
            listed = numbers.get(document_id)
            self._lines[document_id] = LineRanges(
                range(lowest, highest + 1) if listed is None else map(int, listed.split(",")),
                map(int, starts.split(",")))
        self._lines.update({document_id: LineRanges((), ()) for document_id in missing
                            if document_id not in self._lines})

    def lines_of(self, document_id: int) -> SpanLines:
        """The first and last line of a span of the document (after :meth:`read_lines`)."""
        return self._lines[document_id].of

    def run(self, node: Node) -> PassageSets:
        if isinstance(node, Name):
            return self.leaves[node]
        left = self.run(node.left)
        right = self.run(node.right)
        if node.operator == "AND":
            found = {document_id: intersect(spans, right[document_id])
                     for document_id, spans in left.items() if document_id in right}
        elif node.operator == "OR":
            found = {document_id: union(left.get(document_id, []), right.get(document_id, []))
                     for document_id in left.keys() | right.keys()}
        elif node.operator == "NOT":
            found = {document_id: without(spans, right.get(document_id, []))
                     for document_id, spans in left.items()}
        else:
            both = left.keys() & right.keys()
            self.read_lines({document_id: left[document_id] for document_id in both})
            self.read_lines({document_id: right[document_id] for document_id in both})
            found = {document_id: near(left[document_id], right[document_id],
                                       self.lines_of(document_id), node.distance)
                     for document_id in both}
        return {document_id: spans for document_id, spans in found.items() if spans}


def run_query(session: Session, expression: str | Node, scope: Scope | None = None,
              ) -> QueryResult:
    """The passages an expression finds, filtered by the scope's participants and attribute
    values (and documents); a QueryError for an expression that cannot be read or run."""
    scope = scope if scope is not None else Scope()
    node = parse_query(expression) if isinstance(expression, str) else expression
    frame = _Frame.read(session)
    names: dict[str, QueryName] = {}
    leaves: dict[Name, frozenset[int]] = {}
    for name in names_in(node):
        found, code_ids = frame.resolve(name)
        names.setdefault(f"{found.kind}:{found.id}", found)
        leaves[name] = code_ids
    sets = _Evaluation(session, leaves, scope.documents)
    passages = _passages(session, sets, sets.run(node), scope)
    return QueryResult(query_text(node), tuple(names.values()), tuple(passages))


def _passages(session: Session, evaluation: _Evaluation, found: PassageSets,
              scope: Scope) -> list[Passage]:
    """The spans as quoted passages, who said each, filtered by the scope, in order."""
    if not found:
        return []
    allowed = participant_ids_in_scope(session, scope)
    documents = {row.id: row for row in session.execute(
        select(Document.id, Document.name, Participant.label, Document.text)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .where(Document.id.in_(sorted(found))))}
    labels = _speaker_labels(session, found.keys())
    none = SpeakerLabels()
    spans: list[tuple[int, int, int]] = []
    for document_id, document_spans in found.items():
        text = documents[document_id].text
        turns = labels.get(document_id, none)
        for start, end in document_spans:
            first, last = trim_quote(text[start:end], start, turns)
            spans.append((document_id, first, last))
    said = passage_participants(session, [(doc, start) for doc, start, _end in spans])
    if allowed is not None:
        spans = [span for span in spans if said.get((span[0], span[1])) in allowed]
    label_of = participant_label_map(session)
    kept: PassageSets = defaultdict(list)
    for document_id, start, end in spans:
        kept[document_id].append((start, end))
    evaluation.read_lines(kept)
    passages = []
    for document_id, start, end in spans:
        row = documents[document_id]
        first, last = evaluation.lines_of(document_id)((start, end))
        who = said.get((document_id, start))
        passages.append(Passage(document_id, row.name, label_of.get(who) if who else None,
                                start, end, first, last, row.text[start:end]))
    passages.sort(key=lambda passage: _order(documents[passage.document_id], passage))
    return passages


def _order(document: object, passage: Passage) -> tuple[bool, str, str, int, int]:
    """The documents panel's order: the transcript's participant (none last, any case),
    its name, then the place in the text."""
    label = getattr(document, "label", None)
    return (label is None, (label or "").casefold(), passage.document, passage.start,
            passage.end)
