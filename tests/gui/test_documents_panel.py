"""The documents list: a click opens, the context menu and keys rename, re-assign, mark as
read and delete (each undone by Ctrl+Z), names are never cut, read marks are kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.queries.project import document_summaries
from thematic_workbench.core.services.documents import participant_choices
from thematic_workbench.core.services.reading import read_marks, reading_progress
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.documents.model import (
    NO_PARTICIPANT,
    READ_MARK,
    REREAD_MARK,
    DocumentsModel,
)
from thematic_workbench.gui.documents.panel import SHOWN_AT_LEAST, DocumentsPanel
from thematic_workbench.gui.phases.panel import PhasePanel
from thematic_workbench.gui.session import ProjectSession

Names = dict[int, tuple[str, str | None, int]]


def _documents(session: ProjectSession) -> Names:
    """id -> (name, participant, codings), as the database holds them."""
    with session.read() as s:
        return {d.id: (d.name, d.participant, d.codings) for d in document_summaries(s)}


def _panel(qtbot: QtBot, session: ProjectSession, settings: QSettings | None = None,
           shown: bool = False) -> DocumentsPanel:
    panel = DocumentsPanel(session, settings=settings)
    qtbot.addWidget(panel)
    if shown:
        panel.resize(300, 400)
        with qtbot.waitActive(panel):  # the panel's keys need an active window
            panel.show()
            panel.activateWindow()
        panel.view.setFocus()
    return panel


def _trigger(panel: DocumentsPanel, document_id: int, label: str) -> None:
    """Pick an entry of a transcript's context menu, as a right-click then a click would."""
    menu = panel.build_menu(document_id)
    (action,) = [a for a in menu.actions()
                 if a.text().rstrip("\N{HORIZONTAL ELLIPSIS}") == label]
    assert action.isEnabled(), label
    action.trigger()


def _read_cell(panel: DocumentsPanel, document_id: int) -> str:
    index = panel.model.index_of_key(("document", document_id), DocumentsModel.READ)
    return str(index.data() or "")


def test_a_single_click_opens_a_transcript_once(qtbot: QtBot, session: ProjectSession,
                                               frame: dict[str, int]) -> None:
    panel = _panel(qtbot, session, shown=True)
    rect = panel.view.visualRect(panel.model.index_of_key(("document", frame["pb"])))
    opened: list[int] = []
    panel.document_activated.connect(opened.append)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [frame["pb"]]
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [frame["pb"]]  # a double click does not open it twice more
    group = panel.view.visualRect(panel.model.index_of_key(("participant", "PA")))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=group.center())
    assert opened == [frame["pb"]]  # a participant row opens nothing
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.RightButton, pos=rect.center())
    assert opened == [frame["pb"]]  # nor does a right click


def test_the_context_menu_offers_every_action(qtbot: QtBot, session: ProjectSession,
                                              frame: dict[str, int]) -> None:
    panel = _panel(qtbot, session)
    menu = panel.build_menu(frame["pa"])
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Open", "Rename\N{HORIZONTAL ELLIPSIS}",
                     "Change participant\N{HORIZONTAL ELLIPSIS}",
                     "Speakers and participants\N{HORIZONTAL ELLIPSIS}", "Mark as read",
                     "Remove my last reading mark",
                     "Code a speaker's turns\N{HORIZONTAL ELLIPSIS}",
                     "Comment for review\N{HORIZONTAL ELLIPSIS}",
                     "Delete\N{HORIZONTAL ELLIPSIS}"]
    keys = {a.text(): a.shortcut().toString() for a in menu.actions()}
    assert keys["Rename\N{HORIZONTAL ELLIPSIS}"] == "F2"
    assert keys["Delete\N{HORIZONTAL ELLIPSIS}"] == "Del"
    assert keys["Mark as read"] == "Ctrl+Alt+R"
    opened: list[int] = []
    panel.document_activated.connect(opened.append)
    _trigger(panel, frame["pa"], "Open")
    comments: list[tuple[str, int]] = []
    panel.comment_requested.connect(lambda kind, target: comments.append((kind, target)))
    _trigger(panel, frame["pb"], "Comment for review")
    assert opened == [frame["pa"]] and comments == [("document", frame["pb"])]


def test_rename_from_the_menu_and_undo(qtbot: QtBot, session: ProjectSession,
                                      frame: dict[str, int],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *args, **kw: ("PA  first interview", True))
    _trigger(panel, frame["pa"], "Rename")
    assert _documents(session)[frame["pa"]][0] == "PA first interview"
    assert panel.model.index_of_key(("document", frame["pa"])).data() == "PA first interview"
    assert session.undo_stack.undoText() == "Rename 'PA interview' to 'PA first interview'"
    session.undo_stack.undo()
    assert _documents(session)[frame["pa"]][0] == "PA interview"
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("PB interview", True))
    with qtbot.waitSignal(session.error) as refused:
        _trigger(panel, frame["pa"], "Rename")  # a name taken: refused, nothing to undo
    assert refused.args == ["a document named 'PB interview' already exists"]
    assert _documents(session)[frame["pa"]][0] == "PA interview"
    assert not session.undo_stack.canUndo()


def test_change_participant_to_a_new_label_and_undo(qtbot: QtBot, session: ProjectSession,
                                                   frame: dict[str, int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    offered: list[list[str]] = []

    def pick(answer: str) -> Callable[..., tuple[str, bool]]:
        def choose(_parent: QWidget, _title: str, _label: str, items: list[str],
                   current: int = 0, editable: bool = True) -> tuple[str, bool]:
            offered.append([*items, f"current={items[current]}"])
            return answer, True
        return choose

    monkeypatch.setattr(QInputDialog, "getItem", pick("PC"))
    _trigger(panel, frame["anon"], "Change participant")
    assert offered[-1] == ["PA", "PB", NO_PARTICIPANT, f"current={NO_PARTICIPANT}"]
    assert _documents(session)[frame["anon"]][1] == "PC"
    assert [label for _id, label in _labels(session)] == ["PA", "PB", "PC"]
    session.undo_stack.undo()  # back to none, and the new participant goes again
    assert _documents(session)[frame["anon"]][1] is None
    assert [label for _id, label in _labels(session)] == ["PA", "PB"]
    session.undo_stack.redo()
    assert _documents(session)[frame["anon"]][1] == "PC"

    monkeypatch.setattr(QInputDialog, "getItem", pick(NO_PARTICIPANT))
    _trigger(panel, frame["pa"], "Change participant")
    assert offered[-1][-1] == "current=PA"
    assert _documents(session)[frame["pa"]][1] is None
    session.undo_stack.undo()
    assert _documents(session)[frame["pa"]][1] == "PA"


def _labels(session: ProjectSession) -> list[tuple[int, str]]:
    with session.read() as s:
        return participant_choices(s)


def test_delete_names_the_codings_and_undo_brings_them_back(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    before = _documents(session)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def confirm(_parent: QWidget, _title: str, text: str, *args: object) -> object:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", confirm)
    _trigger(panel, frame["pa"], "Delete")
    assert asked[-1].startswith("Delete the transcript 'PA interview' with its 2 codings?")
    assert "Undo" in asked[-1] and ".." not in asked[-1]
    assert _documents(session) == before  # "No" keeps it

    answer = QMessageBox.StandardButton.Yes
    _trigger(panel, frame["pa"], "Delete")
    assert frame["pa"] not in _documents(session)
    assert panel.model.index_of_key(("document", frame["pa"])).isValid() is False
    session.undo_stack.undo()
    assert _documents(session) == before  # the transcript and its two codings
    assert panel.model.index_of_key(("document", frame["pa"])).isValid()
    session.undo_stack.redo()
    assert frame["pa"] not in _documents(session)


def test_keys_rename_delete_and_mark_as_read(qtbot: QtBot, session: ProjectSession,
                                            frame: dict[str, int],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session, shown=True)
    assert QApplication.focusWidget() is panel.view, QApplication.focusWidget()
    panel.select_document(frame["pb"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("PB talk", True))
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    assert _documents(session)[frame["pb"]][0] == "PB talk"
    qtbot.keyClick(panel.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.AltModifier)
    assert _read_cell(panel, frame["pb"]) == READ_MARK
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kw: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert frame["pb"] not in _documents(session)
    opened: list[int] = []
    panel.document_activated.connect(opened.append)
    panel.select_document(frame["pa"])
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert opened == [frame["pa"]]


def test_read_and_reread_marks_show_undo_and_survive_reopening(
        qtbot: QtBot, store: ProjectStore, frame: dict[str, int],
        qtmodeltester: object) -> None:
    session = ProjectSession(store, "alice")
    panel = _panel(qtbot, session)
    assert _read_cell(panel, frame["pa"]) == ""
    _trigger(panel, frame["pa"], "Mark as read")
    assert _read_cell(panel, frame["pa"]) == READ_MARK
    _trigger(panel, frame["pa"], "Mark as re-read")  # the menu says what a second mark is
    assert _read_cell(panel, frame["pa"]) == REREAD_MARK
    group = panel.model.index_of_key(("participant", "PA"), DocumentsModel.READ)
    assert group.data() == "1/1"
    session.undo_stack.undo()
    assert _read_cell(panel, frame["pa"]) == READ_MARK
    tip = panel.model.index_of_key(("document", frame["pa"]), DocumentsModel.READ).data(
        Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("PA interview:\nread by you, ")
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    session.undo_stack.clear()

    bob = ProjectSession(store, "bob")  # another coder sees their own marks, and alice's
    bobs = _panel(qtbot, bob)
    assert _read_cell(bobs, frame["pa"]) == ""
    _trigger(bobs, frame["pa"], "Mark as read")
    tip = bobs.model.index_of_key(("document", frame["pa"]), DocumentsModel.READ).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "read by alice" in tip and "read by you" in tip
    _trigger(bobs, frame["pa"], "Remove my last reading mark")
    assert _read_cell(bobs, frame["pa"]) == ""
    bob.undo_stack.undo()
    assert _read_cell(bobs, frame["pa"]) == READ_MARK

    path = store.path
    store.close()
    with ProjectStore.open(path) as again:
        with again.read() as s:
            assert [m.coder for m in read_marks(s)[frame["pa"]]] == ["alice", "bob"]
        reopened = _panel(qtbot, ProjectSession(again, "alice"))
        assert _read_cell(reopened, frame["pa"]) == READ_MARK


def test_phase_one_counts_the_transcripts_read(qtbot: QtBot, session: ProjectSession,
                                              frame: dict[str, int]) -> None:
    phases = PhasePanel(session)
    qtbot.addWidget(phases)
    panel = _panel(qtbot, session)
    assert phases.reading.isVisibleTo(phases)
    assert "0 of 3 transcripts read by you." in phases.reading.text()
    _trigger(panel, frame["pa"], "Mark as read")
    _trigger(panel, frame["pa"], "Mark as re-read")
    _trigger(panel, frame["pb"], "Mark as read")
    assert "2 of 3 transcripts read by you, 1 re-read." in phases.reading.text()
    with session.read() as s:
        assert reading_progress(s, "alice").read == 2
    phases.show_phase(2)
    assert not phases.reading.isVisibleTo(phases)


def test_names_are_never_cut_and_widths_are_remembered(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    long_name = "PA-forensic-psychologist-second-interview"
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: (long_name, True))
    panel = _panel(qtbot, session, settings, shown=True)
    _trigger(panel, frame["pa"], "Rename")
    header = panel.view.header()
    assert header.isSectionHidden(DocumentsModel.LINES)  # at first: room for the names
    name = panel.model.index_of_key(("document", frame["pa"]))
    metrics = panel.view.fontMetrics()
    assert str(name.data(Qt.ItemDataRole.ToolTipRole)).startswith(
        f"{long_name} (from PA interview.txt)")  # the whole name on hover

    panel.resize(panel.preferred_width(), 400)  # the panel's own first width: all of it
    qtbot.waitUntil(lambda: panel.view.visualRect(name).width()
                    >= metrics.horizontalAdvance(long_name))
    assert panel.view.horizontalScrollBar().maximum() == 0  # and the counts beside it
    panel.resize(240, 400)  # a narrow panel: at least 16 characters, then it scrolls
    qtbot.waitUntil(lambda: header.sectionSize(DocumentsModel.NAME)
                    < metrics.horizontalAdvance(long_name))
    assert panel.view.visualRect(name).width() > \
        metrics.horizontalAdvance(long_name[:SHOWN_AT_LEAST])

    header.resizeSection(DocumentsModel.NAME, 333)  # as a drag of the divider would
    menu = panel.build_header_menu()
    (lines,) = [a for a in menu.actions() if a.text() == "Lines"]
    assert not lines.isChecked()
    lines.trigger()
    assert not header.isSectionHidden(DocumentsModel.LINES)

    again = _panel(qtbot, session, settings, shown=True)  # the next start
    assert again.view.header().sectionSize(DocumentsModel.NAME) == 333
    assert not again.view.header().isSectionHidden(DocumentsModel.LINES)
    again.reset_widths()
    assert again.view.header().sectionSize(DocumentsModel.NAME) != 333


def test_read_only_offers_no_changes(qtbot: QtBot, store: ProjectStore,
                                    frame: dict[str, int]) -> None:
    path = store.path
    store.close()
    with ProjectStore.open(path, readonly=True) as readonly:
        panel = _panel(qtbot, ProjectSession(readonly, "alice"))
        menu = panel.build_menu(frame["pa"])
        enabled = {a.text() for a in menu.actions() if a.isEnabled() and not a.isSeparator()}
        assert enabled == {"Open"}  # a comment is a change too: none in read-only


def test_screenshot_of_the_documents_panel_on_the_demo(
        qtbot: QtBot, tmp_path: Path, settings: QSettings,
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    from tests.gui.window_helpers import open_window

    window = open_window(qtbot, settings, build_demo(tmp_path / "demo.thematic"), "alice")
    window.resize(1366, 768)
    documents = window.documents
    qtbot.wait(50)  # the first-run layout sizes the docks on the next turn
    screenshot(window.docks["documents"], "documents-panel-first-run-layout")
    # The documents column as wide as its names want, beyond the first-run layout's cap.
    window.resizeDocks([window.docks["documents"]], [documents.preferred_width()],
                       Qt.Orientation.Horizontal)
    with window.session.read() as s:  # type: ignore[union-attr]
        first = document_summaries(s)[0].id
    documents.select_document(first)
    documents.mark_read()
    qtbot.wait(50)
    name = documents.model.index_of_key(("document", first))
    needed = documents.view.fontMetrics().horizontalAdvance(str(name.data()))
    assert documents.view.visualRect(name).width() >= needed
    screenshot(window, "documents-window-1366x768")
    screenshot(window.docks["documents"], "documents-panel")
    menu = documents.build_menu(first)
    menu.popup(documents.view.viewport().mapToGlobal(documents.view.visualRect(name).center()))
    qtbot.waitExposed(menu)
    screenshot(menu, "documents-context-menu")
    menu.close()
    phases = window.workspace.phase_panel  # type: ignore[union-attr]
    window.docks["phase"].raise_()
    phases.show_phase(1)
    assert "1 of 4 transcripts read by you." in phases.reading.text()
    qtbot.wait(400)  # the new checklist rows are laid out on the next turns
    screenshot(window.docks["phase"], "phase-1-reading-count")
