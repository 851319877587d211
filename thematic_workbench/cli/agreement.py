"""The ``agreement`` verb: how far two coders agree, code by code and document by document.

``agreement PROJECT --coders A B [--code NAME] [--json]``. The figures are NVivo's coding
comparison (characters as units) plus Krippendorff's alpha; see analysis/agreement.py.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from thematic_workbench.analysis.agreement import AgreementRow, Comparison, compare_coders
from thematic_workbench.cli.output import print_json, print_table
from thematic_workbench.cli.scope import add_scope_options, scope_from_args
from thematic_workbench.core.services.codes import find_code
from thematic_workbench.core.storage.store import ProjectStore

NOTE = ("Reflexive thematic analysis does not require agreement measures; they serve "
        "coding-reliability designs.")
DEGENERATE = ("* the coders agree on every character (both coded all of it): chance "
              "agreement is 100%, so kappa and alpha are 0/0 and shown as 1, as NVivo does.")


def add_agreement_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                       common: argparse.ArgumentParser) -> None:
    verb = verbs.add_parser(
        "agreement", parents=[common], help="agreement between two coders (kappa, alpha)",
        description="Agreement between two coders on the documents both coded: per code and "
                    "document, percentage agreement and Cohen's kappa over characters as "
                    "NVivo's coding comparison defines them, and Krippendorff's alpha; then "
                    "each code over all compared documents. " + NOTE)
    verb.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    verb.add_argument("--coders", nargs=2, metavar=("A", "B"), required=True,
                      help="the two coders to compare, by name")
    verb.add_argument("--code", metavar="NAME", action="append",
                      help="compare only this code (give it again for more codes)")
    add_scope_options(verb.add_argument_group(
        "compare only part of the speech (in a focus group, the chosen participants' turns)"))
    verb.add_argument("--json", action="store_true", help="output JSON")


def _number(value: float, degenerate: bool = False) -> str:
    return f"{value:.4f}{'*' if degenerate else ''}"


def _percent(value: float) -> str:
    return f"{100 * value:.2f}%"


def _row(row: AgreementRow) -> list[str]:
    return [row.code, row.document, row.participant or "-", f"{row.counts.units:,}",
            _percent(row.agreement), _number(row.kappa, row.degenerate),
            _number(row.alpha, row.degenerate)]


def _print_comparison(result: Comparison) -> None:
    a, b = result.coder_a, result.coder_b
    if not result.documents:
        print(f"{a} and {b} have not both coded any document, so there is nothing to compare.")
    else:
        print(f"Agreement between {a} and {b}, character by character, per code and document:")
        print_table(["code", "document", "participant", "characters", "agreement", "kappa",
                     "alpha"], [_row(row) for row in result.rows])
    if result.summaries:
        print("\nPer code, over the documents where either coder applied it:")
        print_table(["code", "documents", "agreement", "kappa", "kappa (NVivo average)",
                     "alpha"],
                    [[s.code, s.documents, _percent(s.agreement), _number(s.kappa),
                      _number(s.kappa_average), _number(s.alpha)] for s in result.summaries])
        print("kappa and alpha: from the pooled characters; NVivo average: each document's "
              "kappa weighted by its length.")
    print()
    if any(row.degenerate for row in result.rows):
        print(DEGENERATE)
    if result.absent_pairs:
        pairs = "pair" if result.absent_pairs == 1 else "pairs"
        print(f"{result.absent_pairs:,} code-document {pairs} left out: neither coder applied "
              "the code there.")
    if result.one_coder:
        listed = "; ".join(f"{doc.name} ({doc.coder})" for doc in result.one_coder)
        print(f"Not compared, coded by one of the two only: {listed}.")
    print(NOTE)


def cmd_agreement(args: argparse.Namespace) -> int:
    coder_a, coder_b = args.coders
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        code_ids = [find_code(session, name).id for name in args.code] if args.code else None
        result = compare_coders(session, coder_a, coder_b, code_ids=code_ids,
                                scope=scope_from_args(args))
    if args.json:
        print_json(asdict(result) | {"note": NOTE})
    else:
        _print_comparison(result)
    return 0


HANDLERS = {"agreement": cmd_agreement}
