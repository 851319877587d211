"""Capitalised words in running text, and which of them look like names.

Reading a transcript, :func:`capitalised_runs` collects each run of capitalised words
(``John``, ``Dr Smith``, ``Rampton Secure Hospital``, ``University of Leeds``) with what
its context says: whether it opens a sentence (so its first capital tells nothing), and
whether ``in``, ``at`` or ``from`` comes just before (a place). Which words are common is
known only once every transcript is read, so the runs are judged afterwards, by
:func:`judge_run`:

* a title (Dr, Mr, Mrs, Ms, Mx, Miss, Prof, Professor) with a name after it is a person,
  wherever it stands;
* otherwise the run's common words are taken off its ends (a sentence's first word, when
  common, always), and what is left must hold a word that is not common; a run that is a
  sentence's single first word is never judged (its capital is the sentence's);
* a run holding ``Hospital``, ``Prison``, ``Trust``, ``Court``, ``Council``,
  ``University``, ``Clinic`` (and a few more such words), or starting ``HMP``, is an
  organisation; after in, at or from, a place; up to three plain capitalised words, a
  person; anything else (longer runs, acronyms inside, "of") is "other".

Common words are the caller's test (stop words, words seen in lower case); acronyms
(``NHS``, ``CBT``), months, weekdays and the words above never count as a name by
themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from thematic_workbench.core.records.pseudonyms import ORGANISATION, OTHER, PERSON, PLACE


@cache
def _upper_class() -> str:
    """A regex class of every capital letter (upper and title case) of the Basic
    Multilingual Plane, as ranges: within it the regex engine looks a character up in a
    table; one character beyond it and the engine would test the ranges one by one."""
    codes = [code for code in range(0x10000)
             if chr(code).isupper() or chr(code).istitle()]
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                         for a, b in ranges) + "]"


TITLES = frozenset(("Dr", "Mr", "Mrs", "Ms", "Mx", "Miss", "Prof", "Professor"))
_DOTTED = ("Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "St")  # may be written with a full stop
ORGANISATION_WORDS = frozenset((
    "Hospital", "Hospitals", "Prison", "Prisons", "Trust", "Court", "Courts", "Council",
    "University", "Clinic", "Clinics", "Infirmary", "College", "School", "Centre", "Center",
    "Hospice", "Surgery", "Practice", "Unit", "Ward", "Police", "Service", "Services",
    "Foundation", "Authority", "Board", "Partnership", "Charity", "Association", "Society",
    "Company", "Ltd", "HMP", "HMYOI", "NHS"))
PRISON_PREFIXES = frozenset(("HMP", "HMYOI"))
CALENDAR_WORDS = frozenset((
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "Christmas", "Easter", "God"))
PLACE_WORDS = frozenset(("in", "at", "from"))
MAX_PERSON_WORDS = 3

_LETTER = r"[^\W\d_]"
_SPACE = r"[ \u00a0]"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    upper = _upper_class()
    word = rf"{upper}(?:['’](?={upper}))?{_LETTER}+(?:[\-'’]{_LETTER}+)*"
    dot = "|".join(f"(?<={title})" for title in _DOTTED)
    joint = rf"(?:(?:{dot})\.)?{_SPACE}+(?:of{_SPACE}+(?:the{_SPACE}+)?)?"
    # The word-start check follows the first letter, so the engine jumps between capitals.
    first = rf"{upper}(?<![\w'’\-].){word[len(upper):]}"
    return re.compile(f"{first}(?:{joint}{word})*"), re.compile(word)


_PLACE_BEFORE = re.compile(rf"(?<!\w)(?:in|at|from){_SPACE}+\Z")
_OPENERS = frozenset("\"'“‘([")
_SPACES = frozenset(" \t\u00a0")
_SENTENCE_ENDS = frozenset(".!?…:\n\r\u2028\u2029]")
_POSSESSIVE = ("'s", "’s")


@dataclass(frozen=True, slots=True)
class Run:
    """A run of capitalised words as found: its text (a possessive 's taken off) and context."""

    text: str
    opens_sentence: bool
    after_place_word: bool


def opens_sentence(text: str, start: int) -> bool:
    """Whether a word at ``start`` begins a sentence, a paragraph or a quotation."""
    at = start - 1
    while at >= 0:
        char = text[at]
        if char in _OPENERS:
            return True
        if char not in _SPACES:
            return char in _SENTENCE_ENDS
        at -= 1
    return True


def _words(text: str) -> list[re.Match[str]]:
    return list(_patterns()[1].finditer(text))


def _acronym(word: str) -> bool:
    """``NHS``, ``CBT``, ``NHS-funded``: capitals only, before any hyphen."""
    return word.split("-", 1)[0].isupper()


def capitalised_runs(text: str, start: int = 0, end: int | None = None) -> Iterator[Run]:
    """The runs of capitalised words in ``text[start:end]`` that might name someone or
    something. A sentence's single first word is left out at once, as are single acronyms
    and titles."""
    for match in _patterns()[0].finditer(text, start, len(text) if end is None else end):
        at, value = match.start(), match.group()
        initial = opens_sentence(text, at)
        single = " " not in value and "\u00a0" not in value
        if single and (initial or _acronym(value) or value in TITLES):
            continue
        if value.endswith(_POSSESSIVE):
            value = value[:-2]
        place = _PLACE_BEFORE.search(text, max(0, at - 6), at) is not None
        yield Run(value, initial, place)


@dataclass(frozen=True, slots=True)
class Judged:
    """What a run names: ``text`` (part of the run) and its ``kind``; ``strong`` when a
    title or an organisation's word says so rather than a guess."""

    text: str
    kind: str
    strong: bool


def judge_run(run: Run, common: Callable[[str], bool], stop: Callable[[str], bool]
              ) -> Judged | None:
    """The name a run holds, if any (see the module's notes). ``common(word)`` says whether
    a capitalised word is a common word of the project, ``stop(word)`` whether it is a stop
    word (after a title only stop words end a name: "Mr Brown" even where "brown" is said)."""
    words = [match.group() for match in _words(run.text)]
    spans = [match.span() for match in _words(run.text)]
    place = run.after_place_word

    def ordinary(word: str) -> bool:
        """Never a name by itself."""
        return (_acronym(word) or word in CALENDAR_WORDS or word in ORGANISATION_WORDS
                or common(word))

    first, last = 0, len(words)
    if run.opens_sentence and last > 1 and words[0] not in TITLES and common(words[0]):
        first = 1  # the sentence's capital, on a common word
    titled = [index for index, word in enumerate(words) if word in TITLES]
    if run.opens_sentence and titled and titled[0] > first:
        first = titled[0]  # "Later Dr Okafor": a sentence's first word before a title
    while first < last and words[first] not in TITLES \
            and words[first] not in ORGANISATION_WORDS and ordinary(words[first]):
        first += 1
    place = place or any(word.casefold() in PLACE_WORDS for word in words[:first])
    if first < last and words[first] in TITLES:
        while last > first + 1 and (stop(words[last - 1]) or _acronym(words[last - 1])):
            last -= 1
        return Judged(run.text[spans[first][0]:spans[last - 1][1]], PERSON, True) \
            if last > first + 1 else None
    while last > first and words[last - 1] not in ORGANISATION_WORDS \
            and ordinary(words[last - 1]):
        last -= 1
    kept = words[first:last]
    if all(ordinary(word) for word in kept):
        return None
    text = run.text[spans[first][0]:spans[last - 1][1]]
    if kept[0] in PRISON_PREFIXES or any(word in ORGANISATION_WORDS for word in kept):
        return Judged(text, ORGANISATION, True)
    if place:
        return Judged(text, PLACE, False)
    plain = len(kept) <= MAX_PERSON_WORDS and len(kept) == len(text.split()) \
        and not any(_acronym(word) for word in kept)
    return Judged(text, PERSON if plain else OTHER, False)
