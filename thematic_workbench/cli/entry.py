"""The command line's entry point: a verb runs headless over a project; without one, the
desktop app opens (optionally on PROJECT).

Exit codes: 0 success, 1 a user error (one-line message, no traceback), 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from thematic_workbench.cli.parser import PROG, VERBS, build_parser, default_coder
from thematic_workbench.core.errors import WorkbenchError, fault_for, plain_message
from thematic_workbench.core.storage.server import is_server_location, shown_location


def run_verb(args: argparse.Namespace) -> int:
    """Run the verb ``args`` names; each group of verbs lists its handlers in ``HANDLERS``."""
    from thematic_workbench.cli import (
        agreement,
        audit,
        autocode,
        backups,
        coding,
        design,
        exchange,
        identifiers,
        participants,
        phase_diary,
        project,
        query,
        search,
        speaker,
        stats,
        team,
        text_edit,
        themes,
        words,
    )

    handlers: dict[str, Callable[[argparse.Namespace], int]] = {}
    for module in (project, coding, themes, phase_diary, audit, exchange, agreement, stats,
                   participants, speaker, search, autocode, query, words, team, text_edit,
                   identifiers, design, backups):
        handlers.update(module.HANDLERS)
    return handlers[args.verb](args)


def _launch_gui(argv: Sequence[str]) -> int:
    gui = argparse.ArgumentParser(prog=PROG, add_help=False)
    gui.add_argument("project", nargs="?")
    gui.add_argument("--coder")
    args, unknown = gui.parse_known_args(argv)
    if unknown:
        build_parser().print_usage(sys.stderr)
        shown = " ".join(shown_location(word) if is_server_location(word) else word
                         for word in unknown)  # never a password on the screen
        print(f"{PROG}: error: unknown verb or option: {shown}", file=sys.stderr)
        return 2
    from thematic_workbench.gui.window.launch import launch

    return launch(args.project, args.coder or default_coder())


def _first_positional(argv: Sequence[str]) -> str | None:
    """The first word that is not an option or the value of ``--coder``."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--coder":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 prints escaped
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    asks_help = any(a in ("-h", "--help", "--version") for a in argv)
    first = _first_positional(argv)
    if not asks_help and first not in VERBS:
        return _launch_gui(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verb == "phase" and args.number is not None and not (args.note or "").strip():
        parser.error("moving to another phase needs a short note: --note TEXT")
    if not getattr(args, "coder", None):
        args.coder = default_coder()
    try:
        return run_verb(args)
    except WorkbenchError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing was saved from the unfinished step", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a bug, or an error nobody foresaw: still no traceback
        if os.environ.get("THEMATIC_DEBUG"):
            raise
        fault = fault_for(error, getattr(args, "project", None))  # a full disk, say
        if fault is not None:
            print(f"{PROG}: error: {fault}", file=sys.stderr)
            return 1
        print(f"{PROG}: error: unexpected problem ({type(error).__name__}: "
              f"{plain_message(error)}); nothing was saved from the unfinished step. "
              "Set THEMATIC_DEBUG=1 to see the details.", file=sys.stderr)
        return 1

