"""The ``design`` verb: the study's design sheet.

``design PROJECT [--json]`` shows the sheet: which kind of thematic analysis, orientation
(inductive/deductive), focus of meaning (semantic/latent), theoretical assumptions, research
question, positionality and the words for the theme levels, saying which are not stated
yet. ``design PROJECT set NAME=VALUE...`` changes fields in one audited change; a choice
field takes one of its values (or ``none`` to clear it). ``--json`` prints one object with
the fields by name, ``not_stated`` (the names still empty) and ``theme_levels`` (the words
for emerging and final themes).
"""

from __future__ import annotations

import argparse

from thematic_workbench.cli.output import print_json
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import design
from thematic_workbench.core.storage.store import ProjectStore


def add_design_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                    common: argparse.ArgumentParser) -> None:
    help_text = "the study's design sheet (kind of TA, orientation, assumptions, positionality)"
    sheet = verbs.add_parser(
        "design", parents=[common], help=help_text,
        description=f"{help_text}. Fields: " + "; ".join(
            f"{name} ({what})" for name, what in design.FIELDS.items()) + ". Choices: " +
        "; ".join(f"{name}: {', '.join(labels)}"
                  for name, labels in design.CHOICE_LABELS.items()) + ".")
    sheet.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    sheet.add_argument("--json", action="store_true",
                       help="one object: the fields by name, not_stated, theme_levels")
    actions = sheet.add_subparsers(dest="design_verb", metavar="ACTION")
    change = actions.add_parser("set", parents=[common],
                                help="set fields: NAME=VALUE (quote values with spaces)")
    change.add_argument("values", metavar="NAME=VALUE", nargs="+")


def _pairs(values: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in values:
        name, equals, value = item.partition("=")
        if not equals:
            raise InvariantError(f"{item!r} is not NAME=VALUE (fields: "
                                 + ", ".join(design.FIELDS) + ")")
        pairs[name.strip().lower().replace("-", "_")] = value
    return pairs


def _show(sheet: design.DesignSheet) -> None:
    for name, what in design.FIELDS.items():
        value = sheet.shown(name) or "(not stated)"
        print(f"{what}:")
        for line in value.splitlines() or [""]:
            print(f"    {line}")


def cmd_design(args: argparse.Namespace) -> int:
    if args.design_verb == "set":
        pairs = _pairs(args.values)
        with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
            change = design.set_design(tx, pairs)
        print("design sheet: " + (", ".join(sorted(pairs)) + " set" if not change.empty
                                  else "nothing changed"))
        return 0
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        sheet = design.design_sheet(session)
    if args.json:
        values = sheet.values()
        print_json(values | {"not_stated": sheet.unstated(),
                             "theme_levels": {"emerging": sheet.words.lower,
                                              "final": sheet.words.upper}})
        return 0
    _show(sheet)
    return 0


HANDLERS = {"design": cmd_design}
