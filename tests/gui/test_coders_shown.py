"""Whose codings the transcript shows: everyone's, the coder's own (blind double coding),
or one chosen coder's; a second coder starts with their own only."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import SAMPLE_TEXT, imported
from thematic_workbench.core.services.coders import set_coder_role
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.view import TranscriptView


def _two_coders(store: ProjectStore) -> int:
    with store.transaction("alice") as tx:
        document = import_document(tx, imported(SAMPLE_TEXT)).new_id("document")
        code = create_code(tx, "Looking after oneself").new_id("code")
        apply_coding(tx, document, code, 0, 30)
        set_coder_role(tx, "bob", "second_coder")
    with store.transaction("bob") as tx:
        apply_coding(tx, document, code, 40, 90)
    return document


def _coders_on_screen(view: TranscriptView) -> set[str]:
    return {c.coder for c in view.codings.items} | {c.coder for c in view.stripes.index.items}


def test_a_coder_chooses_whose_codings_show(qtbot: QtBot, store: ProjectStore) -> None:
    document = _two_coders(store)
    session = ProjectSession(store, "alice")
    view = TranscriptView(session)
    qtbot.addWidget(view)
    view.open_document(document)
    assert _coders_on_screen(view) == {"alice", "bob"}
    assert view.coders_button.text() == "Codings: everyone's"
    menu = view.coders_button.menu()
    view.coders_button.fill(menu)
    assert [a.text() for a in menu.actions()] == [
        "Everyone's codings", "Mine only (alice)", "bob's only"]
    menu.actions()[1].trigger()
    assert _coders_on_screen(view) == {"alice"}
    assert view.coders_button.text() == "Codings: mine only"
    assert "1 coding" in view.header.text()
    menu.actions()[2].trigger()
    assert _coders_on_screen(view) == {"bob"}
    menu.actions()[0].trigger()
    assert _coders_on_screen(view) == {"alice", "bob"}


def test_a_second_coder_starts_blind(qtbot: QtBot, store: ProjectStore) -> None:
    document = _two_coders(store)
    view = TranscriptView(ProjectSession(store, "bob"))
    qtbot.addWidget(view)
    view.open_document(document)
    assert _coders_on_screen(view) == {"bob"}
    assert view.coders_button.text() == "Codings: mine only"
