"""Analysis → Project language…: one undoable, audited step that search and word counts
follow."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from thematic_workbench.core.finding.wordforms import project_language
from thematic_workbench.core.trail.audit_queries import audit_rows
from thematic_workbench.gui.project.project_language import ask_project_language
from thematic_workbench.gui.session import ProjectSession


def test_choosing_a_language_is_undoable(qtbot: QtBot, session: ProjectSession,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[list[str]] = []

    def pick(_parent: QWidget, _title: str, _label: str, items: list[str], current: int,
             _editable: bool) -> tuple[str, bool]:
        offered.append(items)
        assert items[current] == "English"
        return "German", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    parent = QWidget()
    qtbot.addWidget(parent)
    ask_project_language(session, parent)
    assert "French" in offered[0] and "Porter" not in offered[0]
    with session.read() as s:
        assert project_language(s) == "german"
        assert audit_rows(s, limit=1)[0].action == "project.set_language"
    session.undo_stack.undo()
    with session.read() as s:
        assert project_language(s) == "english"
