"""Helpers for the durability tests: looking at a project file as plain SQLite sees it, and
the process that dies in the middle of a rollback-journal transaction.

Run as ``python -m tests.core.durability_helpers PROJECT``: it starts a transaction that
changes the title and writes far more pages than its tiny cache holds, so SQLite spills
changed pages into the file itself with their originals in ``PROJECT-journal``; it prints
``ready`` and waits to be killed, leaving a hot journal as a crash would.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
HALF_WRITTEN_TITLE = "half written"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    """SQLite's side files beside ``path`` (and its lock file), as a folder listing shows."""
    return sorted(p.name for p in path.parent.iterdir()
                  if p.name in {path.name + s for s in (*SIDE_SUFFIXES, ".lock")})


def plain_look(path: Path, sql: str) -> list[tuple[object, ...]]:
    """The rows of one statement read through a bare read-only SQLite connection.

    On a file in WAL mode a read-only connection leaves ``-wal`` and ``-shm`` behind (it may
    not remove them), so look at the side files before this.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def schema_of(path: Path) -> tuple[int, str]:
    """The file's own schema version and Alembic revision, read without the app."""
    ((version,),) = plain_look(path, "PRAGMA user_version")
    ((revision,),) = plain_look(path, "SELECT version_num FROM alembic_version")
    return int(version), str(revision)  # type: ignore[call-overload]


def run_command(*argv: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real ``thematic-workbench`` command in its own process, as a user runs it."""
    return subprocess.run([*(prefix or []), sys.executable, "-m", "thematic_workbench", *argv],
                          capture_output=True, text=True,
                          env=dict(os.environ, THEMATIC_CODER="alice"))


def _die_mid_transaction(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size=2")  # a tiny cache: changed pages spill into the file
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE project SET title = ?", (HALF_WRITTEN_TITLE,))
    conn.execute("CREATE TABLE half_written (filler BLOB)")
    for _ in range(300):
        conn.execute("INSERT INTO half_written VALUES (randomblob(4000))")
    print("ready", flush=True)
    time.sleep(120)  # the test kills us long before this


if __name__ == "__main__":
    _die_mid_transaction(Path(sys.argv[1]))
