"""Edit → Preferences…: one user's choices, kept in the preferences file (app/preferences.py),
and the theme-level words and language of the open project.

The transcript font and keys 1-9 take effect at once; the project's words and language are
an undoable, audited change of the project; the defaults for new projects and the backup
settings are read when a project is made and when a backup is taken.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.app.preferences import (
    MAX_FONT_SIZE,
    MIN_FONT_SIZE,
    THEME_WORDS,
    Preferences,
    default_backup_folder,
)
from thematic_workbench.core.finding.wordforms import LANGUAGES, project_language
from thematic_workbench.core.services.design import CHOICE_LABELS, design_sheet
from thematic_workbench.gui.project.design_dialog import SetDesignCommand
from thematic_workbench.gui.project.project_language import SetLanguageCommand, language_title
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.editor import reading_font


def _words_combo(current: str) -> QComboBox:
    combo = QComboBox()
    for value in THEME_WORDS:
        combo.addItem(CHOICE_LABELS["theme_words"].get(value, value), value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def _language_combo(current: str) -> QComboBox:
    combo = QComboBox()
    for language in LANGUAGES:
        combo.addItem(language_title(language), language)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def _spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setMaximumWidth(160)
    return spin


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color:#4B5563;")
    return label


class PreferencesDialog(QDialog):
    """The preferences as a form; :meth:`preferences` is what the user chose."""

    def __init__(self, preferences: Preferences, number_keys: bool,
                 session: ProjectSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.start = preferences
        self.session = session
        body = QWidget()
        column = QVBoxLayout(body)

        transcript = QGroupBox("Transcript")
        form = QFormLayout(transcript)
        self.font_family = QFontComboBox()
        self.font_family.setCurrentFont(reading_font(preferences.transcript_font))
        self.default_font = QCheckBox("The default reading font")
        self.default_font.setChecked(not preferences.transcript_font)
        self.default_font.toggled.connect(lambda on: self.font_family.setEnabled(not on))
        self.font_family.setEnabled(bool(preferences.transcript_font))
        self.font_size = _spin(MIN_FONT_SIZE, MAX_FONT_SIZE,
                               preferences.transcript_font_size, " pt")
        self.number_keys = QCheckBox("Keys 1-9 apply the recent codes shown under the "
                                     "transcript")
        self.number_keys.setChecked(number_keys)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_family, 1)
        font_row.addWidget(self.font_size)
        form.addRow("Font", font_row)
        form.addRow("", self.default_font)
        form.addRow("Keys", self.number_keys)
        column.addWidget(transcript)

        words = QGroupBox("Theme-level words and language")
        grid = QFormLayout(words)
        self.project_words: QComboBox | None = None
        self.project_language: QComboBox | None = None
        if session is not None:
            with session.read() as s:
                current_words, current_language = design_sheet(s).theme_words, \
                    project_language(s)
            self.project_words = _words_combo(current_words)
            self.project_language = _language_combo(current_language)
            for combo in (self.project_words, self.project_language):
                combo.setEnabled(not session.readonly)
            grid.addRow("This project's theme levels", self.project_words)
            grid.addRow("This project's language", self.project_language)
        self.default_words = _words_combo(preferences.theme_words)
        self.default_language = _language_combo(preferences.language)
        grid.addRow("New projects' theme levels", self.default_words)
        grid.addRow("New projects' language", self.default_language)
        grid.addRow(_note("The language gives the word forms search finds (risk, risks, "
                          "risky) and the stop words word frequencies leave out."))
        column.addWidget(words)

        backups = QGroupBox("Backups")
        form = QFormLayout(backups)
        self.backup_folder = QLineEdit(preferences.backup_folder)
        self.backup_folder.setPlaceholderText(str(default_backup_folder()))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.choose_backup_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.backup_folder, 1)
        folder_row.addWidget(browse)
        self.backups_kept = _spin(1, 1000, preferences.backups_kept)
        self.daily_backups_kept = _spin(0, 3650, preferences.daily_backups_kept, " days")
        self.backup_minutes = _spin(1, 24 * 60, preferences.backup_minutes, " minutes")
        form.addRow("Folder", folder_row)
        form.addRow("Newest backups kept", self.backups_kept)
        form.addRow("Daily backups kept for", self.daily_backups_kept)
        form.addRow("Back up during long work every", self.backup_minutes)
        column.addWidget(backups)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(640, 600)

    def choose_backup_folder(self) -> None:
        start = self.backup_folder.text().strip() or str(default_backup_folder())
        folder = QFileDialog.getExistingDirectory(self, "Backup folder",
                                                  start if Path(start).is_dir()
                                                  else str(Path.home()))
        if folder:
            self.backup_folder.setText(folder)

    def preferences(self) -> Preferences:
        """The preferences as the form shows them."""
        return replace(
            self.start,
            transcript_font="" if self.default_font.isChecked()
            else self.font_family.currentFont().family(),
            transcript_font_size=self.font_size.value(),
            theme_words=str(self.default_words.currentData()),
            language=str(self.default_language.currentData()),
            backup_folder=self.backup_folder.text().strip(),
            backups_kept=self.backups_kept.value(),
            daily_backups_kept=self.daily_backups_kept.value(),
            backup_minutes=self.backup_minutes.value(),
        ).checked()

    def transcript_font(self) -> QFont:
        chosen = self.preferences()
        return reading_font(chosen.transcript_font, chosen.transcript_font_size)

    def apply_to_project(self) -> None:
        """Push the project's words and language, if changed, as one undoable step."""
        session = self.session
        if session is None or session.readonly or self.project_words is None \
                or self.project_language is None:
            return
        with session.read() as s:
            words, language = design_sheet(s).theme_words, project_language(s)
        new_words = str(self.project_words.currentData())
        new_language = str(self.project_language.currentData())
        if (new_words, new_language) == (words, language):
            return
        session.undo_stack.beginMacro("Change the project's theme-level words and language")
        try:
            if new_words != words:
                session.push(SetDesignCommand(session, {"theme_words": new_words}))
            if new_language != language:
                session.push(SetLanguageCommand(session, new_language))
        finally:
            session.undo_stack.endMacro()
