"""The witness log: the chain head at each close, kept outside the project file.

Whoever can write the project file can cut its trail back or rewrite it and recompute every
hash; they cannot, as easily, also rewrite a log in another place. On each close of a
project opened for writing, its path, creation time and chain head (sequence, hash) are
appended to ``witness.jsonl`` in the user's data folder (``THEMATIC_DATA_DIR`` moves it).
Verify on the same machine then checks that each recorded head is still on the chain.

A project is known by its resolved path and creation time: a copy moved elsewhere, or one
whose creation time was edited, has no witness records, and verify says so.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from thematic_workbench.core import APP_NAME
from thematic_workbench.core.timestamps import utc_now

LOG_NAME = "witness.jsonl"


def data_dir() -> Path:
    chosen = os.environ.get("THEMATIC_DATA_DIR", "").strip()
    return Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME))


def log_path() -> Path:
    return data_dir() / LOG_NAME


@dataclass(frozen=True)
class WitnessEntry:
    """One close: the head, and a few earlier (sequence, hash) stepping stones, dense near
    the head, so a later check can say where the trail was cut or rewritten."""

    project: str
    created_at: str
    seq: int
    hash: str
    closed_at: str
    stones: tuple[tuple[int, str], ...] = ()
    # A backup restored into this path: what was witnessed here before is another history.
    restored: bool = False


def stone_seqs(head: int) -> list[int]:
    """Events to keep hashes of at a close: the last four, then ever wider steps back."""
    back = {0, 1, 2, 3}
    step = 4
    while step < head:
        back.update((step, step + step // 2))
        step *= 2
    return sorted({head - b for b in back if head - b >= 1})


def _project_key(path: Path) -> str:
    return str(Path(os.path.abspath(path)).resolve())


def _read_log() -> list[WitnessEntry]:
    try:
        lines = log_path().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            data: Any = json.loads(line)
            stones = tuple((int(seq), str(digest)) for seq, digest in data.get("stones", ()))
            found.append(WitnessEntry(str(data["project"]), str(data["created_at"]),
                                      int(data["seq"]), str(data["hash"]),
                                      str(data["closed_at"]), stones,
                                      bool(data.get("restored", False))))
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash: the others still count
    return found


def entries_for(path: Path, created_at: str) -> list[WitnessEntry]:
    """What this machine witnessed of the project at ``path`` made at ``created_at``, since
    the last time a backup was restored into that path (the restore's own entry first)."""
    key = _project_key(path)
    found = [e for e in _read_log() if e.project == key and e.created_at == created_at]
    restores = [index for index, entry in enumerate(found) if entry.restored]
    return found[restores[-1]:] if restores else found


def record(path: Path, created_at: str, seq: int, head_hash: str,
           stones: list[tuple[int, str]] | None = None, restored: bool = False) -> None:
    """Append one head (skipping a repeat of the last one for this project, unless it marks
    a restore), synced."""
    known = entries_for(path, created_at)
    if not restored and known and (known[-1].seq, known[-1].hash) == (seq, head_hash):
        return
    fields: dict[str, Any] = {"project": _project_key(path), "created_at": created_at,
                              "seq": seq, "hash": head_hash, "closed_at": utc_now(),
                              "stones": [list(stone) for stone in stones or []]}
    line = json.dumps(fields | ({"restored": True} if restored else {}))
    # ASCII escapes keep a path that is not valid UTF-8 (surrogates) writable and readable back.
    target = log_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "a", encoding="utf-8") as stream:
        stream.write(line + "\n")
        stream.flush()
        os.fsync(stream.fileno())


def record_close(path: Path, connection: Any, restored: bool = False) -> None:
    """Witness the head of the project behind ``connection`` (a DB-API connection) as it is
    closed, or as a backup restored into ``path`` (``restored``). Never fails the close: a
    log that cannot be written is only a lost witness."""
    try:
        cursor = connection.cursor()
        try:
            created = cursor.execute("SELECT created_at FROM project").fetchone()
            head = cursor.execute(
                "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
            stones: list[tuple[int, str]] = []
            if head:
                wanted = stone_seqs(int(head[0]))
                marks = ",".join("?" * len(wanted))
                stones = [(int(seq), str(digest)) for seq, digest in cursor.execute(
                    f"SELECT seq, hash FROM audit_event WHERE seq IN ({marks}) ORDER BY seq",
                    wanted).fetchall()]
        finally:
            cursor.close()
        if created and head:
            record(path, str(created[0]), int(head[0]), str(head[1]), stones, restored)
    except (OSError, ValueError, sqlite3.Error):
        pass
