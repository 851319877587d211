"""Which backups are kept: the newest few, and the last of each recent day.

Kept are the newest ``kept`` backups, the last verified backup of each of the ``daily``
most recent days (UTC days, today included), and always the newest verified backup; the
rest go, each file with its manifest.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from thematic_workbench.core.backups.checking import remove_with_side_files
from thematic_workbench.core.backups.listing import list_backups, moment, newest_verified
from thematic_workbench.core.backups.manifest import BackupRecord, manifest_path


def expired(records: list[BackupRecord], kept: int, daily: int,
            now: datetime) -> list[BackupRecord]:
    """The backups the rule does not keep, newest first."""
    ordered = sorted(records, key=lambda r: (moment(r.time), r.id), reverse=True)
    keep = {record.id for record in ordered[:max(kept, 0)]}
    newest = newest_verified(ordered)
    if newest is not None:
        keep.add(newest.id)
    today = _utc_day(now)
    days = {today - timedelta(days=back) for back in range(max(daily, 0))}
    for record in ordered:  # newest first: the first verified of a day is its last
        day = _utc_day(moment(record.time))
        if record.verified and day in days:
            keep.add(record.id)
            days.discard(day)
    return [record for record in ordered if record.id not in keep]


def prune_backups(backups: Path, project: str | Path, kept: int, daily: int,
                  now: datetime) -> list[BackupRecord]:
    """Delete the backups of ``project`` that the rule does not keep; those deleted."""
    # the manifests' word suffices: the backup just taken is the newest verified one
    gone = expired(list_backups(backups, project, rehash=False), kept, daily, now)
    for record in gone:
        remove_with_side_files(record.path)
        with contextlib.suppress(OSError):
            manifest_path(record.path).unlink(missing_ok=True)
    return gone


def _utc_day(when: datetime) -> date:
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).date()
