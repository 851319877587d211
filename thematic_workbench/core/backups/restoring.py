"""Restoring a backup into a new file: never over an existing one, checked before it is
given its name.

The backup's file is first hashed against its manifest (a damaged backup is refused,
saying so), then copied with SQLite's backup API beside the new file under a temporary
name, checked like a backup, and linked to its name, which fails rather than replace a file
that appeared meanwhile.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from thematic_workbench.core.backups.checking import (
    CopyCheck,
    check_copy,
    copy_database,
    copy_failure,
    remove_with_side_files,
)
from thematic_workbench.core.backups.listing import file_problem
from thematic_workbench.core.backups.manifest import BACKUP_SUFFIX, BackupRecord, sync_folder
from thematic_workbench.core.errors import ProjectError
from thematic_workbench.core.filenames import readable_name
from thematic_workbench.core.storage import witness


@dataclass(frozen=True)
class RestoredProject:
    path: Path
    backup: BackupRecord
    check: CopyCheck  # what the new file holds, and whether its trail verifies
    # Events this machine saw closed at this path after the backup: work the backup lacks.
    later_events: int = 0

    @property
    def later_work(self) -> str:
        """A sentence on work that was done after the backup, or ""."""
        if not self.later_events:
            return ""
        return (f"this machine saw {self.later_events:,} later "
                f"{'change' if self.later_events == 1 else 'changes'} saved in "
                f"{readable_name(self.path)} after this backup; they are not in it")


def restore_target(out: str | Path) -> Path:
    """The file a restore writes: ``out``, with ``.thematic`` added if it has no suffix."""
    path = Path(out)
    return path.with_suffix(BACKUP_SUFFIX) if path.suffix == "" else path


def _refuse_existing(out: Path) -> ProjectError:
    return ProjectError(f"{readable_name(out)}: already exists; a backup is restored only "
                        "into a new file (choose another name)")


def restore_backup(record: BackupRecord, out: str | Path) -> RestoredProject:
    """Write the project ``record`` holds into the new file ``out``."""
    target = restore_target(out)
    if target.exists():
        raise _refuse_existing(target)
    if not target.parent.is_dir():
        raise ProjectError(f"{readable_name(target.parent)}: no such folder")
    problem = file_problem(record)
    if problem:
        raise ProjectError(f"backup {record.id} cannot be restored: {problem}; restore "
                           "another")
    outcome = "nothing was restored"
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".restoring",
                                        dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise copy_failure(exc, target, readable_name(target), outcome) from exc
    scratch = Path(name)
    try:
        copy_database(record.path, scratch)
        result = check_copy(scratch)
        later = _later_events(scratch, target, result.head_seq)
        _place(scratch, target)
        _witness_restore(target)
    except ProjectError:
        remove_with_side_files(scratch)
        raise
    except (OSError, sqlite3.Error) as exc:
        remove_with_side_files(scratch)
        raise copy_failure(exc, target, readable_name(target), outcome) from exc
    except BaseException:
        remove_with_side_files(scratch)
        raise
    return RestoredProject(target, record, result, later)


def _created_at(path: Path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(connection.execute("SELECT created_at FROM project").fetchone()[0])
    finally:
        connection.close()


def _later_events(copy: Path, target: Path, head_seq: int) -> int:
    """How far past the backup this machine saw the same project at ``target`` go (a file
    restored under the name of the project it backs up, after later work there)."""
    seen = [entry.seq for entry in witness.entries_for(target, _created_at(copy))]
    return max(max(seen, default=0) - head_seq, 0)


def _witness_restore(target: Path) -> None:
    """Mark the restore in the witness log, so that the closes witnessed at this path
    before it (a history the backup does not reach) are not taken for a cut trail."""
    connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        witness.record_close(target, connection, restored=True)
    finally:
        connection.close()


def _place(scratch: Path, target: Path) -> None:
    """Give the checked copy its name without replacing a file that appeared meanwhile."""
    try:
        os.link(scratch, target)
    except FileExistsError:
        raise _refuse_existing(target) from None
    except OSError as exc:  # a file system without hard links
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK) or \
                target.exists():
            raise
        os.replace(scratch, target)
    else:
        scratch.unlink()
    sync_folder(target.parent)
