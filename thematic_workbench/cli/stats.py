"""The ``stats`` verb: how the coding is spread over codes, participants and transcripts.

By default two readable tables (the codes; each transcript's coverage with its longest
uncoded stretches by line number), and with ``--attribute`` the codes by that attribute's
values. ``--json`` prints everything ``analysis.stats.project_stats`` gives, for scripts,
on one line. Coverage counts the words of every speaker but the interviewer unless
``--speakers``, ``--interviewer`` or ``--all-speakers`` says whose.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from thematic_workbench.analysis.stats import (
    NOT_SET,
    CodeAttributeTable,
    code_by_attribute,
    code_frequencies,
    coverage,
    project_stats,
)
from thematic_workbench.cli.output import print_number_table
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_roles import (
    DEFAULT,
    EVERYONE,
    INTERVIEWER,
    SpeakerChoice,
)
from thematic_workbench.core.wording import plural


def add_stats_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                   common: argparse.ArgumentParser) -> None:
    help_text = ("counts per code, participant and attribute value, and how much of each "
                 "transcript is coded")
    stats = verbs.add_parser("stats", parents=[common], help=help_text, description=help_text)
    stats.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    stats.add_argument("--json", action="store_true",
                       help="output everything as JSON (co-occurrence and every attribute too)")
    stats.add_argument("--attribute", metavar="NAME",
                       help="also count codes by this participant attribute (e.g. gender)")
    whose = stats.add_mutually_exclusive_group()
    whose.add_argument("--speakers", metavar="NAMES",
                       help="coverage counts only these speakers' turns (names as labelled, "
                            "comma-separated, any case); by default every speaker but the "
                            "interviewer")
    whose.add_argument("--interviewer", action="store_true",
                       help="coverage counts only the interviewer's turns")
    whose.add_argument("--all-speakers", action="store_true",
                       help="coverage counts the whole text, every speaker and label")


def speaker_choice(args: argparse.Namespace) -> SpeakerChoice:
    """Whose turns coverage counts, from the options (all but the interviewer by default)."""
    if getattr(args, "all_speakers", False):
        return SpeakerChoice(EVERYONE)
    if getattr(args, "interviewer", False):
        return SpeakerChoice(INTERVIEWER)
    names = [name.strip() for name in (getattr(args, "speakers", None) or "").split(",")]
    if any(names):
        return SpeakerChoice.named(name for name in names if name)
    return DEFAULT


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _print_attribute(table: CodeAttributeTable) -> None:
    groups = table.groups
    print(f"\nCodes by {table.attribute} (codings / participants coded, of the group's size)")
    headers = ["code", *(f"{g.value or 'not set'} ({g.participants})" for g in groups)]
    rows = []
    for code in table.codes:
        row: list[Any] = [code.name]
        for group in groups:
            reach = table.cell(code.id, group.value)
            row.append(f"{reach.codings} / {reach.participants}" if reach.codings else "-")
        rows.append(row)
    print_number_table(headers, rows)
    if any(g.value == NOT_SET for g in groups):
        print(f"'not set': transcripts whose participant has no {table.attribute}, "
              "or that belong to no participant.")


def cmd_stats(args: argparse.Namespace) -> int:
    attribute = getattr(args, "attribute", None)
    speakers = speaker_choice(args)
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        if args.json:
            data = project_stats(session, [attribute] if attribute else None, speakers)
            # One line, unlike the other verbs' indented JSON: on the large project the
            # output is megabytes, and indenting makes json take the slow Python encoder.
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            return 0
        codes = code_frequencies(session)
        words = project_theme_words(session)
        covered = coverage(session, speakers=speakers)
        by_attribute = code_by_attribute(session, attribute) if attribute else None
    codings = sum(code.codings for code in codes)
    print(f"Codes: {len(codes):,} active, {plural(codings, 'coding')} in "
          f"{plural(len(covered), 'transcript')}")
    print_number_table(["code", "codings", "transcripts", "participants", "characters",
                        words.theme("emerging")],
                       [[c.name, c.codings, c.documents, c.participants, c.characters,
                         "; ".join(c.themes) or "-"] for c in codes])
    if by_attribute is not None:
        _print_attribute(by_attribute)
    print(f"\nCoverage of {speakers.describe()}: share of each transcript's characters coded "
          "(overlaps counted once), and its longest uncoded stretches")
    print_number_table(
        ["participant", "transcript", "characters", "coded", "longest uncoded (lines)"],
        [[c.participant or "-", c.document, c.characters,
          _percent(c.coded_characters, c.characters),
          "; ".join(f"{s.lines} ({s.characters:,} chars)" for s in c.stretches) or "-"]
         for c in covered])
    return 0


HANDLERS = {"stats": cmd_stats}
