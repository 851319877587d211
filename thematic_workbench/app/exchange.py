"""Exports and exchange imports as whole jobs, shared by the command line and the app.

Each export reads the project in one read session and writes its file whole or not at all;
the format follows the extension of the target. Imports read and check the whole file
before anything is stored, then store it in one transaction. No Qt here: the app runs
these on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from thematic_workbench.analysis.coded_segments import SegmentFilter
from thematic_workbench.analysis.table1 import build_table1
from thematic_workbench.app.printing import TranscriptChoice
from thematic_workbench.core.errors import ProjectError, WorkbenchError
from thematic_workbench.core.records.exchange_report import ExchangeReport
from thematic_workbench.core.reports.table1 import Table1Options
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from thematic_workbench.core.records.codebook_plan import CodebookPlan
    from thematic_workbench.core.services.codebook_import import CodebookImport
    from thematic_workbench.core.services.project_result import ProjectImport

EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "table1": (".docx", ".csv", ".xlsx"),
    "extracts": (".docx",),
    "codebook": (".docx", ".csv", ".xlsx", ".qdc"),
    "project": (".qdpx",),
    "diary": (".docx",),
    "audit": (".docx", ".csv"),
    "map": (".png", ".svg", ".pdf"),
    "segments": (".csv", ".xlsx", ".docx"),
    "attributes": (".csv", ".xlsx"),
    "methods": (".docx",),
    "transcript": (".pdf",),
}
EXPORT_NAMES = {"table1": "Table 1", "extracts": "the extracts report", "codebook": "the codebook",
                "project": "the REFI-QDA project", "diary": "the reflective diary",
                "audit": "the audit trail", "map": "the map of themes",
                "segments": "the coded segments",
                "attributes": "the participants' attributes",
                "methods": "the methods appendix",
                "transcript": "the coded transcripts"}
CODEBOOK_FORMATS = (".qdc", ".csv", ".xlsx")


@dataclass(frozen=True)
class ExportOptions:
    """Options of the exports that have any; the others ignore them."""

    table1: Table1Options = field(default_factory=Table1Options)
    extracts_per_code: int | None = 3
    embed_map: bool = False
    map_codes: bool = False  # the map of themes with each theme's codes
    segments: SegmentFilter = field(default_factory=SegmentFilter)  # which codings
    codebook_for: str | None = None  # "taguette": the codebook .csv Taguette imports
    transcripts: TranscriptChoice = field(default_factory=TranscriptChoice)  # to print


CODEBOOK_FOR = {"taguette": ("Taguette", (".csv",))}  # other programs' codebook forms


def check_target(kind: str, target: Path, codebook_for: str | None = None) -> None:
    """Refuse an export kind or extension we do not write, before any work is done."""
    if codebook_for is not None:
        _check_codebook_for(kind, target, codebook_for)
    if kind not in EXPORT_FORMATS:
        raise WorkbenchError(f"cannot export '{kind}'; choose one of "
                             f"{', '.join(EXPORT_FORMATS)}")
    formats = EXPORT_FORMATS[kind]
    if target.suffix.lower() not in formats:
        raise WorkbenchError(f"{target.name}: {EXPORT_NAMES[kind]} can be written as "
                             f"{', '.join(formats)}, not '{target.suffix or 'no extension'}'")
    if not target.parent.is_dir():
        raise WorkbenchError(f"{target.parent}: no such folder")


def _check_codebook_for(kind: str, target: Path, tool: str) -> None:
    if tool not in CODEBOOK_FOR:
        raise WorkbenchError(f"no codebook form for '{tool}'; choose one of "
                             f"{', '.join(CODEBOOK_FOR)}")
    name, formats = CODEBOOK_FOR[tool]
    if kind != "codebook":
        raise WorkbenchError(f"{name}'s form is written for the codebook only, not for "
                             f"{EXPORT_NAMES.get(kind, kind)}")
    if target.suffix.lower() not in formats:
        raise WorkbenchError(f"{target.name}: {name} imports a codebook from "
                             f"{', '.join(formats)} only, not "
                             f"'{target.suffix or 'no extension'}'")


@dataclass(frozen=True)
class ExportResult:
    message: str  # one line: what was written where
    notes: tuple[str, ...] = ()  # what the reader of the file should know (left out...)
    report: ExchangeReport = field(default_factory=ExchangeReport)  # an exchange file's


def export(store: ProjectStore, kind: str, target: str | Path,
           options: ExportOptions | None = None) -> ExportResult:
    """Write one export and say what was written."""
    target = Path(target)
    options = options or ExportOptions()
    check_target(kind, target, options.codebook_for)
    if kind == "transcript":
        from thematic_workbench.app.printing import export_transcripts

        return ExportResult(export_transcripts(store, options.transcripts, target)[0])
    suffix = target.suffix.lower()
    notes: tuple[str, ...] = ()
    report = ExchangeReport()
    with store.read() as session:
        if kind == "table1":
            from thematic_workbench.io.table1_files import write_table1

            table1 = build_table1(session, options.table1)
            write_table1(table1, target)
            done = f"{len(table1.rows)} row{'' if len(table1.rows) == 1 else 's'}"
            notes = table1.warnings
        elif kind == "extracts":
            done = _extracts(session, target, options)
        elif kind == "segments":
            done = _segments(session, target, options.segments)
        elif kind == "codebook":
            notes = write_codebook_file(session, target, options.codebook_for)
            done = "the coding frame" if options.codebook_for is None else \
                f"its codes, as {CODEBOOK_FOR[options.codebook_for][0]} imports them"
        elif kind == "project":
            from thematic_workbench.core.queries.refi_export import read_project_export
            from thematic_workbench.io.refi.qdpx_losses import export_report
            from thematic_workbench.io.refi.qdpx_write import write_qdpx

            exported = read_project_export(session)
            done = str(write_qdpx(exported, target))
            report = export_report(exported.facts)
        elif kind == "diary":
            from thematic_workbench.core.reports.appendices import diary_appendix
            from thematic_workbench.io.appendix_docx import write_diary_docx

            write_diary_docx(diary_appendix(session), target)
            done = "every entry, oldest first"
        elif kind == "methods":
            from thematic_workbench.core.reports.methods_appendix import methods_appendix
            from thematic_workbench.io.methods_docx import write_methods_docx

            left = write_methods_docx(methods_appendix(session), target)
            done = f"{plural(left, 'item')} still to write"
        elif kind == "attributes":
            from thematic_workbench.app.attribute_exchange import export_attributes

            done = export_attributes(session, target)
        elif kind == "map":
            from thematic_workbench.analysis.map_layouts import read_map
            from thematic_workbench.io.map_figure import write_map_figure

            write_map_figure(*read_map(session, options.map_codes, None), target)
            done = "with codes" if options.map_codes else "themes only"
        elif suffix == ".csv":
            from thematic_workbench.core.reports.appendices import audit_export
            from thematic_workbench.io.audit_csv import export_audit_csv

            done = plural(export_audit_csv(audit_export(session), target), "event",
                          grouped=False)
        else:
            from thematic_workbench.core.reports.appendices import audit_appendix
            from thematic_workbench.io.appendix_docx import write_audit_docx

            write_audit_docx(audit_appendix(session), target)
            done = "every event, oldest first"
    return ExportResult(f"wrote {EXPORT_NAMES[kind]} to {target} ({done})", notes, report)


def write_codebook_file(session: Session, target: Path,
                        for_tool: str | None = None) -> tuple[str, ...]:
    """Write the project's codebook in the format the extension names (.csv, .xlsx, .docx,
    .qdc), or in another program's form (``for_tool``, checked by :func:`check_target`);
    returns notes on the file."""
    if for_tool is not None:
        if for_tool != "taguette" or target.suffix.lower() != ".csv":
            raise WorkbenchError(f"{target.name}: the only form for another program is "
                                 "Taguette's, a .csv written from the project")
        from thematic_workbench.core.queries.codebook_codes import code_list
        from thematic_workbench.io.codebook_files import write_taguette_csv

        return write_taguette_csv(code_list(session), target)
    if target.suffix.lower() == ".qdc":
        from thematic_workbench.core.queries.refi_export import read_frame
        from thematic_workbench.io.refi.qdc import write_qdc

        write_qdc(read_frame(session), target)
        return ()
    from thematic_workbench.analysis.codebook import build_codebook
    from thematic_workbench.io.codebook_files import write_codebook

    return write_codebook(build_codebook(session), target)


def _extracts(session: Session, target: Path, options: ExportOptions) -> str:
    from thematic_workbench.analysis.extracts_report import build_extracts_report
    from thematic_workbench.io.extracts_docx import write_extracts_report

    report = build_extracts_report(session, options.extracts_per_code)
    figure = None
    if options.embed_map:
        from thematic_workbench.analysis.map_layouts import read_map
        from thematic_workbench.io.theme_map_figure import theme_map_png

        figure = theme_map_png(*read_map(session, False, None))
    write_extracts_report(report, target, figure)
    limit = "all extracts" if options.extracts_per_code is None else \
        f"up to {plural(options.extracts_per_code, 'extract')} per code"
    return limit + (", with the map of themes" if options.embed_map else "")


def _segments(session: Session, target: Path, chosen: SegmentFilter) -> str:
    from thematic_workbench.analysis.coded_segments import coded_segments, describe
    from thematic_workbench.core.services.design import project_theme_words
    from thematic_workbench.io.segments_files import write_segments

    rows = coded_segments(session, chosen)
    return plural(write_segments(rows, target, describe(chosen), project_theme_words(session)),
                  "row", grouped=False)


def read_codebook_file(path: str | Path) -> CodebookPlan:
    """Read a codebook file (.qdc, .csv, .xlsx) into a plan; nothing is stored."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CODEBOOK_FORMATS:
        raise WorkbenchError(f"{path.name}: a codebook is read from "
                             f"{', '.join(CODEBOOK_FORMATS)}, not '{suffix or 'no extension'}'")
    if not path.is_file():
        raise WorkbenchError(f"{path}: no such file")
    from thematic_workbench.io.codebook_files import read_codebook

    return read_codebook(path)


def import_codebook_file(store: ProjectStore, coder: str, path: str | Path,
                         plan: CodebookPlan | None = None) -> CodebookImport:
    """Read a codebook (unless ``plan`` is the one already read, and confirmed by the user)
    and store it in one transaction: all of it, or nothing."""
    from thematic_workbench.core.services.codebook_import import import_codebook

    plan = plan if plan is not None else read_codebook_file(path)
    with store.transaction(coder) as tx:
        return import_codebook(tx, plan)


def import_lines(summary: ProjectImport) -> list[str]:
    """What a project import tells beside its counts, one line each: what was not carried
    across (``note``), what was stored as another kind of thing, what broke the schema."""
    report = ExchangeReport(recast=tuple(summary.recast),
                            off_standard=tuple(summary.off_standard))
    return [*(f"note: {note}" for note in summary.notes), *report.lines()]


def import_project_file(source: str | Path, project: str | Path, coder: str,
                        allow_outside: bool | None = None) -> ProjectImport:
    """A new project made from a REFI-QDA .qdpx; on any failure no project file is left.
    Text in local files outside the archive: see ``read_qdpx``'s ``allow_outside``."""
    from thematic_workbench.core.services.project_import import import_project
    from thematic_workbench.io.refi.qdpx_read import read_qdpx

    source, project = Path(source), Path(project)
    if source.suffix.lower() != ".qdpx":
        raise WorkbenchError(f"{source.name}: a REFI-QDA project is a .qdpx file")
    if not source.is_file():
        raise WorkbenchError(f"{source}: no such file")
    if project.suffix == "":
        project = project.with_suffix(".thematic")
    if project.exists():
        raise ProjectError(f"{project}: already exists; a .qdpx is imported into a new project")
    exchanged = read_qdpx(source, allow_outside)
    store = ProjectStore.create(project, exchanged.name or source.stem, coder=coder)
    try:
        with store.transaction(coder) as tx:
            summary = import_project(tx, exchanged)
    except BaseException:
        store.close()
        for leftover in (project, Path(f"{project}-wal"), Path(f"{project}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    store.close()
    return summary
