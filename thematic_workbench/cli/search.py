"""The ``search`` verb: every hit of a query as a keyword-in-context line, or as JSON.

``search PROJECT QUERY [--forms] [--speaker NAME] [--not-speaker NAME] [--participant LABEL]
[--document NAME] [--attribute NAME=VALUE] [--json]``. The query language is the window's
(core/finding/search.py): words, ``risk*``, ``"phrases"``, AND, OR, NOT, NEAR/N and parentheses.
With ``--json``, a list with one object per hit: ``document``, ``participant``, ``speaker``,
``line``, ``start``, ``end`` (code points), ``text`` (the words matched, exactly as in the
transcript) and ``context`` (the hit with the words around it). Every hit is listed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy import select

from thematic_workbench.cli.output import print_json
from thematic_workbench.cli.scope import add_scope_options, scope_from_args
from thematic_workbench.core.finding.search import ELLIPSIS, SearchHit, search_project
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural

CONTEXT = 45  # characters before a hit; the hits line up after them
QUERY_HELP = ('words (any case), risk* for a prefix, "an exact phrase", AND, OR, NOT, '
              "NEAR/N (within N words; NEAR alone: 10) and parentheses; words side by side "
              "must all be in a transcript")


def add_search_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                    common: argparse.ArgumentParser) -> None:
    help_text = "find words and phrases in every transcript, as keyword-in-context lines"
    search = verbs.add_parser("search", parents=[common], help=help_text,
                              description=f"{help_text}. QUERY: {QUERY_HELP}.")
    search.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    search.add_argument("query", metavar="QUERY", help=QUERY_HELP)
    search.add_argument("--forms", action="store_true",
                        help="also find word forms (risk: risks, risked, risking, risky) in "
                             "the project's language")
    add_scope_options(search, documents=True)
    search.add_argument("--json", action="store_true",
                        help="a list with one object per hit: document, participant, speaker, "
                             "line, start, end, text, context")


def hit_record(hit: SearchHit, text: str) -> dict[str, Any]:
    """One hit as the JSON contract names it; ``text`` is the transcript's."""
    return {"document": hit.document_name, "participant": hit.participant,
            "speaker": hit.speaker, "line": hit.line, "start": hit.start, "end": hit.end,
            "text": text[hit.start:hit.end], "context": f"{hit.before}{hit.match}{hit.after}"}


def _citation(hit: SearchHit) -> str:
    who = hit.participant or ""
    where = hit.document_name if not who or who.casefold() not in \
        hit.document_name.casefold() else ""
    said = f" ({hit.speaker})" if hit.speaker and hit.speaker != who else ""
    line = f"line {hit.line}" if hit.line is not None else ""
    return ", ".join(part for part in (who, where, line) if part) + said


def cmd_search(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        scope = scope_from_args(args, session)
        hits = search_project(session, args.query, None, forms=args.forms, scope=scope)
        if args.json:
            texts: dict[int, str] = {row.id: row.text for row in session.execute(
                select(Document.id, Document.text).where(
                    Document.id.in_({hit.document_id for hit in hits})))}
            print_json([hit_record(hit, texts[hit.document_id]) for hit in hits])
            return 0
    documents = len({hit.document_id for hit in hits})
    if not hits:
        print(f"No hits for {args.query}")
        return 0
    citations = [_citation(hit) for hit in hits]
    width = min(max(len(citation) for citation in citations), 40)
    bold = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("", "")
    for citation, hit in zip(citations, hits, strict=True):
        before = hit.before if len(hit.before) <= CONTEXT else ELLIPSIS + hit.before[-CONTEXT:]
        print(f"{citation.ljust(width)}  {before.rjust(CONTEXT + 1)}{bold[0]}{hit.match}"
              f"{bold[1]}{hit.after}")
    print(f"{plural(len(hits), 'hit')} in {plural(documents, 'transcript')}")
    return 0


HANDLERS = {"search": cmd_search}
