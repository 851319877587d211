"""Coding stripes that read: labels that never collide, hover, click, menu, filter, notes.

The label layout is a pure function, checked on generated margins; the widget tests then
check what a reader sees in a real transcript view: one label per bar on screen, none on
another label or on a bar, the label at the first visible line of its passage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QInputDialog, QMainWindow, QToolTip
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from thematic_workbench.core.services.annotations import add_annotation, list_annotations
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.core.text.textlayout import canonical_text
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.notes_panel import NotesPanel
from thematic_workbench.gui.transcript.stripes import (
    MEMO_CHARS,
    Box,
    LabelRequest,
    StripeMargin,
    place_labels,
)
from thematic_workbench.gui.transcript.view import TranscriptView

Shot = Callable[..., Path | None]

PARAGRAPHS = [
    "PA: After a heavy session I walk to the station the long way, past the river, and "
    "I count the bridges. By the third one the client has usually gone quiet in my head.",
    "INTERVIEWER: And when that does not work?",
    "PA: Then I ring a colleague. Supervision is the formal version of that, once a "
    "fortnight, but the phone call on the way home is the one that actually holds me.",
    "INTERVIEWER: Do you ever feel guilty about switching off?",
    "PA: Every time. There is a guilt in closing the door on someone who cannot close "
    "theirs, and I carry that gap around with me more than I would like to admit.",
]
TEXT = canonical_text("\n\n".join(PARAGRAPHS * 6))
LONG_MEMO = "Walking as a ritual of transition. " * 20


def _at(needle: str, nth: int = 0) -> int:
    position = -1
    for _ in range(nth + 1):
        position = TEXT.index(needle, position + 1)
    return position


def _after(needle: str, nth: int = 0) -> int:
    return _at(needle, nth) + len(needle)


@pytest.fixture
def project(store: ProjectStore) -> dict[str, int]:
    """A long transcript, five codes by two coders (three on one passage), a margin note."""
    doc = dataclasses.replace(imported(TEXT, wrap=70), turns=tuple(detect_turns(TEXT)))
    ids: dict[str, int] = {}
    with store.transaction("researcher") as tx:
        ids["document"] = import_document(tx, doc, participant="PA").new_id("document")
        for key, name, colour in (("walk", "Rituals of transition", "#F28E2B"),
                                  ("calm", "Quietening the mind", "#4E79A7"),
                                  ("peer", "Peer support", "#59A14F"),
                                  ("sup", "Supervision as containment", "#B07AA1"),
                                  ("guilt", "Guilt about boundaries", "#E15759")):
            ids[key] = create_code(tx, name, colour=colour).new_id("code")
        for nth in range(6):
            ids[f"walk{nth}"] = apply_coding(
                tx, ids["document"], ids["walk"], _at("I walk", nth), _after("bridges.", nth),
                LONG_MEMO if nth == 0 else "").new_id("coding")
            apply_coding(tx, ids["document"], ids["calm"], _at("I walk", nth),
                         _after("in my head.", nth))
            apply_coding(tx, ids["document"], ids["guilt"], _at("There is a guilt", nth),
                         _after("admit.", nth))
        ids["add_note"] = add_annotation(tx, ids["document"], _at("I count"),
                                         _after("bridges."), "Counting bridges: a ritual?"
                                         ).new_id("annotation")
    with store.transaction("second coder") as tx:
        for nth in range(6):
            apply_coding(tx, ids["document"], ids["peer"], _at("I walk", nth),
                         _after("in my head.", nth))
            apply_coding(tx, ids["document"], ids["sup"], _at("Then I ring", nth),
                         _after("holds me.", nth))
    return ids


@pytest.fixture
def session(store: ProjectStore) -> ProjectSession:
    return ProjectSession(store, "researcher")


def _open(qtbot: QtBot, session: ProjectSession, document: int, width: int = 1280,
          height: int = 700) -> TranscriptView:
    view = TranscriptView(session)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    view.open_document(document)
    QApplication.processEvents()
    return view


@pytest.fixture
def view(qtbot: QtBot, session: ProjectSession, project: dict[str, int]) -> TranscriptView:
    return _open(qtbot, session, project["document"])


def _paint(stripes: StripeMargin) -> None:
    stripes.grab()


def _help(widget: object, point: QPointF) -> str:
    QToolTip.hideText()
    spot = point.toPoint()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, spot,
                                              widget.mapToGlobal(spot)))  # type: ignore[attr-defined]
    return QToolTip.text()


# -- the pure layout ---------------------------------------------------------------------------
def test_a_free_label_sits_at_its_passages_first_visible_line() -> None:
    stripes = [Box(6, -3, 11, 200), Box(15, 40, 20, 80)]
    boxes = place_labels([LabelRequest(1, -3, 200, 90), LabelRequest(2, 40, 80, 300)],
                         stripes, 30, 150, 400, 14)
    assert boxes[1] == Box(30, 0, 120, 14)  # scrolled half out: the label shows at the top
    assert boxes[2] == Box(30, 40, 150, 54)  # too wide for the lane: cut to it


def test_labels_on_one_line_stack_below_each_other_beside_their_passage() -> None:
    requests = [LabelRequest(key, 100, 140, 80) for key in (1, 2, 3, 4)]
    boxes = place_labels(requests, [], 30, 150, 400, 14)
    assert [boxes[key].top for key in (1, 2, 3)] == [100, 114, 128]
    assert 4 not in boxes  # it would start below its passage: left to the tooltip


def test_no_labels_when_the_lane_is_too_narrow() -> None:
    assert place_labels([LabelRequest(1, 0, 50, 80)], [], 30, 60, 400, 14) == {}


@st.composite
def margins(draw: st.DrawFn) -> tuple[list[LabelRequest], list[Box], float, float]:
    height = draw(st.floats(100, 900))
    lane = draw(st.floats(10, 200))
    stripes: list[Box] = []
    requests: list[LabelRequest] = []
    for key in range(draw(st.integers(0, 30))):
        column = draw(st.integers(0, 5))
        top = draw(st.floats(-30, height))
        bottom = top + draw(st.floats(3, 400))
        left = 6 + 9 * column
        stripes.append(Box(left, top, left + 5, bottom))
        requests.append(LabelRequest(key, top, bottom, draw(st.floats(10, 300))))
    requests.sort(key=lambda r: (max(r.top, 0), r.key))
    # a stray bar inside the lane: the labels must go round it as well
    if draw(st.booleans()):
        stripes.append(Box(70, draw(st.floats(0, height)), 75, height))
    return requests, stripes, lane, height


@settings(max_examples=200, deadline=None)
@given(margins())
def test_no_label_meets_another_label_or_a_stripe(
        margin: tuple[list[LabelRequest], list[Box], float, float]) -> None:
    requests, stripes, lane, height = margin
    boxes = place_labels(requests, stripes, 60, 60 + lane, height, 14)
    placed = list(boxes.values())
    for number, box in enumerate(placed):
        assert not any(box.intersects(other) for other in placed[number + 1:])
        assert not any(box.intersects(stripe) for stripe in stripes)
        assert box.top >= 0 and box.bottom <= height and box.right <= 60 + lane
    wanted = {r.key: r for r in requests}
    for key, box in boxes.items():
        assert max(wanted[key].top, 0) <= box.top < wanted[key].limit


# -- the margin in a real view -------------------------------------------------------------------
def _check_margin(stripes: StripeMargin) -> None:
    """Every bar on screen has one label, clear of other labels and of every bar."""
    _paint(stripes)
    labels = stripes._labels
    assert labels, "no label was drawn"
    for number, (rect, _coding) in enumerate(labels):
        for other, _ in labels[number + 1:]:
            assert not rect.intersects(other)
        for bar, _ in stripes._painted:
            assert not rect.intersects(bar)
    assert len({coding.id for _, coding in labels}) == len(labels)  # one label per bar


def test_labels_read_horizontally_without_collisions_as_the_view_scrolls(
        view: TranscriptView, project: dict[str, int]) -> None:
    stripes = view.stripes
    _check_margin(stripes)
    names = {coding.code_name for _, coding in stripes._labels}
    assert "Rituals of transition" in names and "Guilt about boundaries" in names
    for rect, _coding in stripes._labels:
        assert rect.width() > rect.height()  # written across, not rotated
    bar = view.editor.verticalScrollBar()
    for value in range(0, bar.maximum() + 1, 3):
        bar.setValue(value)
        QApplication.processEvents()
        _check_margin(stripes)


def test_a_narrow_margin_turns_its_labels_and_keeps_them_apart(
        qtbot: QtBot, session: ProjectSession, project: dict[str, int]) -> None:
    view = _open(qtbot, session, project["document"], width=660)
    stripes = view.stripes
    assert stripes.width() < 80  # the text takes the room: no lane for labels across
    _check_margin(stripes)
    for rect, _coding in stripes._labels:
        assert rect.height() > rect.width()  # reading downwards
        assert rect.right() <= stripes.width()


def test_a_passage_scrolled_half_out_keeps_its_label_at_the_top(
        view: TranscriptView, project: dict[str, int]) -> None:
    start = _at("I walk", 1)
    view.scroll_to(start)
    bar = view.editor.verticalScrollBar()
    bar.setValue(bar.value() + 4)  # the passage's first lines are now above the view
    QApplication.processEvents()
    _paint(view.stripes)
    walk = next(c for c in view.codings.items if c.start == start
                and c.code_id == project["walk"])
    bars = [rect for rect, coding in view.stripes._painted if coding.id == walk.id]
    assert bars and bars[0].top() < 0  # really cut by the top of the view
    labels = {coding.id: rect for rect, coding in view.stripes._labels}
    assert walk.id in labels
    assert labels[walk.id].top() < view.editor.fontMetrics().lineSpacing() * 2


def test_hovering_a_stripe_or_its_label_names_code_coder_and_memo(
        view: TranscriptView, project: dict[str, int]) -> None:
    stripes = view.stripes
    _paint(stripes)
    first = next(rect for rect, c in stripes._painted if c.id == project["walk0"])
    text = _help(stripes, first.center())
    assert "Rituals of transition" in text and "researcher" in text
    assert "Walking as a ritual" in text and "…" in text  # the long memo is cut
    assert text.count("Walking as a ritual") < LONG_MEMO.count("Walking as a ritual")
    assert len(text) < len(LONG_MEMO) + 400 and len(LONG_MEMO) > MEMO_CHARS
    label = next(rect for rect, c in stripes._labels if c.id == project["walk0"])
    assert "Rituals of transition" in _help(stripes, label.center())
    assert stripes.codings_at(QPointF(stripes.width() - 2, 2)) == []  # nothing there
    QToolTip.hideText()


def test_clicking_a_label_selects_its_passage(
        qtbot: QtBot, view: TranscriptView, project: dict[str, int]) -> None:
    stripes = view.stripes
    _paint(stripes)
    label = next(rect for rect, c in stripes._labels if c.code_id == project["guilt"])
    coding = next(c for rect, c in stripes._labels if c.code_id == project["guilt"])
    with qtbot.waitSignal(view.coding_selected) as chosen:
        qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=label.center().toPoint())
    assert chosen.args == [coding.id]
    assert view.selection_span() == (coding.start, coding.end)


def test_right_click_on_a_stripe_selects_or_asks_for_its_extracts(
        qtbot: QtBot, view: TranscriptView, project: dict[str, int]) -> None:
    stripes = view.stripes
    _paint(stripes)
    rect, coding = next((r, c) for r, c in stripes._painted if c.code_id == project["sup"])
    menu = stripes.context_menu(rect.center())
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert "Select passage" in actions
    assert "Show extracts of 'Supervision as containment'" in actions
    with qtbot.waitSignal(view.code_extracts_requested) as asked:
        actions["Show extracts of 'Supervision as containment'"].trigger()
    assert asked.args == [project["sup"]]
    actions["Select passage"].trigger()
    assert view.selection_span() == (coding.start, coding.end)
    empty = stripes.context_menu(QPointF(stripes.width() - 2, 1))
    assert empty.actions()[0].text() == "Show all stripes"


def test_the_filter_hides_codes_or_coders_and_is_remembered(
        qtbot: QtBot, session: ProjectSession, project: dict[str, int], tmp_path: Path) -> None:
    settings_file = QSettings(str(tmp_path / "view.ini"), QSettings.Format.IniFormat)
    view = _open(qtbot, session, project["document"])
    stripes = view.stripes
    stripes.use_settings(settings_file, session.path)
    _paint(stripes)
    rect, _coding = next((r, c) for r, c in stripes._painted if c.code_id == project["sup"])
    menu = stripes.context_menu(rect.center())
    hide = next(a for a in menu.actions() if a.text() == "Hide stripes of "
                "'Supervision as containment'")
    hide.trigger()
    _paint(stripes)
    shown = {coding.code_id for _, coding in stripes._painted}
    assert project["sup"] not in shown and project["walk"] in shown
    assert view.stripe_filter.text() == "Stripes: 4 of 5 codes"
    assert len(view.codings) == 30  # a view setting: every coding is still there
    # the coders half of the filter, from the button's menu
    button_menu = view.stripe_filter.menu()
    button_menu.aboutToShow.emit()
    second = next(a for a in button_menu.actions() if a.text() == "second coder")
    assert second.isCheckable() and second.isChecked()
    second.trigger()
    _paint(stripes)
    assert {c.coder for _, c in stripes._painted} == {"researcher"}
    assert "researcher only" in view.stripe_filter.text()
    # a view opened later restores the filter
    again = _open(qtbot, session, project["document"])
    again.stripes.use_settings(settings_file, session.path)
    _paint(again.stripes)
    assert {c.coder for _, c in again.stripes._painted} == {"researcher"}
    assert project["sup"] not in {c.code_id for _, c in again.stripes._painted}
    show_all = again.stripes.context_menu(QPointF(again.stripes.width() - 2, 1)).actions()[0]
    show_all.trigger()
    _paint(again.stripes)
    assert {c.coder for _, c in again.stripes._painted} == {"researcher", "second coder"}


# -- margin notes in the gutter -------------------------------------------------------------------
def _note_point(view: TranscriptView, start: int) -> QPointF:
    box = view.editor.screen_lines().box(view.positions.to_view(start))
    assert box is not None
    return QPointF(6, (box[0] + box[1]) / 2)


def test_a_margin_note_shows_in_the_gutter_and_a_click_edits_it(
        qtbot: QtBot, view: TranscriptView, session: ProjectSession, project: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    view.scroll_to(_at("I count"))
    QApplication.processEvents()
    gutter = view.gutter
    point = _note_point(view, _at("I count"))
    assert gutter.note_at(point) is not None
    text = _help(gutter, point)
    assert "Counting bridges: a ritual?" in text
    assert "Counting" not in _help(gutter, QPointF(gutter.width() - 4, point.y()))
    asked: list[str] = []

    def answer(_parent: object, _title: str, _label: str, text: str = "") -> tuple[str, bool]:
        asked.append(text)
        return "Counting bridges: a ritual of arrival home", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", answer)
    qtbot.mouseClick(gutter, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert asked == ["Counting bridges: a ritual?"]  # the dialog opens on the note's text

    def bodies() -> list[str]:
        with session.read() as s:
            return [n.body for n in list_annotations(s, project["document"])]

    assert bodies() == ["Counting bridges: a ritual of arrival home"]
    assert view.selection_span() is None  # the click edited, it did not select lines
    assert "arrival home" in _help(gutter, _note_point(view, _at("I count")))
    session.undo_stack.undo()
    assert bodies() == ["Counting bridges: a ritual?"]
    QToolTip.hideText()


# -- the screenshot --------------------------------------------------------------------------------
def test_screenshot_transcript_with_stripes_and_a_margin_note(
        qtbot: QtBot, session: ProjectSession, project: dict[str, int],
        screenshot: Shot) -> None:
    """The reading layout at 1366x768: transcript, stripes, a note, the notes panel."""
    window = QMainWindow()
    qtbot.addWidget(window)
    view = TranscriptView(session)
    window.setCentralWidget(view)
    notes = NotesPanel(session)
    dock = QDockWidget("Margin notes", window)
    dock.setWidget(notes)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resize(1366, 768)
    window.show()
    window.resizeDocks([dock], [150], Qt.Orientation.Vertical)
    view.open_document(project["document"])
    notes.set_current_document(project["document"])
    view.select_span(_at("Then I ring"), _after("holds me."))
    view.scroll_to(_at("I walk"))
    QApplication.processEvents()
    _check_margin(view.stripes)
    assert view.gutter.note_at(_note_point(view, _at("I count"))) is not None
    if screenshot(window, "transcript-stripes-notes") is None:
        pytest.skip("set TWB_SCREENSHOT_DIR to save screenshots")
