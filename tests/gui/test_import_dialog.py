"""The import dialog: labels proposed from file names, a background import that a bad file or
a cancel does not spoil, and a summary that says what happened to every file."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from thematic_workbench.app import importing
from thematic_workbench.core.changes import Change
from thematic_workbench.core.storage.models import Document, Participant
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.common.workers import database_pool
from thematic_workbench.gui.documents.import_dialog import (
    ImportDialog,
    ImportFilesModel,
    ImportSummary,
    propose_participant,
    transcript_files,
)
from thematic_workbench.gui.session import ProjectSession

WAIT_MS = 20_000


@pytest.fixture
def session(tmp_path: Path) -> Iterator[ProjectSession]:
    store = ProjectStore.create(tmp_path / "study.thematic", "Test study")
    project = ProjectSession(store, "tester")
    yield project
    database_pool().waitForDone(WAIT_MS)  # no job may outlive its test
    project.close()


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    """Two good transcripts (Word and text) and an empty text file."""
    folder = tmp_path / "transcripts"
    folder.mkdir()
    word = folder / "PA-forensic-psychologist.docx"
    document = docx.Document()
    document.add_paragraph("Interviewer: What keeps you going?")
    document.add_paragraph("PA: Supervision, mostly, and a run after a hard day.")
    document.save(str(word))
    text = folder / "P03_interview.txt"
    text.write_text("Interviewer: And you?\nP03: Peer support keeps me sane.\n",
                    encoding="utf-8")
    empty = folder / "Interview with Sarah.txt"
    empty.write_bytes(b"")
    return [word, text, empty]


def _documents(session: ProjectSession) -> dict[str, str | None]:
    with session.read() as db:
        rows = db.execute(select(Document.source_name, Participant.label).outerjoin(
            Participant, Participant.id == Document.participant_id)).all()
    return {row.source_name: row.label for row in rows}


def _run(qtbot: QtBot, dialog: ImportDialog) -> ImportSummary:
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS) as finished:
        assert dialog.start_import()
    return finished.args[0]


@pytest.mark.parametrize(("name", "label"), [
    ("PA-forensic-psychologist.docx", "PA"), ("P03_interview.txt", "P03"),
    ("Interview with Sarah.docx", ""), ("p7 notes.odt", "P7"), ("PK.vtt", "PK"),
    ("A-interview.txt", ""), ("2023-05-01 session.txt", ""),
])
def test_participant_label_is_proposed_from_the_file_name(name: str, label: str) -> None:
    assert propose_participant(name) == label


def test_a_folder_adds_only_its_transcripts(tmp_path: Path, files: list[Path]) -> None:
    folder = files[0].parent
    (folder / "notes.xlsx").write_bytes(b"x")
    (folder / "~$PA-forensic-psychologist.docx").write_bytes(b"x")  # Word's lock file
    assert [p.name for p in transcript_files([folder, tmp_path / "image.png"])] == [
        "Interview with Sarah.txt", "P03_interview.txt", "PA-forensic-psychologist.docx"]


def test_import_stores_good_files_and_reports_the_bad_one(
        qtbot: QtBot, session: ProjectSession, files: list[Path],
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    dialog = ImportDialog(session, initial_files=[files[0].parent])
    qtbot.addWidget(dialog)
    model = dialog.model
    assert [(row.path.name, row.participant) for row in model.rows] == [
        ("Interview with Sarah.txt", ""), ("P03_interview.txt", "P03"),
        ("PA-forensic-psychologist.docx", "PA")]
    # The user corrects a label in the table before importing.
    assert model.setData(model.index(1, 1), "  P3 ")
    changes: list[Change] = []
    session.changed.connect(changes.append)

    summary = _run(qtbot, dialog)

    assert _documents(session) == {"P03_interview.txt": "P3",
                                   "PA-forensic-psychologist.docx": "PA"}
    assert [o.file for o in summary.of("imported")] == ["P03_interview.txt",
                                                        "PA-forensic-psychologist.docx"]
    (failure,) = summary.of("failed")
    assert (failure.path, failure.message) == (files[2], "is empty (0 bytes)")
    assert "Interview with Sarah.txt" in dialog.summary_view.toPlainText()
    assert "is empty (0 bytes)" in dialog.summary_view.toPlainText()
    assert model.rows[0].status == "Failed: is empty (0 bytes)"
    assert [len(change.added["document"]) for change in changes] == [1, 1]
    assert not dialog.import_button.isEnabled() or model.pending() == [0]

    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "import-dialog-with-failure")


def test_a_file_already_imported_is_skipped_unless_asked(
        qtbot: QtBot, session: ProjectSession, files: list[Path]) -> None:
    first = ImportDialog(session, initial_files=[files[1]])
    qtbot.addWidget(first)
    _run(qtbot, first)
    again = ImportDialog(session, initial_files=[files[1]])
    qtbot.addWidget(again)
    (skipped,) = _run(qtbot, again).of("skipped")
    assert skipped.message == "already imported as 'P03_interview' (same content)"
    forced = ImportDialog(session, initial_files=[files[1]])
    qtbot.addWidget(forced)
    forced.force_check.setChecked(True)
    (imported,) = _run(qtbot, forced).of("imported")
    assert imported.message == "imported as 'P03_interview (2)'"


def test_cancel_stops_after_the_current_file_and_the_window_stays_responsive(
        qtbot: QtBot, session: ProjectSession, files: list[Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = threading.Event(), threading.Event()
    real_read = importing.read_document

    def slow_read(path: Path, wrap: int) -> object:
        started.set()
        assert release.wait(WAIT_MS / 1000)
        return real_read(path, wrap)

    monkeypatch.setattr(importing, "read_document", slow_read)
    dialog = ImportDialog(session, initial_files=files[:2])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS) as finished:
        assert dialog.start_import()
        assert started.wait(WAIT_MS / 1000)
        # The worker is busy with the first file; the GUI thread still handles events.
        qtbot.waitUntil(lambda: "Importing" in dialog.progress_label.text(), timeout=WAIT_MS)
        assert dialog.close_button.text() == "Cancel"
        dialog.reject()  # Cancel: stop after this file, then close
        assert dialog.running and "Stopping" in dialog.progress_label.text()
        release.set()
    summary: ImportSummary = finished.args[0]
    assert summary.cancelled and summary.not_started == ["P03_interview.txt"]
    assert [o.file for o in summary.of("imported")] == ["PA-forensic-psychologist.docx"]
    assert _documents(session) == {"PA-forensic-psychologist.docx": "PA"}
    assert dialog.model.rows[1].status == "Not imported (cancelled)"
    assert not dialog.isVisible() and not dialog.running


def test_a_read_only_project_cannot_import(qtbot: QtBot, tmp_path: Path,
                                           files: list[Path]) -> None:
    path = tmp_path / "ro.thematic"
    ProjectStore.create(path).close()
    with ProjectStore.open(path, readonly=True) as store:
        dialog = ImportDialog(ProjectSession(store, "tester"), initial_files=files[:1])
        qtbot.addWidget(dialog)
        assert not dialog.import_button.isEnabled() and not dialog.start_import()
        assert "read-only" in dialog.progress_label.text()


def test_the_files_model_passes_the_model_tester(qtmodeltester: object,
                                                 files: list[Path]) -> None:
    model = ImportFilesModel()
    model.add(files)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.remove([1])
    model.set_status(0, "failed", "Failed: is empty (0 bytes)")
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.add(files) == 1  # only the removed one is new again
