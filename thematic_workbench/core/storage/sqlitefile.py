"""How a project file is reached: escaped SQLite URIs and what the file system allows."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote


def sqlite_uri(path: Path, mode: str, immutable: bool = False) -> str:
    """A ``file:`` URI for ``path``; ``#``, ``?`` and ``%`` in names are escaped, not parsed.

    The path's own bytes are escaped, so a folder name that is not UTF-8 is reached too.
    """
    uri = f"file:{quote(os.fsencode(path.resolve().as_posix()))}?mode={mode}"
    return uri + "&immutable=1" if immutable else uri


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A bare read-only connection that changes nothing, not even the journal mode."""
    return sqlite3.connect(sqlite_uri(path, "ro", immutable=not can_write_beside(path)),
                           uri=True)


def file_is_read_only(path: Path) -> bool:
    """True if the file's permissions forbid writing (even for an administrator)."""
    mode = path.stat().st_mode
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return not (mode & writable_bits) or not os.access(path, os.W_OK)


def folder_is_read_only(path: Path) -> bool:
    """True if SQLite could not create its journal files next to the project."""
    return not os.access(path.resolve().parent, os.W_OK)


def can_write_beside(path: Path) -> bool:
    return not (file_is_read_only(path) or folder_is_read_only(path))
