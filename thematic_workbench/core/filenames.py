"""File names as people read them, whatever bytes the file system holds.

On Linux a file name is bytes; Python decodes one that is not valid UTF-8 with surrogate
escapes ("caf\\udce9.txt"), which no UTF-8 text (a message, the project's database, an
export) can hold. Such names are shown and stored with a replacement character instead;
the file itself is still opened by its real name.
"""

from __future__ import annotations

import os


def readable_name(name: str | os.PathLike[str]) -> str:
    """``name`` with each byte that was not UTF-8 shown as U+FFFD (the replacement character)."""
    text = os.fspath(name)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text
