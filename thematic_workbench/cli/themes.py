"""The theme verbs: ``themes`` (the tree with its codes) and ``theme add|assign|unassign``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from thematic_workbench.cli.output import print_json
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.queries.project import theme_tree
from thematic_workbench.core.services import codes, themes
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.store import ProjectStore


def cmd_themes(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        roots, loose = theme_tree(session)
        words = project_theme_words(session)
    if args.json:  # the stored levels, as a contract

        print_json({"themes": [asdict(r) for r in roots], "uncategorised_codes": loose})
        return 0

    def show(node: Any, depth: int) -> None:
        level = words.word(node.level) if node.level in ("emerging", "final") else node.level
        print(f"{'    ' * depth}{node.name}  [{level}, {node.status}]")
        for code_name in node.codes:
            print(f"{'    ' * (depth + 1)}- {code_name}")
        for child in node.children:
            show(child, depth + 1)

    for root in roots:
        show(root, 0)
    if loose:
        print("Uncategorised codes:")
        for name in loose:
            print(f"    - {name}")
    return 0


def cmd_theme(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        if args.theme_verb == "add":
            parent = themes.find_theme(tx, args.parent, level="final").id if args.parent \
                else None
            change = themes.create_theme(tx, args.name, level=args.level,
                                         definition=args.definition, parent_id=parent)
            if args.concept.strip():
                themes.set_central_concept(tx, change.added[Kind.THEME][0], args.concept)
            message = f"created {project_theme_words(tx).theme(args.level)} '{args.name}'"
        elif args.theme_verb == "concept":
            theme = themes.find_theme(tx, args.theme, level=args.level)
            themes.set_central_concept(tx, theme.id, args.text)
            message = (f"'{theme.name}' is built around: {args.text.strip()}"
                       if args.text.strip() else f"'{theme.name}' has no central concept now")
        else:
            code = codes.find_code(tx, args.code)
            theme = themes.find_theme(tx, args.theme, level=args.level)
            if args.theme_verb == "assign":
                themes.assign_code(tx, code.id, theme.id)
                message = f"assigned '{code.name}' to '{theme.name}'"
            else:
                themes.unassign_code(tx, code.id, theme.id)
                message = f"took '{code.name}' out of '{theme.name}'"
    print(message)  # only once the change is saved
    return 0


HANDLERS = {"themes": cmd_themes, "theme": cmd_theme}
