"""Theme definitions (phase 5): name, definition, scope notes, the representative extract."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from thematic_workbench.core.storage.models import Theme
from thematic_workbench.core.trail.audit_queries import audit_rows
from thematic_workbench.gui.board.definitions import ThemeDefinitions, short_quote
from thematic_workbench.gui.session import ProjectSession


def test_defining_a_theme_saves_name_definition_scope_and_extract_and_undoes_as_one(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int]) -> None:
    view = ThemeDefinitions(session)
    qtbot.addWidget(view)
    view.show()
    view.show_theme(frame["outlets"])
    assert view.name.text() == "Physical outlets"
    citations = [view.extract.itemText(i) for i in range(view.extract.count())]
    assert citations[0] == "(none chosen)" and len(citations) == 4  # three extracts
    assert any(text.startswith("[PA, line") and "I go for a run" in text for text in citations)
    view.name.setText("Moving the body")
    view.definition.setPlainText("Exercise as a way of putting the work down.")
    view.scope.setPlainText("Not rest or sleep.")
    view.extract.setCurrentIndex(next(i for i, t in enumerate(citations) if "I go for a run" in t))
    assert view.preview.text().count("Moving the body") == 1
    assert "'I go for a run" in view.preview.text()
    assert view.save_theme()
    with session.read() as s:
        theme = s.get(Theme, frame["outlets"])
        assert (theme.name, theme.definition, theme.scope_notes) == (
            "Moving the body", "Exercise as a way of putting the work down.",
            "Not rest or sleep.")
        assert theme.representative_coding_id is not None
    QApplication.processEvents()
    assert view.history.text() == "Name history: Physical outlets → Moving the body"
    session.undo_stack.undo()  # one step undoes the whole definition
    with session.read() as s:
        theme = s.get(Theme, frame["outlets"])
        assert (theme.name, theme.definition, theme.representative_coding_id) == (
            "Physical outlets", "", None)


def test_short_quote_cuts_long_words_to_a_title() -> None:
    assert short_quote("it  can never be\nwholly collaborative") == \
        "it can never be wholly collaborative"
    assert short_quote(" ".join(["word"] * 20), 3) == "word word word…"


def test_the_central_concept_saves_and_undoes(qtbot: QtBot, session: ProjectSession,
                                              frame: dict[str, int]) -> None:
    view = ThemeDefinitions(session)
    qtbot.addWidget(view)
    view.show_theme(frame["outlets"])
    assert view.concept.text() == ""
    view.concept.setText("  Work leaves through the body  ")
    assert view.save_theme()
    with session.read() as s:
        assert s.get(Theme, frame["outlets"]).central_concept == "Work leaves through the body"
    assert view.concept.text() == "Work leaves through the body"
    with session.read() as s:
        assert audit_rows(s, limit=1)[0].action == "theme.concept"
    session.undo_stack.undo()
    with session.read() as s:
        assert s.get(Theme, frame["outlets"]).central_concept == ""
    assert view.concept.text() == ""
