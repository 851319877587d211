"""The transcript view: stable line numbers, code-point selections, stripes, highlights, find.

The transcript holds emoji (one of them with a skin-tone modifier), an accented letter and
a letter with a combining accent, and is wrapped at 40 characters, so every conversion
between Qt's UTF-16 positions (with soft breaks) and the core's code points is exercised.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
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
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.store import ProjectStore
from thematic_workbench.core.textlayout import canonical_text
from thematic_workbench.gui.commands import (
    AddAnnotationCommand,
    ApplyCodingCommand,
    CodeAttributeCommand,
)
from thematic_workbench.gui.positions import SOFT_BREAK
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.highlighter import coding_background
from thematic_workbench.gui.transcript.none_guard import protect_none
from thematic_workbench.gui.transcript.view import TranscriptView
from thematic_workbench.io.speakers import detect_turns

protect_none()

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
    doc = imported(TEXT, wrap=WRAP)
    doc = dataclasses.replace(doc, turns=tuple(detect_turns(doc.text)))
    with store.transaction("researcher") as tx:
        ids = {"document": import_document(tx, doc, participant="PA").new_id("document")}
        ids["care"] = create_code(tx, "Self-care", colour="#4E79A7").new_id("code")
        ids["run"] = create_code(tx, "Running", colour="#F28E2B").new_id("code")
        ids["supervision"] = create_code(tx, "Supervision", colour="#59A14F").new_id("code")
        ids["run_coding"] = apply_coding(tx, ids["document"], ids["run"], _at("I go"),
                                         _at("and it clears")).new_id("coding")
        ids["care_coding"] = apply_coding(tx, ids["document"], ids["care"], _at("I go"),
                                          _after("my head."), memo="Running as coping").new_id(
            "coding")
        ids["note"] = add_annotation(tx, ids["document"], _at("Café"), _after("Café"),
                                     "She writes in a café").new_id("annotation")
    return ids


def _at(needle: str) -> int:
    return TEXT.index(needle)


def _after(needle: str) -> int:
    return TEXT.index(needle) + len(needle)


@pytest.fixture
def session(store: ProjectStore) -> Iterator[ProjectSession]:
    yield ProjectSession(store, "researcher")


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


def _mouse(widget: object, kind: QEvent.Type, y: float, button: Qt.MouseButton) -> None:
    point = QPointF(8, y)
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    event = QMouseEvent(kind, point, widget.mapToGlobal(point), button, buttons,  # type: ignore[attr-defined]
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)  # type: ignore[arg-type]


# -- text, lines, gutter ------------------------------------------------------------------------
def test_the_view_shows_the_text_with_soft_breaks_only(view: TranscriptView) -> None:
    shown = view.editor.document().toRawText().replace("\u2029", "\n")
    assert SOFT_BREAK in shown
    assert shown.replace(SOFT_BREAK, "") == TEXT
    assert view.selection_span() is None and view.selected_text() == ""
    assert "PA" in view.header.text() and "lines" in view.header.text()


def test_every_stable_line_is_one_visual_line_with_its_number(view: TranscriptView) -> None:
    lines = view.data.lines  # type: ignore[union-attr]
    screen = view.editor.screen_lines()
    blank = TEXT.count("\n\n")
    assert len(screen.starts) == len(lines) + blank  # blank lines are rows without a number
    for line in lines:
        assert view.gutter.line_at(_line_middle(view, line.start)) == line.number
        assert view.positions.to_view(line.start) in screen.starts
    view.gutter.grab()  # paints without error


def test_selection_span_counts_code_points(view: TranscriptView) -> None:
    for needle in ("my head", "a run", "Café", "x\u0301 and", "🙂", "👍🏽", "unsayable"):
        _qt_select(view, needle)
        assert view.selection_span() == (_at(needle), _after(needle)), needle
        assert view.selected_text() == needle
    _qt_select(view, "Honestly", "home.")  # across several soft breaks
    assert view.selection_span() == (_at("Honestly"), _after("home."))
    assert view.selected_text() == TEXT[_at("Honestly"):_after("home.")]
    assert SOFT_BREAK not in view.selected_text()


def test_select_span_round_trips_and_copies_canonical_text(view: TranscriptView) -> None:
    start, end = _at("👍🏽"), _after("Then I sleep.")
    view.select_span(start, end)
    assert view.selection_span() == (start, end)
    assert view.editor.textCursor().selectedText().replace(SOFT_BREAK, "") == TEXT[start:end]
    view.editor.copy()
    assert QApplication.clipboard().text() == TEXT[start:end]


def test_select_lines_covers_exactly_the_stable_lines(view: TranscriptView) -> None:
    lines = view.data.lines  # type: ignore[union-attr]
    view.select_lines(3, 5)
    assert view.selection_span() == (lines[2].start, lines[4].end)
    assert view.gutter.lines_in_selection() == (3, 5)
    view.select_lines(7, 6)
    assert view.selection_span() == (lines[5].start, lines[6].end)


def test_dragging_down_and_up_the_gutter_selects_whole_lines(view: TranscriptView) -> None:
    lines = view.data.lines  # type: ignore[union-attr]
    gutter = view.gutter
    left = Qt.MouseButton.LeftButton
    _mouse(gutter, QEvent.Type.MouseButtonPress, _line_middle(view, lines[1].start), left)
    _mouse(gutter, QEvent.Type.MouseMove, _line_middle(view, lines[3].start), left)
    _mouse(gutter, QEvent.Type.MouseButtonRelease, _line_middle(view, lines[3].start), left)
    assert view.selection_span() == (lines[1].start, lines[3].end)
    _mouse(gutter, QEvent.Type.MouseButtonPress, _line_middle(view, lines[5].start), left)
    _mouse(gutter, QEvent.Type.MouseMove, _line_middle(view, lines[4].start), left)
    _mouse(gutter, QEvent.Type.MouseButtonRelease, _line_middle(view, lines[4].start), left)
    assert view.selection_span() == (lines[4].start, lines[5].end)
    assert view.gutter.lines_in_selection() == (5, 6)


# -- highlights, stripes, tooltips --------------------------------------------------------------
def _layout_background(view: TranscriptView, code_point: int) -> str | None:
    """The background Qt paints at a code point, read from the block's layout formats."""
    view.editor.prepare_visible()
    position = view.positions.to_view(code_point)
    block = view.editor.document().findBlock(position)
    offset = position - block.position()
    for item in block.layout().formats():
        fmt = item.format
        if item.start <= offset < item.start + item.length and fmt.background().style() \
                != Qt.BrushStyle.NoBrush:
            return fmt.background().color().name()
    return None


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


def test_stripes_have_a_column_per_code_and_a_click_selects_the_coding(
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


def test_coding_at_cursor_prefers_the_innermost_coding(view: TranscriptView,
                                                       project: dict[str, int]) -> None:
    view.select_span(_at("a run"), _after("a run"))
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
    lines = view.data.lines  # type: ignore[union-attr]
    last = lines[-1]
    assert session.push(AddAnnotationCommand(session, project["document"], last.start,
                                             last.end, "Kindness"))
    assert view.editor.highlighter.style_at(last.start).note
    assert last.number in view.gutter._note_lines


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
    ("INTERVIEWER: Thank you for making the time. Could you start by telling me how you "
     "look after yourself after a difficult session?"),
    ("PB: Mm. Honestly, the first thing I do is nothing. I sit for a minute with the door "
     "closed and let the room go quiet. Early in my career I went straight from one client"
     " to the next and by Thursday I was carrying all of them home with me. [laughs] My "
     "partner would ask how my day was and I'd just stare at the fridge."),
    "INTERVIEWER: What changed?",
    ("PB: Supervision, mostly. I had a supervisor who asked, every single time, \"and where"
     " does this one live in your body?\" It sounded a bit precious at first, if I'm "
     "honest. But it gave me a way of noticing that I was holding something before it "
     "turned into a headache or a bad night's sleep."),
    "INTERVIEWER: Is that something you still use?",
    ("PB: Every day. I walk to the station rather than taking the bus, and I use the walk "
     "to put each client back in their box, so to speak. Not in a cold way. It's more that"
     " I'm saying, you're safe here until next Tuesday, and I don't need to keep you awake"
     " tonight. Some days it works better than others. After a session about a child's "
     "death it doesn't really work at all, and then I text a colleague and we have a "
     "coffee, and that is its own kind of supervision."),
    "INTERVIEWER: You mentioned guilt earlier, off the recording.",
    ("PB: Yes. There's a guilt about boundaries that I don't think ever fully goes away. "
     "If I switch my phone off at nine, part of me is listening for the one call I've "
     "missed. I know, rationally, the service has a crisis line and it isn't my job to be "
     "available at all hours. But knowing that and feeling it are different things, and I "
     "think a lot of us in this work carry that gap around."),
    "INTERVIEWER: How do you manage that gap?",
    ("PB: Humour helps, honestly. We have a very dark team sense of humour, which would "
     "probably horrify anyone outside the profession. And I have a rule: on Sunday I don't"
     " read anything with the word \"outcome\" in it."),
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
            ("Guilt about boundaries", "#B07AA1"), ("Dark humour", "#76B7B2"))}
        for name, first, last in (
                ("Rituals of transition", "the first thing I do", "let the room go quiet."),
                ("Carrying clients home", "by Thursday", "stare at the fridge."),
                ("Supervision as containment", "Supervision, mostly.", "bad night's sleep."),
                ("Embodied noticing", "where does this one live", "bad night's sleep."),
                ("Rituals of transition", "I walk to the station", "keep you awake tonight."),
                ("Carrying clients home", "After a session", "doesn't really work at all"),
                ("Supervision as containment", "I text a colleague", "kind of supervision."),
                ("Guilt about boundaries", "There's a guilt", "carry that gap around."),
                ("Dark humour", "Humour helps", "outside the profession.")):
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
