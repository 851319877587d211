"""What in a project's transcripts could identify someone: the candidates a pseudonym key
is made from.

Found offline, from the text alone: capitalised names that are not common words of the
project (``core/finding/capitalised.py``: a word is common when it is a stop word of the
project's language or is also said in lower case somewhere in the project, so "Court" is
common where "court" is said), titles with a name, places and organisations by their cues,
and identifiers of a fixed shape (``core/finding/identifier_patterns.py``: dates, UK phone
numbers, e-mail addresses, postcodes, NHS numbers). The real strings of a key already made
and the strings of a user's own list are looked for too, so each new transcript is checked
against them.

The transcripts are read twice, a batch at a time, so a project is never held in memory
whole: first for the words said in lower case, the capitalised runs and the shaped
identifiers; then, with every candidate known, for each one's occurrences, as whole words
in any case, in every transcript (a name first seen mid-sentence is counted where it opens
one too). Where candidates overlap, the longest is counted ("Dr Smith" is not counted
again as "Smith"), as a key applied longest first would replace them. Speaker labels are
never read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.finding.capitalised import (
    ORGANISATION_WORDS,
    TITLES,
    Run,
    capitalised_runs,
    judge_run,
)
from thematic_workbench.core.finding.identifier_patterns import shaped_matches
from thematic_workbench.core.finding.search import fold
from thematic_workbench.core.finding.stopwords import stop_words
from thematic_workbench.core.finding.whole_words import WholeWords, lowered
from thematic_workbench.core.finding.wordforms import project_language
from thematic_workbench.core.queries.participant_sheet import natural_key
from thematic_workbench.core.records.pseudonyms import (
    KINDS,
    ORGANISATION,
    OTHER,
    PERSON,
    PLACE,
    PseudonymEntry,
)
from thematic_workbench.core.storage.models import Document, Line, Participant, Turn

BATCH = 16  # transcripts read at a time
STRONG = 3  # a title or an organisation's word counts as three guesses
FOUND, KEY, LIST = "found", "key", "list"  # where a candidate came from
_TIES = (ORGANISATION, PLACE, PERSON, OTHER)  # on equal evidence, the first
_WORD = re.compile(r"[^\W\d_]+(?:[\-'’][^\W\d_]+)*")
_PIECES = re.compile(r"[\-'’]")
_AFTER_ANY = 1 << 62


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a candidate occurs: ``text[start:end]`` of a transcript, on stable line ``line``."""

    document_id: int
    document: str
    start: int
    end: int
    line: int | None


@dataclass(frozen=True, slots=True)
class IdentifierCandidate:
    """A string that may identify someone, with its first ``document`` and ``line``, how
    often it occurs in the project, and where (for a review list to show it in context).

    ``source`` says why it is listed: found in the text, a key's real string, or the
    user's list.
    """

    text: str
    kind: str
    document: str
    line: int | None
    count: int
    positions: tuple[Occurrence, ...]
    source: str = FOUND


@dataclass(frozen=True, slots=True)
class _Transcript:
    """A transcript's text and its stretches of speech: everything but the speaker labels."""

    id: int
    name: str
    text: str
    speech: tuple[tuple[int, int], ...]

    def in_speech(self, position: int) -> bool:
        at = bisect_right(self.speech, (position, _AFTER_ANY)) - 1
        return at >= 0 and position < self.speech[at][1]


def _document_order(session: Session) -> list[tuple[int, str]]:
    """Every transcript's id and name, as the documents panel lists them."""
    rows = list(session.execute(
        select(Document.id, Document.name, Participant.label)
        .outerjoin(Participant, Participant.id == Document.participant_id)))
    rows.sort(key=lambda row: (row.label is None, natural_key(row.label or ""),
                               natural_key(row.name), row.id))
    return [(row.id, row.name) for row in rows]


def _speech(length: int, labels: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """``[0, length)`` without the label spans."""
    stretches, reach = [], 0
    for start, end in sorted(labels):
        if start > reach:
            stretches.append((reach, start))
        reach = max(reach, end)
    if length > reach:
        stretches.append((reach, length))
    return tuple(stretches)


def _transcripts(session: Session, documents: Sequence[tuple[int, str]]
                 ) -> Iterator[_Transcript]:
    """The transcripts with their stretches of speech, read ``BATCH`` at a time."""
    for at in range(0, len(documents), BATCH):
        batch = documents[at:at + BATCH]
        ids = [document_id for document_id, _name in batch]
        texts: dict[int, str] = dict(session.execute(
            select(Document.id, Document.text).where(Document.id.in_(ids))).all())
        labels: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for document_id, start, speech_start in session.execute(
                select(Turn.document_id, Turn.start, Turn.speech_start)
                .where(Turn.document_id.in_(ids), Turn.speech_start > Turn.start)):
            labels[document_id].append((start, speech_start))
        for document_id, name in batch:
            text = texts[document_id]
            yield _Transcript(document_id, name, text, _speech(len(text), labels[document_id]))


@dataclass
class _Reading:
    """What the first reading gathers across the project."""

    lower_words: set[str]
    runs: Counter[Run]
    shaped: dict[str, str]  # text -> kind, the first found

    def read(self, transcript: _Transcript) -> None:
        text = transcript.text
        for word in set(_WORD.findall(text)):
            if word.islower():
                self.lower_words.add(word)
                self.lower_words.update(_PIECES.split(word))
        for start, end in transcript.speech:
            self.runs.update(capitalised_runs(text, start, end))
        for match in shaped_matches(text):  # rare: read whole, then kept if in speech
            if transcript.in_speech(match.start):
                self.shaped.setdefault(text[match.start:match.end], match.kind)


def _is_common(word: str, lower_words: set[str], stops: frozenset[str]) -> bool:
    lower = word.lower()
    return fold(word) in stops or lower in lower_words or \
        lower.removesuffix("'s").removesuffix("’s") in lower_words


def _found(reading: _Reading, stops: frozenset[str]) -> dict[str, str]:
    """The candidates the text gives: each name with its likeliest kind, then the shapes."""
    common = partial(_is_common, lower_words=reading.lower_words, stops=stops)

    def stop(word: str) -> bool:
        return fold(word) in stops

    evidence: dict[str, Counter[str]] = defaultdict(Counter)
    for run, count in reading.runs.items():
        judged = judge_run(run, common, stop)
        if judged is not None:
            evidence[judged.text][judged.kind] += count * (STRONG if judged.strong else 1)
    found = {text: max(_TIES, key=lambda kind: (weights[kind], -_TIES.index(kind)))
             for text, weights in evidence.items()}
    for text, kind in reading.shaped.items():
        found.setdefault(text, kind)
    return found


def _wanted(found: dict[str, str], key: Iterable[PseudonymEntry], word_list: Iterable[str]
            ) -> dict[str, tuple[str, str, str]]:
    """Lower-cased text -> (text, kind, source): the key's kinds win, the list adds."""
    wanted = {lowered(text): (text, kind, FOUND) for text, kind in found.items()}
    for entry in key:
        real = entry.real.strip()
        if real:
            shown = wanted.get(lowered(real), (real, "", ""))[0]
            wanted[lowered(real)] = (shown, entry.kind if entry.kind in KINDS else OTHER, KEY)
    for word in word_list:
        word = word.strip()
        if word:
            wanted.setdefault(lowered(word), (word, OTHER, LIST))
    return wanted


def _line_finder(session: Session, document_id: int) -> Callable[[int], int | None]:
    """The stable number of the line holding a position (numbers may have gaps)."""
    rows = session.execute(select(Line.start, Line.number).where(
        Line.document_id == document_id).order_by(Line.start)).all()
    starts = [start for start, _number in rows]

    def number(position: int) -> int | None:
        at = bisect_right(starts, position)
        return rows[at - 1][1] if at else None

    return number


def find_identifiers(session: Session, key: Iterable[PseudonymEntry] = (),
                     word_list: Iterable[str] = ()) -> list[IdentifierCandidate]:
    """The identifier candidates of every transcript (see the module's notes), in the order
    they first occur (documents as the documents panel lists them, then by position).

    ``key`` is a pseudonym key's entries and ``word_list`` a user's own strings: each is
    listed wherever it occurs, with the key's kind (a list's strings are "other" unless
    found as something else).
    """
    documents = _document_order(session)
    reading = _Reading(set(), Counter(), {})
    for transcript in _transcripts(session, documents):
        reading.read(transcript)
    wanted = _wanted(_found(reading, stop_words(project_language(session))), key, word_list)
    del reading
    finder = WholeWords(wanted)
    places: dict[str, list[Occurrence]] = defaultdict(list)
    for transcript in _transcripts(session, documents):
        lower = lowered(transcript.text)
        hits = [hit for start, end in transcript.speech for hit in finder.find(lower, start, end)]
        if hits:
            line = _line_finder(session, transcript.id)
            for start, end, string in hits:
                places[string].append(Occurrence(transcript.id, transcript.name, start, end,
                                                 line(start)))
    rank = {document_id: index for index, (document_id, _name) in enumerate(documents)}
    candidates = []
    for string, found in places.items():
        text, kind, source = wanted[string]
        first = found[0]
        candidates.append(IdentifierCandidate(text, kind, first.document, first.line,
                                              len(found), tuple(found), source))
    candidates.sort(key=lambda candidate: (rank[candidate.positions[0].document_id],
                                           candidate.positions[0].start))
    return candidates


def key_coverage(key: Iterable[PseudonymEntry]) -> Callable[[str], bool]:
    """A test of whether a key already covers a candidate: once the key's real strings are
    taken out of it (whole words, any case), nothing is left but titles and the words that
    name a kind of organisation ("Dr Smith" and "HMP Wakefield" where "Smith" and
    "Wakefield" are in the key; not "John Smith")."""
    finder = WholeWords(entry.real.strip() for entry in key)
    harmless = {word.casefold() for word in (*TITLES, *ORGANISATION_WORDS)}

    def covers(text: str) -> bool:
        lower = lowered(text)
        hits = finder.find(lower)
        if not hits:
            return False
        left, reach = [], 0
        for start, end, _string in hits:
            left.append(lower[reach:start])
            reach = end
        left.append(lower[reach:])
        return all(word in harmless for word in _WORD.findall(" ".join(left))) \
            and not any(char.isdigit() or char == "@" for char in "".join(left))

    return covers


_TITLE_WORDS = frozenset(title.casefold() for title in TITLES)


def participant_name_entries(names: dict[str, str]) -> list[PseudonymEntry]:
    """Key entries for the participants' real names (participant label -> real name, as
    the researcher entered them): the whole name and each of its parts, since a participant
    is addressed by a first name or a surname alone, become the participant's label in
    brackets. A title in the name ("Dr Ann Lee") is not a part of it; a part shared by two
    participants ("Lee") is left to the whole names, which say whom it means."""
    wholes: list[PseudonymEntry] = []
    parts: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for label, real in names.items():
        real = " ".join(real.split())
        if not real:
            continue
        pseudonym = f"[{label}]"
        wholes.append(PseudonymEntry(real, pseudonym, PERSON))
        words = [word.strip(".,") for word in real.split()]
        named = [word for word in words if word.casefold() not in _TITLE_WORDS
                 and sum(char.isalpha() for char in word) >= 2]
        if len(named) > 1:
            for word in named:
                parts.setdefault(word.casefold(), set()).add(pseudonym)
                shown.setdefault(word.casefold(), word)
    whole = {entry.real.casefold() for entry in wholes}
    return wholes + [PseudonymEntry(shown[folded], next(iter(pseudonyms)), PERSON)
                     for folded, pseudonyms in parts.items()
                     if len(pseudonyms) == 1 and folded not in whole]
