"""The transcript view: stable line numbers, code-point selections, stripes, highlights, find.

The text holds emoji (one with a skin-tone modifier), an accented and a combining letter and is
wrapped at 40, so every UTF-16 (with soft breaks) <-> code point conversion is exercised."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from thematic_workbench.core.services.annotations import add_annotation
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.services.documents import delete_document, import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.core.text.textlayout import canonical_text
from thematic_workbench.gui.coding.commands import (
    AddAnnotationCommand,
    ApplyCodingCommand,
    CodeAttributeCommand,
)
from thematic_workbench.gui.positions import SOFT_BREAK
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.highlighter import coding_background
from thematic_workbench.gui.transcript.view import TranscriptView

TEXT = canonical_text(
    "INTERVIEWER: How do you look after yourself after a difficult session? 🙂\n"
    "\n"
    "PA: Honestly I go for a run 👍🏽 and it clears my head. At the Café I write notes, "
    "mark each one with an x\u0301 and stop carrying the client home. Then I sleep.\n"
    "\n"
    "INTERVIEWER: And supervision?\n"
    "\n"
    "PA: Supervision is where I can say the unsayable, and where my supervisor says it "
    "back to me more kindly than I would. Running helps; supervision helps more."
)
WRAP = 40


@pytest.fixture
def project(store: ProjectStore) -> dict[str, int]:
    """The transcript with two codes, three codings (two overlapping) and a margin note."""
    doc = dataclasses.replace(imported(TEXT, wrap=WRAP), turns=tuple(detect_turns(TEXT)))
    with store.transaction("researcher") as tx:
        ids = {"document": import_document(tx, doc, participant="PA").new_id("document")}
        ids["care"] = create_code(tx, "Self-care", colour="#4E79A7").new_id("code")
        ids["run"] = create_code(tx, "Running", colour="#F28E2B").new_id("code")
        ids["supervision"] = create_code(tx, "Supervision", colour="#59A14F").new_id("code")
        ids["run_coding"] = apply_coding(tx, ids["document"], ids["run"], _at("I go"),
                                         _at("and it clears")).new_id("coding")
        ids["care_coding"] = apply_coding(tx, ids["document"], ids["care"], _at("I go"),
                                          _after("my head."), "Running as coping").new_id("coding")
        add_annotation(tx, ids["document"], _at("Café"), _after("Café"), "She writes in a café")
    return ids


def _at(needle: str) -> int:
    return TEXT.index(needle)


def _after(needle: str) -> int:
    return TEXT.index(needle) + len(needle)


@pytest.fixture
def session(store: ProjectStore) -> ProjectSession:
    return ProjectSession(store, "researcher")  # the store fixture closes the project


@pytest.fixture
def view(qtbot: QtBot, session: ProjectSession, project: dict[str, int]) -> TranscriptView:
    widget = TranscriptView(session)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    with qtbot.waitSignal(widget.document_opened) as opened:
        widget.open_document(project["document"])
    assert opened.args == [project["document"]]
    QApplication.processEvents()
    return widget


def _qt_select(view: TranscriptView, first: str, last: str | None = None) -> None:
    """Select with Qt's own search in the view's text, from ``first`` to the end of ``last``."""
    document = view.editor.document()
    start = document.find(first)
    end = document.find(last) if last else start
    assert not start.isNull() and not end.isNull()
    cursor = view.editor.textCursor()
    cursor.setPosition(start.selectionStart())
    cursor.setPosition(end.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    view.editor.setTextCursor(cursor)


def _line_middle(view: TranscriptView, code_point: int) -> float:
    box = view.editor.screen_lines().box(view.positions.to_view(code_point))
    assert box is not None, "the line is not on screen"
    return (box[0] + box[1]) / 2


def _drag_gutter(view: TranscriptView, first: int, last: int) -> None:
    """Press on line ``first``'s number, move to line ``last``'s, release (1-based)."""
    lines = view.data.lines  # type: ignore[union-attr]
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, line, buttons in ((QEvent.Type.MouseButtonPress, first, left),
                                (QEvent.Type.MouseMove, last, left),
                                (QEvent.Type.MouseButtonRelease, last, none)):
        point = QPointF(8, _line_middle(view, lines[line - 1].start))
        QApplication.sendEvent(view.gutter, QMouseEvent(
            kind, point, view.gutter.mapToGlobal(point), left, buttons,
            Qt.KeyboardModifier.NoModifier))


# -- text, lines, gutter ------------------------------------------------------------------------
def test_each_stable_line_is_one_visual_line_with_its_number(view: TranscriptView) -> None:
    shown = view.editor.document().toRawText().replace("\u2029", "\n")
    assert SOFT_BREAK in shown
    assert shown.replace(SOFT_BREAK, "") == TEXT
    assert view.selection_span() is None and view.selected_text() == ""
    assert "PA" in view.header.text() and "lines" in view.header.text()
    lines = view.data.lines  # type: ignore[union-attr]
    screen = view.editor.screen_lines()
    blank = TEXT.count("\n\n")
    assert len(screen.starts) == len(lines) + blank  # blank lines are rows without a number
    for line in lines:
        assert view.gutter.line_at(_line_middle(view, line.start)) == line.number
        assert view.positions.to_view(line.start) in screen.starts
    view.gutter.grab()  # paints without error


def test_selection_span_counts_code_points(qtbot: QtBot, view: TranscriptView) -> None:
    for needle in ("my head", "a run", "Café", "x\u0301 and", "🙂", "👍🏽", "unsayable"):
        _qt_select(view, needle)
        assert view.selection_span() == (_at(needle), _after(needle)), needle
        assert view.selected_text() == needle
    _qt_select(view, "Honestly", "home.")  # across several soft breaks
    assert view.selection_span() == (_at("Honestly"), _after("home."))
    assert view.selected_text() == TEXT[_at("Honestly"):_after("home.")]
    start, end = _at("👍🏽"), _after("Then I sleep.")  # and back, then copied without breaks
    view.select_span(start, end)
    assert view.selection_span() == (start, end)
    assert view.editor.textCursor().selectedText().replace(SOFT_BREAK, "") == TEXT[start:end]
    qtbot.keyClick(view.editor, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == TEXT[start:end]


def test_select_lines_and_gutter_drags_cover_exactly_the_stable_lines(
        view: TranscriptView) -> None:
    lines = view.data.lines  # type: ignore[union-attr]
    view.select_lines(3, 5)  # line 3 opens with "PA: ": whole lines start after the label
    assert TEXT[lines[2].start:_at("Honestly")] == "PA: "
    assert view.selection_span() == (_at("Honestly"), lines[4].end)
    assert view.gutter.lines_in_selection() == (3, 5)
    view.select_lines(7, 6)
    assert view.selection_span() == (lines[5].start, lines[6].end)
    _drag_gutter(view, 2, 4)  # dragging down, then up, the numbers in the gutter
    assert view.selection_span() == (lines[1].start, lines[3].end)
    _drag_gutter(view, 6, 5)
    assert view.selection_span() == (lines[4].start, lines[5].end)
    assert view.gutter.lines_in_selection() == (5, 6)


# -- highlights, stripes, tooltips --------------------------------------------------------------
def _layout_background(view: TranscriptView, code_point: int) -> str | None:
    """The background Qt paints at a code point, read from the block's layout formats."""
    view.editor.prepare_visible()
    position = view.positions.to_view(code_point)
    block = view.editor.document().findBlock(position)
    offset = position - block.position()
    brushes = [item.format.background() for item in block.layout().formats()
               if item.start <= offset < item.start + item.length]
    return next((b.color().name() for b in brushes if b.style() != Qt.BrushStyle.NoBrush), None)


def test_speaker_labels_codings_overlaps_and_notes_are_styled(view: TranscriptView) -> None:
    style = view.editor.highlighter.style_at
    assert style(0) is not None and style(0).label  # "INTERVIEWER:"
    assert not style(_at("How do")) or not style(_at("How do")).label
    assert style(_at("I go")).colours == ("#4E79A7", "#F28E2B")  # overlap: both codes
    assert style(_at("it clears")).colours == ("#4E79A7",)
    assert style(_at("Café")).note
    one = coding_background(("#4E79A7",))
    both = coding_background(("#4E79A7", "#F28E2B"))
    assert _layout_background(view, _at("it clears")) == one.name()
    assert _layout_background(view, _at("I go")) == both.name()
    assert both.lightness() < one.lightness()  # overlaps read darker
    assert _layout_background(view, _at("Supervision is")) is None


def test_stripes_have_a_column_per_code_and_a_click_selects_its_coding(
        qtbot: QtBot, view: TranscriptView, project: dict[str, int]) -> None:
    stripes = view.stripes
    assert set(stripes.columns) == {project["care"], project["run"]}
    assert sorted(stripes.columns.values()) == [0, 1]
    assert stripes.columns[project["run"]] == 0  # by name: Running, Self-care
    stripes.grab()
    painted = {coding.id: rect for rect, coding in stripes._painted}
    assert set(painted) == {project["care_coding"], project["run_coding"]}
    target = painted[project["care_coding"]]
    with qtbot.waitSignal(view.coding_selected) as chosen:
        qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=target.center().toPoint())
    assert chosen.args == [project["care_coding"]]
    assert view.selection_span() == (_at("I go"), _after("my head."))
    assert view.coding_at_cursor() == project["care_coding"]
    view.select_span(_at("unsayable"), _after("unsayable"))
    assert stripes.selected is None and view.coding_at_cursor() is None
    view.select_span(_at("a run"), _after("a run"))  # the innermost coding wins
    assert view.coding_at_cursor() == project["run_coding"]
    cursor = view.editor.textCursor()
    cursor.setPosition(view.positions.to_view(_at("my head")))
    view.editor.setTextCursor(cursor)
    assert view.coding_at_cursor() == project["care_coding"]


def test_hovering_a_coded_span_lists_its_codes_and_memo(view: TranscriptView) -> None:
    cursor = view.editor.textCursor()
    cursor.setPosition(view.positions.to_view(_at("a run")) + 1)
    rect = view.editor.cursorRect(cursor)
    point = QPoint(rect.center().x() - 2, rect.center().y())
    viewport = view.editor.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point,
                                                 viewport.mapToGlobal(point)))
    text = QToolTip.text()
    assert "Self-care" in text and "Running" in text and "Running as coping" in text
    QToolTip.hideText()


# -- live refresh from the session --------------------------------------------------------------
def test_applying_a_coding_highlights_it_and_undo_removes_it(
        view: TranscriptView, session: ProjectSession, project: dict[str, int]) -> None:
    start, end = _at("where I can say"), _after("the unsayable")
    bar = view.editor.verticalScrollBar()
    assert view.editor.highlighter.style_at(start) is None
    command = ApplyCodingCommand(session, project["document"], start, end,
                                 code_id=project["supervision"])
    assert session.push(command)
    assert view.editor.highlighter.style_at(start).colours == ("#59A14F",)
    assert _layout_background(view, start) == coding_background(("#59A14F",)).name()
    assert project["supervision"] in view.stripes.columns
    kept = bar.value()
    session.undo_stack.undo()
    assert view.editor.highlighter.style_at(start) is None
    assert _layout_background(view, start) is None
    assert project["supervision"] not in view.stripes.columns
    assert bar.value() == kept
    session.undo_stack.redo()
    assert view.editor.highlighter.style_at(start).colours == ("#59A14F",)


def test_recolouring_a_code_and_adding_a_note_refresh_the_view(
        view: TranscriptView, session: ProjectSession, project: dict[str, int]) -> None:
    assert session.push(CodeAttributeCommand(session, project["care"], "colour", "#E15759"))
    assert view.editor.highlighter.style_at(_at("it clears")).colours == ("#E15759",)
    assert _layout_background(view, _at("it clears")) == coding_background(("#E15759",)).name()
    last = view.data.lines[-1]  # type: ignore[union-attr]
    assert session.push(AddAnnotationCommand(session, project["document"], last.start,
                                             last.end, "Kindness"))
    assert view.editor.highlighter.style_at(last.start).note
    assert last.number in view.gutter._note_lines


def test_far_blocks_are_formatted_when_scrolled_to(
        qtbot: QtBot, store: ProjectStore, session: ProjectSession) -> None:
    """Only blocks about to be shown get their formats; scrolling brings the rest."""
    text = "\n\n".join(f"PA: This is paragraph {n} of a long answer about supervision."
                       for n in range(400))
    last = text.rindex("supervision")
    with store.transaction("researcher") as tx:
        document = import_document(tx, imported(text, name="long"), participant="PL").new_id(
            "document")
        code = create_code(tx, "Late code", colour="#E15759").new_id("code")
        apply_coding(tx, document, code, last, last + len("supervision"))
    view = TranscriptView(session)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    view.open_document(document)
    QApplication.processEvents()  # not formatted while far off screen:
    assert not view.editor.document().findBlock(view.positions.to_view(last)).layout().formats()
    view.scroll_to(last)
    QApplication.processEvents()
    assert view.editor.screen_lines().box(view.positions.to_view(last)) is not None
    assert _layout_background(view, last) == coding_background(("#E15759",)).name()
    view.stripes.grab()
    assert [coding.code_name for _, coding in view.stripes._painted] == ["Late code"]


def test_deleting_the_open_document_clears_the_view(
        view: TranscriptView, session: ProjectSession, project: dict[str, int]) -> None:
    session.run(delete_document, project["document"])
    assert view.current_document_id is None and view.editor.toPlainText() == ""
    assert view.selection_span() is None and view.coding_at_cursor() is None


# -- find ---------------------------------------------------------------------------------------
def test_find_bar_finds_counts_and_steps_through_matches(qtbot: QtBot,
                                                         view: TranscriptView) -> None:
    view.editor.setFocus()
    qtbot.keyClick(view.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.find_bar.isVisible()
    qtbot.keyClicks(view.find_bar.field, "supervis")
    starts = [i for i in range(len(TEXT)) if TEXT.lower().startswith("supervis", i)]
    assert [m[0] for m in view.matches] == starts and len(starts) == 4
    assert view.find_bar.count.text() == f"1 of {len(starts)}"
    assert view.selection_span() == (starts[0], starts[0] + 8)
    assert view.editor.highlighter.style_at(starts[1]).match
    qtbot.keyClick(view.find_bar.field, Qt.Key.Key_Return)
    assert view.selection_span() == (starts[1], starts[1] + 8)
    qtbot.keyClick(view.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert view.find_bar.count.text() == f"1 of {len(starts)}"
    view.find_bar.field.setText("CAFÉ")
    assert view.selection_span() == (_at("Café"), _after("Café"))
    view.find_bar.case.setChecked(True)
    assert view.matches == [] and view.find_bar.count.text() == "No matches"
    qtbot.keyClick(view.find_bar.field, Qt.Key.Key_Escape)
    assert not view.find_bar.isVisible()
    assert view.editor.highlighter.style_at(starts[1]) is None


SCREENSHOT_TEXT = "\n\n".join((
    ("INTERVIEWER: Thank you for making the time. Could you start by telling me how you look "
     "after yourself after a difficult session?"),
    ("PB: Mm. Honestly, the first thing I do is nothing. I sit for a minute with the door closed "
     "and let the room go quiet. Early in my career I went straight from one client to the next "
     "and by Thursday I was carrying all of them home with me. [laughs] My partner would ask how "
     "my day was and I'd just stare at the fridge."),
    "INTERVIEWER: What changed?",
    ("PB: Supervision, mostly. I had a supervisor who asked, every single time, \"and where does "
     "this one live in your body?\" It sounded a bit precious at first, if I'm honest. But it gave"
     " me a way of noticing that I was holding something before it turned into a headache or a "
     "bad night's sleep."),
    "INTERVIEWER: Is that something you still use?",
    ("PB: Every day. I walk to the station rather than taking the bus, and I use the walk to put "
     "each client back in their box, so to speak. Not in a cold way. It's more that I'm saying, "
     "you're safe here until next Tuesday, and I don't need to keep you awake tonight. Some days "
     "it works better than others. After a session about a child's death it doesn't really work "
     "at all, and then I text a colleague and we have a coffee, and that is its own kind of "
     "supervision."),
    "INTERVIEWER: You mentioned guilt earlier, off the recording.",
    ("PB: Yes. There's a guilt about boundaries that I don't think ever fully goes away. If I "
     "switch my phone off at nine, part of me is listening for the one call I've missed. I know, "
     "rationally, the service has a crisis line and it isn't my job to be available at all hours."
     " But knowing that and feeling it are different things, and I think a lot of us in this work"
     " carry that gap around."),
))


def test_screenshot(qtbot: QtBot, store: ProjectStore, session: ProjectSession,
                    screenshot: Callable[[QWidget, str], Path | None]) -> None:
    """With TWB_SCREENSHOT_DIR set, save the view on a coded interview at 1280x800."""
    if not os.environ.get("TWB_SCREENSHOT_DIR"):
        pytest.skip("set TWB_SCREENSHOT_DIR to save screenshots")
    text = canonical_text(SCREENSHOT_TEXT)
    doc = imported(text, name="PB interview")
    doc = dataclasses.replace(doc, turns=tuple(detect_turns(doc.text)))

    def span(first: str, last: str) -> tuple[int, int]:
        return text.index(first), text.index(last) + len(last)

    with store.transaction("researcher") as tx:
        document = import_document(tx, doc, participant="PB").new_id("document")
        codes = {name: create_code(tx, name, colour=colour).new_id("code") for name, colour in (
            ("Carrying clients home", "#E15759"), ("Supervision as containment", "#4E79A7"),
            ("Embodied noticing", "#59A14F"), ("Rituals of transition", "#F28E2B"),
            ("Guilt about boundaries", "#B07AA1"))}
        for name, first, last in (
                ("Rituals of transition", "the first thing I do", "let the room go quiet."),
                ("Carrying clients home", "by Thursday", "stare at the fridge."),
                ("Supervision as containment", "Supervision, mostly.", "bad night's sleep."),
                ("Embodied noticing", "where does this one live", "bad night's sleep."),
                ("Rituals of transition", "I walk to the station", "keep you awake tonight."),
                ("Carrying clients home", "After a session", "doesn't really work at all"),
                ("Supervision as containment", "I text a colleague", "kind of supervision."),
                ("Guilt about boundaries", "There's a guilt", "carry that gap around.")):
            apply_coding(tx, document, codes[name], *span(first, last))
        add_annotation(tx, document, *span("put each client back", "box"),
                       "Containment image again: compare with PA and PD")
    view = TranscriptView(session)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    view.open_document(document)
    view.select_span(*span("If I switch my phone off", "missed."))
    QApplication.processEvents()
    assert view.stripes.column_count() == len(codes)
    assert screenshot(view, "transcript-view") is not None
