"""``new`` starts a project with the user's preferred theme-level words and language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from thematic_workbench.app.preferences import Preferences, save_preferences
from thematic_workbench.core.finding.wordforms import project_language
from thematic_workbench.core.services.design import design_sheet
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.audit_queries import audit_rows


def test_new_applies_the_preferred_words_and_language(cli: Callable[..., Run],
                                                      tmp_path: Path) -> None:
    save_preferences(Preferences(theme_words="initial_developed", language="german"))
    path = tmp_path / "study.thematic"
    assert cli("new", str(path)).code == 0
    with ProjectStore.open(path, readonly=True) as store, store.read() as s:
        assert design_sheet(s).theme_words == "initial_developed"
        assert project_language(s) == "german"
        actions = {row.action for row in audit_rows(s, limit=10)}
    assert {"design.set", "project.set_language"} <= actions


def test_new_without_preferences_keeps_the_built_in_choices(cli: Callable[..., Run],
                                                           tmp_path: Path) -> None:
    path = tmp_path / "plain.thematic"
    assert cli("new", str(path)).code == 0
    with ProjectStore.open(path, readonly=True) as store, store.read() as s:
        assert design_sheet(s).theme_words == "emerging_final"
        assert project_language(s) == "english"
        actions = {row.action for row in audit_rows(s, limit=10)}
    assert "design.set" not in actions and "project.set_language" not in actions
