"""Identifiers with a fixed shape: dates, UK phone numbers, e-mail addresses, UK postcodes
and NHS numbers.

Each is a regex, then a check the regex cannot make (a phone number's count of digits, an
NHS number's check digit, a day and month that exist), so ``0113 496 0000`` is a phone
number and ``943 476 5918`` is not an NHS number. Where two shapes claim the same text, the
one starting first wins, then the longer, then the earlier in :data:`SHAPES` (an e-mail
address before the digits inside it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from thematic_workbench.core.records.pseudonyms import CONTACT, DATE, OTHER

_SPACE = r"[ \u00a0]"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov",
                 "Dec")
# every name a plain alternative, so the regex engine can jump between their first letters
_MONTH = "(?:" + "|".join((*MONTHS, *(short + r"\.?" for short in _SHORT_MONTHS))) + ")"
_YEAR = r"(?:1[89]|20)\d{2}"
_NO_WORD_BEFORE = r"(?<![\w/.\-].)"  # after a first character: none of these before it
# Each regex starts with a plain character or class and checks what lies before that
# character only after it: the regex engine then jumps between possible first characters
# instead of trying every position of a long transcript.
_DATE_FROM_NUMBER = re.compile(
    rf"\d{_NO_WORD_BEFORE}(?:"
    r"\d{3}-\d{2}-\d{2}"  # 2021-03-12
    r"|\d?(?P<sep>[/.\-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})"  # 12/03/2021
    rf"|\d?(?:st|nd|rd|th)?{_SPACE}+(?:of{_SPACE}+)?{_MONTH}(?:,?{_SPACE}+{_YEAR})?"  # 12 March
    r")(?![\w/\-]|\.\d)")
_DATE_FROM_MONTH = re.compile(  # March 12, 2021; March 2021 (what comes before: checked after)
    rf"{_MONTH}{_SPACE}+(?:\d{{1,2}}(?:st|nd|rd|th)?(?:,?{_SPACE}+{_YEAR})?|{_YEAR})"
    r"(?![\w/\-]|\.\d)")
_PHONE = re.compile(
    r"(?:"
    rf"\+(?<![\w+].)44{_SPACE}?(?:\(0\){_SPACE}?)?\d{{2,4}}"
    r"|\((?<![\w+].)0\d{2,4}\)"
    r"|0(?<![\w+].)\d{2,4}"
    rf")(?:{_SPACE}|-)?\d{{3,4}}(?:{_SPACE}|-)?\d{{3,4}}(?![\d/])")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}(?![\w\-])")
_EMAIL_REACH = 254  # the longest an e-mail address may be
_POSTCODE = re.compile(
    rf"[A-PR-UWYZ](?<!\w.)[A-HK-Y]?\d[A-Z\d]?{_SPACE}?\d[ABD-HJLNP-UW-Z]{{2}}(?!\w)")
_NHS = re.compile(r"\d(?<![\w+].)\d{2}(?P<sep>[ \u00a0\-]?)\d{3}(?P=sep)\d{4}(?![\w/])")
_NUMBER = re.compile(r"\d+")
_NON_DIGIT = re.compile(r"\D")
_UK_FIRST_DIGITS = frozenset("1235789")  # 01, 02, 03, 05, 07, 08, 09 numbers


@dataclass(frozen=True, slots=True)
class ShapedMatch:
    """A match of one shape: ``text[start:end]``, with the kind of identifier it is."""

    start: int
    end: int
    kind: str
    shape: str


def nhs_number_valid(digits: str) -> bool:
    """Whether ten digits make an NHS number: the modulus 11 check digit is right."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits, range(10, 1, -1),
                                                              strict=False))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _date_valid(match: re.Match[str]) -> bool:
    """A month from 1 to 12, a day from 1 to 31 (either way round in 03/12/2021)."""
    value = match.group()
    numbers = [int(number) for number in _NUMBER.findall(value)]
    if value[4:5] == "-" and value[:4].isdigit():
        return 1 <= numbers[1] <= 12 and 1 <= numbers[2] <= 31
    if match.re is _DATE_FROM_NUMBER and match.group("sep"):
        day, month = numbers[0], numbers[1]
        return (1 <= month <= 12 and 1 <= day <= 31) or (1 <= day <= 12 and 1 <= month <= 31)
    return 1 <= numbers[0] <= 31 or numbers[0] >= 1800  # a day, or the year of March 2021


def _phone_valid(match: re.Match[str]) -> bool:
    """A UK number: after the 0 (or +44), nine or ten digits, starting as UK numbers do."""
    digits = _NON_DIGIT.sub("", match.group())
    national = digits[2:].removeprefix("0") if match.group().startswith("+") else digits[1:]
    return len(national) in (9, 10) and national[0] in _UK_FIRST_DIGITS


def _nhs_valid(match: re.Match[str]) -> bool:
    return nhs_number_valid(_NON_DIGIT.sub("", match.group()))


def _always(_match: re.Match[str]) -> bool:
    return True


Finder = Callable[[str, int, int], Iterator[re.Match[str]]]


def _scanning(pattern: re.Pattern[str]) -> Finder:
    def find(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        return pattern.finditer(text, start, end)

    return find


def _months(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Dates starting with a month's name that does not end a longer word."""
    for match in _DATE_FROM_MONTH.finditer(text, start, end):
        before = text[match.start() - 1] if match.start() else " "
        if not (before.isalnum() or before == "_"):
            yield match


def _emails(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """E-mail addresses, looked for only around an ``@`` (rare in a transcript)."""
    reach = start
    at = text.find("@", start, end)
    while at != -1:
        for match in _EMAIL.finditer(text, max(reach, at - _EMAIL_REACH),
                                     min(end, at + _EMAIL_REACH)):
            if match.start() <= at < match.end():
                reach = match.end()
                yield match
                break
        at = text.find("@", max(at + 1, reach), end)


# The shapes, the first winning where two match the same text.
SHAPES: tuple[tuple[str, Finder, str, Callable[[re.Match[str]], bool]], ...] = (
    ("e-mail", _emails, CONTACT, _always),
    ("date", _scanning(_DATE_FROM_NUMBER), DATE, _date_valid),
    ("date", _months, DATE, _date_valid),
    ("phone", _scanning(_PHONE), CONTACT, _phone_valid),
    ("NHS number", _scanning(_NHS), OTHER, _nhs_valid),
    ("postcode", _scanning(_POSTCODE), CONTACT, _always),
)


def shaped_matches(text: str, start: int = 0, end: int | None = None
                   ) -> Iterator[ShapedMatch]:
    """The identifiers of a fixed shape in ``text[start:end]``, in text order, none
    overlapping: of two that do, the first to start, then the longer."""
    stop = len(text) if end is None else end
    found: list[tuple[int, int, int, ShapedMatch]] = []
    for rank, (shape, finder, kind, valid) in enumerate(SHAPES):
        for match in finder(text, start, stop):
            if valid(match):
                found.append((match.start(), -match.end(), rank,
                              ShapedMatch(match.start(), match.end(), kind, shape)))
    reach = 0
    for at, _end, _rank, shaped in sorted(found):
        if at >= reach:
            reach = shaped.end
            yield shaped
