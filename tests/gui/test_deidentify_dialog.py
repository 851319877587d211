"""File > De-identify the study: the review list shows the candidates in context, the key is
saved in its own file, and applying it leaves no real string in the transcripts while the
codings stay on their words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.core.helpers_docs import imported
from tests.gui.window_helpers import open_window
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.records.pseudonyms import PseudonymEntry
from thematic_workbench.core.services import codes, codings, participants
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Coding, Document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.trail_verify import verify_trail
from thematic_workbench.gui.project.pseudonyms_dialog import LEAVE, PseudonymsDialog
from thematic_workbench.io.pseudonym_key import read_pseudonym_key, write_pseudonym_key

TEXT = ("INTERVIEWER: Who referred you?\n"
        "PA: Judge Harris sent me here from Leeds. I called 07700 900123 first.\n"
        "PA: Later Dr Okafor at Rampton Hospital took over, in March 2021.\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "study.thematic"
    with ProjectStore.create(path, coder="alice") as store, store.transaction("alice") as tx:
        document = import_document(tx, imported(TEXT, "PA")).new_id(Kind.DOCUMENT)
        code = codes.create_code(tx, "Mandated").new_id(Kind.CODE)
        participants.create_participant(tx, "PA")
        start = TEXT.index("Judge Harris sent me here from Leeds")
        codings.apply_coding(tx, document, code, start, start + 36,
                             memo="Judge Harris again, the same one")
    return path


def test_review_save_the_key_and_apply_it(qtbot: QtBot, settings: QSettings, project: Path,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          screenshot) -> None:
    window = open_window(qtbot, settings, project, "alice")
    window.actions_by_key["deidentify"].trigger()
    dialog = window.pseudonyms
    assert isinstance(dialog, PseudonymsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0 and not dialog.jobs, timeout=10_000)
    found = {dialog.table.item(row, 1).text(): row for row in range(dialog.table.rowCount())}
    assert {"Judge Harris", "Leeds", "07700 900123", "Rampton Hospital"} <= set(found)
    assert "<b>Judge Harris</b> sent me here" in dialog.context.text()  # the first, in context
    screenshot(dialog, "deidentify-review-list")

    if "March 2021" in found:  # dates stay in this study
        leave = dialog.table.cellWidget(found["March 2021"], 0)
        assert isinstance(leave, QComboBox)
        leave.setCurrentText(LEAVE)
    key_file = tmp_path / "apart" / "key.csv"
    key_file.parent.mkdir()
    dialog._ask_file = lambda _title, _saving: key_file
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.jobs, timeout=20_000)
    saved = {entry.real for entry in read_pseudonym_key(key_file)}
    assert {"Judge Harris", "Leeds", "07700 900123"} <= saved and "March 2021" not in saved

    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
        start, end = session.execute(select(Coding.start, Coding.end)).one()
    for real in ("Harris", "Leeds", "07700 900123", "Rampton"):
        assert real not in text
    assert "March 2021" in text
    assert text[start:end] == "[Person 1] sent me here from [Place 1]"
    assert dialog.status.text().startswith("Replaced")
    # The trail's payloads that named Harris are erased, the trail verifies, the undo
    # history (which would bring the name back) is gone, and the file holds no real string.
    assert "audit events that held a real string were erased" in dialog.status.text()
    assert window.session is not None and window.session.undo_stack.count() == 0
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        report = verify_trail(session, project)
    assert report.intact and report.redacted, report.describe()
    for file in (project, project.with_name(project.name + "-wal")):
        if file.exists():
            assert b"harris" not in file.read_bytes().lower(), file.name


def test_participants_names_and_own_words_are_looked_for(
        qtbot: QtBot, settings: QSettings, project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, screenshot) -> None:
    from thematic_workbench.gui.project import participant_names_dialog as names_module
    window = open_window(qtbot, settings, project, "alice")
    window.actions_by_key["deidentify"].trigger()
    dialog = window.pseudonyms
    assert isinstance(dialog, PseudonymsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0 and not dialog.jobs, timeout=10_000)

    def rows() -> dict[str, int]:
        return {dialog.table.item(row, 1).text(): row for row in range(dialog.table.rowCount())}
    leave = dialog.table.cellWidget(rows()["Leeds"], 0)
    assert isinstance(leave, QComboBox)
    leave.setCurrentText(LEAVE)  # a decision made before the list is refilled

    seen: list[names_module.ParticipantNamesDialog] = []

    def typed(asked: names_module.ParticipantNamesDialog) -> int:
        seen.append(asked)
        assert asked.table.item(0, 0).text() == "PA"
        asked.table.item(0, 2).setText("Okafor  Harris")
        return 1
    monkeypatch.setattr(names_module.ParticipantNamesDialog, "exec", typed)
    qtbot.mouseClick(next(b for b in dialog.findChildren(QPushButton)
                          if b.text().startswith("Participants")), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.jobs, timeout=10_000)
    assert seen
    in_key = {entry.real: entry.pseudonym for entry in dialog.key}
    assert in_key == {"Okafor Harris": "[PA]", "Okafor": "[PA]", "Harris": "[PA]"}

    dialog.look_for.setText("  grim   place ")
    dialog.look_for.setText("called")
    qtbot.keyClick(dialog.look_for, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.jobs and "called" in rows(), timeout=10_000)
    found = rows()
    assert dialog._decision(found["Leeds"]).currentText() == LEAVE  # kept through the refill
    assert dialog._text(found["called"], 3) == "[Redacted 1]"
    pseudonyms = [dialog._text(row, 3) for row in range(dialog.table.rowCount())
                  if dialog._decision(row).currentText() != LEAVE]
    people = [p for p in pseudonyms if p.startswith("[Person")]
    assert len(people) == len(set(people))  # no two strings share a suggested pseudonym
    screenshot(dialog, "deidentify-with-participants")

    # The right-click menu sets what to do with a row.
    row = found["called"]
    rect = dialog.table.visualItemRect(dialog.table.item(row, 1))
    menus: list[QMenu] = []

    def chosen(menu: QMenu, _where: object) -> None:
        menus.append(menu)
        next(a for a in menu.actions() if a.text() == LEAVE).trigger()
    monkeypatch.setattr(dialog, "popup", chosen)
    dialog._menu(rect.center())
    assert menus and dialog._decision(row).currentText() == LEAVE

    # Applying with an opened key that the list has changed writes the key file first.
    key_file = tmp_path / "key.csv"
    write_pseudonym_key(key_file, [PseudonymEntry("Rampton", "[Place 9]", "place")])
    dialog._ask_file = lambda _title, _saving: key_file
    dialog.open_key()
    qtbot.waitUntil(lambda: not dialog.jobs, timeout=10_000)
    assert "changed since" in dialog.key_label.text()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.jobs, timeout=20_000)
    saved = {entry.real: entry.pseudonym for entry in read_pseudonym_key(key_file)}
    assert saved["Rampton"] == "[Place 9]" and saved["Harris"] == "[PA]"
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
    assert "Harris" not in text and "Okafor" not in text  # inside longer candidates here
