"""The review panel driven as a supervisor and an analyst would, checked on screen and in
the database: comment threads, replies, resolving, undo, and phase sign-offs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.core.helpers_docs import before_after, last_event
from thematic_workbench.core.services import review
from thematic_workbench.core.services.coders import set_coder_role
from thematic_workbench.core.services.phases import move_to_phase
from thematic_workbench.core.storage.models import Coding, Comment, SignOff
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.review import panel as panel_module
from thematic_workbench.gui.review.commands import SignOffPhaseCommand
from thematic_workbench.gui.review.comments_model import COMMENT_ID_ROLE, CommentsModel
from thematic_workbench.gui.review.dialogs import CommentDialog, SignOffDialog
from thematic_workbench.gui.review.panel import ReviewPanel, signed_off_phases
from thematic_workbench.gui.session import ProjectSession

SUPERVISOR = "Dr Sam Okafor"


def _panel(qtbot: QtBot, session: ProjectSession) -> ReviewPanel:
    panel = ReviewPanel(session)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    return panel


def _cell(panel: ReviewPanel, row: int, column: int, parent: QModelIndex | None = None) -> str:
    return panel.model.index(row, column, parent or QModelIndex()).data()


def _comments(session: ProjectSession) -> list[tuple[int, str, int, int | None, str, str]]:
    with session.read() as s:
        return [(c.id, c.target_kind, c.target_id, c.parent_id, c.body, c.status)
                for c in s.execute(select(Comment).order_by(Comment.id)).scalars()]


def _click(qtbot: QtBot, panel: ReviewPanel, index: QModelIndex) -> None:
    panel.view.scrollTo(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.view.visualRect(index).center())


def test_comment_reply_resolve_and_undo(qtbot: QtBot, qtmodeltester: object,
                                        session: ProjectSession, frame: dict[str, int],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    assert "No comments yet" in panel.reader.toPlainText()
    asked: list[str] = []

    def ask(_parent: QWidget, target: str) -> str:
        asked.append(target)
        return f"  Comment {len(asked)}: is this one code or two?  "

    monkeypatch.setattr(panel_module, "ask_comment", ask)
    first = panel.add_comment_on("code", frame["sup"])
    second = panel.add_comment_on("theme", frame["outlets"])
    assert asked == ["Code \N{MIDDLE DOT} Supervision", "Theme \N{MIDDLE DOT} Physical outlets"]
    assert _comments(session) == [
        (first, "code", frame["sup"], None, "Comment 1: is this one code or two?", "open"),
        (second, "theme", frame["outlets"], None, "Comment 2: is this one code or two?",
         "open")]
    assert [_cell(panel, 0, c) for c in range(5)][:3] == [
        "Comment 1: is this one code or two?", "Code \N{MIDDLE DOT} Supervision",
        "alice (analyst)"]
    assert _cell(panel, 0, CommentsModel.STATUS) == "Open"
    assert "2 open \N{MIDDLE DOT} 0 resolved" in panel.title.text()

    # Reply to the first thread, typed into the box under it.
    _click(qtbot, panel, panel.model.index(0, CommentsModel.COMMENT))
    assert panel.selected_comment().id == first
    assert not panel.reply_button.isEnabled()
    qtbot.keyClicks(panel.reply_box, "Two: peer support and formal supervision.")
    qtbot.mouseClick(panel.reply_button, Qt.MouseButton.LeftButton)
    (reply,) = [c for c in _comments(session) if c[3] == first]
    assert reply[1:] == ("code", frame["sup"], first, "Two: peer support and formal "
                         "supervision.", "open")
    top = panel.model.index(0, 0)
    assert panel.model.rowCount(top) == 1
    assert _cell(panel, 0, CommentsModel.COMMENT, top).startswith("Two: peer support")
    assert _cell(panel, 0, CommentsModel.ABOUT, top) == ""  # the thread's label says it
    assert panel.reply_box.toPlainText() == ""
    assert "Two: peer support" in panel.reader.toPlainText()
    assert "Comment 1" in panel.reader.toPlainText()

    # Resolving moves the thread below the open one, and it stays selected.
    qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
    assert [c[5] for c in _comments(session) if c[0] == first] == ["resolved"]
    assert panel.model.thread_ids() == [second, first]
    assert _cell(panel, 1, CommentsModel.STATUS) == "Resolved"
    assert panel.selected_comment().thread_id == first
    assert "Resolved by alice" in panel.reader.toPlainText()
    assert (panel.resolve_button.isEnabled(), panel.reopen_button.isEnabled()) == (False, True)
    assert "1 open \N{MIDDLE DOT} 1 resolved" in panel.title.text()
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]

    stack = session.undo_stack
    stack.undo()  # the resolve
    assert panel.model.thread_ids() == [first, second]
    assert [c[5] for c in _comments(session) if c[0] == first] == ["open"]
    stack.undo()  # the reply
    assert [c[0] for c in _comments(session)] == [first, second]
    assert panel.model.rowCount(panel.model.index(0, 0)) == 0
    with session.read() as s:
        assert before_after(last_event(s, "comment.delete"))[0]["id"] == reply[0]
    stack.redo()
    stack.redo()
    assert [(c[0], c[3], c[5]) for c in _comments(session)] == [
        (first, None, "resolved"), (second, None, "open"), (reply[0], first, "open")]
    assert panel.model.thread_ids() == [second, first]
    stack.undo()
    stack.undo()
    stack.undo()  # the second comment, then the first goes too
    stack.undo()
    assert _comments(session) == []
    assert "No comments yet" in panel.reader.toPlainText()
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]


def test_clicking_what_a_comment_is_about_asks_to_show_it(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    monkeypatch.setattr(panel_module, "ask_comment", lambda *_args: "Check this")
    panel.add_comment_on("document", frame["pb"])
    with qtbot.waitSignal(panel.target_activated) as blocker:
        _click(qtbot, panel, panel.model.index(0, CommentsModel.ABOUT))
    assert blocker.args == ["document", frame["pb"]]
    with qtbot.waitSignal(panel.target_activated) as blocker:
        panel.reader.anchorClicked.emit(QUrl(f"target:document:{frame['pb']}"))
    assert blocker.args == ["document", frame["pb"]]
    with qtbot.assertNotEmitted(panel.target_activated):
        _click(qtbot, panel, panel.model.index(0, CommentsModel.COMMENT))


def test_ctrl_enter_in_the_reply_box_sends_the_reply(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    monkeypatch.setattr(panel_module, "ask_comment", lambda *_args: "Too broad?")
    first = panel.add_comment_on("code", frame["run"])
    assert panel.selected_comment().id == first  # the new thread is selected
    qtbot.keyClicks(panel.reply_box, "Narrowed it")
    qtbot.keyClick(panel.reply_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [c[3:5] for c in _comments(session)] == [(None, "Too broad?"),
                                                    (first, "Narrowed it")]
    assert panel.reply_box.toPlainText() == ""
    qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)  # the only thread
    assert "0 open \N{MIDDLE DOT} 1 resolved" in panel.title.text()
    assert "Resolved by alice" in panel.reader.toPlainText()


def test_cancelled_or_empty_comment_changes_nothing(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    for answer in (None, "   "):
        monkeypatch.setattr(panel_module, "ask_comment", lambda *_args, a=answer: a)
        assert panel.add_comment_on("code", frame["run"]) is None
    assert _comments(session) == []
    assert session.undo_stack.count() == 0


def test_only_a_supervisor_signs_off_a_phase(qtbot: QtBot, session: ProjectSession,
                                             frame: dict[str, int],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    panel = _panel(qtbot, session)
    session.run(move_to_phase, 2, "Coding begins")
    assert panel.sign_off_button.text() == "Sign off phase 2\N{HORIZONTAL ELLIPSIS}"
    assert not panel.sign_off_button.isEnabled()
    assert "Only a supervisor can sign off a phase; alice is an analyst" in \
        panel.sign_off_button.toolTip()
    errors: list[str] = []
    session.error.connect(errors.append)
    assert not session.push(SignOffPhaseCommand(session, 2, "Looks fine"))  # refused in core
    assert errors == ["only a supervisor can sign off a phase; alice is an analyst"]
    with session.read() as s:
        assert s.execute(select(SignOff)).first() is None

    session.run(set_coder_role, "alice", "supervisor")
    assert panel.sign_off_button.isEnabled()
    monkeypatch.setattr(panel_module, "ask_sign_off",
                        lambda _parent, reached: (reached, "Codes checked against PA and PB"))
    qtbot.mouseClick(panel.sign_off_button, Qt.MouseButton.LeftButton)
    with session.read() as s:
        sign_off = s.execute(select(SignOff)).scalar_one()
        event = last_event(s, "phase.sign_off")
    assert (sign_off.phase, sign_off.note) == (2, "Codes checked against PA and PB")
    assert (event.coder, event.entity_id) == ("alice", sign_off.id)
    shown = signed_off_phases(session)
    assert list(shown) == [2] and shown[2].startswith("Signed off by alice, ")
    assert shown[2].endswith("\N{LEFT DOUBLE QUOTATION MARK}Codes checked against PA and "
                             "PB\N{RIGHT DOUBLE QUOTATION MARK}")
    assert panel.sign_offs.isVisibleTo(panel)
    assert "Phase 2: Signed off by alice" in panel.sign_offs.text()

    session.undo_stack.undo()
    with session.read() as s:
        assert s.execute(select(SignOff)).first() is None
        assert last_event(s).action == "phase.sign_off_withdraw"
    assert signed_off_phases(session) == {}
    assert not panel.sign_offs.isVisibleTo(panel)


def test_dialogs_need_text_and_offer_only_reached_phases(qtbot: QtBot) -> None:
    comment = CommentDialog(None, "Code \N{MIDDLE DOT} Running")
    qtbot.addWidget(comment)
    assert not comment.ok.isEnabled()
    comment.body.setPlainText("  Too broad?  ")
    assert comment.ok.isEnabled() and comment.value() == "Too broad?"
    sign_off = SignOffDialog(None, 3)
    qtbot.addWidget(sign_off)
    assert [sign_off.phase.itemText(i) for i in range(sign_off.phase.count())] == [
        "Phase 3: Searching for themes", "Phase 2: Generating initial codes",
        "Phase 1: Familiarising yourself with the data"]
    sign_off.note.setPlainText(" Themes look coherent ")
    assert sign_off.value() == (3, "Themes look coherent")


def test_review_panel_screenshot(qtbot: QtBot, store: ProjectStore, session: ProjectSession,
                                 frame: dict[str, int],
                                 screenshot: Callable[[QWidget, str], Path | None]) -> None:
    """A supervisor's threads on a code, a theme and a coded extract, one resolved."""
    with store.transaction("alice") as tx:
        set_coder_role(tx, SUPERVISOR, "supervisor")
        move_to_phase(tx, 3, "Codes are stable enough to search for themes")
        coding = tx.session.execute(select(Coding.id).where(
            Coding.code_id == frame["run"]).order_by(Coding.id)).scalars().first()
    with store.transaction(SUPERVISOR) as tx:
        on_code = review.add_comment(
            tx, "code", frame["sup"], "Is supervision here the formal kind only? PA seems "
            "to mean peer support too; consider splitting the code.").new_id("comment")
        review.add_comment(tx, "theme", frame["outlets"], "The name describes rather than "
                           "interprets. What do these outlets do for the therapists?")
        on_extract = review.add_comment(tx, "coding", coding, "Good in vivo candidate: "
                                        "'I go for a run'.").new_id("comment")
        review.sign_off_phase(tx, 2, "Coding is thorough across all transcripts")
    with store.transaction("alice") as tx:
        review.add_comment(tx, "code", frame["sup"], "Agreed. I will split it into "
                           "'Formal supervision' and 'Peer support'.", parent_id=on_code)
        review.add_comment(tx, "coding", coding, "Added it as an in vivo code.",
                           parent_id=on_extract)
    with store.transaction(SUPERVISOR) as tx:
        review.resolve_comment(tx, on_extract)
    panel = _panel(qtbot, session)
    assert panel.model.thread_ids()[-1] == on_extract  # resolved, so last
    by = {panel.model.index(r, 0).data(COMMENT_ID_ROLE): _cell(panel, r, CommentsModel.BY)
          for r in range(panel.model.rowCount())}
    assert by[on_code] == f"{SUPERVISOR} (supervisor)"
    assert _cell(panel, 2, CommentsModel.ABOUT) == \
        "Coded extract \N{MIDDLE DOT} 'Running' in PA interview, line 2"
    panel.select_comment(on_code)
    assert "Phase 2: Signed off by Dr Sam Okafor" in panel.sign_offs.text()
    assert panel.sign_off_button.text() == "Sign off phase 3\N{HORIZONTAL ELLIPSIS}"
    qtbot.wait(50)
    screenshot(panel, "review-panel")
