"""Coded transcripts out of the window, as a PDF or on a printer, off the GUI thread.

Both take the pages ``io.transcript_pdf`` draws: the PDF is written by ``app.exchange``'s
export, and a printer gets each page as an image at its resolution (300 dpi at most) painted
over the whole sheet, so that the printed pages are the PDF's. Qt lets a worker thread paint
on a ``QPrinter``, so the window stays free while a long print is prepared. Asking for the
file and the printer goes through :meth:`TranscriptPrinter.ask_target` and
:meth:`TranscriptPrinter.ask_printer`, so tests answer them without native dialogs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRectF, QSettings
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from thematic_workbench.app.exchange import ExportOptions, ExportResult, export
from thematic_workbench.app.printing import (
    TranscriptChoice,
    page_images,
    read_printed,
    what_printed,
)
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.banner import tell_window
from thematic_workbench.gui.common.workers import Job, JobControl
from thematic_workbench.gui.session import ProjectSession

if TYPE_CHECKING:
    from thematic_workbench.io.transcript_pdf import PageImage

FOLDER_KEY = "exchange/folder"  # the folder every export starts in, shared with the others
PRINT_DPI = 300  # enough for 8 pt text; a 1200 dpi page image would be half a gigabyte


class TranscriptPrinter(QObject):
    """Writes the chosen transcripts as a PDF or prints them, and says what it did."""

    def __init__(self, session: ProjectSession, parent: QWidget,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.widget = parent
        self.settings = settings
        self.jobs: list[Job] = []
        self.last_message = ""  # for tests and the status line

    # -- asking --------------------------------------------------------------------------
    def _settings(self) -> QSettings:
        return self.settings or getattr(self.widget.window(), "settings", None) or QSettings()

    def ask_target(self, suggested: str) -> Path | None:
        """The PDF to write; ``.pdf`` is added to a name typed without it."""
        folder = str(self._settings().value(FOLDER_KEY, str(Path.home())))
        name, _chosen = QFileDialog.getSaveFileName(
            self.widget, "Save the transcripts as PDF", str(Path(folder) / f"{suggested}.pdf"),
            "PDF (*.pdf)")
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self._settings().setValue(FOLDER_KEY, str(path.parent))
        return path

    def ask_printer(self, title: str) -> QPrinter | None:
        """The printer and its settings, chosen in the system's print dialog."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, self.widget)
        dialog.setWindowTitle("Print transcripts")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    # -- doing ---------------------------------------------------------------------------
    def save_pdf(self, choice: TranscriptChoice, suggested: str) -> Job | None:
        target = self.ask_target(suggested)
        if target is None:
            return None
        store = self.session.store
        options = ExportOptions(transcripts=choice)
        return self._run(lambda _control: export(store, "transcript", target, options),
                         _said, "Saving the transcripts")

    def print(self, choice: TranscriptChoice, title: str) -> Job | None:
        printer = self.ask_printer(title)
        if printer is None:
            return None
        store = self.session.store

        def work(control: JobControl) -> str:
            report = read_printed(store, choice)
            pages = paint_pages(printer, page_images(report, min(printer.resolution(),
                                                                 PRINT_DPI)), control)
            if control.cancelled:
                return "Printing cancelled; nothing was sent to the printer."
            return (f"Sent {what_printed(report)} to {printer.printerName() or 'the printer'} "
                    f"({plural(pages, 'page')}, {plural(report.codings, 'coding')} shown).")

        return self._run(work, str, "Printing the transcripts")

    def _run(self, work: Callable[[JobControl], Any], say: Callable[[Any], str],
             title: str) -> Job:
        job = Job(work, self)
        self.jobs.append(job)

        def finished(result: Any) -> None:
            self.jobs.remove(job)
            self.last_message = say(result)
            self.tell(self.last_message)

        def failed(message: str) -> None:
            self.jobs.remove(job)
            self.last_message = message
            QMessageBox.warning(self.widget.window(), title, message)

        job.finished.connect(finished)
        job.failed.connect(failed)
        self.tell(f"{title}…")
        job.start()
        return job

    def tell(self, text: str) -> None:
        """On the notice strip of the main window (the one under a dialog, too)."""
        tell_window(self.widget, text)


def _said(result: ExportResult) -> str:
    return result.message[:1].upper() + result.message[1:] + "."


def paint_pages(printer: QPrinter, images: Iterable[PageImage], control: JobControl) -> int:
    """Paint each page image over the whole sheet (scaled to fit, centred, should the
    paper not be A4); returns how many pages were painted."""
    printer.setFullPage(True)  # the images carry the page's own margins
    painter = QPainter()
    if not painter.begin(printer):
        raise WorkbenchError("the printer could not be started; check that it is ready")
    painted = 0
    try:
        sheet = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
        for image in images:
            if control.cancelled:
                printer.abort()
                break
            if painted:
                printer.newPage()
            picture = QImage(image.rgba, image.width, image.height, image.width * 4,
                             QImage.Format.Format_RGBA8888)
            scale = min(sheet.width() / image.width, sheet.height() / image.height)
            width, height = image.width * scale, image.height * scale
            painter.drawImage(QRectF(sheet.x() + (sheet.width() - width) / 2,
                                     sheet.y() + (sheet.height() - height) / 2,
                                     width, height), picture)
            painted += 1
            control.progress(image.number, image.count, "")
    finally:
        painter.end()
    return painted
