"""Keys 1-9 are safe: a legend shows what each applies, a key keeps its code, each keyboard
coding is confirmed in words with the way back, and a preference turns the keys off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.frame_data import build_frame
from tests.gui.window_helpers import open_window
from thematic_workbench.core.services import codes
from thematic_workbench.core.storage.models import Code, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.coding.controller import CodingController
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.key_legend import (
    NUMBER_KEYS_SETTING,
    bind_number_keys_action,
)
from thematic_workbench.gui.transcript.view import TranscriptView
from thematic_workbench.gui.window.main_window import MainWindow


def _codings(session: ProjectSession) -> list[tuple[str, int, int]]:
    with session.read() as s:
        return sorted(tuple(row) for row in s.execute(  # type: ignore[misc]
            select(Code.name, Coding.start, Coding.end).join(Code)))


@pytest.fixture
def coding(qtbot: QtBot, session: ProjectSession,
           frame: dict[str, int]) -> Iterator[tuple[TranscriptView, CodingController]]:
    host = QWidget()
    qtbot.addWidget(host)
    view = TranscriptView(session)
    QVBoxLayout(host).addWidget(view)
    controller = CodingController(session, view, host)
    host.resize(900, 500)
    host.show()
    view.open_document(frame["pa"])
    yield view, controller
    host.close()


def test_a_code_keeps_its_key_and_the_legend_says_which(
        coding: tuple[TranscriptView, CodingController], session: ProjectSession,
        frame: dict[str, int]) -> None:
    view, controller = coding
    assert view.key_legend.isVisible() and view.key_legend.keys == []
    assert view.key_legend.toolTip().startswith("Keys 1-9 apply your recent codes")
    view.select_lines(1, 1)
    controller.drop_code(frame["run"])
    view.select_lines(3, 3)
    controller.drop_code(frame["head"])
    assert [name for name, _colour in view.key_legend.keys] == ["Running", "Clearing my head"]
    view.select_lines(4, 4)
    controller.apply_recent(0)  # key 1 is still Running, though Clearing my head came after
    span = view.selection_span()
    assert span is not None and ("Running", *span) in _codings(session)
    assert [name for name, _colour in view.key_legend.keys] == ["Running", "Clearing my head"]
    session.run(codes.rename_code, frame["head"], "Head clearing")  # the legend follows
    assert view.key_legend.keys[1][0] == "Head clearing"
    assert view.key_legend.toolTip() == "1  Running\n2  Head clearing"


def test_ten_codes_the_tenth_takes_the_key_used_longest_ago(
        coding: tuple[TranscriptView, CodingController], session: ProjectSession) -> None:
    view, controller = coding
    ids = [session.run(codes.create_code, f"Code {n}").new_id("code") for n in range(10)]
    for code_id in ids[:9]:
        controller._remember(code_id)
    controller._remember(ids[0])  # used again: key 2 (Code 1) is now the oldest
    controller._remember(ids[9])
    assert [name for name, _c in view.key_legend.keys][:3] == ["Code 0", "Code 9", "Code 2"]


def test_legend_elides_long_names_and_keeps_all_in_its_tooltip(
        coding: tuple[TranscriptView, CodingController], session: ProjectSession) -> None:
    view, controller = coding
    for n in range(9):
        controller._remember(session.run(
            codes.create_code, f"A rather long code name about trust number {n}")
            .new_id("code"))
    view.key_legend.resize(600, view.key_legend.height())
    view.key_legend.grab()  # paints it
    assert 1 <= view.key_legend.entries_shown() < 9
    assert view.key_legend.toolTip().count("\n") == 8
    assert view.key_legend.minimumSizeHint().width() == 0  # it never widens the window


def test_preference_is_kept_in_the_settings(settings: QSettings) -> None:
    action = QAction("Number keys apply recent codes")
    bind_number_keys_action(action, settings)
    assert action.isCheckable() and action.isChecked()  # on by default
    action.setChecked(False)
    assert settings.value(NUMBER_KEYS_SETTING, type=bool) is False
    again = QAction("Number keys apply recent codes")
    bind_number_keys_action(again, settings)
    assert not again.isChecked()


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings, tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "frame.thematic"
    store = ProjectStore.create(path, "Frame")
    build_frame(store)
    store.close()
    main = open_window(qtbot, settings, path, "alice")
    yield main
    main.close_project()


def _ready(window: MainWindow, qtbot: QtBot) -> tuple[TranscriptView, CodingController]:
    view, controller = window.transcript, window.coding
    assert view is not None and controller is not None
    with window.session.read() as s:  # type: ignore[union-attr]
        ids = dict(s.execute(select(Code.name, Code.id)).all())
    window.open_document(view.current_document_id or _first_document(window))
    for name, line in (("Running", 1), ("Supervision", 3)):
        view.select_lines(line, line)
        controller.drop_code(ids[name])
    view.editor.setFocus()
    qtbot.waitUntil(view.editor.hasFocus)
    return view, controller


def _first_document(window: MainWindow) -> int:
    from thematic_workbench.core.queries.project import find_document

    with window.session.read() as s:  # type: ignore[union-attr]
        return find_document(s, "PA interview").id


def test_keyboard_coding_says_what_it_coded_and_ctrl_z_undoes_it(
        window: MainWindow, qtbot: QtBot) -> None:
    view, controller = _ready(window, qtbot)
    session = window.session
    assert session is not None
    before = _codings(session)
    view.select_lines(2, 3)
    span = view.selection_span()
    with qtbot.waitSignal(controller.status_message) as said:
        qtbot.keyClick(view.editor, Qt.Key.Key_2)
    assert said.args == ["Coded lines 2-3 as 'Supervision' — Ctrl+Z undoes it"]
    assert window.statusBar().currentMessage() == said.args[0]
    assert span is not None and ("Supervision", *span) in _codings(session)
    qtbot.keyClick(view.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _codings(session) == before


def test_keys_off_pressing_two_codes_nothing(window: MainWindow, qtbot: QtBot) -> None:
    view, controller = _ready(window, qtbot)
    session = window.session
    assert session is not None
    before = _codings(session)
    keys = window.actions_by_key["number_keys"]
    assert keys.isCheckable() and keys.isChecked()
    keys.trigger()  # Code > Number keys apply recent codes, unticked
    assert not keys.isChecked()
    assert not view.key_legend.isVisible()
    view.select_lines(2, 2)
    with qtbot.assertNotEmitted(controller.status_message):
        qtbot.keyClick(view.editor, Qt.Key.Key_2)
    assert _codings(session) == before
    keys.trigger()
    assert view.key_legend.isVisible()


def test_an_in_vivo_code_is_quoted_once(
        coding: tuple[TranscriptView, CodingController]) -> None:
    view, controller = coding
    start = view.positions.text.index("I go for a run")
    assert controller.coded_message('"I go for a run"', start, start + 14) \
        == 'Coded line 2 as "I go for a run" — Ctrl+Z undoes it'
