"""Importing a shared .qdpx that points at local files outside it: the window asks, listing
them; Yes reads them, No leaves those sources out and says so, Cancel imports nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.gui.window_helpers import shown_message_box
from tests.io.samples import zip_bytes
from tests.io.test_qdpx import project_qde
from thematic_workbench.core.queries.project import document_summaries
from thematic_workbench.core.records.refi import OutsideFile
from thematic_workbench.gui.window.main_window import MainWindow


def _shared(tmp_path: Path) -> tuple[Path, Path]:
    private = tmp_path / "home" / "diary.txt"
    private.parent.mkdir()
    private.write_text("PA: my private diary\n", encoding="utf-8")
    private = private.resolve()
    source = (f'<TextSource guid="0B1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01" name="Diary" '
              f'plainTextPath="absolute://{private.as_posix()}"/>')
    archive = tmp_path / "shared.qdpx"
    archive.write_bytes(zip_bytes({"project.qde": project_qde(source).encode()}))
    return archive, private


def _window(qtbot: QtBot, settings: QSettings) -> MainWindow:
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    return window


def _import(qtbot: QtBot, window: MainWindow, archive: Path, target: Path,
            monkeypatch: pytest.MonkeyPatch, answer: bool | None) -> list[list[Path]]:
    controller = window.exchange
    asked: list[list[Path]] = []

    def ask(source: Path, found: tuple[OutsideFile, ...]) -> bool | None:
        asked.append([item.path for item in found])
        return answer

    monkeypatch.setattr(controller, "ask_source", lambda title, filters: archive)
    monkeypatch.setattr(controller, "ask_new_project", lambda suggested: target)
    monkeypatch.setattr(controller, "ask_outside", ask)
    window.actions_by_key["import_project"].trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    qtbot.waitUntil(lambda: not controller.jobs, timeout=20_000)
    return asked


def _documents(window: MainWindow) -> list[str]:
    assert window.session is not None
    with window.session.read() as read:
        return [d.name for d in document_summaries(read)]


def _told(qtbot: QtBot, window: MainWindow) -> str:
    """What the window tells after the import: its banner and the box listing the lines."""
    box = shown_message_box(qtbot)
    told = "\n".join((window.notice.text(), box.text(), box.informativeText()))
    box.close()
    return told


def test_yes_reads_the_listed_files(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    archive, private = _shared(tmp_path)
    window = _window(qtbot, settings)
    asked = _import(qtbot, window, archive, tmp_path / "yes", monkeypatch, True)
    assert asked == [[private]]
    assert _documents(window) == ["Diary"]
    assert f"its text was read from {private}, outside the archive" in _told(qtbot, window)


def test_no_leaves_them_out_and_says_so(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    archive, private = _shared(tmp_path)
    window = _window(qtbot, settings)
    _import(qtbot, window, archive, tmp_path / "no", monkeypatch, False)
    assert _documents(window) == []
    assert (f"source 'Diary': its text {private} is outside the archive and was not read, "
            "as you chose; it was left out") in _told(qtbot, window)


def test_cancel_makes_no_project(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    archive, _private = _shared(tmp_path)
    window = _window(qtbot, settings)
    _import(qtbot, window, archive, tmp_path / "cancel", monkeypatch, None)
    assert window.session is None
    assert not (tmp_path / "cancel.thematic").exists()


@pytest.mark.parametrize(("button", "expected"), [
    (QMessageBox.StandardButton.Yes, True), (QMessageBox.StandardButton.No, False),
    (QMessageBox.StandardButton.Cancel, None)])
def test_the_question_lists_the_files(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                                      button: QMessageBox.StandardButton,
                                      expected: bool | None) -> None:
    window = _window(qtbot, settings)
    found = (OutsideFile("source 'Diary'", "absolute:///home/ann/diary.txt",
                         Path("/home/ann/diary.txt")),
             OutsideFile("note 'Plan'", "relative://../plan.txt", Path("/home/ann/plan.txt")))
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(f"{box.text()}\n{box.informativeText()}")
        if os.environ.get("TWB_SCREENSHOT_DIR"):
            box.grab().save(str(Path(os.environ["TWB_SCREENSHOT_DIR"]) / "outside_files.png"))
        box.button(button).click()

    QTimer.singleShot(0, answer)
    assert window.exchange.ask_outside(Path("shared.qdpx"), found) is expected
    assert seen == [
        "shared.qdpx points at 2 files on this computer, outside the archive. Read them into "
        "the new project?\n"
        "• /home/ann/diary.txt (source 'Diary')\n• /home/ann/plan.txt (note 'Plan')\n\n"
        "Yes reads them; No imports the project without them; Cancel imports nothing."]
