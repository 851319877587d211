"""Drive the main window as a researcher would, checking the database after each step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.window_helpers import held_for_writing, quick_code
from thematic_workbench.core.queries.project import find_document
from thematic_workbench.core.storage.models import Code, Coding, Document, Line
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.window.main_window import MainWindow

Shot = Callable[[QWidget, str], Path | None]


def _codings(path: Path) -> list[tuple[str, int, int]]:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        return sorted((name, start, end) for name, start, end in session.execute(
            select(Code.name, Coding.start, Coding.end).join(Code)))


def _doc_id(window: MainWindow, name: str) -> int:
    with window.session.read() as session:  # type: ignore[union-attr]
        return find_document(session, name).id


def test_open_shows_project_phase_and_coder(window: MainWindow) -> None:
    assert window.windowTitle().startswith("study.thematic")
    assert window.phase_strip.current == 3
    assert "Phase 3" in window._status_labels["phase"].text()
    assert window._status_labels["coder"].text() == "Coder: alice"
    assert not window.readonly_banner.isVisible()


def test_code_undo_redo_through_the_quick_code_box(
        window: MainWindow, qtbot: QtBot, project: Path, monkeypatch: pytest.MonkeyPatch,
        screenshot: Shot) -> None:
    doc = _doc_id(window, "PA-forensic-psychologist")
    window.open_document(doc)
    view = window.transcript
    with window.session.read() as session:  # type: ignore[union-attr]
        text = session.get(Document, doc).text
    start = text.index("medium secure unit")
    view.select_span(start, start + len("medium secure unit"))
    before = _codings(project)

    quick_code(window, qtbot, "Secure setting", monkeypatch)
    added = sorted(set(_codings(project)) - set(before))
    assert added == [("Secure setting", start, start + len("medium secure unit"))]
    screenshot(window, "main-window-coded-transcript")

    window.actions_by_key["undo"].trigger()
    assert _codings(project) == before
    window.actions_by_key["redo"].trigger()
    assert ("Secure setting", start, start + len("medium secure unit")) in _codings(project)


def test_quick_code_box_filters_and_offers_a_new_code(window: MainWindow, qtbot: QtBot,
                                                      screenshot: Shot) -> None:
    window.open_document(_doc_id(window, "PB-probation-counsellor"))
    window.transcript.select_lines(3, 4)
    box = window.coding.make_quick_code_box()  # type: ignore[union-attr]
    assert box is not None
    qtbot.addWidget(box)
    box.show()
    qtbot.keyClicks(box.filter, "trust")
    names = [box.list.item(i).text() for i in range(box.list.count())]
    assert "Trust built slowly" in names and all("trust" in n.lower() for n in names[:-1])
    screenshot(box, "quick-code-box")
    qtbot.keyClicks(box.filter, " in the court")
    assert box.list.currentItem().text() == "Create new code “trust in the court”"


def test_code_lines_selected_like_the_gutter(window: MainWindow, project: Path) -> None:
    doc = _doc_id(window, "PD-art-therapist")
    window.open_document(doc)
    window.transcript.select_lines(5, 7)
    with window.session.read() as session:  # type: ignore[union-attr]
        lines = {n: (s, e) for n, s, e in session.execute(
            select(Line.number, Line.start, Line.end).where(Line.document_id == doc))}
    assert window.transcript.selection_span() == (lines[5][0], lines[7][1])
    window.coding.apply_choice(window.coding._existing_or_new("Lines five to seven"))  # type: ignore[union-attr]
    assert ("Lines five to seven", lines[5][0], lines[7][1]) in _codings(project)


def test_in_vivo_code(window: MainWindow, project: Path) -> None:
    doc = _doc_id(window, "PC-nurse-therapist")
    window.open_document(doc)
    with window.session.read() as session:  # type: ignore[union-attr]
        text = session.get(Document, doc).text
    start = text.index("restraint")
    window.transcript.select_span(start, start + len("restraint"))
    window.actions_by_key["in_vivo"].trigger()
    assert ('"restraint"', start, start + len("restraint")) in _codings(project)


def test_import_through_the_dialog(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                   project: Path, screenshot: Shot) -> None:
    from thematic_workbench.gui.documents.import_dialog import ImportDialog

    good = tmp_path / "PE-new-interview.txt"
    good.write_text("Interviewer: How long have you worked here?\nPE: Six years.", "utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    dialog = ImportDialog(window.session, window, initial_files=[good, bad])
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.import_finished, timeout=20_000) as finished:
        dialog.start_import()
    summary = finished.args[0]
    assert [o.path.name for o in summary.of("failed")] == ["empty.txt"]
    screenshot(dialog, "import-dialog")
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        assert find_document(session, "PE-new-interview").participant_id is not None


def test_find_across_the_project_and_jump(window: MainWindow, qtbot: QtBot,
                                          screenshot: Shot) -> None:
    window.actions_by_key["find_project"].trigger()  # Ctrl+Shift+F: the Search tab, in front
    view = window.search
    assert window.workspace is not None and window.workspace.current_tab() == "search"
    assert view.query_edit.hasFocus() or not window.isActiveWindow()
    with qtbot.waitSignal(view.search_finished, timeout=10_000) as found:
        view.search("supervision")
    assert found.args[0] >= 2
    screenshot(window, "main-window-search-tab")
    first_hit = view.model.index(0, 0)
    with qtbot.waitSignal(view.result_activated) as activated:
        view.view.activated.emit(first_hit)
    document_id, start, end = activated.args
    assert window.workspace.current_tab() == "transcript"
    assert window.transcript.current_document_id == document_id
    assert window.transcript.selection_span() == (start, end)
    assert window.transcript.selected_text().lower() == "supervision"


def test_extracts_panel_follows_the_codes_panel(window: MainWindow, qtbot: QtBot,
                                                screenshot: Shot) -> None:
    with window.session.read() as session:  # type: ignore[union-attr]
        code_id = session.execute(select(Code.id).where(
            Code.name == "Clients testing boundaries")).scalar_one()
    window.codes.code_selected.emit(code_id)
    window.docks["extracts"].raise_()
    assert window.extracts.model.rowCount() == 4
    screenshot(window, "main-window-extracts")


def test_locked_project_opens_read_only_with_a_banner(qtbot: QtBot, settings: QSettings,
                                                      project: Path) -> None:
    with held_for_writing(project):
        main = MainWindow("bob", settings)
        qtbot.addWidget(main)
        main.show()
        assert main.open_project(project)
        assert main.readonly_banner.isVisible()
        assert "already open for writing" in main.readonly_banner.text()
        assert not main.actions_by_key["apply_code"].isEnabled()
        main.close_project()


def test_a_file_that_is_not_a_project(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text: shown.append(text))
    fake = tmp_path / "chapter.docx"
    fake.write_bytes(b"PK\x03\x04 not a project")
    main = MainWindow("alice", settings)
    qtbot.addWidget(main)
    assert not main.open_project(fake)
    assert shown and "not a Thematic Workbench project" in shown[0]


def test_recent_projects_and_geometry_persist(qtbot: QtBot, settings: QSettings,
                                              project: Path) -> None:
    main = MainWindow("alice", settings)
    qtbot.addWidget(main)
    main.show()
    main.open_project(project)
    main.close()
    again = MainWindow("alice", settings)
    qtbot.addWidget(again)
    assert [a.toolTip() for a in again.recent_menu.actions()] == [str(project)]


def test_drop_a_code_from_the_codes_panel_onto_the_selection(window: MainWindow,
                                                             project: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent

    from thematic_workbench.gui.window.main_window import CODE_MIME

    doc = _doc_id(window, "PB-probation-counsellor")
    window.open_document(doc)
    window.transcript.select_lines(2, 2)
    span = window.transcript.selection_span()
    assert span is not None
    with window.session.read() as session:  # type: ignore[union-attr]
        code_id, name = session.execute(select(Code.id, Code.name).where(
            Code.name == "Trust built slowly")).one()
    mime = QMimeData()
    mime.setData(CODE_MIME, str(code_id).encode("ascii"))
    drop = QDropEvent(QPointF(40, 40), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    # Qt delivers drop events only during a real drag, so hand this one to the window's
    # filter on the transcript, which is what receives it then.
    assert window.eventFilter(window.transcript.editor.viewport(), drop)
    assert (name, span[0], span[1]) in _codings(project)


def test_key_one_applies_the_most_recent_code(window: MainWindow, qtbot: QtBot,
                                              project: Path) -> None:
    doc = _doc_id(window, "PD-art-therapist")
    window.open_document(doc)
    window.transcript.select_lines(2, 2)
    window.coding.apply_choice(window.coding._existing_or_new("Materials as a way in"))  # type: ignore[union-attr]
    window.transcript.select_lines(4, 4)
    second = window.transcript.selection_span()
    window.transcript.editor.setFocus()
    qtbot.waitUntil(window.transcript.editor.hasFocus)
    qtbot.keyClick(window.transcript.editor, Qt.Key.Key_1)
    assert second is not None
    assert ("Materials as a way in", *second) in _codings(project)
