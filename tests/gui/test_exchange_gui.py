"""Reports and exchange from the window: Table 1's preview and export, the export jobs, and
the codebook and project imports, each checked by what lands on disk or in the project."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from tests.gui.window_helpers import open_window, shown_message_box
from thematic_workbench.analysis.table1 import build_table1
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.exchange.controller import ExchangeController
from thematic_workbench.gui.exchange.table1_dialog import Table1Dialog
from thematic_workbench.gui.window.main_window import MainWindow


@pytest.fixture
def demo_window(qtbot: QtBot, settings: QSettings, tmp_path: Path) -> MainWindow:
    return open_window(qtbot, settings, build_demo(tmp_path / "demo.thematic"), "alice")


def _finish_jobs(qtbot: QtBot, controller: ExchangeController) -> None:
    qtbot.waitUntil(lambda: not controller.jobs, timeout=20_000)


def test_table1_preview_shows_the_paper_table(demo_window: MainWindow, qtbot: QtBot,
                                              screenshot) -> None:
    session = demo_window.session
    assert session is not None
    dialog = Table1Dialog(session, lambda options: None, demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    with session.read() as read:
        expected = build_table1(read)
    model, view = dialog.model, dialog.view
    assert model.rowCount() == len(expected.rows)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Initial codes", "Emerging themes", "Final themes"]
    # Each final theme is one cell spanning its codes, as in the Word table.
    first_final = [r for r in expected.rows if r.final == expected.rows[0].final]
    assert view.rowSpan(0, 2) == len(first_final) > 1
    assert model.index(0, 2).data() == expected.rows[0].final
    assert model.index(1, 2).data() == ""
    assert dialog.warnings.isVisibleTo(dialog)
    assert "left out" in dialog.warnings.text()
    for name in expected.left_out_codes:
        assert name in dialog.warnings.text()
    screenshot(dialog, "table1-preview")

    dialog.two.setChecked(True)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == \
        ["Initial codes", "Themes"]
    assert dialog.title_edit.text() == "Coding frame: initial codes and themes"
    dialog.counts.setChecked(True)
    first = dialog.table.rows[0]
    assert model.index(0, 0).data() == f"{first.code} ({first.codings}, {first.participants})"


def test_export_button_writes_the_word_table(demo_window: MainWindow, qtbot: QtBot,
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    controller = demo_window.exchange
    target = tmp_path / "out" / "Table 1.docx"
    target.parent.mkdir()
    monkeypatch.setattr(controller, "ask_target", lambda kind: target)
    session = demo_window.session
    dialog = Table1Dialog(session, lambda options: controller.export_to(
        "table1", __import__("thematic_workbench.app.exchange", fromlist=["ExportOptions"])
        .ExportOptions(table1=options)), demo_window)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Themes of the working alliance")
    dialog.export_button.click()
    _finish_jobs(qtbot, controller)
    document = Document(str(target))
    assert [p.text for p in document.paragraphs[:2]] == ["Table 1",
                                                         "Themes of the working alliance"]
    assert len(document.tables[0].rows) == dialog.model.rowCount() + 1
    assert demo_window.notice.text().startswith("Wrote Table 1 to")
    assert "left out" in demo_window.notice.text()


def test_every_export_action_writes_its_file(demo_window: MainWindow, qtbot: QtBot,
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    controller = demo_window.exchange
    targets = {"codebook": tmp_path / "codebook.xlsx", "diary": tmp_path / "diary.docx",
               "audit": tmp_path / "audit.csv", "methods": tmp_path / "methods.docx"}
    monkeypatch.setattr(controller, "ask_target", lambda kind: targets[kind])
    for key in ("export_codebook", "export_diary", "export_audit", "export_methods"):
        demo_window.actions_by_key[key].trigger()
        _finish_jobs(qtbot, controller)
    for path in targets.values():
        assert path.is_file() and path.stat().st_size > 0
    with ProjectStore.open(demo_window.session.path, readonly=True) as store, \
            store.read() as read:
        from thematic_workbench.core.trail.audit_queries import iter_audit_rows

        events = sum(1 for _row in iter_audit_rows(read, None, summaries=False))
    lines = targets["audit"].read_text(encoding="utf-8-sig").count("\n")
    assert lines >= events + 1


def test_no_project_means_no_export(qtbot: QtBot, settings: QSettings) -> None:
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    assert not window.actions_by_key["table1"].isEnabled()
    assert not window.actions_by_key["import_codebook"].isEnabled()
    assert window.actions_by_key["import_project"].isEnabled()


def test_import_codebook_fills_the_board(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    demo = build_demo(tmp_path / "demo.thematic")
    codebook = tmp_path / "frame.qdc"
    with ProjectStore.open(demo, readonly=True) as store, store.read() as read:
        from thematic_workbench.core.queries.refi_export import read_frame
        from thematic_workbench.io.refi.qdc import write_qdc

        write_qdc(read_frame(read), codebook)
        expected = build_table1(read)
    empty = tmp_path / "empty.thematic"
    ProjectStore.create(empty, "Empty").close()
    window = open_window(qtbot, settings, empty, "alice")
    controller = window.exchange
    asked: list[str] = []
    monkeypatch.setattr(controller, "ask_source", lambda title, filters: codebook)
    monkeypatch.setattr(controller, "confirm",
                        lambda title, text, details, button: asked.append(text) or True)
    window.actions_by_key["import_codebook"].trigger()
    _finish_jobs(qtbot, controller)
    assert asked and "17 codes" in asked[0]
    with window.session.read() as read:
        imported = build_table1(read)
    assert [(r.code, r.emerging, r.final) for r in imported.rows] == \
        [(r.code, r.emerging, r.final) for r in expected.rows]
    assert window.notice.text().startswith("Imported frame.qdc: 17 new codes")
    window.workspace.show_tab("board")
    for final in {r.final for r in expected.rows}:  # the board shows names as HTML
        qtbot.waitUntil(lambda name=final: html.escape(name) in _board_texts(window))


def _board_texts(window: MainWindow) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in window.workspace.board.findChildren(QLabel))


def test_import_project_opens_the_new_project(qtbot: QtBot, settings: QSettings,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    demo = build_demo(tmp_path / "demo.thematic")
    exported = tmp_path / "demo.qdpx"
    with ProjectStore.open(demo, readonly=True) as store, store.read() as read:
        from thematic_workbench.core.queries.refi_export import read_project_export
        from thematic_workbench.io.refi.qdpx_write import write_qdpx

        write_qdpx(read_project_export(read), exported)
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    controller = window.exchange
    target = tmp_path / "copy"
    monkeypatch.setattr(controller, "ask_source", lambda title, filters: exported)
    monkeypatch.setattr(controller, "ask_new_project", lambda suggested: target)
    window.actions_by_key["import_project"].trigger()
    _finish_jobs(qtbot, controller)
    assert window.session is not None
    assert Path(window.session.path) == tmp_path / "copy.thematic"
    qtbot.waitUntil(lambda: window.documents.model.rowCount() > 0)
    with window.session.read() as read:
        from thematic_workbench.core.queries.project import document_summaries

        assert len(document_summaries(read)) == 4
    assert "imported 4 transcripts" in window.notice.text()


def test_import_project_lists_what_it_re_cast_as_the_command_line_does(
        qtbot: QtBot, settings: QSettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.io.test_qdpx_position_units import interviews_qdpx
    from thematic_workbench.app.exchange import import_lines

    nvivo = interviews_qdpx(tmp_path / "nvivo.qdpx", "NVivo 12", extra="<Sets/>")
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    controller = window.exchange
    monkeypatch.setattr(controller, "ask_source", lambda title, filters: nvivo)
    monkeypatch.setattr(controller, "ask_new_project", lambda suggested: tmp_path / "n")
    window.actions_by_key["import_project"].trigger()
    _finish_jobs(qtbot, controller)
    assert window.session is not None
    assert controller.last_lines == import_lines(controller.last_result)
    assert any(line.startswith("re-cast: positions were read as UTF-16 code units")
               for line in controller.last_lines)
    assert any(line.startswith("not to the standard: the file's <Sets> element is empty")
               for line in controller.last_lines)
    box = shown_message_box(qtbot)
    assert box.windowTitle() == "Imported nvivo.qdpx"
    assert "• re-cast: positions were read as UTF-16 code units" in box.informativeText()
    assert "the list is open" in window.notice.text()
    box.close()
