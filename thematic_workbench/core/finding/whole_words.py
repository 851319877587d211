"""Finding any of many strings, as whole words and in any case, in one pass over a text.

Identifier candidates and key entries run to hundreds of strings, to be found in every
transcript. A regex trying them one after another would test each at every position; here
they are laid out as a tree of shared beginnings (a trie) written as one regex, whose first
letters form a set the regex engine jumps between, so a long transcript is read once
whatever the number of strings. Where strings overlap, the longest wins (``Dr Smith``
before ``Dr``). Case is ignored by lower-casing the text and the strings alike, a character
for a character, so a position in the lower-cased copy is the same position in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # marks, in the trie, where a string ends
_BEFORE_FIRST = r"(?<!\w.)"  # after a string's first character: no word character before it
_AFTER_LAST = r"(?!\w)"

Trie = dict[str, "Trie"]


class _Lower(dict[int, str]):
    """``str.translate`` table: each character's lower case when that is one character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        lower = char.lower()
        value = lower if len(lower) == 1 else char
        self[code] = value
        return value


_LOWER = _Lower()


def lowered(text: str) -> str:
    """``text`` in lower case, every character still at its position."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text.translate(_LOWER)


def _trie(strings: Iterable[str]) -> Trie:
    root: Trie = {}
    for string in strings:
        node = root
        for char in string:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _chain(char: str, node: Trie) -> tuple[str, Trie]:
    """The characters from ``char`` down a run of nodes with one way on and no end."""
    chain = char
    while _END not in node and len(node) == 1:
        ((char, node),) = node.items()
        chain += char
    return chain, node


def _rest(node: Trie) -> str:
    """A regex for what may follow a node, longer strings tried first."""
    parts = []
    for char in sorted(key for key in node if key != _END):
        chain, below = _chain(char, node[char])
        parts.append(re.escape(chain) + _rest(below))
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"
    return f"(?:{body})?" if _END in node else body


def whole_words_pattern(strings: Iterable[str]) -> re.Pattern[str] | None:
    """A regex over lower-cased text finding the strings (lower-cased here) as whole words;
    None for no string."""
    root = _trie(lowered(string) for string in strings if string)
    parts = []
    for char in sorted(root):
        chain, below = _chain(char, root[char])
        parts.append(re.escape(chain[0]) + _BEFORE_FIRST + re.escape(chain[1:]) + _rest(below))
    if not parts:
        return None
    return re.compile(f"(?:{'|'.join(parts)}){_AFTER_LAST}")


class WholeWords:
    """The strings given, found as whole words in any case; each hit names its string in
    lower case."""

    def __init__(self, strings: Iterable[str]) -> None:
        self._pattern = whole_words_pattern(strings)

    def find(self, lower_text: str, start: int = 0, end: int | None = None
             ) -> list[tuple[int, int, str]]:
        """``(start, end, string)`` of each hit in a text passed through :func:`lowered`."""
        if self._pattern is None:
            return []
        return [(match.start(), match.end(), match.group()) for match in
                self._pattern.finditer(lower_text, start,
                                       len(lower_text) if end is None else end)]
