"""What one user prefers, kept in a small JSON file beside their signing keys.

The window and the command line read the same file, so backups taken by the window are
found by ``backups`` on the command line, and a new project starts with the theme-level
words and the language its user chose. A missing, unreadable or partly unknown file gives
the defaults for what it lacks: a preference never stops the program from starting.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from thematic_workbench.core.finding.wordforms import LANGUAGES
from thematic_workbench.core.storage.witness import data_dir
from thematic_workbench.core.trail.keys import config_dir

FILE_NAME = "preferences.json"
THEME_WORDS = ("emerging_final", "initial_developed")
MIN_FONT_SIZE, MAX_FONT_SIZE = 7, 32


def default_backup_folder() -> Path:
    return data_dir() / "backups"


@dataclass(frozen=True)
class Preferences:
    """Every preference with its default; an empty ``transcript_font`` is the window's
    default reading font and an empty ``backup_folder`` is :func:`default_backup_folder`.
    Keys 1-9 are the window's own setting (the Code menu's tick), which the Preferences
    dialog shows too: the command line has no use for it."""

    transcript_font: str = ""
    transcript_font_size: int = 11
    theme_words: str = "emerging_final"  # for new projects; each project keeps its own
    language: str = "english"  # word forms and stop words, for new projects
    backup_folder: str = ""
    backups_kept: int = 10  # the newest backups kept, besides one a day
    daily_backups_kept: int = 14  # days for which the day's last backup is kept
    backup_minutes: int = 10  # during long work, a backup after this many minutes of changes

    def backups_path(self) -> Path:
        return Path(self.backup_folder) if self.backup_folder.strip() else \
            default_backup_folder()

    def checked(self) -> Preferences:
        """The same preferences with every value brought into its range."""
        return replace(
            self,
            transcript_font_size=min(max(self.transcript_font_size, MIN_FONT_SIZE),
                                     MAX_FONT_SIZE),
            theme_words=self.theme_words if self.theme_words in THEME_WORDS
            else "emerging_final",
            language=self.language if self.language in LANGUAGES else "english",
            backups_kept=min(max(self.backups_kept, 1), 1000),
            daily_backups_kept=min(max(self.daily_backups_kept, 0), 3650),
            backup_minutes=min(max(self.backup_minutes, 1), 24 * 60),
        )


def preferences_path() -> Path:
    return config_dir() / FILE_NAME


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved preferences; defaults for anything missing, unreadable or of the wrong type."""
    try:
        stored: Any = json.loads((path or preferences_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(stored, dict):
        return Preferences()
    defaults = Preferences()
    values: dict[str, Any] = {}
    for item in fields(Preferences):
        value = stored.get(item.name)
        default = getattr(defaults, item.name)
        if isinstance(value, type(default)) and not (
                isinstance(value, bool) and not isinstance(default, bool)):
            values[item.name] = value
    return Preferences(**values).checked()


def save_preferences(preferences: Preferences, path: Path | None = None) -> Path:
    """Write the preferences whole (a temporary file renamed over the old one)."""
    target = path or preferences_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(asdict(preferences.checked()), indent=2, ensure_ascii=False)
    handle, temporary = tempfile.mkstemp(prefix=".preferences-", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(body + "\n")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
