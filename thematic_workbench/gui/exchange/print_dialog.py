"""File → Print transcripts… and Transcripts as PDF…: which transcripts, whose codings of
which codes, then Print… or Save as PDF….

The transcript open in the window comes ticked. Ticking no code prints every code; the
coder chosen narrows the codings, memos and margin notes to that coder's. The dialog closes
once the print or the PDF is under way (on the worker: :class:`TranscriptPrinter`); it stays
open if the printer or the file is not chosen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.app.printing import TranscriptChoice
from thematic_workbench.core.queries.project import (
    code_summaries,
    coders_who_coded,
    document_summaries,
)
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.colours import plain_swatch
from thematic_workbench.gui.common.workers import Job
from thematic_workbench.gui.exchange.transcript_printing import TranscriptPrinter
from thematic_workbench.gui.session import ProjectSession

EVERYONE = ""  # the coder chooser's "every coder"


class PrintDialog(QDialog):
    """Choose transcripts and filters; ``pdf`` makes Save as PDF… the default button."""

    def __init__(self, session: ProjectSession, current: int | None, parent: QWidget,
                 pdf: bool = False, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_dialog")
        self.setWindowTitle("Transcripts as PDF" if pdf else "Print transcripts")
        self.printer = TranscriptPrinter(session, parent, settings)
        with session.read() as read:
            documents = document_summaries(read)
            codes = code_summaries(read)
            coders = coders_who_coded(read)
        about = QLabel("Each transcript with its line numbers and speakers, coding stripes "
                       "with the codes' names beside them, and margin notes and coding "
                       "memos as numbered notes at the foot of the page. A4, a transcript "
                       "to a new page.")
        about.setWordWrap(True)
        self.transcripts = _checklist("transcripts")
        for summary in documents:
            shown = summary.name if not summary.participant or summary.participant in \
                summary.name else f"{summary.name} ({summary.participant})"
            item = QListWidgetItem(f"{shown}  ·  {plural(summary.codings, 'coding')}")
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setCheckState(Qt.CheckState.Checked if summary.id == current
                               else Qt.CheckState.Unchecked)
            self.transcripts.addItem(item)
        self.codes = _checklist("codes")
        for code in codes:
            item = QListWidgetItem(QIcon(plain_swatch(code.colour)), code.name)
            item.setData(Qt.ItemDataRole.UserRole, code.name)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.codes.addItem(item)
        self.coder = QComboBox()
        self.coder.setObjectName("print_coder")
        self.coder.addItem("Every coder", EVERYONE)
        for name in coders:
            self.coder.addItem(name, name)
        self.count = QLabel()
        self.count.setObjectName("print_count")

        every = QPushButton("&All")
        every.setToolTip("Tick every transcript")
        every.clicked.connect(lambda: _tick_all(self.transcripts, True))
        none = QPushButton("&None")
        none.clicked.connect(lambda: _tick_all(self.transcripts, False))
        ticks = QHBoxLayout()
        ticks.addWidget(every)
        ticks.addWidget(none)
        ticks.addStretch(1)
        ticks.addWidget(self.count)

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.pdf_button = buttons.addButton("Save as P&DF…",
                                            QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_pages)
        self.pdf_button.clicked.connect(self.save_pdf)
        self._default = self.pdf_button if pdf else self.print_button

        form = QFormLayout()
        form.addRow("&Transcripts:", self.transcripts)
        form.addRow("", _wrapped(ticks))
        form.addRow("C&odes:", self.codes)
        form.addRow("", QLabel("None ticked: every code"))
        form.addRow("Coded &by:", self.coder)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.transcripts.itemChanged.connect(self.refresh)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._default.setDefault(True)  # after the button box has chosen its own

    def chosen(self) -> TranscriptChoice:
        """The transcripts ticked, in the list's order, and the filters set."""
        coder = self.coder.currentData()
        return TranscriptChoice(tuple(_ticked(self.transcripts)), tuple(_ticked(self.codes)),
                                (coder,) if coder else ())

    def refresh(self) -> None:
        ticked = len(_ticked(self.transcripts))
        self.count.setText(f"{plural(ticked, 'transcript')} ticked")
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(ticked > 0)
            button.setToolTip("" if ticked else "Tick at least one transcript")

    def _suggested(self) -> str:
        names = [item.text().split("  ·  ")[0] for item in _items(self.transcripts)
                 if item.checkState() == Qt.CheckState.Checked]
        return names[0] if len(names) == 1 else "Coded transcripts"

    def save_pdf(self) -> Job | None:
        job = self.printer.save_pdf(self.chosen(), self._suggested())
        if job is not None:
            self.accept()
        return job

    def print_pages(self) -> Job | None:
        job = self.printer.print(self.chosen(), self._suggested())
        if job is not None:
            self.accept()
        return job


def _checklist(name: str) -> QListWidget:
    view = QListWidget()
    view.setObjectName(f"print_{name}")
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setMinimumHeight(110)
    return view


def _items(view: QListWidget) -> list[QListWidgetItem]:
    return [view.item(row) for row in range(view.count())]


def _ticked(view: QListWidget) -> list[Any]:
    return [item.data(Qt.ItemDataRole.UserRole) for item in _items(view)
            if item.checkState() == Qt.CheckState.Checked]


def _tick_all(view: QListWidget, on: bool) -> None:
    for item in _items(view):
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def _wrapped(layout: QHBoxLayout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
