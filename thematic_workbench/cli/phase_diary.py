"""Where the analysis stands and the reflexive record: ``phase`` and ``diary``."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from thematic_workbench.cli.output import print_json
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.phases import PHASES
from thematic_workbench.core.services import diary, phases
from thematic_workbench.core.storage.store import ProjectStore


def cmd_phase(args: argparse.Namespace) -> int:
    if args.number is None:
        with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
            current = phases.current_phase(session)
            items = phases.checklist(session)
        if args.json:
            print_json({"phase": current, "checklist": [asdict(i) for i in items]})
            return 0
        for info in PHASES:
            mark = "->" if info.number == current else "  "
            print(f"{mark} {info.number} {info.name} ({info.reflexive_name})")
        print(f"\nChecklist for phase {current}:")
        for item in (i for i in items if i.phase == current):
            print(f"  [{'x' if item.done else ' '}] {item.text}")
        return 0
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        phases.move_to_phase(tx, args.number, args.note)
    print(f"moved to phase {args.number}")
    return 0


def cmd_diary(args: argparse.Namespace) -> int:
    if args.diary_verb == "add":
        with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
            change = diary.add_entry(tx, args.text, title=args.title)
            entry_id = change.added[Kind.DIARY_ENTRY][0]
            if args.appendix:
                diary.include_in_appendix(tx, entry_id, True)
        print(f"diary entry {entry_id} added"
              + (", included in the methods appendix" if args.appendix else ""))
        return 0
    if args.diary_verb in ("include", "exclude"):
        included = args.diary_verb == "include"
        with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
            diary.include_in_appendix(tx, args.entry, included)
        print(f"diary entry {args.entry} is {'in' if included else 'left out of'} "
              "the methods appendix")
        return 0
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        entries = diary.list_entries(session)
    if args.json:
        print_json([asdict(e) for e in entries])
    else:
        for entry in entries:
            print(f"{entry.created_at}  phase {entry.phase}  {entry.coder}")
            print(f"    {entry.body}")
    return 0


HANDLERS = {"phase": cmd_phase, "diary": cmd_diary}
