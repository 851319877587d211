"""The command line's parser: every verb, its options and its help text.

The verbs and their options are a contract that other tools rely on. The verbs defined
here are the project, coding, theme, phase, diary, audit and demo verbs; each other group
of verbs adds its own from its module (``add_*_verb``), in the order the help lists them.
"""

from __future__ import annotations

import argparse
import getpass
import os

from thematic_workbench import __version__
from thematic_workbench.core.text.textlayout import DEFAULT_WRAP, MAX_WRAP, MIN_WRAP

PROG = "thematic-workbench"
VERBS = ("new", "import", "documents", "codes", "themes", "code", "uncode", "theme", "phase",
         "diary", "audit", "demo", "export", "import-codebook", "import-project", "agreement",
         "stats", "participants", "participant", "import-attributes", "autocode", "query",
         "search", "speaker", "words", "coder", "signoff", "snapshot", "copy", "merge", "grant",
         "edit-text", "identifiers", "pseudonymise", "design", "backups", "restore")


def default_coder() -> str:
    """``THEMATIC_CODER``, else the login name."""
    name = os.environ.get("THEMATIC_CODER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "researcher"


def _wrap_width(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not MIN_WRAP <= width <= MAX_WRAP:
        raise argparse.ArgumentTypeError(f"must be between {MIN_WRAP} and {MAX_WRAP}")
    return width


def _selector(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--lines", metavar="A-B", help="whole lines A to B (stable line numbers)")
    group.add_argument("--match", metavar="TEXT", help="the exact text, found once in the document")
    group.add_argument("--span", metavar="START-END",
                       help="character positions (Unicode code points from 0, end exclusive)")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--coder", default=argparse.SUPPRESS,
                        help="who makes the change (default: $THEMATIC_CODER, else login name)")
    parser = argparse.ArgumentParser(
        prog=PROG, parents=[common],
        description="Reflexive thematic analysis of interview transcripts. Without a verb, "
                    "opens the desktop app (optionally on PROJECT).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.add_argument("project", metavar="PROJECT",
                         help="the project: a file (NAME.thematic) or a team project's "
                              "postgresql://user@host:port/database URL")
        return sub

    new = verb("new", "create a new, empty project")
    new.add_argument("--title", help="the study's title (default: the file name)")

    imp = verb("import", "import transcripts (.txt .md .docx .odt .rtf .pdf .vtt .srt)")
    imp.add_argument("files", metavar="FILE", nargs="+")
    imp.add_argument("--participant", metavar="LABEL", help="participant label, e.g. PA")
    imp.add_argument("--wrap", metavar="N", type=_wrap_width, default=DEFAULT_WRAP,
                     help="wrap long paragraphs into numbered lines of at most N characters")
    imp.add_argument("--force", action="store_true", help="import files already imported")

    for name, what in (("documents", "list the transcripts"),
                       ("codes", "list the codes with counts of codings, documents, participants"),
                       ("themes", "list final and emerging themes with their codes")):
        verb(name, what).add_argument("--json", action="store_true", help="output JSON")

    for name, what in (("code", "code a passage of a document"),
                       ("uncode", "remove a code from a passage of a document")):
        sub = verb(name, what)
        sub.add_argument("document", metavar="DOCUMENT", help="document name (file stem)")
        sub.add_argument("code", metavar="CODE", help="code name (created if new, for 'code')")
        _selector(sub)
        if name == "code":
            sub.add_argument("--memo", metavar="TEXT", default="", help="a memo on the coding")

    theme = verb("theme", "create themes and assign codes to them")
    theme_verbs = theme.add_subparsers(dest="theme_verb", metavar="ACTION", required=True)
    add = theme_verbs.add_parser("add", parents=[common], help="create a theme")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--level", choices=("emerging", "final"), required=True)
    add.add_argument("--parent", metavar="FINAL", help="the final theme it belongs to")
    add.add_argument("--definition", default="")
    add.add_argument("--concept", default="",
                     help="the central organising concept the theme is built around")
    concept = theme_verbs.add_parser(
        "concept", parents=[common],
        help="set a theme's central organising concept (empty text clears it)")
    concept.add_argument("theme", metavar="THEME")
    concept.add_argument("text", metavar="TEXT")
    concept.add_argument("--level", choices=("emerging", "final"),
                         help="the theme's level, where both levels use the name")
    for action, what in (("assign", "put a code into a theme (appended)"),
                         ("unassign", "take a code out of a theme")):
        membership = theme_verbs.add_parser(action, parents=[common], help=what)
        membership.add_argument("code", metavar="CODE")
        membership.add_argument("theme", metavar="THEME")
        membership.add_argument("--level", choices=("emerging", "final"),
                                help="the theme's level, where both levels use the name")

    phase = verb("phase", "show the current phase, or move to phase N with a note")
    phase.add_argument("number", metavar="N", nargs="?", type=int, choices=range(1, 7))
    phase.add_argument("--note", metavar="TEXT", help="why you are moving (required with N)")
    phase.add_argument("--json", action="store_true")

    diary = verb("diary", "the reflective diary")
    diary_verbs = diary.add_subparsers(dest="diary_verb", metavar="ACTION", required=True)
    diary_add = diary_verbs.add_parser("add", parents=[common], help="add an entry")
    diary_add.add_argument("text", metavar="TEXT")
    diary_add.add_argument("--title", default="")
    diary_add.add_argument("--appendix", action="store_true",
                           help="include the entry in the methods appendix")
    for action, what in (("include", "include an entry in the methods appendix"),
                         ("exclude", "leave an entry out of the methods appendix")):
        chosen = diary_verbs.add_parser(action, parents=[common], help=what)
        chosen.add_argument("entry", metavar="ID", type=int,
                            help="the entry's id (diary list --json shows it)")
    diary_list = diary_verbs.add_parser("list", parents=[common], help="list the entries")
    diary_list.add_argument("--json", action="store_true")

    audit = verb("audit", "show the audit trail")
    audit.add_argument("--json", action="store_true")
    audit.add_argument("--verify", action="store_true",
                       help="check the hash chain, the signed anchors and this machine's "
                            "witness log; exit 1 naming the first bad event")

    verb("demo", "build the demo project (four fictional interviews, partly coded)")
    from thematic_workbench.cli.agreement import add_agreement_verb
    from thematic_workbench.cli.audit import add_trust_verbs
    from thematic_workbench.cli.autocode import add_autocode_verb
    from thematic_workbench.cli.backups import add_backup_verbs
    from thematic_workbench.cli.design import add_design_verb
    from thematic_workbench.cli.exchange import add_exchange_verbs
    from thematic_workbench.cli.identifiers import add_identifiers_verb
    from thematic_workbench.cli.participants import add_participant_verbs
    from thematic_workbench.cli.query import add_query_verb
    from thematic_workbench.cli.search import add_search_verb
    from thematic_workbench.cli.speaker import add_speaker_verb
    from thematic_workbench.cli.stats import add_stats_verb
    from thematic_workbench.cli.team import add_team_verbs
    from thematic_workbench.cli.text_edit import add_text_edit_verb
    from thematic_workbench.cli.words import add_words_verb

    for add_verbs in (add_exchange_verbs, add_agreement_verb, add_stats_verb,
                      add_participant_verbs, add_speaker_verb, add_search_verb,
                      add_autocode_verb, add_query_verb, add_words_verb, add_trust_verbs,
                      add_team_verbs, add_text_edit_verb, add_identifiers_verb,
                      add_design_verb, add_backup_verbs):
        add_verbs(verbs, common)
    return parser
