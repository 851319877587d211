"""A project taken from imported transcripts through all six phases in the app alone.

The analyst imports two interviews, codes them, builds themes on the board, defines them,
keeps a diary and moves through the phases with a note each time; the supervisor opens
the project under their own name, takes the role and signs off the coding phase. The
audit trail then shows every phase move with its note and the sign-off.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPointF, QSettings, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.window_helpers import open_window, quick_code
from thematic_workbench.app.demo import DEMO_DIR
from thematic_workbench.core.storage.models import AuditEvent, Coding, Document, Project, Theme
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.board.cards import CODE_MIME
from thematic_workbench.gui.common.workers import database_pool
from thematic_workbench.gui.documents.import_dialog import ImportDialog
from thematic_workbench.gui.project.coders_dialog import CodersDialog
from thematic_workbench.gui.review import panel as review_panel
from thematic_workbench.gui.window.main_window import MainWindow

NOTES = {2: "Both interviews read twice; starting line-by-line coding.",
         3: "Coding done; looking for patterns across the codes.",
         4: "Candidate themes in place; checking them against the extracts.",
         5: "Themes hold up; defining and naming them.",
         6: "Definitions agreed; writing up."}


def _move(window: MainWindow, phase: int, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = window.workspace
    assert workspace is not None
    monkeypatch.setattr(workspace.phases, "ask_note", lambda *_args: NOTES[phase])
    window.actions_by_key["next_phase"].trigger()
    assert workspace.phases.strip.current == phase


def test_from_import_to_write_up_in_the_app(qtbot: QtBot, settings: QSettings,
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "alliance.thematic"
    ProjectStore.create(path, "Working alliance in mandated treatment", coder="alice").close()
    window = open_window(qtbot, settings, path, "alice")
    assert window.session is not None

    # Phase 1: import two interviews through the dialog, and read them.
    dialog = ImportDialog(window.session, window, initial_files=[
        DEMO_DIR / "PA-forensic-psychologist.docx", DEMO_DIR / "PB-probation-counsellor.odt"])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        assert dialog.start_import()
    database_pool().waitForDone(30_000)
    assert window.documents.model.rowCount() == 2  # grouped by participant: PA and PB
    _move(window, 2, monkeypatch)

    # Phase 2: code lines from each transcript with the quick-code box.
    with window.session.read() as s:
        ids = list(s.execute(select(Document.id).order_by(Document.id)).scalars())
    for document_id, lines, code in ((ids[0], (3, 4), "Naming the coercion"),
                                     (ids[1], (5, 6), "Naming the coercion"),
                                     (ids[1], (8, 8), "Small choices")):
        window.open_document(document_id)
        window.transcript.select_lines(*lines)  # type: ignore[union-attr]
        quick_code(window, qtbot, code, monkeypatch)
    with window.session.read() as s:
        assert len(s.execute(select(Coding.id)).all()) == 3
    _move(window, 3, monkeypatch)

    # Phase 3: a theme on the board, a code dropped onto it.
    workspace = window.workspace
    assert workspace is not None and workspace.current_tab() == "board"
    monkeypatch.setattr(workspace.board, "ask_new_theme",
                        lambda *_args: ("Honest about force", None))
    window.actions_by_key["new_theme"].trigger()
    with window.session.read() as s:
        theme_id = s.execute(select(Theme.id)).scalar_one()
        code_ids = [c.id for c in workspace.board.board.miscellaneous]  # type: ignore[union-attr]
    for code_id in code_ids:
        mime = QMimeData()
        mime.setData(CODE_MIME, QByteArray(str(code_id).encode()))
        QApplication.processEvents()  # the board was rebuilt: let it be laid out
        card = workspace.board.cards[theme_id]
        card.dropEvent(QDropEvent(  # at the card's foot: after the chips already there
            QPointF(5, card.height() - 2), Qt.DropAction.MoveAction, mime,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert [c.code.id for c in workspace.board.cards[theme_id].chips] == code_ids
    _move(window, 4, monkeypatch)
    _move(window, 5, monkeypatch)

    # Phase 5: define the theme with a representative extract.
    definitions = workspace.definitions
    assert workspace.current_tab() == "definitions"
    definitions.show_theme(theme_id)
    definitions.definition.setPlainText("Therapists name the coercion rather than hide it.")
    definitions.extract.setCurrentIndex(1)
    assert definitions.save_theme()

    # The supervisor opens the project under their own name and signs off phase 2.
    window.close()
    supervisor = open_window(qtbot, settings, path, "Dr Sam Okafor")
    roles = CodersDialog(supervisor.session, supervisor)  # type: ignore[arg-type]
    qtbot.addWidget(roles)
    roles.new_name.setText("Dr Sam Okafor")
    roles.new_role.setCurrentIndex(roles.new_role.findData("supervisor"))
    assert roles.add_coder()
    monkeypatch.setattr(review_panel, "ask_sign_off",
                        lambda _parent, _phase: (2, "Coding is thorough and even"))
    panel = supervisor.workspace.comments  # type: ignore[union-attr]
    assert panel.sign_off_button.isEnabled()
    panel.sign_off()
    QApplication.processEvents()
    assert 2 in supervisor.phase_strip.marks.signed_off
    supervisor.close()

    window = open_window(qtbot, settings, path, "alice")
    _move(window, 6, monkeypatch)
    window.close()

    with ProjectStore.open(path, readonly=True) as store, store.read() as s:
        assert s.execute(select(Project.current_phase)).scalar_one() == 6
        moves = [json.loads(e.after_json) for e in s.execute(
            select(AuditEvent).where(AuditEvent.action == "phase.move")
            .order_by(AuditEvent.seq)).scalars()]
        assert [(m["phase"], m["note"]) for m in moves] == sorted(NOTES.items())
        sign_off = s.execute(select(AuditEvent).where(
            AuditEvent.action.like("phase.sign_off%"))).scalars().one()
        assert sign_off.coder == "Dr Sam Okafor" and "Coding is thorough" in sign_off.after_json
        theme = s.get(Theme, theme_id)
        assert theme.definition.startswith("Therapists name")
        assert theme.representative_coding_id is not None
