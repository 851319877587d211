"""The preferences file: defaults where it is missing or wrong, values kept in range."""

from __future__ import annotations

import json
from pathlib import Path

from thematic_workbench.app.preferences import (
    Preferences,
    default_backup_folder,
    load_preferences,
    preferences_path,
    save_preferences,
)


def test_missing_file_gives_defaults() -> None:
    assert not preferences_path().exists()
    assert load_preferences() == Preferences()
    assert Preferences().backups_path() == default_backup_folder()


def test_saved_preferences_come_back(tmp_path: Path) -> None:
    chosen = Preferences(transcript_font="DejaVu Sans Mono", transcript_font_size=14,
                         theme_words="initial_developed",
                         backup_folder=str(tmp_path / "safe"), backups_kept=5)
    written = save_preferences(chosen)
    assert written == preferences_path()
    assert load_preferences() == chosen
    assert load_preferences().backups_path() == tmp_path / "safe"
    assert not [p for p in written.parent.iterdir() if p.name.startswith(".preferences-")]


def test_wrong_types_and_ranges_fall_back() -> None:
    path = preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"transcript_font_size": 400, "theme_words": 1,
                                "backups_kept": True, "language": "klingon",
                                "backup_minutes": 0, "unknown": "kept out"}),
                    encoding="utf-8")
    loaded = load_preferences()
    assert loaded.transcript_font_size == 32
    assert loaded.backups_kept == Preferences().backups_kept
    assert loaded.theme_words == "emerging_final"
    assert loaded.language == "english"
    assert loaded.backup_minutes == 1


def test_unreadable_file_gives_defaults() -> None:
    path = preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert load_preferences() == Preferences()
