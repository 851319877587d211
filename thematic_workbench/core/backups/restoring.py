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


@dataclass(frozen=True)
class RestoredProject:
    path: Path
    backup: BackupRecord
    check: CopyCheck  # what the new file holds, and whether its trail verifies


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
        _place(scratch, target)
    except ProjectError:
        remove_with_side_files(scratch)
        raise
    except (OSError, sqlite3.Error) as exc:
        remove_with_side_files(scratch)
        raise copy_failure(exc, target, readable_name(target), outcome) from exc
    except BaseException:
        remove_with_side_files(scratch)
        raise
    return RestoredProject(target, record, result)


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
