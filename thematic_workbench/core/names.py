"""How names compare: the one form that keeps code, theme and attribute names unique."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The case-insensitive form used for uniqueness (``casefold`` handles ß, Σ...)."""
    return unicodedata.normalize("NFC", name).casefold()
