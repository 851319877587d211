"""The replacements that turn one text into another, for corrections typed in place.

The window lets a researcher correct a transcript as text; on saving, the changes are
worked out here as a few small replacements (a word here, a name there) rather than one
span from the first change to the last, so the codings between two corrections keep their
words exactly. Texts are compared word by word (runs of letters and digits, runs of spaces,
single other characters), which is fast on long transcripts and gives edits on word
boundaries, as a person makes them; a common start and end are set aside first.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def replacements_between(old: str, new: str) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` replacements of ``old`` (code points, not overlapping, in
    order) that make ``new``; empty when the texts are equal."""
    if old == new:
        return []
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_mid, new_mid = old[head:len(old) - tail], new[head:len(new) - tail]
    old_tokens, new_tokens = _TOKEN.findall(old_mid), _TOKEN.findall(new_mid)
    old_at = _offsets(old_tokens, head)
    new_at = _offsets(new_tokens, 0)
    found = []
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        found.append((old_at[i1], old_at[i2], new_mid[new_at[j1]:new_at[j2]]))
    return found


def _offsets(tokens: list[str], start: int) -> list[int]:
    """Where each token starts, and (last) where the tokens end."""
    offsets = [start]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets
