"""What each command-line verb does; parsing lives in cli/parser.py."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from thematic_workbench.app.importing import FileOutcome, import_files
from thematic_workbench.core.audit import verify_chain
from thematic_workbench.core.errors import InvariantError, NotFoundError, WorkbenchError
from thematic_workbench.core.models import AuditEvent
from thematic_workbench.core.queries import (
    code_summaries,
    document_summaries,
    find_document,
    theme_tree,
)
from thematic_workbench.core.services import codes, codings, diary, phases, themes
from thematic_workbench.core.store import ProjectStore
from thematic_workbench.core.wording import plural


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_table(headers: list[str], rows: list[list[Any]]) -> None:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _range(value: str, what: str) -> tuple[int, int]:
    """``"A-B"`` (or ``"A"``) as two integers."""
    parts = value.replace(" ", "").split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise InvariantError(f"{what} must look like A-B with whole numbers, not {value!r}") \
            from None
    if len(numbers) == 1:
        numbers *= 2
    if len(numbers) != 2:
        raise InvariantError(f"{what} must look like A-B, not {value!r}")
    return numbers[0], numbers[1]


# -- verbs ---------------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    with ProjectStore.create(args.project, args.title, coder=args.coder) as store:
        print(f"created project {store.path} ('{store.title()}')")
    return 0


class _PrintingControl:
    """Reports each file as it is done; the command line is never cancelled midway."""

    cancelled = False

    def progress(self, done: int, total: int, label: str) -> None:
        pass

    def publish(self, outcome: object) -> None:
        assert isinstance(outcome, FileOutcome)
        if outcome.stops:  # said once, as the error that ends the command
            return
        line = f"{outcome.file}: {outcome.message}"
        print(line, file=sys.stderr if outcome.kind == "failed" else sys.stdout)


def cmd_import(args: argparse.Namespace) -> int:
    files = [(row, Path(name), args.participant or "") for row, name in enumerate(args.files)]
    with ProjectStore.open(args.project) as store:
        summary = import_files(store, args.coder, files, args.wrap, args.force,
                               _PrintingControl())
    if summary.stopped:
        raise WorkbenchError(summary.stopped)
    failures = len(summary.of("failed"))
    if failures:
        done = len(args.files) - failures
        rest = (f"the other {done} {'was' if done == 1 else 'were'} imported or skipped"
                if done else "nothing was imported")
        raise WorkbenchError(f"{failures} of {plural(len(args.files), 'file')} could not be "
                             f"imported; {rest}")
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        docs = document_summaries(session)
    if args.json:
        _print_json([asdict(d) | {"coded_percent": round(d.coded_percent, 1)} for d in docs])
    else:
        _print_table(["participant", "document", "format", "lines", "turns", "codings", "coded"],
                     [[d.participant or "-", d.name, d.source_format, d.lines, d.turns,
                       d.codings, f"{d.coded_percent:.0f}%"] for d in docs])
    return 0


def cmd_codes(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        summaries = code_summaries(session)
    if args.json:
        _print_json([asdict(c) | {"themes": list(c.themes)} for c in summaries])
    else:
        _print_table(["code", "codings", "documents", "participants", "themes"],
                     [[c.name, c.codings, c.documents, c.participants, "; ".join(c.themes)]
                      for c in summaries])
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        roots, loose = theme_tree(session)
    if args.json:
        _print_json({"themes": [asdict(r) for r in roots], "uncategorised_codes": loose})
        return 0

    def show(node: Any, depth: int) -> None:
        print(f"{'    ' * depth}{node.name}  [{node.level}, {node.status}]")
        for code_name in node.codes:
            print(f"{'    ' * (depth + 1)}- {code_name}")
        for child in node.children:
            show(child, depth + 1)

    for root in roots:
        show(root, 0)
    if loose:
        print("Uncategorised codes:")
        for name in loose:
            print(f"    - {name}")
    return 0


def _coding_verb(args: argparse.Namespace, remove: bool) -> int:
    """Code or uncode; a new code is made only if the whole change succeeds."""
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        document = find_document(tx.session, args.document)
        if args.lines:
            whole = codings.lines_span if remove else codings.lines_quote_span
            start, end = whole(tx, document.id, *_range(args.lines, "--lines"))
        elif args.match is not None:
            start, end = codings.match_span(tx, document.id, args.match)
        else:
            start, end = _range(args.span, "--span")
        created = False
        try:
            code_id = codes.find_code(tx, args.code).id
        except NotFoundError:
            if remove:
                raise
            code_id = codes.create_code(tx, args.code).new_id("code")
            created = True
        if remove:
            codings.uncode_span(tx, document.id, code_id, start, end)
            message = f"removed '{args.code}' from {start}-{end} of '{document.name}'"
        else:
            change = codings.apply_coding(tx, document.id, code_id, start, end, args.memo)
            message = (f"coded {start}-{end} of '{document.name}' with '{args.code}'"
                       f"{' (a new code)' if created else ''}, coding {change.new_id('coding')}")
    print(message)
    return 0


def cmd_theme(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        if args.theme_verb == "add":
            parent = themes.find_theme(tx, args.parent, level="final").id if args.parent \
                else None
            themes.create_theme(tx, args.name, level=args.level, definition=args.definition,
                                parent_id=parent)
            message = f"created {args.level} theme '{args.name}'"
        else:
            code = codes.find_code(tx, args.code)
            theme = themes.find_theme(tx, args.theme, level=args.level)
            if args.theme_verb == "assign":
                themes.assign_code(tx, code.id, theme.id)
                message = f"assigned '{code.name}' to '{theme.name}'"
            else:
                themes.unassign_code(tx, code.id, theme.id)
                message = f"took '{code.name}' out of '{theme.name}'"
    print(message)  # only once the change is saved
    return 0


def cmd_phase(args: argparse.Namespace) -> int:
    if args.number is None:
        with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
            current = phases.current_phase(session)
            items = phases.checklist(session)
        if args.json:
            _print_json({"phase": current, "checklist": [asdict(i) for i in items]})
            return 0
        from thematic_workbench.core.phases import PHASES

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
            diary.add_entry(tx, args.text, title=args.title)
        print("diary entry added")
        return 0
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        entries = diary.list_entries(session)
    if args.json:
        _print_json([asdict(e) for e in entries])
    else:
        for entry in entries:
            print(f"{entry.created_at}  phase {entry.phase}  {entry.coder}")
            print(f"    {entry.body}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        if args.verify:
            result = verify_chain(session)
            if not result.intact:
                raise WorkbenchError(result.describe())
            print(result.describe())
            return 0
        events = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
        if args.json:
            _print_json([{
                "seq": e.seq, "at": e.at, "coder": e.coder, "phase": e.phase,
                "action": e.action, "entity_kind": e.entity_kind, "entity_id": e.entity_id,
                "before": json.loads(e.before_json) if e.before_json else None,
                "after": json.loads(e.after_json) if e.after_json else None,
                "prev_hash": e.prev_hash, "hash": e.hash,
            } for e in events])
        else:
            _print_table(["seq", "time (UTC)", "coder", "phase", "action", "entity"],
                         [[e.seq, e.at[:19].replace("T", " "), e.coder, e.phase, e.action,
                           f"{e.entity_kind} {e.entity_id or ''}".strip()] for e in events])
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from thematic_workbench.app.demo import build_demo

    path = build_demo(args.project, coder=args.coder)
    print(f"built the demo project {path}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new, "import": cmd_import, "documents": cmd_documents, "codes": cmd_codes,
    "themes": cmd_themes, "code": lambda a: _coding_verb(a, remove=False),
    "uncode": lambda a: _coding_verb(a, remove=True), "theme": cmd_theme, "phase": cmd_phase,
    "diary": cmd_diary, "audit": cmd_audit, "demo": cmd_demo,
}


def run_verb(args: argparse.Namespace) -> int:
    from thematic_workbench.cli import agreement as cli_agreement
    from thematic_workbench.cli import audit as cli_audit_trust
    from thematic_workbench.cli import autocode as cli_autocode
    from thematic_workbench.cli import exchange as cli_exchange
    from thematic_workbench.cli import participants as cli_participants
    from thematic_workbench.cli import query as cli_query
    from thematic_workbench.cli import search as cli_search
    from thematic_workbench.cli import speaker as cli_speaker
    from thematic_workbench.cli import words as cli_words
    from thematic_workbench.cli.stats import cmd_stats

    handlers = dict(HANDLERS, stats=cmd_stats)
    for module in (cli_exchange, cli_agreement, cli_participants, cli_speaker, cli_search,
                   cli_autocode, cli_query, cli_words, cli_audit_trust):
        handlers.update(module.HANDLERS)
    return handlers[args.verb](args)
