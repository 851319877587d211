"""One pattern that finds any of many strings as whole words, quickly.

Pseudonymisation looks for every real string of a key in every text of a study, and erasing
the trail looks for them in every event: a hundred names tried one after another at every
word would be slow, so they are factored into one pattern by their shared beginnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def whole_words(words: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """A pattern matching any of ``words`` (longest first) as a whole word; None for none."""
    unique = sorted({word for word in words if word})
    return re.compile(whole(trie(unique)), flags) if unique else None


def whole(alternatives: str) -> str:
    """Whole words only: not inside a longer word ("Ann" not in "Annual"). A string that
    begins or ends with a sign rather than a letter ("(0113)") has no word edge there."""
    return rf"(?:(?<!\w)|(?=\W))(?:{alternatives})(?:(?!\w)|(?<=\W))"


def trie(words: list[str]) -> str:
    """One pattern matching any of ``words``, longest first, factored by shared beginnings."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items())
                    if char]
        if not branches:
            return ""
        joined = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{joined})?" if "" in node else joined
    return pattern(tree)
