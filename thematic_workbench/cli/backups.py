"""The backup verbs: ``backups PROJECT`` lists the backups the window took (``--take``
takes one now), ``restore PROJECT BACKUP_ID OUT`` writes one into a new file.

Backups are found from the project's path, so they are listed and restored even after the
project file itself was deleted. A backup whose file changed since it was taken is listed
as not verified, with the reason, and is not restored.
"""

from __future__ import annotations

import argparse
from typing import Any

from thematic_workbench.app.backups import back_up, backups_folder, project_backups, restore
from thematic_workbench.app.preferences import load_preferences
from thematic_workbench.cli.output import print_json, print_table
from thematic_workbench.core.backups.listing import NEWEST
from thematic_workbench.core.backups.manifest import BackupRecord
from thematic_workbench.core.wording import plural

PROJECT_HELP = "the project file (NAME.thematic); it need not exist any more"


def add_backup_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                     common: argparse.ArgumentParser) -> None:
    listing = verbs.add_parser(
        "backups", parents=[common], help="list a project's backups (or take one now)",
        description="List the backups of a project, newest first: when each was taken, "
                    "what it holds and whether it is verified (SQLite's integrity check "
                    "and the audit trail, when taken; its SHA-256, now). The window takes "
                    "them on opening a project and every few minutes of changes, into the "
                    "backup folder of your preferences.")
    listing.add_argument("project", metavar="PROJECT", help=PROJECT_HELP)
    listing.add_argument("--json", action="store_true", help="output JSON")
    listing.add_argument("--take", action="store_true",
                         help="take a backup now, first (then thin out the older ones)")

    restoring = verbs.add_parser(
        "restore", parents=[common], help="restore a backup into a new project file",
        description="Write the project as a backup holds it into a new file OUT (never "
                    "over an existing one), and check it: SQLite's integrity check and "
                    "the audit trail.")
    restoring.add_argument("project", metavar="PROJECT", help=PROJECT_HELP)
    restoring.add_argument("backup_id", metavar="BACKUP_ID",
                           help=f"the backup's id as 'backups' lists it ('{NEWEST}': the "
                                "newest verified one)")
    restoring.add_argument("out", metavar="OUT", help="the new project file to write")


def backup_json(record: BackupRecord) -> dict[str, Any]:
    counts = record.counts
    return {"id": record.id, "time": record.time, "documents": counts.documents,
            "participants": counts.participants, "codes": counts.codes,
            "themes": counts.themes, "codings": counts.codings, "verified": record.verified,
            "reason": record.reason, "path": str(record.path), "head_seq": record.head_seq,
            "head_hash": record.head_hash, "sha256": record.sha256}


def cmd_backups(args: argparse.Namespace) -> int:
    preferences = load_preferences()
    if args.take:
        outcome = back_up(args.project, preferences, only_if_changed=False)
        if not args.json:
            print(outcome.message())
            if outcome.removed:
                print(f"{plural(len(outcome.removed), 'older backup')} removed (kept: the "
                      f"newest {preferences.backups_kept} and the last of each of "
                      f"{plural(preferences.daily_backups_kept, 'day')})")
    records = project_backups(args.project, preferences)
    if args.json:
        print_json([backup_json(record) for record in records])
        return 0
    folder = backups_folder(args.project, preferences)
    if not records:
        print(f"no backups of {args.project} yet (they go in {preferences.backups_path()})")
        return 0
    print(f"{plural(len(records), 'backup')} of {args.project} in {folder}:")
    print_table(["id", "time (UTC)", "transcripts", "codes", "themes", "codings", "verified"],
                [[r.id, r.time[:19].replace("T", " "), r.counts.documents, r.counts.codes,
                  r.counts.themes, r.counts.codings,
                  "yes" if r.verified else f"NO: {r.reason}"] for r in records])
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    restored = restore(args.project, args.backup_id, args.out)
    counts = restored.check.counts
    print(f"restored backup {restored.backup.id} ({restored.backup.time[:19].replace('T', ' ')}"
          f" UTC) into {restored.path}: {plural(counts.documents, 'transcript')}, "
          f"{plural(counts.codes, 'code')}, {plural(counts.themes, 'theme')}, "
          f"{plural(counts.codings, 'coding')}")
    print("audit trail verifies" if restored.check.verified else
          f"WARNING: {restored.check.problem}")
    if restored.later_work:
        print(f"note: {restored.later_work}")
    return 0


HANDLERS = {"backups": cmd_backups, "restore": cmd_restore}
