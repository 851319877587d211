"""The theme board: codes dragged onto cards, cards grouped under final themes, undo;
drags started by the mouse, autoscroll while dragging, zoom."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragLeaveEvent, QDragMoveEvent, QDropEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from thematic_workbench.core.services import themes
from thematic_workbench.core.storage.models import Theme, ThemeMembership
from thematic_workbench.gui.board import cards
from thematic_workbench.gui.board.cards import CODE_MIME, FROM_THEME_MIME, THEME_MIME
from thematic_workbench.gui.board.view import ThemeBoard
from thematic_workbench.gui.session import ProjectSession


def _members(session: ProjectSession, theme_id: int) -> list[int]:
    with session.read() as s:
        return list(s.execute(select(ThemeMembership.code_id)
                              .where(ThemeMembership.theme_id == theme_id)
                              .order_by(ThemeMembership.position)).scalars())


def _drop(target: QWidget, payload: dict[str, int], point: QPoint | None = None) -> None:
    """Deliver a drop as Qt would at the end of a drag (Qt does not deliver synthetic ones)."""
    mime = QMimeData()
    for kind, value in payload.items():
        mime.setData(kind, QByteArray(str(value).encode("ascii")))
    where = QPointF(point if point is not None else QPoint(10, target.height() - 5))
    event = QDropEvent(where, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    target.dropEvent(event)  # type: ignore[attr-defined]


def test_the_board_shows_final_themes_their_emerging_themes_and_miscellaneous(
        board: ThemeBoard, frame: dict[str, int]) -> None:
    assert set(board.lanes) == {frame["final"], None}
    assert [chip.code.name for chip in board.cards[frame["outlets"]].chips] == [
        "Running", "Clearing my head"]
    assert [chip.code.name for chip in board.cards[None].chips] == ["Unused"]
    assert "Support" in board.cards[frame["support"]].title.text()


def test_dropping_a_code_on_a_card_assigns_it_in_place_and_undo_takes_it_out(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int]) -> None:
    card = board.cards[frame["support"]]
    _drop(card, {CODE_MIME: frame["unused"]}, QPoint(2, 2))  # before the first chip
    assert _members(session, frame["support"]) == [frame["unused"], frame["sup"]]
    assert [chip.code.id for chip in board.cards[frame["support"]].chips] == [
        frame["unused"], frame["sup"]]
    assert board.cards[None].chips == []
    session.undo_stack.undo()
    assert _members(session, frame["support"]) == [frame["sup"]]
    session.undo_stack.redo()
    assert _members(session, frame["support"]) == [frame["unused"], frame["sup"]]


def test_a_chip_dragged_to_another_card_moves_and_to_miscellaneous_leaves(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int]) -> None:
    _drop(board.cards[frame["support"]], {CODE_MIME: frame["run"],
                                         FROM_THEME_MIME: frame["outlets"]})
    assert _members(session, frame["outlets"]) == [frame["head"]]
    assert _members(session, frame["support"]) == [frame["sup"], frame["run"]]
    _drop(board.cards[None], {CODE_MIME: frame["head"], FROM_THEME_MIME: frame["outlets"]})
    assert _members(session, frame["outlets"]) == []
    assert [chip.code.name for chip in board.cards[None].chips] == [
        "Clearing my head", "Unused"]
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert _members(session, frame["outlets"]) == [frame["run"], frame["head"]]
    assert _members(session, frame["support"]) == [frame["sup"]]


def test_reordering_within_a_card_changes_table_order(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int]) -> None:
    card = board.cards[frame["outlets"]]
    _drop(card, {CODE_MIME: frame["head"], FROM_THEME_MIME: frame["outlets"]}, QPoint(2, 2))
    assert _members(session, frame["outlets"]) == [frame["head"], frame["run"]]
    assert session.undo_stack.undoText() == "Reorder code"


def test_a_card_dropped_on_a_final_lane_is_grouped_under_it(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int]) -> None:
    _drop(board.lanes[frame["final"]], {THEME_MIME: frame["support"]})
    with session.read() as s:
        assert s.get(Theme, frame["support"]).parent_id == frame["final"]
    assert frame["support"] in board.cards
    lane_cards = [board.lanes[frame["final"]].box.itemAt(i).widget()
                  for i in range(board.lanes[frame["final"]].box.count())]
    assert board.cards[frame["support"]] in lane_cards
    # Dropped on the card of "Physical outlets": it goes before it, in the same lane.
    _drop(board.cards[frame["outlets"]], {THEME_MIME: frame["support"]})
    with session.read() as s:
        order = list(s.execute(select(Theme.id).where(Theme.level == "emerging")
                               .order_by(Theme.position)).scalars())
    assert order.index(frame["support"]) < order.index(frame["outlets"])
    session.undo_stack.undo()
    session.undo_stack.undo()
    with session.read() as s:
        assert s.get(Theme, frame["support"]).parent_id is None


def test_create_merge_and_undo_keep_the_same_themes(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board, "ask_new_theme", lambda *_args: ("Boundaries", None))
    assert board.menu_actions.create("emerging")
    with session.read() as s:
        created = s.execute(select(Theme.id).where(Theme.name == "Boundaries")).scalar_one()
    _drop(board.cards[created], {CODE_MIME: frame["unused"]})
    session.undo_stack.undo()
    session.undo_stack.undo()  # the theme is deleted
    with session.read() as s:
        assert s.get(Theme, created) is None
    session.undo_stack.redo()
    session.undo_stack.redo()  # back under the same id, so the drop redoes too
    assert _members(session, created) == [frame["unused"]]

    monkeypatch.setattr(board, "ask_choice", lambda *_args: "Support")
    assert board.menu_actions.run(created, "merge")
    with session.read() as s:
        assert s.get(Theme, created).status == "discarded"
    assert _members(session, frame["support"]) == [frame["sup"], frame["unused"]]
    assert created not in board.cards
    session.undo_stack.undo()
    with session.read() as s:
        assert s.get(Theme, created).status == "candidate"
    assert _members(session, frame["support"]) == [frame["sup"]]
    assert _members(session, created) == [frame["unused"]]


def test_board_screenshot(qtbot: QtBot, session: ProjectSession,
                          screenshot: Callable[[QWidget, str], Path | None]) -> None:
    with session.store.transaction("alice") as tx:
        build_board_story(tx)
    board = ThemeBoard(session)
    qtbot.addWidget(board)
    board.resize(1280, 720)
    board.show()
    QApplication.processEvents()
    assert len(board.lanes) == 3 and [c.code.name for c in board.cards[None].chips] == [
        "Team supervision"]
    if screenshot(board, "theme-board") is None:
        pytest.skip("set TWB_SCREENSHOT_DIR to save screenshots")


def build_board_story(tx: object) -> None:
    """Themes from a study of forensic therapists on the working alliance."""
    from thematic_workbench.core.services import codes

    def code(name: str, colour: str) -> int:
        return codes.create_code(tx, name, colour=colour).new_id("code")  # type: ignore[arg-type]

    names = {name: code(name, colour) for name, colour in (
        ("Mandated attendance", "#4E79A7"), ("Client mistrust", "#E15759"),
        ("Power imbalance", "#F28E2B"), ("Risk talk first", "#76B7B2"),
        ("Small genuine moments", "#59A14F"), ("Humour as a bridge", "#EDC948"),
        ("Being tested", "#B07AA1"), ("Consistency over time", "#FF9DA7"),
        ("Team supervision", "#9C755F"), ("Court reports", "#BAB0AC"))}
    forced = themes.create_theme(tx, "Dynamics of forced work", "final").new_id("theme")  # type: ignore[arg-type]
    earned = themes.create_theme(tx, "Trust is earned slowly", "final").new_id("theme")  # type: ignore[arg-type]
    plan = ((forced, "Not a free choice", "The client did not ask to be here.",
             ("Mandated attendance", "Power imbalance")),
            (forced, "Two masters", "Care and control pull against each other.",
             ("Risk talk first", "Court reports")),
            (earned, "Being tested", "", ("Client mistrust", "Being tested")),
            (earned, "Moments of contact", "Small human moments carry the alliance.",
             ("Small genuine moments", "Humour as a bridge")),
            (None, "Holding steady", "", ("Consistency over time",)))
    for parent, name, definition, members in plan:
        theme = themes.create_theme(tx, name, definition=definition,  # type: ignore[arg-type]
                                    parent_id=parent).new_id("theme")
        for member in members:
            themes.assign_code(tx, names[member], theme)  # type: ignore[arg-type]


def test_codings_update_chip_counts_only_when_the_board_is_seen(
        board: ThemeBoard, session: ProjectSession, frame: dict[str, int]) -> None:
    from thematic_workbench.core.services.codings import code_match

    def running_count() -> int:
        chip = next(c for c in board.cards[frame["outlets"]].chips
                    if c.code.id == frame["run"])
        return chip.code.codings

    before = running_count()
    board.hide()
    session.run(code_match, frame["pb"], frame["run"], "most days")
    assert board.counts.stale and running_count() == before  # not rebuilt behind the scenes
    board.show()
    board.counts.flush()
    assert not board.counts.stale and running_count() == before + 1


def _drag_with_mouse(board: ThemeBoard, start: QPoint, release_first: bool = False) -> None:
    """Press, move and release as the window system would deliver them (not to one widget)."""
    window = board.windowHandle()
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    if release_first:
        QTest.mouseRelease(window, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(window, start + QPoint(6 * step, 4 * step))
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       start + QPoint(30, 20))


@pytest.fixture
def drags(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, int]]:
    """What drags the board starts (Qt's own drag loop cannot run offscreen)."""
    started: list[dict[str, int]] = []
    monkeypatch.setattr(cards, "_start_drag", lambda _source, payload: started.append(payload))
    return started


def test_a_card_drags_from_its_title_and_from_anywhere_but_its_chips(
        board: ThemeBoard, frame: dict[str, int], drags: list[dict[str, int]]) -> None:
    card = board.cards[frame["support"]]
    title = card.title.mapTo(board, card.title.rect().center())
    _drag_with_mouse(board, title)
    assert drags == [{THEME_MIME: frame["support"]}]
    _drag_with_mouse(board, card.mapTo(board, QPoint(card.width() - 40, 14)))  # header end
    assert drags[-1] == {THEME_MIME: frame["support"]} and len(drags) == 2
    chip = card.chips[0]
    _drag_with_mouse(board, chip.mapTo(board, chip.rect().center()))
    assert drags[-1] == {CODE_MIME: frame["sup"], FROM_THEME_MIME: frame["support"]}
    # A click (press and release) followed by a hover never starts a drag.
    _drag_with_mouse(board, title, release_first=True)
    assert len(drags) == 3
    # The miscellaneous pile is not a theme: it does not drag.
    misc = board.cards[None]
    _drag_with_mouse(board, misc.mapTo(board, QPoint(misc.width() - 20, 10)))
    assert len(drags) == 3


def test_dragging_near_an_edge_scrolls_the_board(
        qtbot: QtBot, board: ThemeBoard, session: ProjectSession) -> None:
    with session.store.transaction("alice") as tx:
        for n in range(6):
            themes.create_theme(tx, f"Extra final {n}", "final")
    board.resize(700, 400)
    QApplication.processEvents()
    bar = board.scroll_area.horizontalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    viewport = board.scroll_area.viewport()
    mime = QMimeData()
    mime.setData(THEME_MIME, QByteArray(b"1"))
    near_right = QPointF(viewport.width() - 5, viewport.height() / 2)
    move = QDragMoveEvent(near_right.toPoint(), Qt.DropAction.MoveAction, mime,
                          Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    board.autoscroll.eventFilter(viewport, move)
    qtbot.waitUntil(lambda: bar.value() > 40, timeout=3000)
    leave = QDragLeaveEvent()
    board.autoscroll.eventFilter(viewport, leave)
    stopped = bar.value()
    qtbot.wait(150)
    assert bar.value() == stopped  # a drag that left stops the scrolling


def test_zoom_keys_wheel_and_fit(qtbot: QtBot, board: ThemeBoard,
                                 session: ProjectSession) -> None:
    with session.store.transaction("alice") as tx:
        for n in range(3):
            themes.create_theme(tx, f"Extra final {n}", "final")
    board.resize(1100, 500)
    QApplication.processEvents()
    lane = board.lanes[None]
    width = lane.width()
    board.cards[None].setFocus()
    QTest.keyClick(board.cards[None], Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert board.zoom.factor < 1 and board.lanes[None].width() < width
    QTest.keyClick(board.cards[None], Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert board.zoom.factor == 1 and board.lanes[None].width() == width
    viewport = board.scroll_area.viewport()
    wheel = QWheelEvent(QPointF(50, 50), QPointF(viewport.mapToGlobal(QPoint(50, 50))),
                        QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(viewport, wheel)
    assert board.zoom.factor > 1 and board.zoom_label.text() == "115 %"
    board.fit_button.click()
    QApplication.processEvents()
    assert board.zoom.factor < 1
    lanes = [column[0] for column in board.columns]
    assert len(lanes) == 6  # four final themes, the loose themes, Miscellaneous
    spacing = board.lanes_row.spacing()
    assert sum(lane.width() + spacing for lane in lanes) - spacing <= viewport.width()
    chip = board.cards[None].chips[0]
    assert chip.font().pointSizeF() >= 7  # smaller, still legible
