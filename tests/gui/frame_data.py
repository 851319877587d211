"""A small project for the panel and model tests: three transcripts, four codes, themes."""

from __future__ import annotations

from tests.core.helpers_docs import SAMPLE_TEXT, imported
from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore

OTHER_TEXT = ("INTERVIEWER: What helps?\n"
              "PB: A run at lunchtime, most days.\n"
              "PB: And honest supervision.")


def build_frame(store: ProjectStore) -> dict[str, int]:
    """Three transcripts (PA, PB, none), four codes, a final theme over an emerging one,
    a loose emerging theme and an uncategorised code."""
    with store.transaction("alice") as tx:
        ids = {
            "pa": import_document(tx, imported(SAMPLE_TEXT, "PA interview"), "PA")
            .new_id("document"),
            "pb": import_document(tx, imported(OTHER_TEXT, "PB interview"), "PB")
            .new_id("document"),
            "anon": import_document(tx, imported(SAMPLE_TEXT, "Pilot")).new_id("document"),
        }
        for key, name in (("run", "Running"), ("sup", "Supervision"),
                          ("head", "Clearing my head"), ("unused", "Unused")):
            ids[key] = codes.create_code(tx, name, definition=f"About {name.lower()}") \
                .new_id("code")
        ids["final"] = themes.create_theme(tx, "Looking after oneself", "final").new_id("theme")
        ids["outlets"] = themes.create_theme(tx, "Physical outlets").new_id("theme")
        ids["support"] = themes.create_theme(tx, "Support").new_id("theme")
        themes.set_theme_parent(tx, ids["outlets"], ids["final"])
        themes.assign_code(tx, ids["run"], ids["outlets"])
        themes.assign_code(tx, ids["head"], ids["outlets"])
        themes.assign_code(tx, ids["sup"], ids["support"])
        codings.code_match(tx, ids["pa"], ids["run"], "I go for a run", memo="  a  habit ")
        codings.code_lines(tx, ids["pa"], ids["sup"], 4, 4)
        codings.code_match(tx, ids["pb"], ids["run"], "A run at lunchtime")
        codings.code_match(tx, ids["anon"], ids["head"], "It clears my head")
    return ids
