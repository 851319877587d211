"""The import window names a caption cue whose timing was broken, in the file's status and
in the results, while its text is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from thematic_workbench.core.queries.project import document_summaries
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.common.workers import database_pool
from thematic_workbench.gui.documents.import_dialog import ImportDialog
from thematic_workbench.gui.session import ProjectSession

WAIT_MS = 20_000
NOTE = ("line 6: the timing '00:00:05.000 --> 00:00:0' is malformed; its text was kept "
        "without a time")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[ProjectSession]:
    session = ProjectSession(ProjectStore.create(tmp_path / "study.thematic", "Study"), "ann")
    yield session
    database_pool().waitForDone(WAIT_MS)
    session.close()


def test_the_window_shows_the_broken_cue(qtbot: QtBot, project: ProjectSession,
                                         tmp_path: Path) -> None:
    captions = tmp_path / "PA.vtt"
    captions.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v PA>first</v>\n\n"
                        "00:00:05.000 --> 00:00:0\nhello\n", encoding="utf-8")
    dialog = ImportDialog(project, initial_files=[captions])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS):
        assert dialog.start_import()
    assert dialog.model.rows[0].status == f"Imported as 'PA', with 1 note: {NOTE}"
    assert NOTE in dialog.summary_view.toPlainText()
    with project.read() as read:
        assert [d.name for d in document_summaries(read)] == ["PA"]
