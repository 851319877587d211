"""Word frequencies: the words the participants use most, over the text in scope.

Words are read as the search index reads them (letters and digits; an apostrophe or a
hyphen ends a word) and compared as it compares them (lower case, accents it ignores), so a
word counted here is found by a search for it. Only the text in scope is read (core/finding/scope):
speaker labels are never part of it, a left-out speaker's turns neither. Stop words of the
project's language (core/finding/stopwords) are left out unless asked for; numbers (timestamps,
ages, counts) are never words here. With word forms, words that share a Snowball stem are
one entry, shown as the spelling used most, with every spelling listed; in English a "-y"
adjective joins its word too (risk: risks, risky), as search with word forms finds it.

Counting is one pass over the text: each region's words go into a Counter per transcript
and participant (C speed), and only the distinct words of each are handled in Python after.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.analysis.stats import NOT_SET
from thematic_workbench.analysis.theme_matrix import label_order
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.finding.scope import Scope, regions_in_scope
from thematic_workbench.core.finding.search import REMOVED_MARK, WORD_RE, fold
from thematic_workbench.core.finding.stopwords import stop_words
from thematic_workbench.core.finding.wordforms import project_language, stem_function
from thematic_workbench.core.queries.attribution import participant_label_map
from thematic_workbench.core.storage.models import (
    AttributeDefinition,
    Document,
    ParticipantAttribute,
)

BY_PARTICIPANT = "participant"  # ``by``: a column per participant (else an attribute name)
NO_GROUP = NOT_SET  # the column of text said by no participant, or with no attribute value
DEFAULT_TOP = 100
ENGLISH = "english"



class _Spaces(dict[int, str]):
    """``str.translate`` table, filled on demand: a word character as itself, anything else
    a space, so that ``split()`` gives the index's words.

    Word characters are the index's (letters, digits, private-use characters) and the
    accents it removes, which sit inside a word in decomposed text without ending it. On
    plain text this is about four times faster than a regex's ``findall``: a translate
    of ASCII text runs from a 128-character cache.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = WORD_RE.match(char) or REMOVED_MARK.match(char)
        self[code] = char if kept else " "
        return self[code]


_SPACES = _Spaces()


def words_of(text: str) -> list[str]:
    """The words of a text in lower case, as the search index divides it."""
    return text.lower().translate(_SPACES).split()


@dataclass(frozen=True)
class WordCount:
    """One word (or, with word forms, one stem's words) and who uses it."""

    word: str  # the spelling used most, in lower case
    count: int
    documents: int  # transcripts that use it
    participants: int  # participants who use it
    forms: tuple[str, ...]  # every spelling counted, most used first
    by: Mapping[str, int] = field(default_factory=dict)  # column -> count, when asked


@dataclass(frozen=True)
class WordFrequencies:
    """The most frequent words and what was counted."""

    words: tuple[WordCount, ...]  # most frequent first (ties alphabetical)
    total: int  # words counted (stop words and numbers not)
    distinct: int  # different words (stems, with word forms) counted
    stop_words_left_out: int  # occurrences of stop words not counted
    documents: int  # transcripts with text in scope
    language: str
    forms: bool
    stop_words: bool  # whether the language's stop words were left out
    by: str | None = None
    columns: tuple[str, ...] = ()  # the ``by`` columns in order, NO_GROUP last


class _Groups(dict[str, str | None]):
    """A lower-case token -> the entry it counts for (its folded word, or stem), or None
    for a word not counted; worked out once per distinct token."""

    def __init__(self, stops: frozenset[str], min_length: int,
                 stem: Callable[[str], str] | None) -> None:
        super().__init__()
        self.stops, self.min_length, self.stem = stops, min_length, stem
        self.stopped: set[str] = set()

    def __missing__(self, token: str) -> str | None:
        key = fold(token)
        group: str | None = key
        if key in self.stops:
            group = None
            self.stopped.add(token)
        elif len(key) < max(1, self.min_length) or key.isdigit():
            group = None
        elif self.stem is not None:
            group = self.stem(key)
        self[token] = group
        return group


def _join_y_adjectives(groups: _Groups, tokens: set[str]) -> None:
    """English word forms as search finds them: Porter2 turns a final y into i, so "risky"
    (riski) is not a form of "risk" to the stemmer, but a search for risk with word forms
    finds it (core/finding/search.py, ``WordForms.stems``). A stem ending in i joins the stem
    without it where the text has both."""
    stems = {groups[token] for token in tokens} - {None}
    joined = {stem: stem[:-1] for stem in stems
              if stem is not None and stem.endswith("i") and stem[:-1] in stems}
    if joined:
        for token, stem in groups.items():
            if stem in joined:
                groups[token] = joined[stem]


def _columns(session: Session, by: str | None) -> Callable[[int | None], str] | None:
    """Which column a participant's words go to: their label, or their attribute value."""
    if by is None:
        return None
    if by == BY_PARTICIPANT:
        labels = participant_label_map(session)
        return lambda participant_id: labels.get(participant_id, NO_GROUP) \
            if participant_id is not None else NO_GROUP
    definition = session.execute(select(AttributeDefinition.id)
                                 .where(AttributeDefinition.name == by)).scalar_one_or_none()
    if definition is None:
        known = session.execute(select(AttributeDefinition.name)
                                .order_by(AttributeDefinition.id)).scalars().all()
        raise NotFoundError(f"no participant attribute named '{by}' (attributes: "
                            f"{', '.join(known) or 'none is defined'})")
    values = {participant_id: value.strip() for participant_id, value in session.execute(
        select(ParticipantAttribute.participant_id, ParticipantAttribute.value)
        .where(ParticipantAttribute.attribute_id == definition))}
    return lambda participant_id: values.get(participant_id, NO_GROUP) or NO_GROUP \
        if participant_id is not None else NO_GROUP


def _column_order(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda name: (name == NO_GROUP, label_order(name))))


def word_frequencies(session: Session, scope: Scope | None = None, *,
                     top: int | None = DEFAULT_TOP, forms: bool = False,
                     leave_out_stop_words: bool = True, min_length: int = 1,
                     by: str | None = None, language: str | None = None) -> WordFrequencies:
    """The ``top`` most frequent words in scope (all of them for None), with how many
    transcripts and participants use each and, ``by`` a participant attribute (or
    BY_PARTICIPANT), each column's count. The project's language unless ``language``."""
    scope = scope or Scope()
    language = language or project_language(session)
    stops = stop_words(language) if leave_out_stop_words else frozenset()
    groups = _Groups(stops, min_length, stem_function(language) if forms else None)
    column_of = _columns(session, by)
    regions = regions_in_scope(session, scope)
    # (transcript, participant) -> its words counted; one count of all the regions a
    # participant has in a transcript, joined by line breaks, not one per region
    buckets: dict[tuple[int, int | None], Counter[str]] = {}
    for document_id, body in session.execute(
            select(Document.id, Document.text).where(Document.id.in_(list(regions)))):
        said: dict[int | None, list[str]] = defaultdict(list)
        for region in regions[document_id]:
            said[region.participant_id].append(body[region.start:region.end])
        for participant_id, parts in said.items():
            buckets[(document_id, participant_id)] = Counter(words_of("\n".join(parts)))

    if forms and language == ENGLISH:
        _join_y_adjectives(groups, {token for bucket in buckets.values() for token in bucket})
    total: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    in_documents: dict[int, set[str]] = defaultdict(set)
    by_person: dict[int, set[str]] = defaultdict(set)
    by_column: dict[str, Counter[str]] = defaultdict(Counter)
    left_out = 0
    for (document_id, participant_id), bucket in buckets.items():
        counted: Counter[str] = Counter()
        for token, number in bucket.items():
            group = groups[token]
            if group is None:
                if token in groups.stopped:
                    left_out += number
                continue
            counted[group] += number
            spellings[token] += number
        total.update(counted)
        in_documents[document_id].update(counted)
        if participant_id is not None:
            by_person[participant_id].update(counted)
        if column_of is not None:
            by_column[column_of(participant_id)].update(counted)

    documents: Counter[str] = Counter()
    for used in in_documents.values():
        documents.update(used)
    people: Counter[str] = Counter()
    for used in by_person.values():
        people.update(used)
    ranked = heapq.nsmallest(len(total) if top is None else max(top, 0), total.items(),
                             key=lambda item: (-item[1], item[0]))
    chosen = {group for group, _count in ranked}
    spelled: dict[str, list[str]] = defaultdict(list)
    for token, group in groups.items():
        if group in chosen and token in spellings:
            spelled[group].append(token)
    columns = _column_order(by_column)
    words = []
    for group, count in ranked:
        variants = tuple(sorted(spelled[group], key=lambda token: (-spellings[token], token)))
        words.append(WordCount(
            variants[0] if variants else group, count, documents[group], people[group],
            variants, {column: by_column[column][group] for column in columns}
            if column_of is not None else {}))
    return WordFrequencies(tuple(words), sum(total.values()), len(total), left_out,
                           len(regions), language, forms, bool(stops), by, columns)
