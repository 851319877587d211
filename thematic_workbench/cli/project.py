"""The project verbs: ``new``, ``import`` (transcripts), ``documents`` and ``demo``."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from thematic_workbench.app.demo import build_demo
from thematic_workbench.app.importing import FileOutcome, import_files
from thematic_workbench.app.project_defaults import apply_new_project_defaults
from thematic_workbench.cli.output import print_json, print_table
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.queries.project import document_summaries
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural


def cmd_new(args: argparse.Namespace) -> int:
    with ProjectStore.create(args.project, args.title, coder=args.coder) as store:
        apply_new_project_defaults(store, args.coder)
        print(f"created project {store.location} ('{store.title()}')")
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
        print_json([asdict(d) | {"coded_percent": round(d.coded_percent, 1)} for d in docs])
    else:
        print_table(["participant", "document", "format", "lines", "turns", "codings", "coded"],
                    [[d.participant or "-", d.name, d.source_format, d.lines, d.turns,
                      d.codings, f"{d.coded_percent:.0f}%"] for d in docs])
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    path = build_demo(args.project, coder=args.coder)
    print(f"built the demo project {path}")
    return 0


HANDLERS = {"new": cmd_new, "import": cmd_import, "documents": cmd_documents, "demo": cmd_demo}
