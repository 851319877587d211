"""What a backup holds, kept in a small JSON file beside it and written whole or not at all.

The manifest records the moment, the counts a person recognises (transcripts, codes,
themes, codings), the audit trail's head, the SHA-256 of the backup file and whether the
copy checked out. Listing hashes each file again, so a backup damaged since it was taken
shows as not verified, with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

FORMAT = "thematic-workbench-backup/1"
BACKUP_SUFFIX = ".thematic"
MANIFEST_SUFFIX = ".json"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupCounts:
    documents: int = 0
    participants: int = 0
    codes: int = 0
    themes: int = 0
    codings: int = 0


@dataclass(frozen=True)
class BackupRecord:
    """One backup as its manifest describes it (and, once listed, as its file is now)."""

    id: str
    time: str  # UTC, ISO 8601
    path: Path  # the backup file
    counts: BackupCounts
    head_seq: int
    head_hash: str
    sha256: str
    verified: bool
    reason: str = ""  # why it is not verified
    project: str = ""  # the project file it was taken of
    title: str = ""

    def damaged(self, reason: str) -> BackupRecord:
        return replace(self, verified=False, reason=reason)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path(backup: Path) -> Path:
    return backup.with_suffix(MANIFEST_SUFFIX)


def to_json(record: BackupRecord) -> dict[str, Any]:
    return {"format": FORMAT, "id": record.id, "time": record.time, "file": record.path.name,
            "project": record.project, "title": record.title,
            "counts": asdict(record.counts),
            "head": {"seq": record.head_seq, "hash": record.head_hash},
            "sha256": record.sha256, "verified": record.verified, "reason": record.reason}


def write_manifest(record: BackupRecord) -> Path:
    """Write the manifest beside the backup: a temporary file, synced, renamed over."""
    target = manifest_path(record.path)
    # ASCII escapes keep a path that is not valid UTF-8 (surrogates) writable and readable
    body = json.dumps(to_json(record), indent=2) + "\n"
    handle, temporary = tempfile.mkstemp(prefix=".manifest-", suffix=".unfinished",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(body)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(target.parent)
    return target


def read_manifest(path: Path) -> BackupRecord:
    """The record a manifest holds; ValueError if it is not one."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a backup manifest")
        counts = data.get("counts") or {}
        head = data.get("head") or {}
        return BackupRecord(
            id=str(data["id"]), time=str(data["time"]),
            path=path.with_suffix(BACKUP_SUFFIX),  # never where the file names: beside it
            counts=BackupCounts(**{name: int(counts.get(name, 0)) for name in
                                   BackupCounts.__dataclass_fields__}),
            head_seq=int(head.get("seq", 0)), head_hash=str(head.get("hash", "")),
            sha256=str(data["sha256"]), verified=data.get("verified") is True,
            reason=str(data.get("reason", "")), project=str(data.get("project", "")),
            title=str(data.get("title", "")))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"an incomplete backup manifest ({exc})") from exc


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (some systems cannot sync a folder: skipped)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
