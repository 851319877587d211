"""Speakers and participants: a focus group's speakers mapped from the documents list, in
one undoable step, with the counts following."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.stats import code_by_participant
from thematic_workbench.core.services import codes, codings, participants
from thematic_workbench.core.services.documents import import_document, participant_choices
from thematic_workbench.core.services.speakers import speaker_mappings
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.gui.documents.panel import DocumentsPanel
from thematic_workbench.gui.documents.speakers_dialog import SpeakersDialog
from thematic_workbench.gui.session import ProjectSession

GROUP = ("Moderator: What keeps the alliance going?\n"
         "Anna: Honesty about the risk report.\n"
         "Ben: Patience; the trust comes late.\n"
         "Anna: And humour, sometimes.\n")


@pytest.fixture
def group(store: ProjectStore) -> int:
    with store.transaction("alice") as tx:
        document = import_document(tx, replace(imported(GROUP, "Group 1"),
                                               turns=tuple(detect_turns(GROUP))))
        document_id = document.new_id("document")
        participants.create_participant(tx, "P1")
        code = codes.create_code(tx, "Honesty").new_id("code")
        for words in ("Honesty about the risk report", "Patience"):
            start = GROUP.index(words)
            codings.apply_coding(tx, document_id, code, start, start + len(words))
    return document_id


def _cells(session: ProjectSession) -> dict[str, int]:
    with session.read() as s:
        table = code_by_participant(s)
    return {who: table.participant_total(who) for who in table.participants}


def test_the_dialog_maps_speakers_in_one_undo_step(
        qtbot: QtBot, session: ProjectSession, group: int, monkeypatch: pytest.MonkeyPatch,
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    panel = DocumentsPanel(session)
    qtbot.addWidget(panel)
    menu = panel.build_menu(group)
    entry = next(a for a in menu.actions() if a.text().startswith("Speakers and participants"))
    assert entry.isEnabled()
    seen: list[SpeakersDialog] = []

    def choose(dialog: SpeakersDialog) -> QDialog.DialogCode:
        seen.append(dialog)
        rows = {dialog.table.item(row, 0).text(): row for row in range(dialog.table.rowCount())}
        assert list(rows) == ["Anna", "Ben", "Moderator"]  # most turns first
        assert dialog.table.item(rows["Anna"], 1).text() == "2"
        assert dialog.combo(rows["Anna"]).currentText() == "(nobody in particular)"
        dialog.combo(rows["Anna"]).setCurrentText("P1")
        dialog.combo(rows["Ben"]).setCurrentText("P2")  # a new participant
        dialog.resize(560, 300)
        screenshot(dialog, "speakers-dialog")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SpeakersDialog, "exec", choose)
    assert _cells(session) == {"": 2}
    entry.trigger()
    assert seen and seen[0].wanted() == {"Anna": "P1", "Ben": "P2"}
    with session.read() as s:
        labels = {pid: label for pid, label in participant_choices(s)}
        assert {speaker: labels[pid] for speaker, pid in speaker_mappings(s, group).items()} \
            == {"Anna": "P1", "Ben": "P2"}
    assert _cells(session) == {"P1": 1, "P2": 1}
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    with session.read() as s:
        assert speaker_mappings(s, group) == {}
        assert [label for _id, label in participant_choices(s)] == ["P1"]  # P2 was new
    assert _cells(session) == {"": 2}
    session.undo_stack.redo()
    assert _cells(session) == {"P1": 1, "P2": 1}


def test_a_transcript_without_turns_says_so(qtbot: QtBot, session: ProjectSession,
                                            store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        document_id = import_document(tx, imported("Just notes, nobody speaking.", "Notes")
                                      ).new_id("document")
    dialog = SpeakersDialog(session, document_id)
    qtbot.addWidget(dialog)
    assert dialog.table.isHidden() and dialog.wanted() == {}
    assert "has no speaker turns" in dialog.findChild(QLabel).text()
