"""Printing transcripts from the window: the dialog writes one PDF with the transcripts
ticked, prints the same pages to a printer (a PDF printer here, so no real one is needed),
and is reached from the File menu, Ctrl+P and the transcript's context menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.gui.window_helpers import open_window
from thematic_workbench.app.demo import build_demo
from thematic_workbench.gui.exchange.print_dialog import PrintDialog
from thematic_workbench.gui.transcript.context_menu import build_menu
from thematic_workbench.gui.window.main_window import MainWindow


@pytest.fixture
def demo_window(qtbot: QtBot, settings: QSettings, tmp_path: Path) -> MainWindow:
    return open_window(qtbot, settings, build_demo(tmp_path / "demo.thematic"), "alice")


def _document_ids(window: MainWindow) -> dict[str, int]:
    from thematic_workbench.core.queries.project import document_summaries

    assert window.session is not None
    with window.session.read() as read:
        return {summary.name: summary.id for summary in document_summaries(read)}


def _tick(dialog: PrintDialog, name: str) -> None:
    for row in range(dialog.transcripts.count()):
        item = dialog.transcripts.item(row)
        if item.text().startswith(name):
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"{name} is not listed")


def _finish(qtbot: QtBot, dialog: PrintDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.printer.jobs, timeout=60_000)


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages)
                    .split())


def test_two_transcripts_ticked_make_one_pdf(demo_window: MainWindow, qtbot: QtBot,
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             screenshot) -> None:
    ids = _document_ids(demo_window)
    demo_window.open_document(ids["PB-probation-counsellor"])
    dialog = demo_window.exchange.print_transcripts(pdf=True)
    assert isinstance(dialog, PrintDialog)
    qtbot.addWidget(dialog)
    assert dialog.chosen().documents == (ids["PB-probation-counsellor"],)  # the open one
    assert dialog.pdf_button.isDefault()
    screenshot(dialog, "print-transcripts-dialog")
    _tick(dialog, "PD-art-therapist")
    assert dialog.count.text() == "2 transcripts ticked"
    target = tmp_path / "Supervision pack.pdf"
    asked: list[str] = []

    def save_name(parent: object, caption: str, start: str, filters: str) -> tuple[str, str]:
        asked.append(Path(start).name)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    assert dialog.save_pdf() is not None
    _finish(qtbot, dialog)
    assert asked == ["Coded transcripts.pdf"]
    text = _text(target)
    assert "PB-probation-counsellor" in text and "PD-art-therapist" in text
    assert text.index("PB-probation-counsellor") < text.index("PD-art-therapist")
    pages = len(PdfReader(str(target)).pages)
    assert f"Page {pages} of {pages}" in text
    assert "Wrote PB-probation-counsellor and PD-art-therapist to" in \
        dialog.printer.last_message
    assert demo_window.notice.isVisible()


def test_printing_paints_the_pdfs_pages_on_the_printer(demo_window: MainWindow,
                                                       qtbot: QtBot, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _document_ids(demo_window)
    dialog = PrintDialog(demo_window.session, ids["PC-nurse-therapist"], demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.codes.item(0).setCheckState(Qt.CheckState.Checked)  # one code only
    code = dialog.codes.item(0).text()
    assert dialog.chosen().codes == (code,) and dialog.print_button.isDefault()
    printed = tmp_path / "printed.pdf"

    def pdf_printer(title: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(100)  # small page images: a quick test
        assert title == "PC-nurse-therapist"
        return printer

    monkeypatch.setattr(dialog.printer, "ask_printer", pdf_printer)
    assert dialog.print_pages() is not None
    _finish(qtbot, dialog)
    assert dialog.printer.last_message.startswith("Sent PC-nurse-therapist to")
    reader = PdfReader(str(printed))
    direct = tmp_path / "direct.pdf"
    from thematic_workbench.app.printing import TranscriptChoice, export_transcripts

    assert demo_window.session is not None
    _message, _report, pages = export_transcripts(
        demo_window.session.store, TranscriptChoice((ids["PC-nurse-therapist"],), (code,)),
        direct)
    assert len(reader.pages) == pages  # the printer got the PDF's pages
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4


def test_reached_from_the_file_menu_ctrl_p_and_the_transcript(demo_window: MainWindow,
                                                              qtbot: QtBot) -> None:
    actions = demo_window.actions_by_key
    file_menu = demo_window.menuBar().actions()[0].menu()
    entries = [action for action in file_menu.actions()]
    assert actions["print_transcripts"] in entries and actions["export_transcripts"] in entries
    assert actions["print_transcripts"].shortcut().toString() == "Ctrl+P"
    assert actions["print_transcripts"].isEnabled()
    ids = _document_ids(demo_window)
    demo_window.open_document(ids["PA-forensic-psychologist"])
    transcript = demo_window.transcript
    assert transcript is not None
    menu = build_menu(transcript, transcript.coding_actions, QPoint(20, 20))
    entry = next(action for action in menu.actions()
                 if action.text().replace("&", "") == "Print this transcript…")
    entry.trigger()
    dialog = demo_window.exchange.print_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert dialog.chosen().documents == (ids["PA-forensic-psychologist"],)
    dialog.reject()
