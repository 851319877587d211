"""Backups as the window and the command line use them: in the folder the user's
preferences name, thinned out as they say, after each backup taken.

The window backs a project up when it is opened and, during long work, every few minutes
of changes (``Preferences.backup_minutes``); ``backups PROJECT --take`` does it by hand.
Either way a backup is taken only when the project changed since the newest one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from thematic_workbench.app.preferences import Preferences, load_preferences
from thematic_workbench.core.backups.listing import (
    BackedUpProject,
    backed_up_projects,
    find_backup,
    list_backups,
    list_folder,
)
from thematic_workbench.core.backups.manifest import BackupRecord
from thematic_workbench.core.backups.places import find_project_folder, refuse_team_project
from thematic_workbench.core.backups.restoring import RestoredProject, restore_backup
from thematic_workbench.core.backups.retention import prune_backups
from thematic_workbench.core.backups.taking import backup_needed, take_backup
from thematic_workbench.core.wording import plural


@dataclass(frozen=True)
class BackupOutcome:
    """What one backup run did: the backup taken (None: nothing had changed) and the older
    backups the keeping rule removed."""

    taken: BackupRecord | None
    removed: list[BackupRecord] = field(default_factory=list)

    def message(self) -> str:
        """One line for a status bar or a terminal."""
        if self.taken is None:
            return "No backup needed: nothing changed since the newest backup"
        when = self.taken.time[11:16]
        if not self.taken.verified:
            return f"Backup taken at {when} UTC but NOT verified: {self.taken.reason}"
        return (f"Backup taken at {when} UTC ({plural(self.taken.counts.codings, 'coding')}), "
                "verified")


def _preferences(preferences: Preferences | None) -> Preferences:
    return preferences if preferences is not None else load_preferences()


def backups_folder(project: str | Path, preferences: Preferences | None = None) -> Path | None:
    """The folder that holds this project's backups, if any was made."""
    refuse_team_project(project)
    return find_project_folder(_preferences(preferences).backups_path(), Path(project))


def back_up(project: str | Path, preferences: Preferences | None = None, *,
            when: datetime | None = None, only_if_changed: bool = True) -> BackupOutcome:
    """Back up the project file if it changed (always, without ``only_if_changed``), then
    remove the backups the preferences no longer keep."""
    chosen = _preferences(preferences)
    root = chosen.backups_path()
    taken = take_backup(root, project, when=when, only_if_changed=only_if_changed)
    if taken is None:
        return BackupOutcome(None)
    removed = prune_backups(root, project, chosen.backups_kept, chosen.daily_backups_kept,
                            when or datetime.now(UTC))
    return BackupOutcome(taken, removed)


def needs_backup(project: str | Path, preferences: Preferences | None = None) -> bool:
    """Whether the project changed since its newest verified backup."""
    return backup_needed(_preferences(preferences).backups_path(), project)


def project_backups(project: str | Path,
                    preferences: Preferences | None = None) -> list[BackupRecord]:
    """The project's backups, newest first, each file checked against its manifest."""
    return list_backups(_preferences(preferences).backups_path(), project)


def backed_up(preferences: Preferences | None = None) -> list[BackedUpProject]:
    """Every project with backups in the user's backup folder, newest first."""
    return backed_up_projects(_preferences(preferences).backups_path())


def folder_backups(project: BackedUpProject, rehash: bool = True) -> list[BackupRecord]:
    """The backups of one backed-up project, newest first, each file checked again against
    its manifest (``rehash``; without it, as their manifests say, which is quick)."""
    return list_folder(project.folder, rehash)


def restore_record(record: BackupRecord, out: str | Path) -> RestoredProject:
    """Restore the backup ``record`` into the new file ``out``."""
    return restore_backup(record, out)


def restore(project: str | Path, backup_id: str, out: str | Path,
            preferences: Preferences | None = None) -> RestoredProject:
    """Restore the project's backup ``backup_id`` (``latest``: the newest verified) into
    the new file ``out``."""
    return restore_record(find_backup(project_backups(project, preferences), backup_id), out)
