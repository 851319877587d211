"""A new project starts with its user's preferred theme-level words and language.

The window and the command line both call this right after creating a project, so a
project made either way starts the same; each choice that differs from the built-in one
is an audited change like any later one.
"""

from __future__ import annotations

from thematic_workbench.app.preferences import Preferences, load_preferences
from thematic_workbench.core.services.design import set_design
from thematic_workbench.core.services.speakers import set_project_language
from thematic_workbench.core.storage.store import ProjectStore


def apply_new_project_defaults(store: ProjectStore, coder: str,
                               preferences: Preferences | None = None) -> None:
    """Give a just-created project the preferred theme-level words and language."""
    chosen = preferences or load_preferences()
    with store.transaction(coder) as tx:
        set_design(tx, {"theme_words": chosen.theme_words})
        set_project_language(tx, chosen.language)
