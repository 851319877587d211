"""The diary's choice of entries for the methods appendix, and its reflexive prompts."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from thematic_workbench.core.reflexive_prompts import PROMPTS, prompts_for
from thematic_workbench.core.services import diary
from thematic_workbench.core.storage.models import DiaryEntry
from thematic_workbench.gui.diary.model import DATE_ROLE
from thematic_workbench.gui.diary.panel import DiaryPanel
from thematic_workbench.gui.session import ProjectSession


def _included(session: ProjectSession) -> list[bool]:
    with session.read() as s:
        return list(s.execute(select(DiaryEntry.in_appendix).order_by(DiaryEntry.id))
                    .scalars())


def _panel(qtbot: QtBot, session: ProjectSession) -> DiaryPanel:
    panel = DiaryPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 650)
    panel.show()
    return panel


def test_the_checkbox_includes_the_entry_and_undo_leaves_it_out(
        qtbot: QtBot, session: ProjectSession) -> None:
    session.run(diary.add_entry, "I expected burnout to dominate.", "Expectations")
    panel = _panel(qtbot, session)
    assert panel.current_entry_id() is not None
    assert not panel.appendix_box.isChecked() and panel.appendix_box.isEnabled()
    panel.appendix_box.click()
    assert _included(session) == [True]
    assert panel.appendix_box.isChecked()
    assert str(panel.model.index(0, 0).data(DATE_ROLE)).startswith("Appendix")
    session.undo_stack.undo()
    assert _included(session) == [False]
    QApplication.processEvents()
    assert not panel.appendix_box.isChecked()
    assert not str(panel.model.index(0, 0).data(DATE_ROLE)).startswith("Appendix")


def test_the_right_click_menu_includes_an_entry(qtbot: QtBot,
                                                session: ProjectSession) -> None:
    session.run(diary.add_entry, "First thoughts.", "One")
    panel = _panel(qtbot, session)
    menu = panel.list_menu(panel.model.index(0, 0))
    include = next(a for a in menu.actions() if a.text() == "Include in methods appendix")
    assert not include.isChecked()
    include.trigger()
    assert _included(session) == [True]
    assert panel.appendix_box.isChecked()


def test_choosing_a_prompt_starts_a_new_entry_under_it(qtbot: QtBot,
                                                       session: ProjectSession) -> None:
    panel = _panel(qtbot, session)
    phase = session.phase()
    offered = [panel.prompts.itemText(i) for i in range(1, panel.prompts.count())]
    assert offered == list(prompts_for(phase))
    assert panel.prompts.itemText(0) == f"Prompts for phase {phase}\N{HORIZONTAL ELLIPSIS}"
    panel.prompts.activated.emit(1)
    assert panel.current_entry_id() is None
    assert panel.body_edit.toPlainText() == f"## {offered[0]}\n\n"
    assert panel.prompts.currentIndex() == 0
    panel.body_edit.insertPlainText("Mostly that nurses would talk about workload.")
    assert panel.save()
    with session.read() as s:
        body = s.execute(select(DiaryEntry.body)).scalar_one()
    assert body.startswith(f"## {offered[0]}") and "workload" in body


def test_every_phase_has_three_to_five_prompts() -> None:
    assert sorted(PROMPTS) == [1, 2, 3, 4, 5, 6]
    assert all(3 <= len(questions) <= 5 for questions in PROMPTS.values())
    assert prompts_for(7) == ()
