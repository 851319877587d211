"""Finding words and phrases across every transcript of a project.

SQLite FTS5 (migration 0002) says *which* documents hold every term of a query; this module
then finds *where*, in Python, so results carry exact code-point spans, line numbers and
context. The Python side treats words as the index's ``unicode61 remove_diacritics 2``
tokenizer does (letters, digits and private-use characters; case and Latin accents ignored),
so the two agree on what matches. It searches the original text, not a folded copy, so
spans need no mapping back. The user's query never reaches FTS5 as syntax: each term is
sent as a quoted string, so no query can raise an FTS syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import islice
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from thematic_workbench.core.models import Document, Participant

SEARCH_TABLE = "document_fts"
DEFAULT_LIMIT = 200
CONTEXT_CHARS = 60
ELLIPSIS = "…"

# A word character for unicode61: letters, numbers and private-use characters.
_WORD = r"(?:[^\W_]|[\ue000-\uf8ff\U000f0000-\U0010fffd])"
_WORD_RE = re.compile(f"{_WORD}+")
# The combining accents unicode61 (remove_diacritics 2) takes out of words.
_REMOVED_MARK = re.compile("[\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328"
                           "\u032d\u032e\u0330\u0331]")
_TERM_RE = re.compile(r'"([^"]*)"?|(\S+)')
_SPACE_RE = re.compile(r"\s+")
_NATURAL_RE = re.compile(r"(\d+)")


def include_in_schema_compare(name: str | None, type_: str, _parents: Any = None) -> bool:
    """Alembic ``include_name`` hook: the FTS index and its shadow tables are not ORM models."""
    return not (type_ == "table" and name is not None
                and (name == SEARCH_TABLE or name.startswith(f"{SEARCH_TABLE}_")))


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One occurrence of a query term: a code-point span of a document, with its context."""

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


@dataclass(frozen=True, slots=True)
class _Term:
    words: tuple[str, ...]  # folded
    raw: str  # as typed, for the FTS query
    prefix: bool


class _Folding(dict[int, str]):
    """``str.translate`` table, filled on demand, that folds characters as unicode61 does.

    Lower case (simple case folding), and an accented Latin letter becomes its ASCII base
    letter when every accent on it is one the tokenizer removes; those accents, standing
    alone, vanish. Greek or Cyrillic accents stay, as they do in the index.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if _REMOVED_MARK.match(char):
            folded = ""
        else:
            folded = char.casefold()
            if len(folded) != 1:
                folded = char.lower()
            base, *marks = unicodedata.normalize("NFD", folded)
            if marks and base.isascii() and all(_REMOVED_MARK.match(m) for m in marks):
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


def _letter(folded: str) -> str:
    """A regex for one folded letter of a query: any case, any accent the index ignores."""
    variants = _other_forms().get(folded)
    if variants is None and folded.upper() != folded and len(folded.upper()) == 1:
        variants = folded.upper()  # other scripts: their capital letter
    return f"[{re.escape(folded + variants)}]" if variants else re.escape(folded)


def parse_query(query: str) -> list[_Term]:
    """Plain words and "quoted phrases"; a word ending in ``*`` matches as a prefix."""
    terms: list[_Term] = []
    for phrase, word in _TERM_RE.findall(query.replace("\x00", "")):
        raw = phrase if phrase else word
        prefix = bool(word) and word.endswith("*")
        raw = raw.rstrip("*") if prefix else raw
        words = tuple(_WORD_RE.findall(fold(raw)))
        if words:
            terms.append(_Term(words, raw, prefix))
    return terms


def fts_query(terms: list[_Term]) -> str:
    """The FTS5 MATCH expression: every term as a quoted string (so no syntax), ANDed."""
    parts = []
    for term in terms:
        quoted = '"' + term.raw.replace('"', '""') + '"'
        parts.append(quoted + "*" if term.prefix else quoted)
    return " AND ".join(parts)


def _pattern(term: _Term) -> re.Pattern[str]:
    """A regex over the original text matching a term as whole words.

    It runs on the text itself, not a folded copy, so spans need no mapping back. The
    word-start check sits after the first letter, which lets the regex engine jump to
    candidate letters instead of testing every position; one regex per term keeps that
    possible (an alternation of terms would not).
    """
    mark = f"{_REMOVED_MARK.pattern}*"
    words = ["".join(_letter(char) + mark for char in word) for word in term.words]
    first = _letter(term.words[0][0])
    words[0] = f"{first}(?<!{_WORD}.){mark}{words[0][len(first) + len(mark):]}"
    tail = f"(?:{_WORD}|{_REMOVED_MARK.pattern})*" if term.prefix else ""
    return re.compile(f"{f'(?:(?!{_WORD}).)+'.join(words)}{tail}(?!{_WORD})", re.DOTALL)


def _natural(value: str) -> tuple[Any, ...]:
    parts = _NATURAL_RE.split(value.casefold())
    return tuple(int(part) if part.isdigit() else part for part in parts)


def _ordered_hits(session: Session, expression: str) -> list[tuple[int, str, str | None]]:
    """Documents holding every term, in the order the documents panel lists them."""
    ids = session.execute(
        text(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q"),
        {"q": expression}).scalars().all()
    if not ids:
        return []
    rows = session.execute(
        select(Document.id, Document.name, Participant.label)
        .outerjoin(Participant, Participant.id == Document.participant_id)
        .where(Document.id.in_(ids))).all()
    return sorted(((row.id, row.name, row.label) for row in rows), key=lambda row: (
        row[2] is None, _natural(row[2] or ""), _natural(row[1]), row[0]))


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


def find_in_text(value: str, query: str) -> list[tuple[int, int]]:
    """Code-point spans of every occurrence of the query's terms in ``value``, in order."""
    terms = parse_query(query)
    return _find(value, [_pattern(term) for term in terms])


def _find(value: str, patterns: list[re.Pattern[str]], limit: int | None = None
          ) -> list[tuple[int, int]]:
    """The first ``limit`` spans of any term, in text order; of overlapping ones the longest."""
    spans = sorted((found.start(), -found.end()) for pattern in patterns
                   for found in islice(pattern.finditer(value), limit))
    merged: list[tuple[int, int]] = []
    for start, negative_end in spans:
        if not merged or start >= merged[-1][1]:
            merged.append((start, -negative_end))
    return merged[:limit]


def _line_numbers(connection: Connection, document_id: int,
                  positions: list[int]) -> list[int | None]:
    """The numbers of the lines holding some positions of a document, in one query."""
    values = ",".join("(?, ?)" for _ in positions)
    params: list[int] = []
    for order, position in enumerate(positions):
        params += [order, position]
    return list(connection.exec_driver_sql(
        f"WITH wanted(k, pos) AS (VALUES {values}) "
        "SELECT (SELECT number FROM line WHERE document_id = ? AND start <= pos "
        "ORDER BY start DESC LIMIT 1) FROM wanted ORDER BY k",
        (*params, document_id)).scalars())


def search_project(session: Session, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Every occurrence of the query's terms in the documents holding all of them.

    Results follow document order (participant, then name) and position within a document;
    at most ``limit`` are returned (ask for one more to learn whether there are more).
    """
    terms = parse_query(query)
    if not terms or limit <= 0:
        return []
    patterns = [_pattern(term) for term in terms]
    connection = session.connection()
    hits: list[SearchHit] = []
    for document_id, name, participant in _ordered_hits(session, fts_query(terms)):
        body = connection.exec_driver_sql(
            "SELECT text FROM document WHERE id = ?", (document_id,)).scalar_one()
        spans = _find(body, patterns, limit - len(hits))
        if not spans:
            continue
        lines = _line_numbers(connection, document_id,
                              [p for start, end in spans for p in (start, end - 1)])
        for number, (start, end) in enumerate(spans):
            before, match, after = _context(body, start, end)
            hits.append(SearchHit(document_id, name, participant, start, end,
                                  lines[2 * number], lines[2 * number + 1], before, match,
                                  after))
        if len(hits) >= limit:
            break
    return hits
