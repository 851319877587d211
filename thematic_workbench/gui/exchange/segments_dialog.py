"""Coded segments out of the window: File → Export → Coded segments… (a dialog with the
filters and how many segments they give) and "Export these extracts…" on an extracts list.

Either way the user names a file, whose extension sets the format (CSV, Excel, Word), and
the file is written on the database worker (``exchange.export``), the window staying free;
a notice says what was written where. Asking for the file goes through
:meth:`SegmentsExporter.ask_target`, so tests answer it without a native dialog.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.analysis.coded_segments import (
    SegmentChoices,
    SegmentFilter,
    count_segments,
    segment_choices,
)
from thematic_workbench.app.exchange import EXPORT_FORMATS, ExportOptions, ExportResult, export
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.banner import tell_window
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.gui.session import ProjectSession

KIND = "segments"
FILTERS = {".csv": "CSV, UTF-8 (*.csv)", ".xlsx": "Excel workbook (*.xlsx)",
           ".docx": "Word table (*.docx)"}
FOLDER_KEY = "exchange/folder"  # the folder every export starts in, shared with the others
ANY = ""  # a chooser's "any" entry


class SegmentsExporter(QObject):
    """Asks where, writes on the worker, and tells the window what was written."""

    def __init__(self, session: ProjectSession, parent: QWidget,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.widget = parent
        self.settings = settings  # None: the window's (a test's own in tests)
        self.jobs: list[Job] = []
        self.last_result: ExportResult | None = None  # for tests and the status line

    def ask_target(self, suggested: str = "Coded segments") -> Path | None:
        """The file to write; a name typed without an extension gets the chosen type's."""
        settings = self.settings or getattr(self.widget.window(), "settings", None) \
            or QSettings()
        folder = str(settings.value(FOLDER_KEY, str(Path.home())))
        formats = EXPORT_FORMATS[KIND]
        name, chosen = QFileDialog.getSaveFileName(
            self.widget, "Export coded segments", str(Path(folder) / f"{suggested}.csv"),
            ";;".join(FILTERS[suffix] for suffix in formats))
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in formats:
            suffix = next((s for s in formats if FILTERS[s] == chosen), formats[0])
            path = path.with_name(path.name + suffix)
        settings.setValue(FOLDER_KEY, str(path.parent))
        return path

    def export(self, chosen: SegmentFilter, suggested: str = "Coded segments") -> Job | None:
        """Ask for the file, then write the chosen segments to it off the GUI thread."""
        target = self.ask_target(suggested)
        if target is None:
            return None
        store = self.session.store
        job = Job(lambda _control: export(store, KIND, target,
                                          ExportOptions(segments=chosen)), self)
        self.jobs.append(job)
        job.finished.connect(lambda result: self._done(job, result))
        job.failed.connect(lambda message: self._failed(job, message))
        self.tell("Exporting the coded segments…")
        job.start()
        return job

    def _done(self, job: Job, result: ExportResult) -> None:
        self.jobs.remove(job)
        self.last_result = result
        self.tell(result.message[:1].upper() + result.message[1:] + ".")

    def _failed(self, job: Job, message: str) -> None:
        self.jobs.remove(job)
        QMessageBox.warning(self.widget.window(), "Export coded segments", message)

    def tell(self, text: str) -> None:
        """On the notice strip of the main window (the one under a dialog, too)."""
        tell_window(self.widget, text)

    def export_codings(self, coding_ids: Collection[int]) -> Job | None:
        """"Export these extracts…": exactly the codings of a list."""
        return self.export(SegmentFilter(coding_ids=frozenset(coding_ids)), "Extracts")


class SegmentsDialog(QDialog):
    """The filters, the number of segments they give, and Export…; the dialog stays open
    after an export so another choice can follow."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export coded segments")
        self.setObjectName("segments_dialog")
        self.session = session
        self.exporter = SegmentsExporter(session, self, settings)
        with session.read() as read:
            choices = segment_choices(read)
            words = project_theme_words(read)
        self.code = self._chooser("Any code", [(name, name) for name in choices.codes])
        self.theme = self._chooser("Any theme", [(f"{name} ({words.word(level)})", name)
                                                 for name, level in choices.themes])
        self.participant = self._chooser("Anyone", [(label, label)
                                                    for label in choices.participants])
        self.attribute = self._attribute_chooser(choices)
        self.theme.setToolTip(f"A {words.theme('final')} gives the codings of its "
                              f"{words.themes('emerging')}' codes too")
        self.participant.setToolTip("Who said the passage: in a focus group, the participant "
                                    "the speaker is mapped to")
        about = QLabel("One row per coding: participant, document, lines, speaker, code, its "
                       "themes, coder, memo and the words, without speaker labels. The file "
                       "type sets the format: CSV or Excel for every column, Word for a "
                       "table to read.")
        about.setWordWrap(True)
        self.count = QLabel()
        self.count.setObjectName("segments_count")
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export…",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setToolTip("Write these segments as CSV, Excel or a Word table")
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export)
        form = QFormLayout()
        form.addRow("&Code:", self.code)
        form.addRow("&Theme:", self.theme)
        form.addRow("&Participant:", self.participant)
        form.addRow("&Attribute value:", self.attribute)
        form.addRow("", self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        for chooser in (self.code, self.theme, self.participant, self.attribute):
            chooser.currentIndexChanged.connect(self.refresh)
        self.refresh()

    @staticmethod
    def _chooser(anything: str, entries: list[tuple[str, object]]) -> QComboBox:
        box = QComboBox()
        box.addItem(anything, ANY)
        for text, value in entries:
            box.addItem(text, value)
        box.setMaxVisibleItems(20)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(28)
        return box

    def _attribute_chooser(self, choices: SegmentChoices) -> QComboBox:
        box = self._chooser("Any value", [(f"{name}: {value}", (name, value))
                                          for name, value in choices.attribute_values])
        if not choices.attribute_values:
            box.setToolTip("No participant has an attribute value yet")
            box.setEnabled(False)
        return box

    def chosen(self) -> SegmentFilter:
        """The filters as set: one value each, or none."""
        code, theme, label = (box.currentData() for box in
                              (self.code, self.theme, self.participant))
        attribute = self.attribute.currentData()
        return SegmentFilter(codes=(code,) if code else (), themes=(theme,) if theme else (),
                             participants=(label,) if label else (),
                             attributes=(tuple(attribute),) if attribute else ())

    def refresh(self) -> None:
        """Count what the filters give (a count, not the rows: quick on any project)."""
        try:
            with self.session.read() as read:
                count = count_segments(read, self.chosen())
        except WorkbenchError as error:  # a name renamed away meanwhile
            self.count.setText(str(error))
            self.export_button.setEnabled(False)
            return
        self.count.setText(f"<b>{plural(count, 'segment')}</b>")
        self.export_button.setEnabled(count > 0)

    def export(self) -> Job | None:
        return self.exporter.export(self.chosen())
