"""The transcript's context menu: each entry changes the project as it says, and Ctrl+Z
(the undo stack) puts the rows back; read-only projects get no editing entries."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.frame_data import build_frame
from thematic_workbench.core.storage.models import Annotation, Code, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.coding.controller import CodingController
from thematic_workbench.gui.coding.quick_code import QuickCodeBox
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.context_menu import build_menu
from thematic_workbench.gui.transcript.view import TranscriptView

Rows = list[tuple[str, int, int, str]]


class Shown:
    """A transcript view with its coding controller, as the window has them."""

    def __init__(self, qtbot: QtBot, session: ProjectSession, document_id: int) -> None:
        self.session = session
        self.host = QWidget()
        qtbot.addWidget(self.host)
        self.view = TranscriptView(session)
        QVBoxLayout(self.host).addWidget(self.view)
        self.controller = CodingController(session, self.view, self.host)
        self.host.resize(900, 500)
        self.host.show()
        self.view.open_document(document_id)

    def point(self, needle: str, offset: int = 1) -> QPoint:
        """Viewport pixels over a character inside the first occurrence of ``needle``."""
        text = self.view.positions.text
        at = text.index(needle) + offset
        cursor = QTextCursor(self.view.editor.document())
        cursor.setPosition(self.view.positions.to_view(at))
        left = self.view.editor.cursorRect(cursor)
        cursor.setPosition(self.view.positions.to_view(at + 1))
        right = self.view.editor.cursorRect(cursor)
        return QPoint((left.x() + right.x()) // 2, left.center().y())

    def select(self, needle: str) -> tuple[int, int]:
        start = self.view.positions.text.index(needle)
        self.view.select_span(start, start + len(needle))
        return start, start + len(needle)

    def menu(self, where: QPoint) -> QMenu:
        return build_menu(self.view, self.controller, where)

    def rows(self) -> Rows:
        with self.session.read() as s:
            return sorted(tuple(row) for row in s.execute(  # type: ignore[misc]
                select(Code.name, Coding.start, Coding.end, Coding.memo).join(Code)
                .where(Coding.document_id == self.view.current_document_id)))

    def undo(self) -> None:
        self.session.undo_stack.undo()


def entries(menu: QMenu) -> dict[str, QAction]:
    """Every entry of the menu and its submenus, by its text without the shortcut."""
    found: dict[str, QAction] = {}
    for action in menu.actions():
        if action.menu() is not None:
            found[_plain(action.text())] = action
            found.update(entries(action.menu()))  # type: ignore[arg-type]
        elif not action.isSeparator():
            found[_plain(action.text())] = action
    return found


def _plain(text: str) -> str:
    """An entry's words as the user reads them: no shortcut, no mnemonic marks."""
    return re.sub(r"&(.)", r"\1", text.split("\t")[0])


@pytest.fixture
def ids(store: ProjectStore) -> dict[str, int]:
    return build_frame(store)


@pytest.fixture
def shown(qtbot: QtBot, session: ProjectSession, ids: dict[str, int]) -> Iterator[Shown]:
    view = Shown(qtbot, session, ids["pa"])
    yield view
    view.host.close()


def _answer(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setattr(QInputDialog, name, lambda *_args, **_kw: (value, True))


def _choose(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, typed: str) -> None:
    """The quick-code box answers as a user typing ``typed`` and pressing Enter would."""
    def run(box: QuickCodeBox) -> int:
        box.show()
        box.filter.setText(typed)
        box.accept_current()
        return int(box.result())

    monkeypatch.setattr(QuickCodeBox, "exec", run)


def test_menu_on_a_coding_offers_its_entries_and_selection_ones_disabled(shown: Shown) -> None:
    found = entries(shown.menu(shown.point("go for a run")))
    for text in ("Remove coding 'Running'", "Recode 'Running' as…", "Coding memo…",
                 "Comment for review…", "Comment on this transcript for review…",
                 "Quick code…", "In-vivo code", "New code from selection…", "Margin note…",
                 "Copy", "Copy with citation", "Select all"):
        assert text in found, text
    assert found["Remove coding 'Running'"].isEnabled()
    assert not found["Quick code…"].isEnabled()  # nothing selected
    assert found["Quick code…"].toolTip().startswith("Select some text")
    assert not found["Copy with citation"].isEnabled()
    assert "Remove coding 'Supervision'" not in found  # not under the pointer


def test_remove_and_undo(shown: Shown) -> None:
    before = shown.rows()
    entries(shown.menu(shown.point("go for a run")))["Remove coding 'Running'"].trigger()
    assert [row[0] for row in shown.rows()] == ["Supervision"]
    shown.undo()
    assert shown.rows() == before


def test_recode_to_an_existing_and_to_a_new_code_each_one_undo_step(
        shown: Shown, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    before = shown.rows()
    run_span = next(row[1:3] for row in before if row[0] == "Running")
    _choose(monkeypatch, qtbot, "Clearing my head")
    entries(shown.menu(shown.point("go for a run")))["Recode 'Running' as…"].trigger()
    assert ("Clearing my head", *run_span, "a  habit") in shown.rows()
    shown.undo()
    assert shown.rows() == before

    _choose(monkeypatch, qtbot, "Moving the body")
    entries(shown.menu(shown.point("go for a run")))["Recode 'Running' as…"].trigger()
    assert ("Moving the body", *run_span, "a  habit") in shown.rows()
    assert shown.session.undo_stack.index() == 1  # code and recode: one step
    shown.undo()
    assert shown.rows() == before
    with shown.session.read() as s:
        assert s.execute(select(Code).where(Code.name == "Moving the body")).first() is None


def test_memo_shows_the_current_one_and_undoes(shown: Shown,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def answer(_parent: QWidget, _title: str, _label: str, text: str = "") -> tuple[str, bool]:
        seen.append(text)
        return "Running as self-care", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", answer)
    entries(shown.menu(shown.point("go for a run")))["Coding memo…"].trigger()
    assert seen == ["a  habit"]
    assert any(row[0] == "Running" and row[3] == "Running as self-care" for row in shown.rows())
    shown.undo()
    assert any(row[0] == "Running" and row[3] == "a  habit" for row in shown.rows())


def test_comment_entries_ask_for_the_coding_and_the_transcript(
        shown: Shown, qtbot: QtBot, ids: dict[str, int]) -> None:
    coding_id = next(c.id for c in shown.view.codings.items if c.code_name == "Running")
    found = entries(shown.menu(shown.point("go for a run")))
    with qtbot.waitSignal(shown.view.comment_requested) as signal:
        found["Comment for review…"].trigger()
    assert signal.args == ["coding", coding_id]
    with qtbot.waitSignal(shown.view.comment_requested) as signal:
        found["Comment on this transcript for review…"].trigger()
    assert signal.args == ["document", ids["pa"]]


def test_selection_entries_code_and_undo(shown: Shown, qtbot: QtBot,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    before = shown.rows()
    span = shown.select("It clears my head")
    where = shown.point("It clears my head", 3)

    _choose(monkeypatch, qtbot, "Clearing my head")
    entries(shown.menu(where))["Quick code…"].trigger()
    assert ("Clearing my head", *span, "") in shown.rows()
    shown.undo()
    assert shown.rows() == before

    shown.controller._remember(next(c.code_id for c in shown.view.codings.items
                                    if c.code_name == "Supervision"))
    recent = entries(shown.menu(where))
    assert recent["Apply recent code"].isEnabled()
    recent["Supervision"].trigger()
    assert ("Supervision", *span, "") in shown.rows()
    shown.undo()

    entries(shown.menu(where))["In-vivo code"].trigger()
    assert ('"It clears my head"', *span, "") in shown.rows()
    shown.undo()
    assert shown.rows() == before
    with shown.session.read() as s:
        assert s.execute(select(Code).where(Code.name == '"It clears my head"')).first() is None

    _answer(monkeypatch, "getText", "Head space")
    entries(shown.menu(where))["New code from selection…"].trigger()
    assert ("Head space", *span, "") in shown.rows()
    shown.undo()
    assert shown.rows() == before

    _answer(monkeypatch, "getMultiLineText", "Said with a laugh")
    entries(shown.menu(where))["Margin note…"].trigger()
    with shown.session.read() as s:
        assert s.execute(select(Annotation.start, Annotation.end, Annotation.body)).all() \
            == [(*span, "Said with a laugh")]
    shown.undo()
    with shown.session.read() as s:
        assert s.execute(select(Annotation.id)).all() == []


def test_copy_with_citation_uses_the_report_form(shown: Shown) -> None:
    shown.select("I go for a run")
    entries(shown.menu(shown.point("I go for a run", 2)))["Copy with citation"].trigger()
    assert QApplication.clipboard().text() == "I go for a run [PA, line 2]"
    start = shown.view.positions.text.index("I go for a run")
    end = shown.view.positions.text.index("unsayable") + len("unsayable")
    shown.view.select_span(start, end)
    entries(shown.menu(shown.point("I go for a run", 2)))["Copy"].trigger()
    assert QApplication.clipboard().text() == shown.view.positions.text[start:end]
    entries(shown.menu(shown.point("I go for a run", 2)))["Copy with citation"].trigger()
    assert QApplication.clipboard().text() == (  # the PA turn wraps: lines 2-3
        f"{shown.view.positions.text[start:end]} [PA, lines 2-5]")


def test_several_codings_under_the_pointer_each_get_a_submenu(
        shown: Shown, ids: dict[str, int]) -> None:
    shown.select("Honestly I go for a run.")
    shown.controller.drop_code(ids["head"])  # a second coding around the first
    found = entries(shown.menu(shown.point("go for a run")))
    assert "'Running', line 2" in found and "'Clearing my head', line 2" in found
    before = shown.rows()
    found["Remove coding 'Clearing my head'"].trigger()
    assert [row[0] for row in shown.rows()] == ["Running", "Supervision"]
    shown.undo()
    assert shown.rows() == before


def test_read_only_project_keeps_only_reading_entries(
        qtbot: QtBot, tmp_path: Path, store: ProjectStore, ids: dict[str, int]) -> None:
    path = store.path
    store.close()
    with ProjectStore.open(path, readonly=True) as readonly:
        session = ProjectSession(readonly, "alice")
        shown = Shown(qtbot, session, ids["pa"])
        shown.select("I go for a run")
        found = entries(shown.menu(shown.point("I go for a run", 2)))
        editing = [text for text in found if text.startswith(("Remove", "Recode", "Quick",
                   "In-vivo", "New code", "Margin", "Coding memo", "Comment"))]
        assert len(editing) == 9
        assert not any(found[text].isEnabled() for text in editing)
        assert found["Remove coding 'Running'"].toolTip() == "The project is open read-only"
        assert found["Copy"].isEnabled() and found["Copy with citation"].isEnabled()
        shown.host.close()
        session.undo_stack.clear()


def test_screenshot_context_menu_on_a_coding(
        qtbot: QtBot, shown: Shown, ids: dict[str, int],
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    """The menu as it opens on a passage coded twice, grabbed with the transcript."""
    shown.select("Honestly I go for a run.")
    shown.controller.drop_code(ids["head"])
    shown.controller._remember(ids["sup"])
    shown.host.resize(1366, 768)
    where = shown.point("go for a run")
    menu = shown.menu(where)
    menu.popup(shown.view.editor.viewport().mapToGlobal(where))
    qtbot.waitExposed(menu)
    first = next(a for a in menu.actions() if a.menu() is not None
                 and a.text().startswith("'"))
    menu.setActiveAction(first)
    first.menu().popup(menu.mapToGlobal(menu.actionGeometry(first).topRight()))  # type: ignore[union-attr]
    qtbot.waitExposed(first.menu())  # type: ignore[arg-type]
    composed = _compose(shown.host, [menu, first.menu()])  # type: ignore[list-item]
    screenshot(composed, "transcript-context-menu")
    menu.close()


def _compose(base: QWidget, popups: list[QWidget]) -> QWidget:
    """One picture: the window with its open popups painted where they are on screen."""
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QLabel

    picture = base.grab()
    painter = QPainter(picture)
    for popup in popups:
        painter.drawPixmap(base.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
    painter.end()
    label = QLabel()
    label.setPixmap(picture)
    label.resize(picture.size())
    return label


def test_right_click_and_the_menu_key_open_this_menu(shown: Shown) -> None:
    from PySide6.QtGui import QContextMenuEvent

    def shown_menu() -> list[str]:
        menus = [m for m in shown.view.findChildren(QMenu, "transcriptMenu") if m.isVisible()]
        assert len(menus) == 1
        found = list(entries(menus[0]))
        menus[0].close()
        return found

    viewport = shown.view.editor.viewport()
    where = shown.point("go for a run")
    QApplication.sendEvent(viewport, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, viewport.mapToGlobal(where)))
    assert "Remove coding 'Running'" in shown_menu()
    # The menu key (or Shift+F10) sends this, at the text cursor: where the click put it.
    at_cursor = shown.view.editor.cursorRect().center()
    QApplication.sendEvent(viewport, QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, at_cursor, viewport.mapToGlobal(at_cursor)))
    assert "Remove coding 'Running'" in shown_menu()


def test_recode_without_the_menu_takes_the_coding_at_the_cursor(
        shown: Shown, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Code > Recode coding… (a key) does: the coding where the text cursor is."""
    before = shown.rows()
    cursor = shown.view.editor.cursorForPosition(shown.point("go for a run"))
    shown.view.editor.setTextCursor(cursor)
    _choose(monkeypatch, qtbot, "Supervision")
    shown.controller.recode()
    assert [row[0] for row in shown.rows()] == ["Supervision", "Supervision"]
    shown.undo()
    assert shown.rows() == before
