"""Links between the views: matrix cells, diary links and review citations lead somewhere."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from thematic_workbench.analysis.theme_matrix import theme_participant_matrix
from thematic_workbench.core.storage.models import Code
from thematic_workbench.gui.window.main_window import MainWindow


def test_a_matrix_cell_shows_its_extracts_in_the_extracts_panel(window: MainWindow) -> None:
    workspace = window.workspace
    assert workspace is not None and window.session is not None
    with window.session.read() as s:
        matrix = theme_participant_matrix(s)
    theme, label = next((t.id, p) for t in matrix.themes for p in matrix.participants
                        if matrix.cell(t.id, p).segments)
    workspace.matrix.cell_activated.emit(theme, label)
    QApplication.processEvents()
    rows = window.extracts.model.rowCount()
    assert rows == matrix.cell(theme, label).segments
    assert {window.extracts.model.row_values(r).participant for r in range(rows)} == {label}


def test_a_diary_link_to_a_code_shows_its_extracts(window: MainWindow) -> None:
    workspace = window.workspace
    assert workspace is not None and window.session is not None
    with window.session.read() as s:
        code_id, name = s.execute(select(Code.id, Code.name).order_by(Code.id)).first()
    workspace.diary.link_activated.emit("code", code_id)
    assert window.extracts.model.target == ("code", code_id)
    assert name in window.extracts.title_text()


def test_a_citation_in_the_theme_review_opens_the_transcript_there(window: MainWindow) -> None:
    workspace = window.workspace
    assert workspace is not None and window.transcript is not None
    workspace.show_tab("review")
    window.codes.theme_selected.emit(1)
    workspace.theme_review.extract_activated.emit(1, 10, 40)
    assert workspace.current_tab() == "transcript"
    assert window.transcript.current_document_id == 1
    assert window.transcript.selection_span() is not None


def test_the_analysis_menu_verifies_the_audit_trail_in_its_panel(
        qtbot: QtBot, window: MainWindow) -> None:
    workspace = window.workspace
    assert workspace is not None
    with qtbot.waitSignal(workspace.audit.verified, timeout=20_000) as verified:
        window.actions_by_key["verify_audit"].trigger()
    assert verified.args[0].intact and verified.args[0].events > 40
    assert window.docks["audit"].isVisible()
