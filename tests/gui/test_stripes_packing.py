"""Shared stripe columns in a narrow margin: the same whenever the window was narrowed.

When the margin is too narrow for a column per code, codes whose passages never meet share a
column, and a new coding keeps the other codes in the columns they had. A wide margin never
shows the shared columns, so the view works them out only when it needs them; coding while
the window is wide and narrowing it afterwards must still show what coding in a narrow
window shows.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.core.text.textlayout import canonical_text
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.view import TranscriptView

PARAGRAPHS = [
    "PA: After a heavy session I walk to the station the long way, past the river.",
    "INTERVIEWER: And when that does not work?",
    "PA: Then I ring a colleague, and the phone call on the way home is what holds me.",
    "INTERVIEWER: Do you ever feel guilty about switching off?",
    "PA: Every time. There is a guilt in closing the door on someone who cannot.",
]
TEXT = canonical_text("\n\n".join(PARAGRAPHS))
NARROW = 660


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def _project(session: ProjectSession) -> dict[str, int]:
    """Three codes: Alpha and Beta on the first answer, Gamma on the last (it meets neither)."""
    doc = dataclasses.replace(imported(TEXT, wrap=70), turns=tuple(detect_turns(TEXT)))
    ids: dict[str, int] = {}
    with session.store.transaction("researcher") as tx:
        ids["document"] = import_document(tx, doc, participant="PA").new_id("document")
        for name in ("Alpha", "Beta", "Gamma"):
            ids[name] = create_code(tx, name).new_id("code")
        apply_coding(tx, ids["document"], ids["Alpha"], *_span("I walk to the station"))
        apply_coding(tx, ids["document"], ids["Beta"], *_span("the long way"))
        apply_coding(tx, ids["document"], ids["Gamma"], *_span("There is a guilt"))
    return ids


def _open(qtbot: QtBot, session: ProjectSession, document: int, width: int) -> TranscriptView:
    view = TranscriptView(session)
    qtbot.addWidget(view)
    view.resize(width, 700)
    view.show()
    view.open_document(document)
    QApplication.processEvents()
    return view


def _bar_lefts(view: TranscriptView) -> dict[int, set[float]]:
    """Where each code's bars are drawn across the margin (code id -> left edges)."""
    view.stripes.grab()
    lefts: dict[int, set[float]] = {}
    for rect, coding in view.stripes._painted:
        lefts.setdefault(coding.code_id, set()).add(rect.left())
    return lefts


def test_coding_in_a_wide_window_then_narrowing_it_shows_the_narrow_windows_columns(
        qtbot: QtBot, session: ProjectSession) -> None:
    ids = _project(session)
    narrow = _open(qtbot, session, ids["document"], NARROW)
    wide = _open(qtbot, session, ids["document"], 1280)
    assert narrow.stripes.width() < 80 < wide.stripes.width()  # shared columns only in one
    before = _bar_lefts(narrow)
    assert before[ids["Gamma"]] == before[ids["Alpha"]] != before[ids["Beta"]]  # shared

    # Gamma now also codes the very start of the text, before Alpha and Beta.
    session.run(apply_coding, ids["document"], ids["Gamma"], *_span("PA: After"))
    QApplication.processEvents()
    after = _bar_lefts(narrow)
    assert after[ids["Alpha"]] == before[ids["Alpha"]]  # the others keep their columns
    assert after[ids["Beta"]] == before[ids["Beta"]]
    assert len(after[ids["Gamma"]]) == 1 and after[ids["Gamma"]].isdisjoint(
        after[ids["Alpha"]] | after[ids["Beta"]])

    wide.resize(NARROW, 700)
    QApplication.processEvents()
    assert wide.stripes.width() == narrow.stripes.width()
    assert _bar_lefts(wide) == after
