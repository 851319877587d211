"""Counted words in messages: "1 coding", "3 codings", "1,200 entries"."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None, grouped: bool = True) -> str:
    """``count`` and ``word``, or ``many`` (default: word + "s") when count is not 1;
    ``grouped`` writes thousands with separators, as the window does."""
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {word if count == 1 else many or word + 's'}"


def sentence(text: str) -> str:
    """``text`` ending in exactly one full stop (a reason may bring its own)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def quoted(name: str) -> str:
    """A code name in a message: in single quotes, unless it is already a quotation (an
    in-vivo code's own words), which would otherwise be quoted twice."""
    return name if name[:1] in "\"“‘'" and len(name) > 1 else f"'{name}'"


def lines_phrase(first: int, last: int) -> str:
    """Where a passage is, by stable line numbers: "line 7", "lines 12-14"."""
    return f"line {first}" if first == last else f"lines {first}-{last}"
