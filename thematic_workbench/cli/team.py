"""The team verbs: ``copy SRC DEST`` moves a whole project between a file and a server;
``grant PROJECT LOGIN --role ROLE`` gives a coder's login a role the server enforces;
``merge PROJECT OTHER`` brings in what a copy coded apart holds that the project lacks.

``copy study.thematic postgresql://ana@db:5432/study`` puts a study on the team's server;
``copy postgresql://ana@db:5432/study archive.thematic`` takes it back into a file. The
destination must be new: a file that does not exist, or an empty database.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from thematic_workbench.cli.output import print_json
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.roles import ROLES
from thematic_workbench.core.services.coders import ROLE_WORDS, grant_server_role
from thematic_workbench.core.services.merge import merge_project, report_fields
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.storage.server import database_name, is_server_location
from thematic_workbench.core.storage.store import ProjectStore
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

    merge = verbs.add_parser(
        "merge", parents=[common], help="bring in what a copy coded apart holds",
        description="Bring into PROJECT what OTHER holds that PROJECT lacks: codings, codes, "
                    "themes, memos, margin notes, diary entries, comments and sign-offs, "
                    "with their coders. Transcripts are matched by the SHA-256 of their "
                    "text, codes and themes by their identifiers and then by name; where "
                    "the two differ, PROJECT's version is kept and the report says so. "
                    "OTHER is only read; its audit trail is kept beside PROJECT's and "
                    "verified with it. Running the same merge again adds nothing.")
    merge.add_argument("project", metavar="PROJECT", help=f"the project merged into: {LOCATION}")
    merge.add_argument("other", metavar="OTHER", help="the project merged from (only read)")
    merge.add_argument("--json", action="store_true", help="output JSON")

    grant = verbs.add_parser(
        "grant", parents=[common], help="give a coder's login a role on a team server",
        description="On a team server, give a login one of four roles, enforced by the "
                    "server itself: a reader reads; an analyst or a second coder codes, "
                    "themes, writes notes and comments; a supervisor also signs off phases. "
                    "Run it as the project's owner; each login is made first "
                    "(createuser --pwprompt NAME).")
    grant.add_argument("project", metavar="PROJECT", help="the team project's URL")
    grant.add_argument("login", metavar="LOGIN", help="the coder's login on the server")
    grant.add_argument("--role", required=True, choices=("reader", *ROLES),
                       help="what the login may do")


def cmd_grant(args: argparse.Namespace) -> int:
    if not is_server_location(args.project):
        raise WorkbenchError(f"{args.project}: roles are given on a team server; a project "
                             "file has no logins (set coders' roles with 'coder')")
    with ProjectStore.open(args.project) as store:
        with store.transaction(args.coder) as tx:
            grant_server_role(tx, database_name(args.project), args.login, args.role)
        print(f"{args.login} is now {ROLE_WORDS.get(args.role, 'a reader')} of "
              f"{store.name} (the server enforces it)")
    return 0


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


def cmd_merge(args: argparse.Namespace) -> int:
    report = merge_project(args.project, args.other, args.coder)
    if args.json:
        print_json(report_fields(report))
    else:
        for line in report.lines():
            print(line)
    if not report.intact:
        raise WorkbenchError(f"{report.project}: the kept audit trail of {report.other} "
                             "does not verify")
    return 0


HANDLERS = {"copy": cmd_copy, "grant": cmd_grant, "merge": cmd_merge}
