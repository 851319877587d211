"""Analysis → Study design…: the design sheet saved as one undoable, audited step."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from thematic_workbench.core.services.design import design_sheet
from thematic_workbench.core.trail.audit_queries import audit_rows
from thematic_workbench.gui.project.design_dialog import NOT_STATED, DesignDialog
from thematic_workbench.gui.session import ProjectSession


def test_saving_the_design_is_undoable(qtbot: QtBot, session: ProjectSession) -> None:
    dialog = DesignDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.combos["approach"].currentText() == NOT_STATED
    approach = dialog.combos["approach"]
    approach.setCurrentIndex(approach.findData("reflexive"))
    meaning = dialog.combos["meaning"]
    meaning.setCurrentIndex(meaning.findData("latent"))
    dialog.texts["positionality"].setPlainText("A former nurse, interviewing nurses.")
    dialog.save()
    with session.read() as s:
        sheet = design_sheet(s)
        assert (sheet.approach, sheet.meaning, sheet.orientation) == ("reflexive", "latent", "")
        assert sheet.positionality == "A former nurse, interviewing nurses."
        assert audit_rows(s, limit=1)[0].action == "design.set"
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    with session.read() as s:
        sheet = design_sheet(s)
        assert (sheet.approach, sheet.meaning, sheet.positionality) == ("", "", "")
    again = DesignDialog(session)
    qtbot.addWidget(again)
    assert again.combos["approach"].currentText() == NOT_STATED


def test_the_dialog_fits_a_laptop_screen(qtbot: QtBot, session: ProjectSession,
                                         tmp_path: Path) -> None:
    dialog = DesignDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    assert dialog.width() <= 1366 and dialog.height() <= 740
    dialog.grab().save(str(Path(os.environ.get("SHOTS_DIR", tmp_path)) / "design_dialog.png"))
