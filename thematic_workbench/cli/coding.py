"""The coding verbs: ``codes`` (the list with counts), ``code`` and ``uncode`` a passage
chosen by ``--lines``, ``--match`` or ``--span``."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from thematic_workbench.cli.output import print_json, print_table
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.queries.project import code_summaries, find_document
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.storage.store import ProjectStore


def span_range(value: str, what: str) -> tuple[int, int]:
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


def cmd_codes(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        summaries = code_summaries(session)
    if args.json:
        print_json([asdict(c) | {"themes": list(c.themes)} for c in summaries])
    else:
        print_table(["code", "codings", "documents", "participants", "themes"],
                    [[c.name, c.codings, c.documents, c.participants, "; ".join(c.themes)]
                     for c in summaries])
    return 0


def _coding_verb(args: argparse.Namespace, remove: bool) -> int:
    """Code or uncode; a new code is made only if the whole change succeeds."""
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        document = find_document(tx.session, args.document)
        if args.lines:
            whole = codings.lines_span if remove else codings.lines_quote_span
            start, end = whole(tx, document.id, *span_range(args.lines, "--lines"))
        elif args.match is not None:
            start, end = codings.match_span(tx, document.id, args.match)
        else:
            start, end = span_range(args.span, "--span")
        created = False
        try:
            code_id = codes.find_code(tx, args.code).id
        except NotFoundError:
            if remove:
                raise
            code_id = codes.create_code(tx, args.code).new_id(Kind.CODE)
            created = True
        if remove:
            codings.uncode_span(tx, document.id, code_id, start, end)
            message = f"removed '{args.code}' from {start}-{end} of '{document.name}'"
        else:
            change = codings.apply_coding(tx, document.id, code_id, start, end, args.memo)
            message = (f"coded {start}-{end} of '{document.name}' with '{args.code}'"
                       f"{' (a new code)' if created else ''}, coding {change.new_id(Kind.CODING)}")
    print(message)
    return 0


HANDLERS = {"codes": cmd_codes, "code": lambda a: _coding_verb(a, remove=False),
            "uncode": lambda a: _coding_verb(a, remove=True)}
