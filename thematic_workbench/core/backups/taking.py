"""Taking a backup of a project file, only when the project changed since the last one.

The copy is written under a temporary name in the project's backup folder, checked
(:func:`checking.check_copy`), hashed, and only then given its name, its manifest written
last: an interruption leaves no file under a backup's name that was not checked. A copy
whose audit trail does not verify is kept, marked not verified with the reason (it still
holds the study); one that SQLite finds damaged is not kept.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from thematic_workbench.core.backups.checking import (
    check_copy,
    copy_database,
    copy_failure,
    remove_with_side_files,
)
from thematic_workbench.core.backups.listing import (
    iso_time,
    list_folder,
    newest_verified,
    recheck,
)
from thematic_workbench.core.backups.manifest import (
    BACKUP_SUFFIX,
    BackupRecord,
    file_sha256,
    sync_folder,
    write_manifest,
)
from thematic_workbench.core.backups.places import (
    new_backup_id,
    project_folder,
    refuse_team_project,
)
from thematic_workbench.core.errors import ProjectError, fault_for
from thematic_workbench.core.storage.migrate import check_schema
from thematic_workbench.core.storage.sqlitefile import connect_read_only

UNFINISHED = ".unfinished"
STALE_S = 24 * 3600  # a temporary copy this old was left by an interrupted backup


def project_state(project: Path) -> tuple[str, int, str]:
    """The project's title and its audit trail's head (sequence, hash), read without
    changing anything; ProjectError if the file is no project."""
    if not project.is_file():
        raise ProjectError(f"{project}: no such project file")
    check_schema(project)
    try:
        connection = connect_read_only(project)
        try:
            title = connection.execute("SELECT title FROM project").fetchone()
            head = connection.execute(
                "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise (fault_for(exc, project) or
               ProjectError(f"{project}: cannot be read ({exc})")) from exc
    return (str(title[0]) if title else project.stem,
            int(head[0]) if head else 0, str(head[1]) if head else "")


def backup_needed(backups: Path, project: str | Path) -> bool:
    """True unless the newest verified backup, still intact, holds the trail's head now."""
    refuse_team_project(project)
    project = Path(project)
    title, seq, digest = project_state(project)
    folder = project_folder(backups, project, title)
    newest = newest_verified(list_folder(folder, rehash=False)) if folder.is_dir() else None
    if newest is None or (newest.head_seq, newest.head_hash) != (seq, digest):
        return True
    return not recheck(newest).verified


def take_backup(backups: Path, project: str | Path, *, when: datetime | None = None,
                only_if_changed: bool = True) -> BackupRecord | None:
    """Back the project file up into its folder under ``backups``; None when
    ``only_if_changed`` and nothing changed since the newest backup."""
    refuse_team_project(project)
    project = Path(project)
    if only_if_changed and not backup_needed(backups, project):
        return None
    title, _seq, _digest = project_state(project)
    folder = project_folder(backups, project, title)
    outcome = "no backup was kept; the project itself is unchanged"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale(folder)
        handle, name = tempfile.mkstemp(prefix=".taking-", suffix=BACKUP_SUFFIX + UNFINISHED,
                                        dir=folder)
        os.close(handle)
    except OSError as exc:
        raise copy_failure(exc, folder, "the backup", outcome) from exc
    unfinished = Path(name)
    try:
        copy_database(project, unfinished)
        checked = check_copy(unfinished, project)
        digest = file_sha256(unfinished)
        moment = when or datetime.now(UTC)
        backup_id, final = _claim_name(folder, moment, unfinished)
        sync_folder(folder)
        record = BackupRecord(
            id=backup_id, time=iso_time(moment), path=final, counts=checked.counts,
            head_seq=checked.head_seq, head_hash=checked.head_hash, sha256=digest,
            verified=checked.verified, reason=checked.problem,
            project=str(project.resolve()), title=checked.title)
        write_manifest(record)
    except ProjectError as exc:
        remove_with_side_files(unfinished)
        raise ProjectError(f"{project.name}: the backup failed ({exc}); {outcome}") from exc
    except (OSError, sqlite3.Error) as exc:
        remove_with_side_files(unfinished)
        raise copy_failure(exc, folder, "the backup", outcome) from exc
    except BaseException:
        remove_with_side_files(unfinished)
        raise
    return record


def _remove_stale(folder: Path) -> None:
    """Temporary copies that interrupted backups left (old enough not to be running)."""
    now = time.time()
    for leftover in folder.glob(".taking-*" + UNFINISHED + "*"):
        try:
            if now - leftover.stat().st_mtime > STALE_S:
                leftover.unlink()
        except OSError:
            continue


def _claim_name(folder: Path, moment: datetime, unfinished: Path) -> tuple[str, Path]:
    """Give the checked copy a free name, never replacing a backup another process (the
    window's timer and ``backups --take`` in the same second) placed meanwhile."""
    for _attempt in range(100):
        backup_id = new_backup_id(folder, moment)
        final = folder / (backup_id + BACKUP_SUFFIX)
        try:
            os.link(unfinished, final)
        except FileExistsError:
            continue  # taken between the look and the link: look again
        except OSError as exc:  # a file system without hard links: replace, as before
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
            os.replace(unfinished, final)
            return backup_id, final
        unfinished.unlink()
        return backup_id, final
    raise ProjectError("no free name for the backup in its folder")
