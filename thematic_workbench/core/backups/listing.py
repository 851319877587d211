"""A project's backups, newest first, each file hashed again against its manifest.

A backup whose file is missing, changed since it was taken, or left without a manifest by
an interruption is listed as not verified, with the reason, never silently as a good one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from thematic_workbench.core.backups.manifest import (
    BACKUP_SUFFIX,
    MANIFEST_SUFFIX,
    BackupCounts,
    BackupRecord,
    file_sha256,
    read_manifest,
)
from thematic_workbench.core.backups.places import find_project_folder, refuse_team_project
from thematic_workbench.core.errors import NotFoundError

NEWEST = "latest"  # what ``restore`` takes for the newest verified backup


@dataclass(frozen=True)
class BackedUpProject:
    """A project with backups in the backup folder, as its newest manifest names it (its
    file may be gone: that is when a backup is wanted most)."""

    folder: Path
    title: str
    project: str  # the project file's path when it was backed up
    newest: str  # the time of its newest backup


def backed_up_projects(backups: Path) -> list[BackedUpProject]:
    """Every project with backups under ``backups``, the most recently backed up first."""
    found = []
    for folder in sorted(backups.iterdir()) if backups.is_dir() else []:
        records = list_folder(folder, rehash=False) if folder.is_dir() else []
        described = next((r for r in records if r.project), None)
        if described is not None:
            found.append(BackedUpProject(folder, described.title, described.project,
                                         records[0].time))
    return sorted(found, key=lambda p: moment(p.newest), reverse=True)


def list_backups(backups: Path, project: str | Path, rehash: bool = True) -> list[BackupRecord]:
    """The backups of the project at ``project`` (the file may be gone), newest first."""
    refuse_team_project(project)
    folder = find_project_folder(backups, Path(project))
    return [] if folder is None else list_folder(folder, rehash)


def list_folder(folder: Path, rehash: bool = True) -> list[BackupRecord]:
    records: list[BackupRecord] = []
    described: set[str] = set()
    for manifest in folder.glob("*" + MANIFEST_SUFFIX):
        try:
            record = read_manifest(manifest)
        except (OSError, ValueError) as exc:
            record = _undescribed(manifest.with_suffix(BACKUP_SUFFIX),
                                  f"its manifest cannot be read ({exc})")
        described.add(record.path.name)
        records.append(recheck(record) if rehash else record)
    for backup in folder.glob("*" + BACKUP_SUFFIX):
        if backup.name not in described:
            records.append(_undescribed(backup, "it has no manifest (the backup was "
                                                "interrupted, or its manifest removed)"))
    return sorted(records, key=lambda r: (moment(r.time), r.id), reverse=True)


def recheck(record: BackupRecord) -> BackupRecord:
    """The record as its file is now: not verified if the file is gone or has changed."""
    problem = file_problem(record)
    return record.damaged(problem) if problem else record


def file_problem(record: BackupRecord) -> str:
    """Why the backup's file is not the one its manifest describes ("" if it is)."""
    if not record.path.is_file():
        return "its file is missing"
    if not record.sha256:
        return ""  # no manifest to hold it against: the copy is checked when restored
    try:
        digest = file_sha256(record.path)
    except OSError as exc:
        return f"its file cannot be read ({exc.strerror})"
    if digest != record.sha256:
        return ("its file has changed since it was taken (the SHA-256 no longer matches): "
                "it is damaged")
    return ""


def newest_verified(records: list[BackupRecord]) -> BackupRecord | None:
    return next((record for record in records if record.verified), None)


def find_backup(records: list[BackupRecord], backup_id: str) -> BackupRecord:
    """The backup called ``backup_id`` (``latest``: the newest verified one)."""
    if backup_id == NEWEST:
        found = newest_verified(records)
        if found is None:
            raise NotFoundError("this project has no verified backup")
        return found
    for record in records:
        if record.id == backup_id:
            return record
    known = ", ".join(record.id for record in records[:5]) or "none"
    raise NotFoundError(f"no backup '{backup_id}' of this project (the newest: {known})")


def moment(time: str) -> datetime:
    """A manifest's time as an aware datetime (the epoch if it is not a time)."""
    try:
        when = datetime.fromisoformat(time)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def iso_time(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _undescribed(backup: Path, reason: str) -> BackupRecord:
    try:
        when = datetime.fromtimestamp(backup.stat().st_mtime, UTC)
    except OSError:
        when = datetime.fromtimestamp(0, UTC)
    return BackupRecord(id=backup.stem, time=iso_time(when), path=backup,
                        counts=BackupCounts(), head_seq=0, head_hash="", sha256="",
                        verified=False, reason=reason)
