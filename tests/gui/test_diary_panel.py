"""The diary panel driven as a user would: write, save, link, filter, undo; checked in the
database and in what the panel shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QListWidget, QToolButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from thematic_workbench.core.services import codes, diary, phases
from thematic_workbench.core.services.diary import LinkView
from thematic_workbench.core.storage.models import AuditEvent, Coder, DiaryEntry, DiaryLink
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.diary import panel as panel_module
from thematic_workbench.gui.diary.model import DiaryModel, day_text, local_time
from thematic_workbench.gui.diary.panel import DiaryPanel
from thematic_workbench.gui.diary.widgets import choose_link
from thematic_workbench.gui.session import ProjectSession

CTRL = Qt.KeyboardModifier.ControlModifier


def _entries(session: ProjectSession) -> list[tuple[str, str, int, str]]:
    """(title, body, phase, coder) of every stored entry, oldest first."""
    with session.read() as s:
        return [tuple(row) for row in s.execute(
            select(DiaryEntry.title, DiaryEntry.body, DiaryEntry.phase, Coder.name)
            .join(Coder, Coder.id == DiaryEntry.coder_id).order_by(DiaryEntry.id))]


def _links(session: ProjectSession) -> set[tuple[int, str, int]]:
    with session.read() as s:
        return {tuple(row) for row in s.execute(
            select(DiaryLink.entry_id, DiaryLink.target_kind, DiaryLink.target_id))}


def _actions(session: ProjectSession) -> list[str]:
    with session.read() as s:
        return list(s.execute(select(AuditEvent.action).where(
            AuditEvent.action.like("diary.%")).order_by(AuditEvent.seq)).scalars())


def _rows(panel: DiaryPanel) -> list[str]:
    return [panel.model.index(row, 0).data() for row in range(panel.model.rowCount())]


def _chips(panel: DiaryPanel) -> list[QToolButton]:
    return panel.links_box.findChildren(QToolButton, "diaryLink")


def _make_panel(qtbot: QtBot, session: ProjectSession) -> DiaryPanel:
    panel = DiaryPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 650)
    with qtbot.waitActive(panel):  # shortcuts such as Ctrl+S need an active window
        panel.show()
        panel.activateWindow()
    return panel


def _write(qtbot: QtBot, panel: DiaryPanel, title: str, body: str) -> None:
    panel.title_edit.clear()
    qtbot.keyClicks(panel.title_edit, title)
    panel.body_edit.setFocus()
    panel.body_edit.clear()
    qtbot.keyClicks(panel.body_edit, body)


def test_an_entry_written_and_saved_is_stamped_with_phase_and_coder(
        qtbot: QtBot, qtmodeltester: object, session: ProjectSession) -> None:
    session.run(phases.move_to_phase, 3, "Codes settled enough to look for patterns")
    panel = _make_panel(qtbot, session)
    assert panel.empty_label.isVisible() and "No diary entries yet" in panel.empty_label.text()
    assert panel.stamp.text().startswith("New entry \N{MIDDLE DOT} Phase 3 \N{MIDDLE DOT} alice")
    assert not panel.save_button.isEnabled()

    _write(qtbot, panel, "After PC", "I felt *protective* of PC.")
    assert panel.state.text() == "Not saved yet" and panel.save_button.isEnabled()
    panel.body_edit.setFocus()
    qtbot.keyClick(panel.body_edit, Qt.Key.Key_S, CTRL)

    assert _entries(session) == [("After PC", "I felt *protective* of PC.", 3, "alice")]
    assert _rows(panel) == ["After PC"] and panel.list.isVisible()
    assert panel.current_entry_id() is not None
    assert panel.list.currentIndex().row() == 0
    assert panel.state.text().startswith("Saved")
    assert panel.stamp.text().startswith("Phase 3 \N{MIDDLE DOT} alice \N{MIDDLE DOT} ")
    assert not panel.save_button.isEnabled()
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]

    panel.tabs.setCurrentWidget(panel.preview)  # the Markdown, rendered
    assert "protective" in panel.preview.toPlainText()
    assert "*" not in panel.preview.toPlainText()
    assert "<i>protective</i>" in panel.preview.toHtml() or \
        "font-style:italic" in panel.preview.toHtml()


def test_leaving_an_entry_saves_it_and_a_new_one_starts_empty(
        qtbot: QtBot, session: ProjectSession) -> None:
    first = session.run(diary.add_entry, "first thoughts").new_id("diary_entry")
    second = session.run(diary.add_entry, "second thoughts").new_id("diary_entry")
    panel = _make_panel(qtbot, session)
    assert _rows(panel) == ["second thoughts", "first thoughts"]  # newest first
    panel.list.setCurrentIndex(panel.model.index(1, 0))
    assert panel.current_entry_id() == first
    panel.body_edit.setFocus()
    qtbot.keyClick(panel.body_edit, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(panel.body_edit, ", revised")
    assert panel.state.text() == "Unsaved changes"

    panel.list.setCurrentIndex(panel.model.index(0, 0))  # leave it: saved on the way
    assert panel.current_entry_id() == second
    assert panel.body_edit.toPlainText() == "second thoughts"
    assert [body for _t, body, _p, _c in _entries(session)] == [
        "first thoughts, revised", "second thoughts"]

    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    assert panel.current_entry_id() is None and panel.body_edit.toPlainText() == ""
    assert not panel.list.selectionModel().hasSelection()
    assert len(_entries(session)) == 2  # an empty new entry is not stored


def test_linking_to_a_code_makes_a_chip_that_opens_the_code(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    entry_id = session.run(diary.add_entry, "Running again.").new_id("diary_entry")
    panel = _make_panel(qtbot, session)
    assert panel.current_entry_id() == entry_id  # the newest entry opens first
    offered: list[list[tuple[str, str | None]]] = []

    def pick(_parent: QWidget, targets: list[LinkView]) -> LinkView | None:
        offered.append([(t.kind, t.label) for t in targets])
        return next((t for t in targets if t.label == "Running"), None)

    monkeypatch.setattr(panel_module, "choose_link", pick)
    qtbot.mouseClick(panel.add_link_button, Qt.MouseButton.LeftButton)
    assert ("code", "Running") in offered[0] and ("theme", "Support") in offered[0]
    assert ("document", "PB interview") in offered[0]
    assert _links(session) == {(entry_id, "code", frame["run"])}
    (chip,) = _chips(panel)
    assert chip.text() == "Code: Running"
    qtbot.waitUntil(lambda: chip.isVisible() and chip.width() > 0)

    with qtbot.waitSignal(panel.link_activated, timeout=1000) as blocker:
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert blocker.args == ["code", frame["run"]]

    qtbot.mouseClick(panel.add_link_button, Qt.MouseButton.LeftButton)
    assert ("code", "Running") not in offered[1]  # already linked

    session.run(diary.set_entry_links, entry_id, [("code", frame["run"]),
                                                  ("code", frame["unused"])])
    session.run(codes.delete_code, frame["unused"])  # the link stays, without a target
    running, gone = _chips(panel)
    assert running.text() == "Code: Running"
    assert (gone.text(), gone.isEnabled()) == ("Code (deleted)", False)
    panel.add_link("theme", frame["support"], "Support")  # still possible beside it
    assert _links(session) == {(entry_id, "code", frame["run"]), (entry_id, "theme",
                               frame["support"]), (entry_id, "code", frame["unused"])}
    session.undo_stack.undo()
    session.run(diary.set_entry_links, entry_id, [("code", frame["run"])])
    (chip,) = _chips(panel)
    qtbot.waitUntil(lambda: chip.isVisible() and chip.width() > 0)
    unlink = chip.parent().findChild(QToolButton, "diaryUnlink")
    qtbot.mouseClick(unlink, Qt.MouseButton.LeftButton)
    assert _links(session) == set()
    session.undo_stack.undo()
    assert _links(session) == {(entry_id, "code", frame["run"])}
    assert [c.text() for c in _chips(panel)] == ["Code: Running"]


def test_a_new_entry_keeps_its_links_until_it_is_saved(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int]) -> None:
    panel = _make_panel(qtbot, session)
    panel.add_link("theme", frame["support"], "Support")
    panel.add_link("document", frame["pb"], "PB interview")
    assert _links(session) == set()
    _write(qtbot, panel, "", "PB's supervisor sounds like mine.")
    assert panel.save()
    (entry_id,) = {entry.id for entry in panel.model._all.values()}
    assert _links(session) == {(entry_id, "theme", frame["support"]),
                               (entry_id, "document", frame["pb"])}
    assert _actions(session) == ["diary.add"]  # one step: text and links together


def test_filter_by_phase_and_search(qtbot: QtBot, session: ProjectSession) -> None:
    session.run(diary.add_entry, "Reading PA: I recognise my own *burnout*.", "Familiar")
    session.run(phases.move_to_phase, 2, "Start coding")
    session.run(diary.add_entry, "Coding supervision talk feels close to home.", "Coding")
    session.run(diary.add_entry, "Am I coding *burnout* because I expect it?", "Bias")
    panel = _make_panel(qtbot, session)
    assert _rows(panel) == ["Bias", "Coding", "Familiar"]

    panel.phase_combo.setCurrentIndex(panel.phase_combo.findData(2))
    assert _rows(panel) == ["Bias", "Coding"]
    qtbot.keyClicks(panel.search_box, "BURNOUT")
    assert _rows(panel) == ["Bias"]
    panel.phase_combo.setCurrentIndex(panel.phase_combo.findData(1))
    assert _rows(panel) == ["Familiar"]
    panel.phase_combo.setCurrentIndex(panel.phase_combo.findData(5))
    assert _rows(panel) == [] and not panel.list.isVisible()
    assert panel.empty_label.isVisible() and panel.empty_label.text() == "No entries match."
    panel.phase_combo.setCurrentIndex(0)
    panel.search_box.clear()
    assert _rows(panel) == ["Bias", "Coding", "Familiar"]
    assert panel.count_label.text() == "3 entries"

    panel.phase_combo.setCurrentIndex(panel.phase_combo.findData(1))
    assert panel.count_label.text() == "1 of 3 entries"
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    assert panel.stamp.text().startswith("New entry \N{MIDDLE DOT} Phase 2")
    session.run(phases.move_to_phase, 3, "Themes")  # the stamp to be follows the project
    assert panel.stamp.text().startswith("New entry \N{MIDDLE DOT} Phase 3")
    qtbot.keyClicks(panel.body_edit, "Themes at last")
    assert panel.save()  # a phase 3 entry: the phase 1 filter would hide it, so it goes
    assert _rows(panel) == ["Themes at last", "Bias", "Coding", "Familiar"]
    assert panel.phase_combo.currentIndex() == 0 and panel.list.currentIndex().row() == 0


def test_adding_editing_and_deleting_undo_and_redo(qtbot: QtBot,
                                                   session: ProjectSession) -> None:
    panel = _make_panel(qtbot, session)
    _write(qtbot, panel, "Day one", "First read of PA.")
    assert panel.save()
    entry_id = panel.current_entry_id()
    panel.body_edit.setFocus()
    qtbot.keyClick(panel.body_edit, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(panel.body_edit, " Tearful at the end.")
    assert panel.save()
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert _entries(session) == [] and _rows(panel) == []
    assert panel.current_entry_id() is None and panel.body_edit.toPlainText() == ""
    stack = session.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == [
        "Add diary entry 'Day one'", "Edit diary entry 'Day one'", "Delete diary entry 'Day one'"]

    stack.undo()  # the delete: back whole, same id
    assert _entries(session) == [("Day one", "First read of PA. Tearful at the end.", 1,
                                  "alice")]
    assert panel.model.row_values(0).id == entry_id
    panel.list.setCurrentIndex(panel.model.index(0, 0))
    stack.undo()  # the edit: the editor follows
    assert _entries(session)[0][1] == "First read of PA."
    assert panel.body_edit.toPlainText() == "First read of PA."
    assert panel.state.text().startswith("Saved")
    stack.undo()  # the add
    assert _entries(session) == [] and panel.current_entry_id() is None

    stack.redo()
    stack.redo()
    assert panel.model.row_values(0).id == entry_id
    assert _entries(session)[0][1] == "First read of PA. Tearful at the end."
    stack.redo()
    assert _entries(session) == []
    assert _actions(session) == ["diary.add", "diary.edit", "diary.delete", "diary.restore",
                                 "diary.edit", "diary.delete", "diary.restore", "diary.edit",
                                 "diary.delete"]


def test_an_entry_deleted_while_being_edited_keeps_the_text_as_a_new_entry(
        qtbot: QtBot, session: ProjectSession) -> None:
    panel = _make_panel(qtbot, session)
    _write(qtbot, panel, "", "Short note")
    assert panel.save()
    qtbot.keyClicks(panel.body_edit, " that grew longer")
    session.undo_stack.undo()  # its adding undone while the user types
    assert _entries(session) == []
    assert panel.body_edit.toPlainText() == "Short note that grew longer"
    assert panel.current_entry_id() is None and panel.state.text() == "Not saved yet"


def test_the_link_dialog_filters_and_returns_the_choice(qtbot: QtBot) -> None:
    targets = [LinkView("code", 1, "Running"), LinkView("theme", 2, "Support"),
               LinkView("document", 3, "PA interview")]
    parent = QWidget()
    qtbot.addWidget(parent)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        qtbot.keyClicks(dialog.findChild(QLineEdit), "supp")
        listing = dialog.findChild(QListWidget)
        shown = [listing.item(r).text() for r in range(listing.count())
                 if not listing.item(r).isHidden()]
        assert shown == ["Support  \N{EM DASH} theme"]
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert choose_link(parent, targets) == targets[1]


def test_model_is_sound_with_filters(qtbot: QtBot, qtmodeltester: object,
                                     session: ProjectSession) -> None:
    session.run(diary.add_entry, "- a list\n- of *things*")
    session.run(diary.add_entry, "# Heading\n\nand text", "")
    model = DiaryModel(session)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert [model.index(r, 0).data() for r in range(2)] == ["Heading", "a list"]
    model.set_filter(search="things")
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 1 and model.total() == 2


def _realistic_diary(store: ProjectStore, links: list[list[object]]) -> None:
    """Three entries a researcher coding forensic therapists' interviews might write."""
    entries = [
        (1, "2026-11-03T09:40:00Z", "Reading PA and PB",
         "Both talk about *leaving the ward at the door*. I notice I want this to be a "
         "theme already: too early.\n\n- PA: running, every day\n- PB: \"honest "
         "supervision\"\n\nMy own clinical years make this feel familiar; **bracket it**."),
        (2, "2026-11-12T16:15:00Z", "Am I coding my own story?",
         "Coded *Clearing my head* eleven times in PA alone. Is it the data or is it me? "
         "Re-read PA lines 40-60 without the codes shown."),
        (3, "2026-11-22T14:05:00Z", "Support is doing too much work",
         "The candidate theme **Support** holds peer talk, supervision *and* family. "
         "It reads like a topic summary, not a theme with a central organising concept.\n\n"
         "1. Split off *supervision as permission to feel*?\n"
         "2. Check against PB's account of the inquiry.\n\n"
         "> \"Supervision is where I can say the unsayable.\" (PA)"),
    ]
    with store.transaction("alice") as tx:
        for number, (phase, when, title, body) in enumerate(entries, start=1):
            diary.restore_entry(tx, {"id": number, "phase": phase, "coder_id": tx.coder_id,
                                     "created_at": when, "updated_at": when, "title": title,
                                     "body": body, "links": links if number == 3 else []})


def test_screenshot_of_the_diary(qtbot: QtBot, session: ProjectSession,
                                 frame: dict[str, int],
                                 screenshot: Callable[[QWidget, str], Path | None]) -> None:
    _realistic_diary(session.store, [["theme", frame["support"]], ["code", frame["sup"]],
                                     ["document", frame["pa"]]])
    panel = _make_panel(qtbot, session)
    assert _rows(panel) == ["Support is doing too much work", "Am I coding my own story?",
                            "Reading PA and PB"]
    assert [chip.text() for chip in _chips(panel)] == [
        "Code: Supervision", "Theme: Support", "Transcript: PA interview"]
    assert panel.count_label.text() == "3 entries"
    when = "2026-11-22T14:05:00Z"  # shown in the local time zone
    assert panel.stamp.text() == "Phase 3 \N{MIDDLE DOT} alice \N{MIDDLE DOT} " \
        f"{day_text(when)} {local_time(when):%H:%M}"
    screenshot(panel, "diary-write")
    panel.tabs.setCurrentWidget(panel.preview)
    qtbot.wait(50)
    screenshot(panel, "diary")


def test_model_reloads_for_linked_targets_only(qtbot: QtBot, session: ProjectSession,
                                               frame: dict[str, int]) -> None:
    session.run(diary.add_entry, "About running", links=[("code", frame["run"])])
    model = DiaryModel(session)
    with qtbot.assertNotEmitted(model.modelReset):
        session.run(codes.rename_code, frame["unused"], "Still unused")
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        session.run(codes.rename_code, frame["run"], "Jogging")
    assert [link.label for link in model.row_values(0).links] == ["Jogging"]
