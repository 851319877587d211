"""The ``query`` verb: the passages a coding query finds, as citations and text or JSON.

``query PROJECT EXPR`` runs an expression over codes and themes (``core.coding_query``:
``"Trust" AND "Risk"``, ``"A" NEAR/3 "B"``...); ``--participant`` and ``--attribute`` keep
the passages said by those participants (both may repeat). ``--json`` prints a list with
one object per passage: ``document``, ``participant``, ``start_line``, ``end_line``,
``text``, then ``start`` and ``end`` (code points). ``--save-as CODE`` also codes every
passage found with a new code, in one audited step.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from thematic_workbench.cli.output import print_json
from thematic_workbench.cli.scope import add_scope_options, scope_from_args
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.finding.coding_query import Passage, QueryError, QueryResult, run_query
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.services.query_codes import (
    code_passages_as_new_code,
    describe_saved,
)
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural

EXPR_HELP = ('codes or themes in double quotes joined by AND, OR, NOT, NEAR/N and '
             'parentheses, for example \'"Trust" AND "Risk"\' (quote the whole expression '
             'for the shell)')


def add_query_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                   common: argparse.ArgumentParser) -> None:
    help_text = "the passages coded with codes or themes combined by AND, OR, NOT and NEAR/N"
    query = verbs.add_parser("query", parents=[common], help=help_text,
                             description=f"{help_text}. NOT and NEAR bind tightest, then AND, "
                                         "then OR. A NOT B keeps the whole passages of A that "
                                         "share nothing with B.")
    query.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    query.add_argument("expression", metavar="EXPR", help=EXPR_HELP)
    add_scope_options(query, speakers=False)
    query.add_argument("--json", action="store_true",
                       help="a list with one object per passage: document, participant, "
                            "start_line, end_line, text (then start and end)")
    query.add_argument("--save-as", metavar="CODE",
                       help="also code every passage found with this new code, in one audited "
                            "step")


def passage_record(passage: Passage) -> dict[str, Any]:
    """The JSON object of one passage: the contract's fields first, then the span."""
    return {"document": passage.document, "participant": passage.participant,
            "start_line": passage.start_line, "end_line": passage.end_line,
            "text": passage.text, "start": passage.start, "end": passage.end}


def _print_passages(result: QueryResult) -> None:
    for passage in result.passages:
        where = "" if passage.participant == passage.document else f" {passage.document}"
        print(f"{passage.citation}{where}")
        for line in passage.text.splitlines() or [""]:
            print(f"    {line}".rstrip())
        print()
    if result.passages:
        print(f"{plural(len(result.passages), 'passage')} in "
              f"{plural(result.documents, 'transcript')} for {result.expression}")
    else:
        print(f"No passage matches {result.expression}")


def _run(session: Session, expression: str, scope: Scope) -> QueryResult:
    """The query's result; a mistake in the expression is reported with the expression."""
    try:
        return run_query(session, expression, scope)
    except QueryError as error:
        if error.position is None:
            raise
        raise QueryError(None, f"the expression '{expression}' {error}") from None


def cmd_query(args: argparse.Namespace) -> int:
    scope = scope_from_args(args)
    save_as = getattr(args, "save_as", None)
    if save_as:
        with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
            result = _run(tx.session, args.expression, scope)
            change = code_passages_as_new_code(
                tx, save_as, [(p.document_id, p.start, p.end) for p in result.passages],
                result.expression)
            count = len(change.added.get(Kind.CODING, []))
    else:
        with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
            result = _run(session, args.expression, scope)
    if args.json:
        print_json([passage_record(p) for p in result.passages])
    else:
        _print_passages(result)
    if save_as:
        print(describe_saved(" ".join(save_as.split()), count),
              file=sys.stderr if args.json else sys.stdout)
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"query": cmd_query}
