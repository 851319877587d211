"""The audit trail viewer driven as a user would: filter, read an event, verify (also against
an exported trail), export."""

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

from tests.core.tamper import Forger
from thematic_workbench.core.reports.appendices import audit_export
from thematic_workbench.core.services import coders, codes, codings, phases, review
from thematic_workbench.core.storage.models import AuditEvent
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.redaction import redact_strings
from thematic_workbench.core.trail.trail_verify import TrailReport
from thematic_workbench.gui.audit.model import AuditModel
from thematic_workbench.gui.audit.panel import BAD, GOOD, AuditPanel
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.window.main_window import MainWindow
from thematic_workbench.io.audit_csv import export_audit_csv


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


def _verify(qtbot: QtBot, panel: AuditPanel, button: str = "verify_button") -> list[str]:
    """Click a verify button, wait for the worker, and read the verdict line by line."""
    with qtbot.waitSignal(panel.verified, timeout=5000):
        getattr(panel, button).click()
    assert panel.verify_button.isEnabled() and panel.against_button.isEnabled()
    return panel.verdict_text().splitlines()


def _verdict_colour(panel: AuditPanel) -> str:
    """The colour the first line of the verdict is shown in."""
    shown = panel.verify_label.text()
    return GOOD if f"color:{GOOD}" in shown else BAD if f"color:{BAD}" in shown else ""


def test_verify_reports_an_intact_trail_then_names_the_edited_event(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int]) -> None:
    panel = _open(qtbot, session)
    assert panel.verify_button.text() == "Verify &trail"
    assert "signed sign-offs" in panel.verify_button.toolTip()
    everything = _events(session.store)
    lines = _verify(qtbot, panel)
    assert lines == [
        f"audit trail intact: {everything} events",
        "checked: hash chain recomputed over every event; no signed anchor yet (a sign-off "
        "or snapshot makes one); no witness record of this project on this machine",
        f"not vouched for: events 1 to {everything} (a change to them, or events removed "
        "from the end, cannot be detected until a sign-off, snapshot, close or export "
        "anchors them)"]
    assert _verdict_colour(panel) == GOOD

    _tamper(session.store, "UPDATE audit_event SET coder = 'mallory' WHERE seq = 5")
    with qtbot.waitSignal(panel.verified, timeout=5000) as blocker:
        panel.verify_button.click()
    assert not blocker.args[0].intact
    lines = panel.verdict_text().splitlines()
    assert lines[:2] == ["audit trail BROKEN: first bad event 5",
                         "event 5: its content no longer matches its hash (document.import on "
                         "document 1 was edited)"]
    assert _verdict_colour(panel) == BAD
    assert panel.view.currentIndex().data() == "5"  # the bad event is selected


def test_verify_says_when_the_trail_is_no_longer_protected(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int]) -> None:
    panel = _open(qtbot, session)
    everything = _events(session.store)
    _tamper(session.store, "SELECT 1")  # only the triggers are gone; every event is as it was
    lines = _verify(qtbot, panel)
    assert lines[:2] == [
        f"audit trail BROKEN: first bad event {everything + 1}",
        f"event {everything + 1}: the database triggers that keep the trail append-only have "
        "been removed"]
    assert _verdict_colour(panel) == BAD


def _sign_off(session: ProjectSession, note: str) -> int:
    """Sue, the supervisor, signs off phase 1; returns the sign-off's event."""
    session.run(coders.set_coder_role, "Sue", "supervisor")
    ProjectSession(session.store, "Sue").run(review.sign_off_phase, 1, note)
    return _events(session.store)


def test_a_signed_sign_off_vouches_for_the_trail_up_to_it(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int]) -> None:
    signed = _sign_off(session, "familiarisation checked")
    session.run(codes.create_code, "After the sign-off")
    panel = _open(qtbot, session)
    lines = _verify(qtbot, panel)
    assert lines[0] == f"audit trail intact: {signed + 1} events"
    assert "; 1 signed anchor checked (by Sue); " in lines[1]
    assert lines[2] == f"vouched for up to event {signed} by the sign-off 1 signed by Sue at " \
        f"event {signed}"
    assert lines[3].startswith(f"not vouched for: event {signed + 1} (a change to it")


def test_a_rewritten_trail_is_caught_by_the_sign_off_after_it(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int]) -> None:
    """A forger edits an event between two sign-offs and recomputes the chain: the chain
    alone passes, the second sign-off does not, and the first narrows down where."""
    first = _sign_off(session, "familiarisation checked")
    session.run(codes.create_code, "Between the sign-offs")
    second = _sign_off(session, "checked again")
    panel = _open(qtbot, session)
    assert _verify(qtbot, panel)[0] == f"audit trail intact: {second} events"
    session.store.engine.dispose()
    with Forger(session.store.path) as forger:
        forger.edit(first + 1, '{"name":"renamed quietly"}')
    lines = _verify(qtbot, panel)
    assert lines[:2] == [
        f"audit trail BROKEN: first bad event {first + 1}",
        f"event {first + 1}: event {second} no longer has the hash the sign-off 2 signed by "
        f"Sue at event {second} recorded: an event from {first + 1} to {second} was changed, "
        "removed, inserted or backdated, and the chain recomputed"]
    assert "2 signed anchors checked (by Sue)" in lines[2]
    assert _verdict_colour(panel) == BAD
    assert panel.view.currentIndex().data() == str(first + 1)


def test_verify_against_an_exported_trail(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    exported = tmp_path / "audit.csv"
    with session.store.read() as db:
        export_audit_csv(audit_export(db), exported)
    head = _events(session.store)
    session.run(codes.create_code, "After the export")
    panel = _open(qtbot, session)
    assert panel.against_button.text() == "Check a&gainst an exported trail…"
    assert ".csv" in panel.against_button.toolTip()
    monkeypatch.setattr(panel, "choose_trail_file", lambda: str(exported))
    lines = _verify(qtbot, panel, "against_button")
    assert lines[0] == f"audit trail intact: {head + 1} events"
    assert lines[1].endswith(f"; extends the exported trail audit.csv (up to event {head})")
    assert lines[2] == f"vouched for up to event {head} by the exported trail audit.csv"
    assert panel.verify_label.toolTip() == str(exported)

    session.store.engine.dispose()
    with Forger(session.store.path) as forger:
        forger.delete_newest(3)  # cut back past the export: only the export can tell
    assert _verify(qtbot, panel)[0] == f"audit trail intact: {head - 2} events"
    lines = _verify(qtbot, panel, "against_button")
    assert lines[:2] == [
        f"audit trail BROKEN: first bad event {head - 1}",
        f"event {head - 1}: events {head - 1} to {head} are missing: the exported trail "
        f"audit.csv recorded the trail up to event {head}; it now ends at event {head - 2}"]
    assert lines[-1].endswith("; compared with the exported trail audit.csv")
    assert len(lines) == 3  # the export's rows and its head tell one loss, said once


def test_a_file_that_is_no_exported_trail_is_one_line_naming_it(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _open(qtbot, session)
    garbage = tmp_path / "notes.csv"
    garbage.write_text("hello, this is not a trail\n", encoding="utf-8")
    monkeypatch.setattr(panel, "choose_trail_file", lambda: str(garbage))
    panel.against_button.click()
    qtbot.waitUntil(lambda: panel.against_button.isEnabled(), timeout=5000)
    assert panel.verdict_text() == ("notes.csv: is not an audit trail exported by Thematic "
                                    "Workbench (its columns differ)")
    assert panel.verify_label.styleSheet().startswith(f"color:{BAD}")
    assert panel.verify_label.toolTip() == str(garbage)

    words = tmp_path / "trail.txt"
    words.write_text("hello", encoding="utf-8")
    monkeypatch.setattr(panel, "choose_trail_file", lambda: str(words))
    panel.against_button.click()
    qtbot.waitUntil(lambda: panel.against_button.isEnabled(), timeout=5000)
    assert panel.verdict_text() == "trail.txt: an exported audit trail is a .csv or .docx file"

    monkeypatch.setattr(panel, "choose_trail_file", lambda: None)  # the dialog cancelled
    panel.against_button.click()
    assert not panel.busy and panel.verdict_text().startswith("trail.txt:")


def test_the_verify_buttons_answer_their_mnemonics(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _open(qtbot, session)
    panel.activateWindow()
    qtbot.waitActive(panel)
    with qtbot.waitSignal(panel.verified, timeout=5000) as blocker:
        qtbot.keyClick(panel, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert isinstance(blocker.args[0], TrailReport) and blocker.args[0].intact
    asked: list[bool] = []
    monkeypatch.setattr(panel, "choose_trail_file", lambda: asked.append(True))
    qtbot.keyClick(panel, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: asked == [True], timeout=2000)  # a mnemonic clicks after a moment


def _seen_whole(widget: QWidget) -> bool:
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def test_in_a_laptop_window_the_verdict_and_the_buttons_are_seen_whole(
        qtbot: QtBot, window: MainWindow) -> None:
    """The audit panel sits in a low, narrow dock that scrolls: verifying makes room."""
    window.resize(1366, 768)
    assert window.workspace is not None
    panel = window.workspace.audit
    with qtbot.waitSignal(panel.verified, timeout=20_000):
        window.actions_by_key["verify_audit"].trigger()
    assert panel.verdict_text().startswith("audit trail intact: ")
    shown = (panel.verify_label, panel.verify_button, panel.against_button,
             panel.export_button)
    qtbot.waitUntil(lambda: all(_seen_whole(widget) for widget in shown), timeout=2000)
    assert window.docks["audit"].height() <= window.height() // 2


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


def test_payloads_erased_while_the_panel_is_open_are_shown_erased(
        qtbot: QtBot, session: ProjectSession, history: dict[str, int]) -> None:
    panel = _open(qtbot, session)
    assert any("Talking it through" in text for text in _shown(panel, AuditModel.SUMMARY))
    session.run_in(lambda tx: redact_strings(tx, ["Talking"], "a word in a definition")[1])
    _settle(qtbot, panel)
    summaries = _shown(panel, AuditModel.SUMMARY)
    assert not any("Talking" in text for text in summaries)
    assert f"Defined code {history['sup']}: payload erased by a redaction" in summaries
    assert summaries[0] == "Erased the payloads of 1 event: a word in a definition"
