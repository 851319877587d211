"""The File menu's exports and exchange imports: ask for the file, run the job off the GUI
thread, and say plainly what was written, what was left out and what could not be carried.

Asking for files and confirming go through small methods (``ask_target``, ``ask_source``,
``confirm``) so tests can answer them without native dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from thematic_workbench.app.exchange import (
    EXPORT_FORMATS,
    EXPORT_NAMES,
    ExportOptions,
    ExportResult,
    export,
    import_codebook_file,
    import_lines,
    import_project_file,
    read_codebook_file,
)
from thematic_workbench.core.changes import Change
from thematic_workbench.core.records.refi import OutsideFile
from thematic_workbench.core.services.merge import merge_into
from thematic_workbench.core.services.merge_report import MergeReport
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.level_words import read_theme_words
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.io.refi.qdpx_read import outside_files

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction

    from thematic_workbench.core.services.project_result import ProjectImport
    from thematic_workbench.gui.common.banner import Banner
    from thematic_workbench.gui.exchange.print_dialog import PrintDialog
    from thematic_workbench.gui.map.export_preview import MapExportPreview
    from thematic_workbench.gui.session import ProjectSession

FILTERS = {".docx": "Word document (*.docx)", ".csv": "CSV, UTF-8 (*.csv)",
           ".xlsx": "Excel workbook (*.xlsx)", ".qdc": "REFI-QDA codebook (*.qdc)",
           ".qdpx": "REFI-QDA project (*.qdpx)", ".png": "PNG image, 300 dpi (*.png)",
           ".svg": "SVG drawing (*.svg)", ".pdf": "PDF (*.pdf)"}
DEFAULT_NAMES = {"table1": "Table 1", "extracts": "Extracts report", "codebook": "Codebook",
                 "project": "Project", "diary": "Reflective diary", "audit": "Audit trail",
                 "map": "Figure 1 Map of themes", "methods": "Methods appendix"}
EXPORT_KEYS = ("table1", "export_extracts", "export_codebook", "export_project",
               "export_diary", "export_audit", "export_map", "export_segments",
               "export_methods",
               "print_transcripts", "export_transcripts")
IMPORT_KEYS = ("import_codebook", "import_project", "merge_project")
_LISTED = 12  # outside files named in the question; the rest are counted


class ExchangeHost(Protocol):
    """What the controller needs of the main window (which passes itself), so this module
    does not import the window that imports it."""

    settings: QSettings
    actions_by_key: dict[str, QAction]
    notice: Banner
    coder: str
    session: ProjectSession | None

    def open_project(self, path: str | Path) -> bool: ...


class ExchangeController(QObject):
    def __init__(self, window: ExchangeHost, dialogs_parent: QWidget) -> None:
        super().__init__(dialogs_parent)
        self.window = window
        self.dialogs_parent = dialogs_parent  # the main window itself
        self.settings = window.settings  # the test's own settings in tests
        self.jobs: list[Job] = []  # running jobs, kept alive until they end
        self.last_result: Any = None  # for tests and the status line
        self.last_lines: list[str] = []  # the last exchange's remarks, as shown
        self.map_preview: MapExportPreview | None = None  # the figure shown before writing
        self.print_dialog: PrintDialog | None = None  # the last one opened

    def handlers(self) -> dict[str, Callable[[], object]]:
        return {"table1": self.table1, "export_extracts": self.extracts,
                "export_codebook": lambda: self.export_to("codebook"),
                "export_project": self.project,
                "export_diary": lambda: self.export_to("diary"),
                "export_audit": lambda: self.export_to("audit"),
                "export_methods": lambda: self.export_to("methods"),
                "export_map": self.map_figure, "export_segments": self.segments,
                "import_codebook": self.import_codebook, "import_project": self.import_project,
                "merge_project": self.merge_project,
                "print_transcripts": lambda: self.print_transcripts(),
                "export_transcripts": lambda: self.print_transcripts(pdf=True)}

    def update_enabled(self, has_project: bool, writable: bool) -> None:
        actions = self.window.actions_by_key
        for key in EXPORT_KEYS:
            actions[key].setEnabled(has_project)
        actions["import_codebook"].setEnabled(writable)
        actions["merge_project"].setEnabled(writable)

    # -- asking --------------------------------------------------------------------------
    def _folder(self) -> str:
        return str(self.settings.value("exchange/folder", str(Path.home())))

    def ask_target(self, kind: str) -> Path | None:
        """Where to write; the extension follows the chosen file type when none is typed."""
        formats = EXPORT_FORMATS[kind]
        filters = ";;".join(FILTERS[suffix] for suffix in formats)
        start = str(Path(self._folder()) / f"{DEFAULT_NAMES[kind]}{formats[0]}")
        name, chosen = QFileDialog.getSaveFileName(
            self.dialogs_parent, f"Export {EXPORT_NAMES[kind]}", start, filters)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in formats:
            suffix = next((s for s in formats if FILTERS[s] == chosen), formats[0])
            path = path.with_name(path.name + suffix)
        self.settings.setValue("exchange/folder", str(path.parent))
        return path

    def ask_source(self, title: str, filters: str) -> Path | None:
        name, _chosen = QFileDialog.getOpenFileName(self.dialogs_parent, title, self._folder(),
                                                    filters)
        return Path(name) if name else None

    def ask_new_project(self, suggested: str) -> Path | None:
        name, _chosen = QFileDialog.getSaveFileName(
            self.dialogs_parent, "New project from the REFI-QDA project",
            str(Path(self._folder()) / f"{suggested}.thematic"), "Thematic projects (*.thematic)")
        return Path(name) if name else None

    def confirm(self, title: str, text: str, details: list[str], button: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.dialogs_parent)
        if details:
            box.setInformativeText("\n".join(f"• {line}" for line in details))
        go = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is go

    def tell(self, text: str, notes: tuple[str, ...] | list[str] = ()) -> None:
        self.window.notice.show_message(text if not notes else f"{text} {' '.join(notes)}")

    def show_lines(self, title: str, text: str, lines: list[str]) -> None:
        """What an exchange could not carry, re-cast or read against its schema, one line
        each, in a box that does not stop the window (the same lines the command line
        prints)."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.dialogs_parent)
        shown = lines[:_LISTED]
        more = f"\n… and {len(lines) - len(shown)} more (Show Details)" \
            if len(lines) > len(shown) else ""
        box.setInformativeText("\n".join(f"• {line}" for line in shown) + more)
        box.setDetailedText("\n".join(lines))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_lines = lines
        box.open()

    def fail(self, title: str, message: str) -> None:
        QMessageBox.warning(self.dialogs_parent, title, message)

    # -- running -------------------------------------------------------------------------
    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], title: str) -> Job:
        job = Job(lambda _control: work(), self)
        self.jobs.append(job)

        def finished(result: Any) -> None:
            self.jobs.remove(job)
            self.last_result = result
            done(result)

        def failed(message: str) -> None:
            self.jobs.remove(job)
            self.fail(title, message)

        job.finished.connect(finished)
        job.failed.connect(failed)
        self.window.notice.show_message(f"{title}…")
        job.start()
        return job

    def export_to(self, kind: str, options: ExportOptions | None = None) -> Job | None:
        session = self.window.session
        if session is None:
            return None
        target = self.ask_target(kind)
        if target is None:
            return None
        store = session.store

        def done(result: ExportResult) -> None:
            self.tell(result.message[:1].upper() + result.message[1:] + ".", result.notes)

        return self._run(lambda: export(store, kind, target, options), done,
                         f"Exporting {EXPORT_NAMES[kind]}")

    # -- exports with something to choose first -----------------------------------------
    def map_figure(self) -> None:
        """The map of themes: ask where, show the figure as it will be written, write it on
        Save (on the worker, like every export)."""
        session = self.window.session
        if session is None:
            return
        target = self.ask_target("map")
        if target is None:
            return
        from thematic_workbench.gui.map.export_preview import FigureChoice, MapExportPreview

        if self.map_preview is not None and not self.map_preview.busy:
            self.map_preview.deleteLater()
        preview = MapExportPreview(session.store, target, FigureChoice(), self.dialogs_parent)
        self.map_preview = preview

        def save() -> None:
            self._run(preview.write_work(), lambda path: self.tell(
                f"Wrote the map of themes to {path}."), "Exporting the map of themes")

        preview.accepted.connect(save)
        preview.open()

    def print_transcripts(self, document_id: int | None = None,
                          pdf: bool = False) -> PrintDialog | None:
        """The print dialog, with ``document_id`` (else the transcript open) ticked."""
        session = self.window.session
        if session is None:
            return None
        from thematic_workbench.gui.exchange.print_dialog import PrintDialog

        if document_id is None:
            transcript = getattr(self.window, "transcript", None)
            document_id = getattr(transcript, "current_document_id", None)
        dialog = PrintDialog(session, document_id, self.dialogs_parent, pdf, self.settings)
        self.print_dialog = dialog
        dialog.open()
        return dialog

    def table1(self) -> None:
        if self.window.session is None:
            return
        from thematic_workbench.gui.exchange.table1_dialog import Table1Dialog

        dialog = Table1Dialog(self.window.session, lambda options: self.export_to(
            "table1", ExportOptions(table1=options)), self.dialogs_parent)
        dialog.exec()

    def segments(self) -> None:
        if self.window.session is None:
            return
        from thematic_workbench.gui.exchange.segments_dialog import SegmentsDialog

        SegmentsDialog(self.window.session, self.dialogs_parent, self.settings).exec()

    def extracts(self) -> None:
        if self.window.session is None:
            return
        from thematic_workbench.gui.exchange.extracts_options import ask_extracts_options

        options = ask_extracts_options(self.dialogs_parent,
                                       read_theme_words(self.window.session))
        if options is not None:
            self.export_to("extracts", options)

    def project(self) -> None:
        session = self.window.session
        if session is None:
            return
        from thematic_workbench.core.queries.refi_export import export_facts
        from thematic_workbench.io.refi.qdpx_losses import export_report

        with session.read() as read:
            facts = export_facts(read)
        told = export_report(facts).lines()  # in the words the command line prints
        if told and not self.confirm(
                "Export a REFI-QDA project",
                "Other programs will get the transcripts, codes, themes (as code groups and "
                "sets), codings, the diary and margin notes. What cannot be carried across, "
                "and what travels in another form:", told, "Export…"):
            return
        self.export_to("project")

    # -- imports -------------------------------------------------------------------------
    def import_codebook(self) -> None:
        session = self.window.session
        if session is None or session.readonly:
            return
        filters = "Codebooks (*.qdc *.csv *.xlsx);;REFI-QDA codebook (*.qdc);;CSV (*.csv);;" \
                  "Excel workbook (*.xlsx)"
        source = self.ask_source("Import a codebook", filters)
        if source is None:
            return
        try:
            plan = read_codebook_file(source)
        except Exception as error:  # WorkbenchError names the file; anything else too
            self.fail("Cannot import the codebook", str(error))
            return
        finals = sum(1 for t in plan.themes if t.level == "final")
        words = read_theme_words(session)
        summary = (f"{source.name} holds {plural(len(plan.codes), 'code')}, "
                   f"{plural(len(plan.themes) - finals, words.theme('emerging'))} and "
                   f"{plural(finals, words.theme('final'))}. "
                   "Codes and themes whose names exist already are reused.")
        if not self.confirm("Import a codebook", summary, list(plan.notes), "Import"):
            return
        store, coder = session.store, session.coder

        def done(result: Any) -> None:
            session.announce(result.change, "codebook import")
            self.tell(result.describe()[:1].upper() + result.describe()[1:] + ".",
                      list(result.notes))

        self._run(lambda: import_codebook_file(store, coder, source, plan), done,
                  f"Importing {source.name}")

    def merge_project(self) -> None:
        """Merge a copy coded apart into the open project, then show the merge report."""
        session = self.window.session
        if session is None or session.readonly:
            return
        source = self.ask_source("Merge another project", "Thematic projects (*.thematic)")
        if source is None:
            return
        if not self.confirm(
                "Merge another project",
                f"Bring into {session.store.name} what {source.name} holds that it lacks?",
                ["transcripts are matched by their text, codes and themes by their "
                 "identifiers and then by name, coders by name",
                 "where the two differ, this project's version is kept and the report "
                 "lists the difference",
                 f"{source.name} is only read; its audit trail is kept beside this "
                 "project's", "a merge cannot be undone; running it again adds nothing"],
                "Merge"):
            return
        store, coder = session.store, session.coder

        def done(result: tuple[MergeReport, Change]) -> None:
            report, change = result
            if not change.empty:
                session.announce(change, "merge")
            lines = report.lines()
            if not report.nothing_new:
                lines.append("the Agreement tab can now compare the coders of both projects")
            headline = lines[0][:1].upper() + lines[0][1:] + "."
            self.tell(headline)
            self.show_lines("Merge report", headline, lines[1:])

        self._run(lambda: merge_into(store, source, coder), done, f"Merging {source.name}")

    def import_project(self) -> None:
        source = self.ask_source("Import a REFI-QDA project", FILTERS[".qdpx"])
        if source is None:
            return
        target = self.ask_new_project(source.stem)
        if target is None:
            return
        if target.suffix != ".thematic":
            target = target.with_name(target.name + ".thematic")
        coder = self.window.coder

        def done(summary: ProjectImport) -> None:
            if self.window.open_project(target):
                lines = import_lines(summary)
                self.tell(summary.describe() if not lines else
                          f"{summary.describe()} Some of it was not carried across as it "
                          "was; the list is open.")
                if lines:
                    self.show_lines(f"Imported {source.name}", summary.describe(), lines)

        def checked(found: tuple[OutsideFile, ...]) -> None:
            allow = self.ask_outside(source, found) if found else False
            if allow is not None:
                self._run(lambda: import_project_file(source, target, coder, allow), done,
                          f"Importing {source.name}")

        # First which local files outside the archive it would read: they are asked about.
        self._run(lambda: outside_files(source), checked, f"Reading {source.name}")

    def ask_outside(self, source: Path, found: tuple[OutsideFile, ...]) -> bool | None:
        """Whether to read the local files a shared .qdpx points at: Yes reads them, No
        leaves those sources out (the result says so), Cancel imports nothing."""
        many = len(found) != 1
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Files outside the archive",
            f"{source.name} points at {plural(len(found), 'file', grouped=False)} on this "
            f"computer, outside the archive. Read {'them' if many else 'it'} into the new "
            f"project?", parent=self.dialogs_parent)
        listed = [f"• {item.describe()}" for item in found[:_LISTED]]
        if len(found) > _LISTED:
            listed.append(f"• and {plural(len(found) - _LISTED, 'more file', grouped=False)}")
        them = "them" if many else "it"
        box.setInformativeText("\n".join(listed) + f"\n\nYes reads {them}; No imports the "
                               f"project without {them}; Cancel imports nothing.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        answer = box.standardButton(box.clickedButton())
        if answer == QMessageBox.StandardButton.Cancel:
            return None
        return answer == QMessageBox.StandardButton.Yes

