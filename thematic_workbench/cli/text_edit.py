"""``edit-text PROJECT DOCUMENT (--span START-END | --match TEXT) --text NEW``: correct a
transcript's text (a word misheard, a name to replace) as one audited, undoable change.

Codings, margin notes and speaker turns move with their words and every line keeps its
number; what the edit removed (a coding whose words were all deleted) or did to the lines is
printed, one line each.
"""

from __future__ import annotations

import argparse

from thematic_workbench.cli.coding import span_range
from thematic_workbench.cli.output import print_json
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.queries.project import find_document
from thematic_workbench.core.services.text_edits import (
    Replacement,
    edit_summary,
    edit_text,
    span_of,
)
from thematic_workbench.core.storage.store import ProjectStore


def add_text_edit_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                       common: argparse.ArgumentParser) -> None:
    edit = verbs.add_parser(
        "edit-text", parents=[common], help="correct a transcript's text, codings kept",
        description="Replace a span of a transcript's text (a correction checked against "
                    "the recording, or a name to remove). Codings, margin notes and speaker "
                    "turns stay on their words; every line keeps its number. One audited "
                    "change: the window's Undo takes it back.")
    edit.add_argument("project", metavar="PROJECT")
    edit.add_argument("document", metavar="DOCUMENT", help="document name (file stem)")
    where = edit.add_mutually_exclusive_group(required=True)
    where.add_argument("--span", metavar="START-END",
                       help="character positions (Unicode code points from 0, end exclusive; "
                            "START-START inserts)")
    where.add_argument("--match", metavar="TEXT",
                       help="the exact text (spaces included), found once")
    edit.add_argument("--text", metavar="NEW", required=True,
                      help="what the span becomes (empty: delete it)")
    edit.add_argument("--json", action="store_true", help="output JSON")


def cmd_edit_text(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        document = find_document(tx.session, args.document)
        if args.match is not None:
            start, end = span_of(tx, document.id, args.match)
        else:
            start, end = span_range(args.span, "--span")
        old = document.text[start:end]
        change = edit_text(tx, document.id, [Replacement(start, end, args.text)])
        summary = edit_summary(change, document.id)
    removed = change.removed.get(Kind.CODING, [])
    if args.json:
        print_json({"document": document.name, "start": start, "end": end, "old": old,
                    "new": args.text, "codings_moved": len(change.changed.get(Kind.CODING, [])),
                    "codings_removed": removed, "notes": summary})
    else:
        print(f"edited '{document.name}' {start}-{end}: {old!r} is now {args.text!r}")
        for line in summary:
            print(line)
    return 0


HANDLERS = {"edit-text": cmd_edit_text}
