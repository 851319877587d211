"""The ``words`` verb: the most frequent words of the transcripts, as a table or JSON.

``words PROJECT [--top N] [--forms] [--not-speaker NAME] [--json]`` counts the words of the
text in scope (speaker labels never), leaving out the stop words of the project's language.
``--speaker``, ``--not-speaker``, ``--participant`` and ``--attribute NAME=VALUE`` narrow
what is read (each may repeat); ``--by participant`` or ``--by ATTRIBUTE`` adds a column
per participant or attribute value. ``--json`` prints a list with one object per word:
``word``, ``count``, ``documents``, ``participants``, ``forms`` and, with ``--by``, ``by``
(column -> count; text said by no participant, or by one without the value, under
"not set").
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from thematic_workbench.analysis.word_frequency import (
    BY_PARTICIPANT,
    NO_GROUP,
    WordFrequencies,
    word_frequencies,
)
from thematic_workbench.cli.output import print_json, print_number_table
from thematic_workbench.cli.scope import add_scope_options, scope_from_args
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural

DEFAULT_TOP = 50
NOT_SET_NAME = "not set"  # the column of NO_GROUP, in the table and the JSON


def _count(value: str, what: str, least: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} takes a whole number, not {value!r}") \
            from None
    if number < least:
        raise argparse.ArgumentTypeError(f"{what} takes a number of {least} or more")
    return number


def add_words_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                   common: argparse.ArgumentParser) -> None:
    help_text = "the most frequent words in the transcripts (speaker labels never counted)"
    words = verbs.add_parser(
        "words", parents=[common], help=help_text,
        description=f"{help_text}, leaving out the stop words of the project's language. "
                    "Words are read as search reads them: case and accents ignored, numbers "
                    "not counted.")
    words.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    words.add_argument("--top", metavar="N", type=lambda v: _count(v, "--top", 0),
                       default=DEFAULT_TOP,
                       help=f"how many words to list (default {DEFAULT_TOP}; 0 for every word)")
    words.add_argument("--forms", action="store_true",
                       help="count the forms of a word as one (risk, risks, risky), shown "
                            "as the form used most")
    add_scope_options(words)
    words.add_argument("--by", metavar="participant|ATTRIBUTE",
                       help="also count per participant, or per value of a participant "
                            "attribute (e.g. --by profession)")
    words.add_argument("--keep-stop-words", action="store_true",
                       help="count stop words (the, and, um, yeah...) too")
    words.add_argument("--min-length", metavar="N", type=lambda v: _count(v, "--min-length", 1),
                       default=1, help="leave out words shorter than N letters")
    words.add_argument("--json", action="store_true",
                       help="a list with one object per word: word, count, documents, "
                            "participants, forms (and by, with --by)")


def _column(name: str) -> str:
    return NOT_SET_NAME if name == NO_GROUP else name


def word_records(result: WordFrequencies) -> list[dict[str, Any]]:
    """The JSON objects, one per word, most frequent first."""
    records = []
    for word in result.words:
        record: dict[str, Any] = {"word": word.word, "count": word.count,
                                  "documents": word.documents,
                                  "participants": word.participants,
                                  "forms": list(word.forms)}
        if result.by is not None:
            record["by"] = {_column(name): word.by[name] for name in result.columns}
        records.append(record)
    return records


def _describe(result: WordFrequencies, asked_stop_words: bool) -> str:
    """What was counted, in a line above the table."""
    different = plural(result.distinct, "different word")
    language = result.language.capitalize()
    joined = " after joining word forms" if result.forms else ""
    counted = (f"{plural(result.total, 'word')} counted ({different}{joined}) in "
               f"{plural(result.documents, 'transcript')}")
    if asked_stop_words and result.stop_words:
        counted += (f"; {plural(result.stop_words_left_out, 'stop word')} of {language} "
                    "left out")
    elif asked_stop_words:
        counted += f"; there is no stop word list for {language}, so none is left out"
    return counted


def _print_words(result: WordFrequencies, asked_stop_words: bool) -> None:
    print(_describe(result, asked_stop_words))
    if not result.words:
        print("No words in the text in scope.")
        return
    headers = ["word", "count", "transcripts", "participants",
               *(_column(name) for name in result.columns)]
    rows: list[list[Any]] = []
    for word in result.words:
        rows.append([word.word, word.count, word.documents, word.participants,
                     *(word.by[name] for name in result.columns)])
    if result.forms:
        headers.append("forms")
        for row, word in zip(rows, result.words, strict=True):
            row.append(", ".join(word.forms))
    print()
    print_number_table(headers, rows)


def cmd_words(args: argparse.Namespace) -> int:
    scope = scope_from_args(args)
    by = getattr(args, "by", None)
    if by is not None:
        by = BY_PARTICIPANT if by.strip().casefold() == BY_PARTICIPANT else by.strip()
    keep = getattr(args, "keep_stop_words", False)
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        result = word_frequencies(
            session, scope, top=args.top or None, forms=getattr(args, "forms", False),
            leave_out_stop_words=not keep, min_length=getattr(args, "min_length", 1), by=by)
    if args.json:
        print_json(word_records(result))
    else:
        _print_words(result, not keep)
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"words": cmd_words}
