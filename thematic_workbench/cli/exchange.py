"""The exchange verbs: ``export``, ``import-codebook`` and ``import-project``.

The format always follows the extension of the file named (``.docx``, ``.csv``, ``.xlsx``,
``.qdc``, ``.qdpx``, ``.png``, ``.svg``, ``.pdf``): a contract other tools rely on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from thematic_workbench.analysis.coded_segments import SegmentFilter
from thematic_workbench.app.exchange import (
    CODEBOOK_FOR,
    EXPORT_FORMATS,
    ExportOptions,
    check_target,
    export,
    import_codebook_file,
    import_lines,
    import_project_file,
)
from thematic_workbench.app.printing import TranscriptChoice
from thematic_workbench.cli.output import print_json
from thematic_workbench.cli.scope import add_scope_options, attribute_pair
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.reports.table1 import CAPTION_LABEL, Table1Options
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.refi.qdpx_archive import OutsideFilesError


def add_exchange_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                       common: argparse.ArgumentParser) -> None:
    kinds = ", ".join(f"{kind} ({' '.join(formats)})" for kind, formats in EXPORT_FORMATS.items())
    out = verbs.add_parser(
        "export", parents=[common], help="write a report or exchange file",
        usage="%(prog)s WHAT PROJECT OUT [options]\n"
              "       %(prog)s transcript PROJECT DOCUMENT OUT.pdf [--code NAME] "
              "[--coded-by NAME]",
        description=f"Write a report or an exchange file; the format follows OUT's extension. "
                    f"What and formats: {kinds}. For another program's import, "
                    "'export codebook PROJECT OUT.csv --for taguette' writes the columns "
                    "tag and description, one row per code. 'export transcript PROJECT "
                    "DOCUMENT OUT.pdf' prints a coded transcript to a PDF: line numbers, "
                    "speakers, coding stripes with the codes' names, margin notes and coding "
                    "memos as notes.")
    out.add_argument("kind", metavar="WHAT", choices=tuple(EXPORT_FORMATS))
    out.add_argument("project", metavar="PROJECT")
    out.add_argument("out", metavar="OUT",
                     help="the file to write; for 'transcript', the DOCUMENT (its name as "
                          "'documents' lists it, or its id), then the PDF")
    out.add_argument("transcript_pdf", metavar="OUT.pdf", nargs="?", default=None,
                     help=argparse.SUPPRESS)
    out.add_argument("--json", action="store_true",
                     help="say what was written, and what was lost or re-cast, as JSON")
    table = out.add_argument_group("Table 1")
    table.add_argument("--levels", type=int, choices=(2, 3), default=3,
                       help="3: codes | emerging | final themes (default); 2: codes | themes")
    table.add_argument("--counts", action="store_true",
                       help="show codings and participants after each code")
    table.add_argument("--landscape", action="store_true", help="turn the page (Word)")
    table.add_argument("--caption-label", default=CAPTION_LABEL, metavar="TEXT")
    table.add_argument("--caption-title", default=None, metavar="TEXT")
    extracts = out.add_argument_group("extracts report")
    extracts.add_argument("--per-code", type=int, default=3, metavar="N",
                          help="extracts per code (0: all; default 3)")
    extracts.add_argument("--map", action="store_true", help="embed the map of themes")
    figure = out.add_argument_group("map of themes")
    figure.add_argument("--codes", action="store_true", help="show each theme's codes")
    segments = out.add_argument_group(
        "coded segments", "one row per coding; repeat an option for any of several")
    segments.add_argument("--code", action="append", default=[], metavar="NAME",
                          help="only codings of this code (also for 'transcript')")
    segments.add_argument("--theme", action="append", default=[], metavar="NAME",
                          help="only codings of this theme's codes (for a final theme, "
                               "with those of its emerging themes)")
    add_scope_options(segments, speakers=False)
    transcript = out.add_argument_group(
        "coded transcript", "the stripes and memos of some codings only; repeat an option "
        "for any of several (and --code above)")
    transcript.add_argument("--coded-by", action="append", default=[], metavar="NAME",
                            help="only codings, memos and margin notes by this coder "
                                 "(--coder says who runs the command, as for every verb)")
    codebook_form = out.add_argument_group("codebook")
    codebook_form.add_argument(
        "--for", dest="codebook_for", choices=tuple(CODEBOOK_FOR), default=None,
        metavar="PROGRAM",
        help="write the codebook as PROGRAM imports it. taguette: a .csv with the columns "
             "tag and description, each code once (Taguette has no themes, so they are "
             "left out). Without --for: our own codebook, with its themes")

    codebook = verbs.add_parser(
        "import-codebook", parents=[common], help="add a codebook (.qdc .csv .xlsx) to a project",
        description="Add the codes and themes of a codebook to a project: REFI-QDA .qdc, or a "
                    "table with the columns code, emerging theme, final theme, definition "
                    "(Taguette's codebook .csv and .xlsx, with tag and description, are read "
                    "too).")
    codebook.add_argument("project", metavar="PROJECT")
    codebook.add_argument("file", metavar="FILE")

    project = verbs.add_parser(
        "import-project", parents=[common], help="make a new project from a REFI-QDA .qdpx",
        description="Make a new project from a REFI-QDA project (.qdpx) exported by NVivo, "
                    "ATLAS.ti, MAXQDA, QualCoder or Thematic Workbench.")
    project.add_argument("file", metavar="FILE.qdpx")
    project.add_argument("project", metavar="PROJECT", help="the new project file to create")
    project.add_argument("--json", action="store_true",
                         help="say what was imported, not carried across, re-cast or read "
                              "against the schema, as JSON")
    project.add_argument("--allow-outside-files", action="store_true",
                         help="read sources whose text is in local files outside the .qdpx "
                              "(absolute paths, or relative ones leaving its folder); each "
                              "file read is listed")


def _transcript_target(args: argparse.Namespace) -> tuple[str | None, str]:
    """(DOCUMENT, OUT.pdf) for 'export transcript', (None, OUT) for every other export."""
    if args.kind == "transcript":
        if args.transcript_pdf is None:
            raise WorkbenchError("export transcript needs the document and the PDF: "
                                 "export transcript PROJECT DOCUMENT OUT.pdf")
        unused = [option for option, given in (("--theme", args.theme),
                                               ("--participant", args.participant),
                                               ("--attribute", args.attribute)) if given]
        if unused:
            raise WorkbenchError(f"export transcript does not filter by {', '.join(unused)}: "
                                 "it prints a transcript whole, with --code and --coded-by "
                                 "choosing the codings shown")
        return args.out, args.transcript_pdf
    if args.transcript_pdf is not None:
        raise WorkbenchError(f"export {args.kind} takes one file to write, not "
                             f"'{args.out}' and '{args.transcript_pdf}'")
    if args.coded_by:
        raise WorkbenchError("--coded-by chooses the codings of a transcript: "
                             "export transcript PROJECT DOCUMENT OUT.pdf --coded-by NAME")
    return None, args.out


def cmd_export(args: argparse.Namespace) -> int:
    document, args.out = _transcript_target(args)
    check_target(args.kind, Path(args.out), args.codebook_for)
    options = ExportOptions(
        table1=Table1Options(levels=args.levels, show_counts=args.counts,
                             landscape=args.landscape, caption_label=args.caption_label,
                             caption_title=args.caption_title),
        extracts_per_code=args.per_code or None, embed_map=args.map, map_codes=args.codes,
        segments=SegmentFilter(codes=tuple(args.code), themes=tuple(args.theme),
                               participants=tuple(args.participant or ()),
                               attributes=tuple(map(attribute_pair, args.attribute or ()))),
        codebook_for=args.codebook_for,
        transcripts=TranscriptChoice((document,) if document is not None else (),
                                     tuple(args.code), tuple(args.coded_by)))
    with ProjectStore.open(args.project, readonly=True) as store:
        result = export(store, args.kind, args.out, options)
    if args.json:
        print_json({"kind": args.kind, "file": str(Path(args.out)),
                    "message": result.message, "notes": list(result.notes),
                    **result.report.as_json()})
        return 0
    print(result.message)
    for line in [*(f"note: {note}" for note in result.notes), *result.report.lines()]:
        print(line, file=sys.stderr)
    return 0


def cmd_import_codebook(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project) as store:
        result = import_codebook_file(store, args.coder, args.file)
    print(result.describe())
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def cmd_import_project(args: argparse.Namespace) -> int:
    try:
        summary = import_project_file(args.file, args.project, args.coder,
                                      allow_outside=True if args.allow_outside_files else None)
    except OutsideFilesError as error:
        them = "it" if len(error.files) == 1 else "them"
        raise WorkbenchError(f"{error}; to read {them}, run again with --allow-outside-files") \
            from error
    if args.json:
        print_json({"file": str(Path(args.file)), "project": str(Path(args.project)),
                    "message": summary.describe(), **summary.summary()})
        return 0
    print(summary.describe())
    for line in import_lines(summary):
        print(line, file=sys.stderr)
    return 0


HANDLERS = {"export": cmd_export, "import-codebook": cmd_import_codebook,
            "import-project": cmd_import_project}
