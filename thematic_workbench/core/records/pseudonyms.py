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

