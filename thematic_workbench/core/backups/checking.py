"""Copying a project file with SQLite's backup API, and checking a copy before it counts.

A copy counts as verified when SQLite's full integrity check finds nothing wrong and its
audit trail verifies as ``audit --verify`` checks it (the hash chain, the signed anchors,
the kept trails and redactions, and, for a copy just taken, this machine's witness records
of the project). What it holds is counted from the copy itself.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.backups.manifest import BackupCounts
from thematic_workbench.core.errors import ProjectError, WorkbenchError, fault_for, plain_message
from thematic_workbench.core.storage.models import (
    Code,
    Coding,
    Document,
    Participant,
    Project,
    Theme,
)
from thematic_workbench.core.storage.sqlitefile import connect_read_only
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.trail_verify import trail_head, verify_trail


@dataclass(frozen=True)
class CopyCheck:
    """What a checked copy holds, and why it is not verified ("" when it is)."""

    title: str
    counts: BackupCounts
    head_seq: int
    head_hash: str
    problem: str = ""

    @property
    def verified(self) -> bool:
        return not self.problem


def copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` into the new file ``target`` in one step of SQLite's backup API (one
    read transaction: a consistent copy while a window keeps writing), in rollback-journal
    mode so that the copy is one file on its own, synced to disk."""
    reading = connect_read_only(source)
    try:
        writing = sqlite3.connect(target, isolation_level=None)
        try:
            reading.backup(writing)
            writing.execute("PRAGMA journal_mode=DELETE")
        finally:
            writing.close()
    finally:
        reading.close()
    sync_file(target)


def integrity_problem(copy: Path) -> str:
    """What SQLite's full integrity check finds wrong with the file ("" for nothing)."""
    try:
        connection = connect_read_only(copy)
        try:
            found = [str(row[0]) for row in connection.execute("PRAGMA integrity_check(5)")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return f"SQLite cannot read it ({exc})"
    return "" if found == ["ok"] else "SQLite's integrity check failed: " + "; ".join(found)


def count_contents(session: Session) -> BackupCounts:
    """What a person recognises a study by: transcripts, participants, the codes in use,
    the themes not discarded, the codings."""
    def count(query: Select[int]) -> int:
        return int(session.execute(query).scalar_one())

    rows = select(func.count())
    return BackupCounts(
        documents=count(rows.select_from(Document)),
        participants=count(rows.select_from(Participant)),
        codes=count(rows.select_from(Code).where(Code.status == "active")),
        themes=count(rows.select_from(Theme).where(Theme.status != "discarded")),
        codings=count(rows.select_from(Coding)))


def check_copy(copy: Path, original: Path | None = None) -> CopyCheck:
    """Check the copy at ``copy``; raises ProjectError if it is no readable project at all.

    A copy just taken of the project file ``original`` is the project as it is now, so this
    machine's witness records of the original are checked against it too, as ``audit
    --verify`` checks them against the project (a trail rewritten with every hash
    recomputed shows there).
    """
    problem = integrity_problem(copy)
    if problem:
        raise ProjectError(f"the copy is damaged: {problem}")
    with ProjectStore.open(copy, readonly=True) as store, store.read() as session:
        title = session.execute(select(Project.title)).scalar_one()
        head = trail_head(session)
        report = verify_trail(session, original)
        counts = count_contents(session)
    first = report.first_problem()
    problem = "" if first is None else \
        f"its audit trail does not verify (event {first.first_bad_seq}: {first.message})"
    return CopyCheck(title, counts, head[0] if head else 0, head[1] if head else "", problem)


def sync_file(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def remove_with_side_files(path: Path) -> None:
    """The file and any journal SQLite left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def copy_failure(exc: BaseException, path: Path, what: str, outcome: str) -> WorkbenchError:
    """A copy that could not be written, said in one line (a full disk said as such)."""
    fault = fault_for(exc, path, outcome) if isinstance(exc, Exception) else None
    return fault or ProjectError(f"{what} could not be written ({plain_message(exc)}); "
                                 f"{outcome}")
