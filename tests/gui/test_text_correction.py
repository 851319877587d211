"""Edit mode: a researcher corrects a transcript in the window; the codings stay on their
words, the lines keep their numbers, and Undo puts everything back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.core.helpers_docs import imported
from tests.gui.window_helpers import open_window
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Coding, Document, Line
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.transcript.context_menu import build_menu
from thematic_workbench.gui.window.main_window import MainWindow

TEXT = ("INTERVIEWER: Who referred you?\n"
        "PA: Judge Harris sent me here from Leeds Crown Court.\n"
        "INTERVIEWER: And how was it?\n"
        "PA: Hard at first, then Harris visited and it got better.\n")


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "study.thematic"
    with ProjectStore.create(path, coder="alice") as store, store.transaction("alice") as tx:
        document = import_document(tx, imported(TEXT, "PA")).new_id(Kind.DOCUMENT)
        for name, phrase in (("Mandated", "Judge Harris sent me here from Leeds Crown Court"),
                             ("Getting better", "then Harris visited and it got better")):
            code = codes.create_code(tx, name).new_id(Kind.CODE)
            start = TEXT.index(phrase)
            codings.apply_coding(tx, document, code, start, start + len(phrase))
    return path, document


def _stored(path: Path) -> tuple[str, list[str], list[int]]:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
        words = [text[s:e] for s, e in session.execute(
            select(Coding.start, Coding.end).order_by(Coding.id))]
        numbers = list(session.execute(select(Line.number).order_by(Line.number)).scalars())
        return text, words, numbers


def _replace_in_editor(window: MainWindow, old: str, new: str) -> None:
    assert window.transcript is not None
    editor = window.transcript.correction.editor
    cursor = editor.textCursor()
    at = editor.toPlainText().index(old)
    cursor.setPosition(at)
    cursor.setPosition(at + len(old), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.insertPlainText(new)


def test_correcting_in_edit_mode_keeps_codings_and_undo_restores(
        qtbot: QtBot, settings: QSettings, project: tuple[Path, int], screenshot) -> None:
    path, document = project
    window = open_window(qtbot, settings, path, "alice")
    assert window.transcript is not None
    window.transcript.open_document(document)
    window.actions_by_key["correct_text"].trigger()
    transcript = window.transcript
    qtbot.waitUntil(transcript.correction.editor.isVisible)
    assert transcript.correcting and not transcript.editor.isVisible()
    assert len(transcript.correction.editor.extraSelections()) == 2  # codings stay tinted
    _replace_in_editor(window, "Judge Harris", "Judge J1")
    _replace_in_editor(window, "then Harris", "then J1")
    screenshot(window, "transcript-edit-mode")
    qtbot.mouseClick(transcript.correction.save_button, Qt.MouseButton.LeftButton)
    assert not transcript.correcting and transcript.editor.isVisible()

    text, words, numbers = _stored(path)
    assert "Harris" not in text
    assert words == ["Judge J1 sent me here from Leeds Crown Court",
                     "then J1 visited and it got better"]
    assert numbers == [1, 2, 3, 4]
    assert "Saved 2 corrections to PA" in window.notice.text()
    assert "J1" in transcript.editor.toPlainText()  # the view shows the corrected text

    window.actions_by_key["undo"].trigger()
    assert _stored(path) == (TEXT.rstrip("\n"), [
        "Judge Harris sent me here from Leeds Crown Court",
        "then Harris visited and it got better"], [1, 2, 3, 4])
    assert "Harris" in transcript.editor.toPlainText()


def test_cancel_leaves_the_text_as_it_was(qtbot: QtBot, settings: QSettings,
                                          project: tuple[Path, int]) -> None:
    path, document = project
    window = open_window(qtbot, settings, path, "alice")
    assert window.transcript is not None
    window.transcript.open_document(document)
    before = _stored(path)
    window.actions_by_key["correct_text"].trigger()
    _replace_in_editor(window, "Leeds", "L1")
    qtbot.waitUntil(window.transcript.correction.editor.isVisible)
    qtbot.keyClick(window.transcript.correction.editor, Qt.Key.Key_Escape)
    assert not window.transcript.correcting
    assert _stored(path) == before


def test_the_right_click_menu_starts_edit_mode(qtbot: QtBot, settings: QSettings,
                                               project: tuple[Path, int]) -> None:
    path, document = project
    window = open_window(qtbot, settings, path, "alice")
    assert window.transcript is not None
    window.transcript.open_document(document)
    menu = build_menu(window.transcript, window.transcript.coding_actions, QPoint(5, 5))
    (entry,) = [a for a in menu.actions() if a.text().startswith("Correct the &text…")]
    assert entry.isEnabled() and entry.text().endswith("\tF2")
    entry.trigger()
    assert window.transcript.correcting


def test_f2_corrects_from_the_transcript_and_renames_in_the_documents_list(
        qtbot: QtBot, settings: QSettings, project: tuple[Path, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, document = project
    window = open_window(qtbot, settings, path, "alice")
    assert window.transcript is not None and window.workspace is not None
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    window.transcript.open_document(document)
    listing = window.documents.view
    listing.setFocus()
    window.documents.select_document(document)
    qtbot.waitUntil(listing.hasFocus)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("PA first talk", True))
    qtbot.keyClick(listing, Qt.Key.Key_F2)
    assert not window.transcript.correcting
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        assert session.execute(select(Document.name)).scalar_one() == "PA first talk"
    window.transcript.editor.setFocus()
    qtbot.waitUntil(window.transcript.editor.hasFocus)
    qtbot.keyClick(window.transcript.editor, Qt.Key.Key_F2)
    assert window.transcript.correcting
