"""Where a project's backups go: a folder a person recognises, found again from the path.

The folder is named after the project's title and a digest of the project file's resolved
path (the project table holds no identifier of its own). The digest alone finds the folder
again, so the backups of a project whose file was deleted, or whose title changed since,
are still found from the path the project had.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from thematic_workbench.core.backups.manifest import BACKUP_SUFFIX, MANIFEST_SUFFIX
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.storage.server import is_server_location

DIGEST_LENGTH = 12
SLUG_LENGTH = 40
ID_FORMAT = "%Y%m%d-%H%M%S"  # UTC; a second backup within the same second gets "-2"


class TeamProjectBackupError(WorkbenchError):
    """Backups were asked of a project that lives on a team server."""


def refuse_team_project(location: str | os.PathLike[str]) -> None:
    """A team project's database is backed up by whoever runs its server, not here."""
    if is_server_location(location):
        raise TeamProjectBackupError(
            "backups of a team project are the server administrator's: Thematic Workbench "
            "backs up project files only (ask for the server's own backups, pg_dump)")


def path_digest(project: Path) -> str:
    """A short digest of the project file's resolved path (the file need not exist)."""
    resolved = Path(os.path.abspath(project)).resolve()
    return hashlib.sha256(os.fsencode(resolved)).hexdigest()[:DIGEST_LENGTH]


def slug(title: str) -> str:
    """The title in plain lower-case letters, digits and hyphens ("project" if none)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(words) > SLUG_LENGTH:  # cut at a word's end where there is one
        cut = words[:SLUG_LENGTH + 1]
        words = cut[:cut.rfind("-")] if "-" in cut else words[:SLUG_LENGTH]
    return words.rstrip("-") or "project"


def find_project_folder(backups: Path, project: Path) -> Path | None:
    """The existing folder of this project's backups, whatever title it was named after."""
    ending = "-" + path_digest(project)
    if not backups.is_dir():
        return None
    found = sorted(entry for entry in backups.iterdir()
                   if entry.is_dir() and entry.name.endswith(ending))
    return found[0] if found else None


def project_folder(backups: Path, project: Path, title: str) -> Path:
    """The folder for this project's backups: the existing one, else a new name for it."""
    return find_project_folder(backups, project) or \
        backups / f"{slug(title)}-{path_digest(project)}"


def new_backup_id(folder: Path, when: datetime) -> str:
    """A name for a backup taken at ``when``, unused in ``folder``, that sorts by time."""
    base = when.astimezone(UTC).strftime(ID_FORMAT)
    candidate, number = base, 1
    while (folder / (candidate + BACKUP_SUFFIX)).exists() or \
            (folder / (candidate + MANIFEST_SUFFIX)).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate
