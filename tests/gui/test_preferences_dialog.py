"""Edit → Preferences…: written to the preferences file, the transcript font changed at
once, keys 1-9 agreeing with the Code menu, the project's words and language undoable."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from tests.gui.frame_data import build_frame
from tests.gui.window_helpers import open_window
from thematic_workbench.app.preferences import Preferences, load_preferences
from thematic_workbench.core.finding.wordforms import project_language
from thematic_workbench.core.services.design import design_sheet
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.window.main_window import MainWindow
from thematic_workbench.gui.window.preferences_dialog import PreferencesDialog


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings, tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "frame.thematic"
    store = ProjectStore.create(path, "Frame")
    build_frame(store)
    store.close()
    main = open_window(qtbot, settings, path, "alice")
    yield main
    main.close_project()


def _choose(monkeypatch: pytest.MonkeyPatch, change: object) -> None:
    """Run the dialog without showing it: ``change`` fills it in, then OK."""

    def run(dialog: PreferencesDialog) -> int:
        change(dialog)  # type: ignore[operator]
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(PreferencesDialog, "exec", run)


def test_preferences_are_saved_and_the_font_changes(window: MainWindow, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda *_args: str(tmp_path / "backups"))
    editor = window.transcript.editor  # type: ignore[union-attr]
    assert editor.font().pointSize() == 11

    def fill(dialog: PreferencesDialog) -> None:
        dialog.default_font.setChecked(False)
        dialog.font_family.setCurrentFont(dialog.font_family.font())
        dialog.font_size.setValue(15)
        dialog.number_keys.setChecked(False)
        dialog.default_words.setCurrentIndex(dialog.default_words.findData(
            "initial_developed"))
        dialog.choose_backup_folder()
        dialog.backups_kept.setValue(5)

    _choose(monkeypatch, fill)
    window.actions_by_key["preferences"].trigger()
    saved = load_preferences()
    assert saved.transcript_font_size == 15 and saved.transcript_font != ""
    assert saved.theme_words == "initial_developed" and saved.backups_kept == 5
    assert saved.backup_folder == str(tmp_path / "backups")
    assert editor.font().pointSize() == 15
    assert editor.font().family() == saved.transcript_font
    assert not window.actions_by_key["number_keys"].isChecked()  # the menu agrees
    assert not window.coding.number_keys  # type: ignore[union-attr]
    with window.session.read() as s:  # type: ignore[union-attr]
        assert design_sheet(s).theme_words == "emerging_final"  # only new projects


def test_the_projects_words_and_language_change_as_one_undo(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(dialog: PreferencesDialog) -> None:
        assert dialog.project_words is not None and dialog.project_language is not None
        dialog.project_words.setCurrentIndex(dialog.project_words.findData(
            "initial_developed"))
        dialog.project_language.setCurrentIndex(dialog.project_language.findData("german"))

    _choose(monkeypatch, fill)
    session = window.session
    assert session is not None
    window.open_preferences()
    with session.read() as s:
        assert design_sheet(s).theme_words == "initial_developed"
        assert project_language(s) == "german"
    assert load_preferences() == Preferences()  # the defaults for new projects stay
    session.undo_stack.undo()
    with session.read() as s:
        assert design_sheet(s).theme_words == "emerging_final"
        assert project_language(s) == "english"


def test_the_dialog_fits_a_laptop_screen(qtbot: QtBot, window: MainWindow,
                                         tmp_path: Path) -> None:
    dialog = PreferencesDialog(Preferences(), True, window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    assert dialog.width() <= 1366 and dialog.height() <= 740
    dialog.grab().save(str(Path(os.environ.get("SHOTS_DIR", tmp_path)) / "preferences.png"))
