"""The ``autocode`` verb: code every hit of a search, or every turn of a speaker, at once.

``autocode PROJECT CODE (--search QUERY [--forms] | --speaker NAME) [--unit UNIT]
[--document NAME]`` makes CODE if it is new (only when there is something to code), codes
the passages in one transaction as one audited step, and prints how many it coded and how
many the code already had.
"""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.finding.autocode import HIT, TURN, UNITS
from thematic_workbench.core.queries.project import find_document
from thematic_workbench.core.services import codes
from thematic_workbench.core.services.autocoding import (
    AutocodePlan,
    autocode,
    plan_search,
    plan_speaker,
)
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural, quoted


def add_autocode_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                      common: argparse.ArgumentParser) -> None:
    help_text = "code every hit of a search, or every turn of a speaker, in one step"
    verb = verbs.add_parser("autocode", parents=[common], help=help_text,
                            description=help_text + " (one undoable, audited change)")
    verb.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    verb.add_argument("code", metavar="CODE", help="the code to apply (made if new)")
    source = verb.add_mutually_exclusive_group(required=True)
    source.add_argument("--search", metavar="QUERY",
                        help="code what this search finds (words, \"phrases\", prefix*)")
    source.add_argument("--speaker", metavar="NAME",
                        help="code every turn of this speaker (label in any case), the label "
                             "left out")
    verb.add_argument("--forms", action="store_true",
                      help="with --search: find other forms of the words too (risk: risks, "
                           "risked)")
    verb.add_argument("--unit", metavar="|".join(UNITS),
                      help="with --search, how much around each hit to code: the hit itself "
                           "(default), its sentence, its line(s) or its speaker turn")
    verb.add_argument("--document", metavar="NAME",
                      help="only this transcript (name or id)")


def _plan(args: argparse.Namespace, session: Session, code_id: int | None) -> AutocodePlan:
    document_id = find_document(session, args.document).id \
        if args.document is not None else None
    if args.speaker is not None:
        if args.forms:
            raise InvariantError("--forms goes with --search, not with --speaker")
        if args.unit not in (None, TURN):
            raise InvariantError("--speaker codes whole turns; leave out --unit or give "
                                 "--unit turn")
        return plan_speaker(session, args.speaker, document_id=document_id, code_id=code_id,
                            coder=args.coder)
    unit = HIT if args.unit is None else args.unit.strip().casefold()
    if unit not in UNITS:
        raise InvariantError(f"unknown --unit '{args.unit}'; use one of {', '.join(UNITS)}")
    return plan_search(session, args.search, unit=unit, forms=args.forms,
                       document_id=document_id, code_id=code_id, coder=args.coder)


def _nothing(args: argparse.Namespace, plan: AutocodePlan, name: str) -> str:
    if plan.already:
        return (f"nothing new to code: {plural(len(plan.already), 'passage')} "
                f"{'is' if len(plan.already) == 1 else 'are'} already coded {quoted(name)}")
    if args.speaker is not None:
        return f"nothing to code: the turns of '{args.speaker}' hold no words"
    return f"nothing to code: no hits for '{args.search}'"


def cmd_autocode(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        try:
            code = codes.find_code(tx, args.code)
            code_id: int | None = code.id
            name = code.name
        except NotFoundError:
            code_id, name = None, " ".join(args.code.split())
        plan = _plan(args, tx.session, code_id)
        if not plan.passages:
            message = _nothing(args, plan, name)
        else:
            created = code_id is None
            if code_id is None:
                code_id = codes.create_code(tx, name).new_id(Kind.CODE)
            autocode(tx, code_id, plan)
            message = (f"coded {plural(len(plan.passages), 'passage')} in "
                       f"{plural(plan.documents, 'transcript')} with {quoted(name)}"
                       f"{' (a new code)' if created else ''}")
            if plan.already:
                message += f"; {plural(len(plan.already), 'passage')} already coded"
    print(message)  # only once the change is saved
    return 0


HANDLERS = {"autocode": cmd_autocode}
