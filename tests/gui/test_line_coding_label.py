"""In the window: coding whole lines leaves the speaker label out of the quote, and the
coverage tab chooses whose words count (every speaker but the interviewer by default)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.test_analysis_view import LOAD_MS, open_view, show, texts
from tests.gui.window_helpers import quick_code
from thematic_workbench.core.queries.project import extracts_of_code, find_document
from thematic_workbench.core.storage.models import Code, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.analysis.pages import CoveragePage
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.view import TranscriptView
from thematic_workbench.gui.window.main_window import MainWindow

Shot = Callable[[QWidget, str], Path | None]


def _drag_gutter(view: TranscriptView, first: int, last: int) -> None:
    """Press on line ``first``'s number, move to line ``last``'s, release."""
    lines = view.data.lines  # type: ignore[union-attr]
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, number, buttons in ((QEvent.Type.MouseButtonPress, first, left),
                                  (QEvent.Type.MouseMove, last, left),
                                  (QEvent.Type.MouseButtonRelease, last, none)):
        view.scroll_to(lines[number - 1].start)
        QApplication.processEvents()
        cursor = view.editor.textCursor()
        cursor.setPosition(view.positions.to_view(lines[number - 1].start))
        y = view.editor.cursorRect(cursor).center().y()
        point = QPointF(8, y)
        QApplication.sendEvent(view.gutter, QMouseEvent(
            kind, point, view.gutter.mapToGlobal(point), left, buttons,
            Qt.KeyboardModifier.NoModifier))


def test_dragging_over_line_numbers_codes_the_words_without_the_label(
        window: MainWindow, qtbot: QtBot, project: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with window.session.read() as session:  # type: ignore[union-attr]
        doc = find_document(session, "PD-art-therapist").id
    window.open_document(doc)
    view = window.transcript
    data = view.data
    assert data is not None
    # the first turn of PD's that opens a line and runs over the next line too
    turn = next(t for t in data.turns if t.speaker == "PD" and t.end > t.speech_start + 200)
    first = next(line.number for line in data.lines if line.start == turn.start)
    label = data.text[turn.start:turn.speech_start]
    assert label == "[PD] "  # this transcript labels its speakers in brackets
    _drag_gutter(view, first, first + 1)
    assert view.gutter.lines_in_selection() == (first, first + 1)
    assert view.selection_span() == (turn.speech_start, data.lines[first].end)
    quick_code(window, qtbot, "Words without a label", monkeypatch)

    def coded() -> list[tuple[int, int]]:
        with ProjectStore.open(project, readonly=True) as store, store.read() as session:
            return [(s, e) for s, e in session.execute(
                select(Coding.start, Coding.end).join(Code)
                .where(Code.name == "Words without a label"))]

    assert coded() == [(turn.speech_start, data.lines[first].end)]
    with window.session.read() as session:  # type: ignore[union-attr]
        code_id = session.execute(select(Code.id).where(
            Code.name == "Words without a label")).scalar_one()
        [extract] = extracts_of_code(session, code_id)
    assert extract.text == data.text[turn.speech_start:data.lines[first].end].rstrip()
    assert "[PD]" not in extract.text
    assert extract.citation == f"[PD, lines {first}-{first + 1}]"
    window.actions_by_key["undo"].trigger()
    assert coded() == []


@pytest.fixture
def demo_session(qtbot: QtBot, project: Path) -> Iterator[ProjectSession]:
    store = ProjectStore.open(project)
    yield ProjectSession(store, "alice")
    store.close()


def test_coverage_tab_chooses_whose_words_count(qtbot: QtBot, demo_session: ProjectSession,
                                                screenshot: Shot) -> None:
    view = open_view(qtbot, demo_session, (1366, 700))
    page = show(qtbot, view, "coverage")
    assert isinstance(page, CoveragePage)
    buttons = {button.objectName(): button for button in page.speakers.buttons()}
    assert [button.text() for button in page.speakers.buttons()] == [
        "All but the interviewer", "Interviewer", "Everyone"]
    assert buttons["participants"].isChecked()

    def pa_rows() -> list[list[str]]:
        return [row for row in texts(page) if row[1] == "PA"]

    # by default the longest uncoded stretch is PA's answer on lines 25-31, not the
    # opening (the heading and the interviewer's first questions, lines 1-13)
    assert pa_rows()[0][3:6] == ["25", "31", "431"]
    assert "participants' words" in page.summary.text()
    screenshot(view, "coverage-whose-words")
    for key, expected in (("everyone", ["1", "13", "925"]), ("interviewer", None)):
        with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
            qtbot.mouseClick(buttons[key], Qt.MouseButton.LeftButton)
        if expected is not None:
            assert pa_rows()[0][3:6] == expected
            assert "whole text" in page.summary.text()
        else:
            assert {row[2] for row in pa_rows()} == {"0.0%"}  # nobody codes the questions
            assert "interviewer's words" in page.summary.text()
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        page.set_speakers("participants")
    assert pa_rows()[0][3:6] == ["25", "31", "431"]
    assert view.wait()
