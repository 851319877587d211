"""The audit trail viewer driven as a user would: filter, read an event, verify, export."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtWidgets import QComboBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from thematic_workbench.core.audit import VerifyResult
from thematic_workbench.core.models import AuditEvent
from thematic_workbench.core.services import codes, codings, phases
from thematic_workbench.core.store import ProjectStore
from thematic_workbench.gui.models.audit_model import AuditModel
from thematic_workbench.gui.panels.audit_panel import AuditPanel, verify_text
from thematic_workbench.gui.session import ProjectSession


@pytest.fixture
def history(session: ProjectSession, frame: dict[str, int]) -> dict[str, int]:
    """The frame (by alice), then a rename, bob's definition, a phase move and a coding."""
    session.run(codes.rename_code, frame["run"], "Running it off")
    ProjectSession(session.store, "bob").run(
        codes.define_code, frame["sup"], "Talking it through with a supervisor")
    session.run(phases.move_to_phase, 2, "Read all three transcripts twice")
    session.run(codings.code_match, frame["pb"], frame["sup"], "honest supervision")
    return frame


def _events(store: ProjectStore) -> int:
    with store.read() as db:
        return db.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def _open(qtbot: QtBot, session: ProjectSession) -> AuditPanel:
    panel = AuditPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 600)
    panel.show()
    qtbot.waitExposed(panel)
    _settle(qtbot, panel)
    return panel


def _settle(qtbot: QtBot, panel: AuditPanel) -> None:
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)


def _shown(panel: AuditPanel, column: int = AuditModel.ACTION) -> list[str]:
    model = panel.view.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _choose(qtbot: QtBot, panel: AuditPanel, combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert index >= 0, f"{text!r} is not offered: {offered}"
    combo.setCurrentIndex(index)
    _settle(qtbot, panel)


def _select(qtbot: QtBot, panel: AuditPanel, action: str) -> None:
    row = _shown(panel).index(action)
    rect = panel.view.visualRect(panel.model.index(row, AuditModel.SUMMARY))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_filters_by_coder_action_phase_text_and_entity(
        qtbot: QtBot, qtmodeltester: object, session: ProjectSession,
        history: dict[str, int]) -> None:
    panel = _open(qtbot, session)
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    everything = _events(session.store)
    assert len(_shown(panel)) == everything
    assert _shown(panel)[:2] == ["coding.apply", "phase.move"]  # newest first
    assert panel.count_label.text() == f"{everything} events, newest first"

    _choose(qtbot, panel, panel.filters.coder_combo, "bob")
    assert _shown(panel) == ["code.define", "coder.create"]
    assert _shown(panel, AuditModel.CODER) == ["bob", "bob"]
    assert panel.count_label.text() == "2 events match the filter, newest first"
    _choose(qtbot, panel, panel.filters.action_combo, "coding.apply")
    assert _shown(panel) == [] and panel.count_label.text() == "No events match the filter."
    _choose(qtbot, panel, panel.filters.coder_combo, "Any coder")
    assert _shown(panel) == ["coding.apply"] * 5
    _choose(qtbot, panel, panel.filters.phase_combo, "2 · Generating initial codes")
    assert _shown(panel) == ["coding.apply"]
    assert _shown(panel, AuditModel.SUMMARY) == [
        "Applied code “Supervision” to document " + str(history["pb"])]

    panel.filters.clear_button.click()
    _settle(qtbot, panel)
    assert len(_shown(panel)) == everything
    qtbot.keyClicks(panel.filters.text_edit, "supervisor")
    _settle(qtbot, panel)
    assert _shown(panel) == ["code.define"]

    bar = panel.filters
    _choose(qtbot, panel, bar.time_combo, "Today")
    assert _shown(panel) == ["code.define"]  # with the words still there
    yesterday = QDate.currentDate().addDays(-1)
    bar.since_edit.setDate(yesterday.addDays(-30))
    bar.until_edit.setDate(yesterday)
    _choose(qtbot, panel, bar.time_combo, "Between dates…")
    assert bar.dates.isVisible() and _shown(panel) == []
    bar.until_edit.setDate(QDate.currentDate())  # the last day counts in full
    _settle(qtbot, panel)
    assert _shown(panel) == ["code.define"]

    panel.show_entity_history("code", history["run"])
    _settle(qtbot, panel)
    assert panel.filters.kind_combo.currentText() == "code" and panel.filters.text_edit.text() == ""
    assert _shown(panel, AuditModel.SUMMARY) == [
        "Renamed code “Running” → “Running it off”", "Created code “Running”"]


def test_the_selected_event_shows_before_and_after(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int]) -> None:
    panel = _open(qtbot, session)
    assert panel.details_text() == "Select an event to see what it changed."
    _select(qtbot, panel, "code.define")
    text = panel.details_text()
    assert text.startswith(f"Defined code {history['sup']}\n")
    assert f"bob · phase 1 · code.define · code {history['sup']}" in text
    assert "Changes\ndefinition\nAbout supervision → Talking it through with a supervisor\n" \
        in text
    _select(qtbot, panel, "phase.move")
    assert "phase\n1 → 2\nnote\nRead all three transcripts twice (new)" in panel.details_text()

    panel.details.anchorClicked.emit(QUrl(f"code:{history['sup']}"))  # "Every event about"
    _settle(qtbot, panel)
    assert _shown(panel) == ["code.define", "code.create"]


def test_new_events_appear_on_top_and_the_filter_stays(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int]) -> None:
    panel = _open(qtbot, session)
    _choose(qtbot, panel, panel.filters.coder_combo, "alice")
    before = _shown(panel)
    carol = ProjectSession(session.store, "carol")
    carol.run(codes.create_code, "Carol's code")  # another window: this panel is not told
    session.run(codes.create_code, "Fresh air")
    _settle(qtbot, panel)
    assert panel.filters.coder_combo.currentText() == "alice"
    assert _shown(panel, AuditModel.SUMMARY)[0] == "Created code “Fresh air”"
    assert _shown(panel)[1:] == before  # carol's events are not alice's
    assert panel.filters.coder_combo.findText("carol") > 0  # but carol can now be chosen


def _tamper(store: ProjectStore, sql: str) -> None:
    store.engine.dispose()
    connection = sqlite3.connect(store.path)
    connection.execute("DROP TRIGGER audit_event_no_update")
    connection.execute("DROP TRIGGER audit_event_no_delete")
    connection.execute(sql)
    connection.commit()
    connection.close()


def test_verify_reports_an_intact_chain_then_names_the_edited_event(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int]) -> None:
    panel = _open(qtbot, session)
    with qtbot.waitSignal(panel.verified, timeout=5000):
        panel.verify_button.click()
    assert panel.verify_label.text() == \
        f"Chain intact: {_events(session.store)} events verified"
    assert panel.verify_button.isEnabled()

    _tamper(session.store, "UPDATE audit_event SET coder = 'mallory' WHERE seq = 5")
    with qtbot.waitSignal(panel.verified, timeout=5000) as blocker:
        panel.verify_button.click()
    assert not blocker.args[0].intact
    assert panel.verify_label.text().startswith(
        "Chain broken at event 5: its content no longer matches its hash")
    assert panel.view.currentIndex().data() == "5"  # the bad event is selected


def test_verify_says_when_the_chain_is_no_longer_protected() -> None:
    assert verify_text(VerifyResult(12, unprotected=True)) == (
        "Chain intact: 12 events verified, but NOT protected: the database triggers that "
        "keep it append-only were removed")


def test_export_writes_the_events_the_filter_shows(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _open(qtbot, session)
    _choose(qtbot, panel, panel.filters.coder_combo, "bob")
    monkeypatch.setattr(panel, "choose_export_path", lambda: str(tmp_path / "bob-trail"))
    with qtbot.waitSignal(panel.exported, timeout=5000) as blocker:
        panel.export_button.click()
    target = tmp_path / "bob-trail.csv"
    assert blocker.args == [str(target), 2]
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    events = [row for row in rows if row["id"].isdigit()]
    assert [(row["action"], row["coder"]) for row in events] == \
        [("coder.create", "bob"), ("code.define", "bob")]  # oldest first, as chained
    head = rows[len(events)]  # the whole trail's head follows, even for a filtered export
    assert (head["id"], head["action"]) == ("head", "audit.head")
    assert int(head["entity id"]) == _events(session.store)
    assert "Talking it through with a supervisor" in rows[1]["after"]
    assert panel.verify_label.text() == \
        "Exported 2 events (those the filter shows) to bob-trail.csv"

    monkeypatch.setattr(panel, "choose_export_path",
                        lambda: str(tmp_path / "missing" / "trail.csv"))
    with qtbot.waitSignal(panel.export_failed, timeout=5000):
        panel.export_button.click()
    assert panel.verify_label.text().startswith(
        "Export failed: trail.csv: the audit trail could not be written")
    monkeypatch.setattr(panel, "choose_export_path", lambda: None)  # the dialog cancelled
    panel.export_button.click()
    assert not panel.busy


def test_the_model_reads_a_page_at_a_time(
        qtbot: QtBot, qtmodeltester: object, session: ProjectSession,
        history: dict[str, int]) -> None:
    model = AuditModel(session, page_size=5)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload()
    assert model.rowCount() == 5 and model.canFetchMore()
    everything = _events(session.store)
    while model.canFetchMore():
        shown = model.rowCount()
        with qtbot.waitSignal(model.rowsInserted, timeout=5000):
            model.fetchMore()
        assert model.rowCount() > shown
    seqs = [model.row_values(row).seq for row in range(model.rowCount())]
    assert seqs == list(range(everything, 0, -1))
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_screenshot_of_the_audit_viewer(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int],
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    panel = _open(qtbot, session)
    _select(qtbot, panel, "code.define")
    with qtbot.waitSignal(panel.verified, timeout=5000):
        panel.verify_button.click()
    assert panel.verify_label.isVisible() and panel.details_text().startswith("Defined code")
    _choose(qtbot, panel, panel.filters.coder_combo, "Any coder")
    screenshot(panel, "audit-viewer")
