"""A project two coders coded apart, for the views and reads that show one coder's codings.

alice (the analyst) and bob (a second coder) code the same two interviews with the codes
of one theme:

========  ===========================  ====================================
coder     "Looking after oneself"      "Supervision"
========  ===========================  ====================================
alice     PA "I go for a run"          PA "Supervision is where I can say"
bob       PA "It clears my head",      (none)
          PB "I go for a run"
========  ===========================  ====================================
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.core.helpers_docs import SAMPLE_TEXT, imported
from thematic_workbench.core.services.coders import set_coder_role
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.themes import assign_code, create_theme
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.textlayout import canonical_text

TEXT = canonical_text(SAMPLE_TEXT)
SELF_CARE, SUPERVISION, THEME = "Looking after oneself", "Supervision", "Caring for the carer"


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@dataclass(frozen=True)
class TwoCoders:
    pa: int
    pb: int
    self_care: int
    supervision: int
    theme: int


def two_coders(store: ProjectStore) -> TwoCoders:
    """The project of the module docstring, in ``store``."""
    with store.transaction("alice") as tx:
        pa = import_document(tx, imported(TEXT, "PA-interview"), "PA").new_id("document")
        pb = import_document(tx, imported(TEXT, "PB-interview"), "PB").new_id("document")
        self_care = create_code(tx, SELF_CARE).new_id("code")
        supervision = create_code(tx, SUPERVISION).new_id("code")
        theme = create_theme(tx, THEME).new_id("theme")
        assign_code(tx, self_care, theme)
        assign_code(tx, supervision, theme)
        apply_coding(tx, pa, self_care, *span("I go for a run"))
        apply_coding(tx, pa, supervision, *span("Supervision is where I can say"))
        set_coder_role(tx, "alice", "analyst")
        set_coder_role(tx, "bob", "second_coder")
    with store.transaction("bob") as tx:
        apply_coding(tx, pa, self_care, *span("It clears my head"))
        apply_coding(tx, pb, self_care, *span("I go for a run"))
    return TwoCoders(pa, pb, self_care, supervision, theme)
