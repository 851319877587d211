"""The autocode preview on the demo project: its rows and count, OK codes, undo removes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.window_helpers import open_window
from thematic_workbench.core.storage.models import AuditEvent, Code, Coding, Document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.autocode import dialogs
from thematic_workbench.gui.autocode.dialogs import AutocodeDialog, search_dialog, speaker_dialog
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.window.main_window import MainWindow


@pytest.fixture
def demo_session(qtbot: QtBot, project: Path) -> Iterator[ProjectSession]:
    """The test's copy of the demo project as the window sees it, as alice."""
    store = ProjectStore.open(project)
    session = ProjectSession(store, "alice")
    yield session
    session.close()


def _ready(qtbot: QtBot, dialog: AutocodeDialog) -> AutocodeDialog:
    qtbot.waitUntil(lambda: dialog.ready, timeout=10_000)
    return dialog


def _coded(session: ProjectSession, code: str) -> list[tuple[str, str]]:
    """(transcript, coded words) of a code's codings, in transcript and text order."""
    with session.read() as db:
        rows = db.execute(select(Document.name, Document.text, Coding.start, Coding.end)
                          .join(Coding, Coding.document_id == Document.id)
                          .join(Code, Code.id == Coding.code_id).where(Code.name == code)
                          .order_by(Document.name, Coding.start)).all()
    return [(row.name, row.text[row.start:row.end]) for row in rows]


def _shown(dialog: AutocodeDialog) -> list[tuple[str, str]]:
    model = dialog.model
    return [(model.index(row, 0).data(), model.index(row, 1).data())
            for row in range(model.rowCount())]


def test_search_preview_lists_the_passages_and_ok_codes_them_in_one_undo_step(
        qtbot: QtBot, demo_session: ProjectSession) -> None:
    dialog = _ready(qtbot, search_dialog(demo_session, None, query="supervision",
                                         forms=False, scope=None))
    qtbot.addWidget(dialog)
    assert dialog.code_name == "supervision"
    assert "A new code" in dialog.code_note.text()
    hits = _shown(dialog)
    assert len(hits) == dialog.plan.found == 5  # type: ignore[union-attr]
    assert all(words.casefold() == "supervision" for _cite, words in hits)
    assert hits[0][0] == "[PA, line 59]"

    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("sentence"))
    _ready(qtbot, dialog)
    shown = _shown(dialog)
    assert len(shown) == 4  # PA's two hits lie in one sentence
    assert shown[1] == ("[PB, lines 53-54]", "We're supposed to get monthly supervision but "
                                             "it slips when caseloads go up.")
    assert dialog.summary.text().startswith("4 passages in 4 transcripts will be coded")
    assert dialog.ok.text() == "Code 4 passages" and dialog.ok.isEnabled()

    dialog.code_box.setEditText("Supervision as refuge")
    _ready(qtbot, dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.last_message == "Coded 4 passages with 'Supervision as refuge'"
    coded = _coded(demo_session, "Supervision as refuge")
    assert [words for _doc, words in coded] == [text for _cite, text in shown]
    assert demo_session.undo_stack.count() == 1
    assert demo_session.undo_stack.undoText() == "Code 4 passages with 'Supervision as refuge'"
    with demo_session.read() as db:
        assert db.execute(select(AuditEvent.action).order_by(AuditEvent.seq.desc())
                          .limit(1)).scalar_one() == "coding.autocode"

    demo_session.undo_stack.undo()
    assert _coded(demo_session, "Supervision as refuge") == []
    with demo_session.read() as db:  # the new code went with its codings
        assert db.execute(select(Code).where(Code.name == "Supervision as refuge")).first() \
            is None
    demo_session.undo_stack.redo()
    assert len(_coded(demo_session, "Supervision as refuge")) == 4


def test_existing_code_skips_what_it_has_and_undo_leaves_earlier_codings(
        qtbot: QtBot, demo_session: ProjectSession) -> None:
    with demo_session.read() as db:
        name = db.execute(select(Code.name).join(Coding, Coding.code_id == Code.id)
                          .limit(1)).scalar_one()
    before = _coded(demo_session, name)
    dialog = _ready(qtbot, search_dialog(demo_session, None, query="supervision",
                                         forms=False, scope=None))
    qtbot.addWidget(dialog)
    dialog.code_box.setEditText(name.upper())  # any case names the existing code
    _ready(qtbot, dialog)
    assert dialog.code_id() is not None and "existing code" in dialog.code_note.text()
    assert dialog.code_all()
    after = _coded(demo_session, name)
    assert len(after) == len(before) + 5
    again = _ready(qtbot, search_dialog(demo_session, None, query="supervision",
                                        forms=False, scope=None))
    qtbot.addWidget(again)
    again.code_box.setEditText(name)
    _ready(qtbot, again)
    assert again.model.rowCount() == 0 and not again.ok.isEnabled()
    assert "5 passages are already coded" in again.summary.text()
    demo_session.undo_stack.undo()
    assert _coded(demo_session, name) == before


def test_speaker_dialog_picks_the_interviewer_and_codes_every_prompt(
        qtbot: QtBot, demo_session: ProjectSession) -> None:
    dialog = speaker_dialog(demo_session, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    _ready(qtbot, dialog)
    chosen = dialog.speakers.list.currentItem().text()
    assert chosen == "Interviewer — 46 turns in 4 transcripts"
    assert dialog.code_name == "Interviewer prompts"
    assert dialog.model.rowCount() == 46
    assert not any(text.startswith("Interviewer") for _cite, text in _shown(dialog))
    assert dialog.summary.text().startswith("46 passages in 4 transcripts")
    assert dialog.code_all()
    coded = _coded(demo_session, "Interviewer prompts")
    assert len(coded) == 46
    assert not any(words.casefold().startswith("interviewer") for _doc, words in coded)
    assert [words for _doc, words in coded] == [row.text for row in sorted(
        dialog.rows, key=lambda row: (row.document, row.start))]
    demo_session.undo_stack.undo()
    assert _coded(demo_session, "Interviewer prompts") == []


def test_speaker_dialog_for_one_transcript(qtbot: QtBot,
                                           demo_session: ProjectSession) -> None:
    with demo_session.read() as db:
        document_id, name = db.execute(select(Document.id, Document.name)
                                       .order_by(Document.name).limit(1)).one()
    dialog = speaker_dialog(demo_session, None, document_id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    _ready(qtbot, dialog)
    assert dialog.where.currentText() == f"Only “{name}”"
    assert {row.document_id for row in dialog.rows} == {document_id}
    dialog.speakers.list.setCurrentRow(1)  # the participant, not the interviewer
    _ready(qtbot, dialog)
    participant = dialog.speakers.speaker
    assert dialog.code_name == f"Turns of {participant}"
    assert dialog.code_all()
    assert {doc for doc, _words in _coded(demo_session, f"Turns of {participant}")} == {name}


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings, project: Path) -> Iterator[MainWindow]:
    main = open_window(qtbot, settings, project, "alice")
    yield main
    main.close_project()


def test_code_menu_opens_the_speaker_dialog(qtbot: QtBot, window: MainWindow,
                                            monkeypatch: pytest.MonkeyPatch,
                                            screenshot: Callable[[QWidget, str], Path | None]
                                            ) -> None:
    opened: list[AutocodeDialog] = []

    def show(dialog: AutocodeDialog) -> int:
        opened.append(dialog)
        qtbot.waitUntil(lambda: dialog.ready, timeout=10_000)
        dialog.show()
        QApplication.processEvents()
        screenshot(dialog, "autocode-speaker-preview")
        return dialog.code_all()

    monkeypatch.setattr(dialogs.AutocodeDialog, "exec", show)
    code_menu = next(action.menu() for action in window.menuBar().actions()
                     if action.text() == "&Code")
    action = window.actions_by_key["autocode_speaker"]
    assert action in code_menu.actions() and action.isEnabled()
    action.trigger()
    assert len(opened) == 1
    assert window.statusBar().currentMessage() == "Coded 46 passages with 'Interviewer prompts'"
    assert window.session is not None
    assert len(_coded(window.session, "Interviewer prompts")) == 46
    window.undo()
    assert _coded(window.session, "Interviewer prompts") == []


def test_search_preview_screenshot(qtbot: QtBot, window: MainWindow,
                                   screenshot: Callable[[QWidget, str], Path | None]) -> None:
    assert window.session is not None
    dialog = search_dialog(window.session, window, query="supervision", forms=False,
                           scope=None)
    qtbot.addWidget(dialog)
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("sentence"))
    _ready(qtbot, dialog)
    dialog.show()
    QApplication.processEvents()
    assert dialog.frameGeometry().height() <= 768 and dialog.frameGeometry().width() <= 1366
    assert dialog.table.horizontalHeader().sectionSize(0) >= dialog.fontMetrics().horizontalAdvance(
        "[PB, lines 53-54]")
    screenshot(dialog, "autocode-search-preview")
    dialog.reject()


def test_passage_model_passes_the_model_tester(qtbot: QtBot, demo_session: ProjectSession,
                                               qtmodeltester: object) -> None:
    dialog = _ready(qtbot, search_dialog(demo_session, None, query="supervision",
                                         forms=False, scope=None))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 5
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]


def test_documents_context_menu_codes_a_speaker_of_that_transcript(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[AutocodeDialog] = []

    def show(dialog: AutocodeDialog) -> int:
        opened.append(dialog)
        qtbot.waitUntil(lambda: dialog.ready, timeout=10_000)
        return 0  # cancelled: nothing is coded

    monkeypatch.setattr(dialogs.AutocodeDialog, "exec", show)
    assert window.session is not None
    with window.session.read() as db:
        document_id, name = db.execute(select(Document.id, Document.name)
                                       .order_by(Document.name).limit(1)).one()
    menu = window.documents.build_menu(document_id)
    action = next(a for a in menu.actions() if a.text() == "Code a speaker's turns…")
    assert action.isEnabled()
    action.trigger()
    assert len(opened) == 1
    assert opened[0].where.currentText() == f"Only “{name}”"  # type: ignore[attr-defined]
    assert window.session.undo_stack.count() == 0
