"""The pseudonymisation verbs: ``identifiers`` lists what in the transcripts could identify
someone, as a table or JSON, to make or check a pseudonym key from; ``pseudonymise``
applies a key to the whole study.

``identifiers PROJECT [--json] [--key KEY.csv] [--words WORDS.txt]`` lists each candidate
(a name, place, organisation, date, phone number, e-mail address, postcode or NHS number),
with its kind,
the first transcript and line it occurs on and how often it occurs in the project. With
``--key``, the key's real strings are looked for too and each candidate says whether the
key already covers it. ``--json`` prints a list of objects with exactly the fields
``text``, ``kind``, ``document``, ``line`` and ``count`` (and ``covered`` with ``--key``).
The project is only read; the key stays in its own file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from thematic_workbench.cli.output import print_json, print_table
from thematic_workbench.core.finding.identifiers import (
    IdentifierCandidate,
    find_identifiers,
    key_coverage,
)
from thematic_workbench.core.records.pseudonyms import PseudonymEntry
from thematic_workbench.core.services.pseudonymise import preview_pseudonyms, pseudonymise
from thematic_workbench.core.storage.migrate import backups_of
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural
from thematic_workbench.io.pseudonym_key import read_pseudonym_key, read_word_list


def add_identifiers_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                         common: argparse.ArgumentParser) -> None:
    help_text = "list what in the transcripts could identify someone (for a pseudonym key)"
    found = verbs.add_parser(
        "identifiers", parents=[common], help=help_text,
        description=f"{help_text}: capitalised names that are not the project's common "
                    "words, titles with a name, places and organisations, dates, UK phone "
                    "numbers, e-mail addresses, postcodes and NHS numbers, each with its "
                    "kind, first transcript and line, and how often it occurs. Found "
                    "offline from the text; speaker labels are never read.")
    found.add_argument("project", metavar="PROJECT",
                       help="the project: a file (NAME.thematic) or a team project's "
                            "postgresql://user@host:port/database URL")
    found.add_argument("--key", metavar="KEY.csv",
                       help="a pseudonym key (columns real, pseudonym, kind): its real "
                            "strings are looked for too, and each candidate says whether "
                            "the key covers it")
    found.add_argument("--words", metavar="WORDS.txt",
                       help="your own list of strings to look for too (one per line: "
                            "nicknames, wards, streets), listed as kind other unless found "
                            "as something else")
    found.add_argument("--json", action="store_true",
                       help="a list of objects: text, kind, document, line, count (and "
                            "covered, with --key)")

    apply = verbs.add_parser(
        "pseudonymise", parents=[common], help="apply a pseudonym key to the whole study",
        description="Replace every real string of the key (as a whole word, as written, "
                    "in capitals or capitalised) by its pseudonym everywhere in the project: "
                    "transcripts (codings, notes and line numbers stay with their words), "
                    "code and theme names, memos, margin notes, diary, comments, speaker "
                    "labels, snapshots. One audited change that records counts only; what "
                    "earlier audit events recorded of the real strings is erased through "
                    "recorded redactions (the trail still verifies), and the project file is "
                    "rebuilt so no replaced string stays in its bytes. Keep the key file "
                    "apart from the project.")
    apply.add_argument("project", metavar="PROJECT",
                       help="the project: a file (NAME.thematic) or a team project's URL")
    apply.add_argument("--key", metavar="KEY.csv", required=True,
                       help="the pseudonym key: columns real, pseudonym, kind")
    apply.add_argument("--dry-run", action="store_true",
                       help="say what would change, and change nothing")
    apply.add_argument("--json", action="store_true", help="output JSON")


def candidate_records(candidates: list[IdentifierCandidate],
                      key: list[PseudonymEntry] | None) -> list[dict[str, Any]]:
    """The JSON objects, in the order the candidates first occur."""
    covers = None if key is None else key_coverage(key)
    records = []
    for candidate in candidates:
        record: dict[str, Any] = {"text": candidate.text, "kind": candidate.kind,
                                  "document": candidate.document, "line": candidate.line,
                                  "count": candidate.count}
        if covers is not None:
            record["covered"] = covers(candidate.text)
        records.append(record)
    return records


def _print_candidates(records: list[dict[str, Any]], with_key: bool) -> None:
    if not records:
        print("No identifier candidates found in the transcripts.")
        return
    headers = ["text", "kind", "transcript", "line", "count"]
    rows = [[record["text"], record["kind"], record["document"],
             "" if record["line"] is None else record["line"], record["count"]]
            for record in records]
    if with_key:
        headers.append("covered")
        for row, record in zip(rows, records, strict=True):
            row.append("yes" if record["covered"] else "no")
    print_table(headers, rows)
    summary = plural(len(records), "candidate")
    if with_key:
        summary += f", {sum(not record['covered'] for record in records)} not in the key"
    print(f"\n{summary}")


def cmd_identifiers(args: argparse.Namespace) -> int:
    key = None if args.key is None else read_pseudonym_key(args.key)
    words = [] if args.words is None else read_word_list(args.words)
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        candidates = find_identifiers(session, key or (), words)
    records = candidate_records(candidates, key)
    if args.json:
        print_json(records)
    else:
        _print_candidates(records, key is not None)
    return 0


def cmd_pseudonymise(args: argparse.Namespace) -> int:
    key = read_pseudonym_key(args.key)
    compacted = False
    with ProjectStore.open(args.project, readonly=args.dry_run) as store:
        if args.dry_run:
            with store.read() as session:
                report = preview_pseudonyms(session, key)
        else:
            with store.transaction(args.coder) as tx:
                report, _change = pseudonymise(tx, key)
            compacted = store.compact()
        backups = [] if store.path is None else backups_of(store.path)
    notes = _afterwards(args.dry_run, compacted, backups)
    if args.json:
        print_json({"dry_run": report.dry_run, "occurrences": report.total,
                    "transcripts": report.transcripts, "elsewhere": report.elsewhere,
                    "by_key_line": report.by_entry, "codings_merged": report.codings_removed,
                    "audit_payloads_erased": report.trail_erased, "compacted": compacted,
                    "backups_with_real_strings": [str(path) for path in backups]
                    if not args.dry_run else []})
    else:
        for line in report.lines() + notes:
            print(line)
    return 0


def _afterwards(dry_run: bool, compacted: bool, backups: list[Path]) -> list[str]:
    """What the user must know once the key is applied: where real strings may still be."""
    if dry_run:
        return []
    said = ["the project file was rebuilt: no replaced string is left in its free pages, "
            "its search index or its log" if compacted else
            "on a team server the replaced values leave the database's storage when "
            "PostgreSQL vacuums it (the server administrator's business, not the app's)"]
    if backups:
        said.append(f"{plural(len(backups), 'backup')} taken before earlier upgrades still "
                    "hold the real strings; delete them or keep them as safe as the key: "
                    + ", ".join(path.name for path in backups))
    return said


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "identifiers": cmd_identifiers, "pseudonymise": cmd_pseudonymise}
