"""The filters several verbs share: --participant, --attribute, --speaker, --not-speaker
and --document, read into one :class:`~thematic_workbench.core.finding.scope.Scope`.

One parser for them keeps their names, help and errors the same in ``search``, ``words``,
``query``, ``autocode``, ``agreement`` and ``export segments``.
"""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session

from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.queries.project import find_document


def add_scope_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup, *,
                      speakers: bool = True, documents: bool = False) -> None:
    """Add the filters by participant and attribute value, and optionally by speaker and
    by transcript; every one may be repeated."""
    parser.add_argument("--participant", metavar="LABEL", action="append",
                        help="only what this participant said (repeat for several)")
    parser.add_argument("--attribute", metavar="NAME=VALUE", action="append",
                        help="only what participants with this attribute value said (repeat: "
                             "several values of one name mean any of them)")
    if speakers:
        parser.add_argument("--speaker", metavar="NAME", action="append",
                            help="only the turns of this speaker label (any case; repeat for "
                                 "several)")
        parser.add_argument("--not-speaker", metavar="NAME", action="append",
                            help="leave out the turns of this speaker label, e.g. Interviewer "
                                 "(repeat for several)")
    if documents:
        parser.add_argument("--document", metavar="NAME", action="append",
                            help="only this transcript (repeat for several)")


def attribute_pair(given: str) -> tuple[str, str]:
    """``"profession=nurse"`` as ``("profession", "nurse")``."""
    name, equals, value = (part.strip() for part in given.partition("="))
    if not (equals and name and value):
        raise InvariantError(f"--attribute takes NAME=VALUE (for example profession=nurse), "
                             f"not '{given}'")
    return name, value


def _names(args: argparse.Namespace, option: str, what: str) -> frozenset[str] | None:
    given = [" ".join(name.split()) for name in getattr(args, option, None) or []]
    if not all(given):
        raise InvariantError(f"--{option.replace('_', '-')} needs a {what}")
    return frozenset(given) if given else None


def scope_from_args(args: argparse.Namespace, session: Session | None = None) -> Scope:
    """The scope the options ask for; transcripts are looked up by name (needs ``session``),
    and an unknown one is an error."""
    documents = None
    if getattr(args, "document", None):
        if session is None:
            raise ValueError("looking up --document needs a session")
        documents = frozenset(find_document(session, name).id for name in args.document)
    return Scope(documents=documents,
                 participants=_names(args, "participant", "participant label"),
                 attributes=tuple(attribute_pair(pair)
                                  for pair in getattr(args, "attribute", None) or []),
                 speakers=_names(args, "speaker", "speaker label"),
                 not_speakers=_names(args, "not_speaker", "speaker label") or frozenset())
