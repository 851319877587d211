"""A pseudonym key's entries: which real string becomes which pseudonym, and what it names.

The key is kept apart from the project (an ethics committee asks for that): it is read from
and written to its own CSV file (``io/pseudonym_key.py``) and handed to the core as these
plain records, never stored in the project file.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSON, PLACE, ORGANISATION, DATE, CONTACT, OTHER = (
    "person", "place", "organisation", "date", "contact", "other")
KINDS = (PERSON, PLACE, ORGANISATION, DATE, CONTACT, OTHER)


@dataclass(frozen=True, slots=True)
class PseudonymEntry:
    """``real`` is replaced by ``pseudonym``; ``kind`` is one of :data:`KINDS`."""

    real: str
    pseudonym: str
    kind: str


_TITLE_WORDS = frozenset(("dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor"))


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
