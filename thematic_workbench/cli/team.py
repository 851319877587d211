"""The team verbs: ``copy SRC DEST`` moves a whole project between a file and a server.

``copy study.thematic postgresql://ana@db:5432/study`` puts a study on the team's server;
``copy postgresql://ana@db:5432/study archive.thematic`` takes it back into a file. The
destination must be new: a file that does not exist, or an empty database.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from thematic_workbench.cli.output import print_json
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.wording import plural

LOCATION = "a project file (NAME.thematic) or a postgresql://user@host:port/database URL"


def add_team_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                   common: argparse.ArgumentParser) -> None:
    copy = verbs.add_parser(
        "copy", parents=[common], help="copy a whole project between a file and a server",
        description="Copy a whole project, audit trail included (it still verifies), from a "
                    "project file to a team server's empty database, or back into a new "
                    "file. Nothing is written unless all of it is.")
    copy.add_argument("source", metavar="SRC", help=f"the project to copy: {LOCATION}")
    copy.add_argument("destination", metavar="DEST",
                      help="where the copy goes: a new project file or an empty database")
    copy.add_argument("--json", action="store_true", help="output JSON")


def cmd_copy(args: argparse.Namespace) -> int:
    report = copy_project(args.source, args.destination, args.coder)
    if args.json:
        print_json(asdict(report))
    else:
        print(f"copied {report.source} to {report.destination}: "
              f"{plural(sum(report.rows.values()), 'row')} in "
              f"{plural(sum(1 for n in report.rows.values() if n), 'table')}, "
              f"{plural(report.rows.get('document', 0), 'transcript')}, "
              f"{plural(report.rows.get('coding', 0), 'coding')}, "
              f"{plural(report.events, 'audit event')}")
        print(report.trail)
    if not report.intact:
        raise WorkbenchError(f"{report.destination}: the copied audit trail does not verify")
    return 0


HANDLERS = {"copy": cmd_copy}
