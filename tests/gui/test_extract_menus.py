"""The extract menu on the extracts list and on a theme's collated extracts, driven as a user
would (right-click, Menu key, Delete, Ctrl+Shift+C), each action checked in the database
and undone; widths of the extracts list that fit their names and are remembered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QContextMenuEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.analysis.test_theme_matrix import TRANSCRIPTS, build_study
from thematic_workbench.core.queries.theme_extracts import codes_of_theme
from thematic_workbench.core.storage.models import Code, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.coding.quick_code import CodeChoice
from thematic_workbench.gui.review import extract_menu
from thematic_workbench.gui.review.extract_menu import ExtractMenu, ExtractTarget
from thematic_workbench.gui.review.extracts_model import ExtractsModel
from thematic_workbench.gui.review.extracts_panel import ExtractsPanel
from thematic_workbench.gui.review.theme_review import ThemeReviewView
from thematic_workbench.gui.session import ProjectSession

Shot = Callable[[QWidget, str], Path | None]
EDITING = ["extract_recode", "extract_memo", "extract_remove", "extract_comment"]


def _codings(session: ProjectSession) -> set[tuple[int, int, int, int, str]]:
    """Every coding as (code, document, start, end, memo): what a user's work is."""
    with session.read() as s:
        return {tuple(row) for row in s.execute(  # type: ignore[misc]
            select(Coding.code_id, Coding.document_id, Coding.start, Coding.end, Coding.memo))}


def _code_names(session: ProjectSession) -> set[str]:
    with session.read() as s:
        return set(s.execute(select(Code.name).where(Code.status == "active")).scalars())


def _panel(qtbot: QtBot, session: ProjectSession, settings: QSettings | None = None,
           width: int = 900) -> ExtractsPanel:
    panel = ExtractsPanel(session, settings=settings)
    qtbot.addWidget(panel)
    panel.resize(width, 320)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _activate(qtbot: QtBot, widget: QWidget) -> None:
    """Give the window its keys back, as closing a popup menu does."""
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def _right_click(widget: QWidget, pos: QPoint) -> None:
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                     widget.mapToGlobal(pos)))


def _entry(menu: ExtractMenu, name: str) -> None:
    """Choose an entry of the menu last opened, as a click on it would."""
    assert menu.menu is not None
    (action,) = [a for a in menu.menu.actions() if a.objectName() == name]
    assert action.isEnabled()
    menu.menu.hide()
    action.trigger()


def _open_on_row(panel: ExtractsPanel, row: int) -> None:
    rect = panel.view.visualRect(panel.model.index(row, ExtractsModel.EXTRACT))
    _right_click(panel.view.viewport(), rect.center())
    assert panel.menu.menu is not None and panel.menu.menu.isVisible()


def _undo_redo_round(session: ProjectSession, before: set, after: set) -> None:
    assert _codings(session) == after
    session.undo_stack.undo()
    assert _codings(session) == before
    session.undo_stack.redo()
    assert _codings(session) == after
    session.undo_stack.undo()
    assert _codings(session) == before


@pytest.fixture
def run_panel(qtbot: QtBot, session: ProjectSession,
              frame: dict[str, int]) -> Iterator[ExtractsPanel]:
    panel = _panel(qtbot, session)
    panel.show_code(frame["run"])
    yield panel
    if panel.menu.menu is not None:
        panel.menu.menu.hide()


def test_right_click_offers_every_entry_on_the_extract_under_the_mouse(
        run_panel: ExtractsPanel, frame: dict[str, int]) -> None:
    _open_on_row(run_panel, 1)
    menu = run_panel.menu.menu
    assert menu is not None
    words = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert words == ["Open in transcript", "Copy with citation", "Recode as\N{HORIZONTAL ELLIPSIS}",
                     "Edit memo\N{HORIZONTAL ELLIPSIS}", "Remove this coding",
                     "Comment for review\N{HORIZONTAL ELLIPSIS}",
                     "Export these extracts\N{HORIZONTAL ELLIPSIS}"]
    keys = {a.objectName(): a.text().partition("\t")[2] for a in menu.actions()}
    assert keys["extract_remove"] == "Del" and keys["extract_copy"] == "Ctrl+Shift+C"
    assert run_panel.view.currentIndex().row() == 1  # the row right-clicked is current
    with_span = run_panel.model.row_values(1)
    assert with_span.participant == "PB"


def test_open_and_copy_with_citation(qtbot: QtBot, run_panel: ExtractsPanel,
                                     frame: dict[str, int]) -> None:
    first = run_panel.model.row_values(0)
    _open_on_row(run_panel, 0)
    with qtbot.waitSignal(run_panel.extract_activated) as opened:
        _entry(run_panel.menu, "extract_open")
    assert opened.args == [frame["pa"], first.start, first.end]
    _open_on_row(run_panel, 0)
    _entry(run_panel.menu, "extract_copy")
    assert QApplication.clipboard().text() == "I go for a run [PA, line 2]"
    QApplication.clipboard().clear()
    _activate(qtbot, run_panel)
    run_panel.view.setCurrentIndex(run_panel.model.index(1, 0))
    run_panel.view.setFocus()
    qtbot.keyClick(run_panel.view, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.clipboard().text() == "A run at lunchtime [PB, line 2]"


def test_remove_from_the_menu_and_with_delete_and_undo(
        qtbot: QtBot, session: ProjectSession, run_panel: ExtractsPanel,
        frame: dict[str, int]) -> None:
    before = _codings(session)
    first = run_panel.model.row_values(0)
    _open_on_row(run_panel, 0)
    _entry(run_panel.menu, "extract_remove")
    gone = {row for row in before if row[:4] == (frame["run"], frame["pa"], first.start,
                                                 first.end)}
    assert len(gone) == 1
    _undo_redo_round(session, before, before - gone)
    assert run_panel.model.rowCount() == 2  # the undone removal is listed again

    _activate(qtbot, run_panel)
    run_panel.view.setCurrentIndex(run_panel.model.index(1, 0))
    run_panel.view.setFocus()
    qtbot.keyClick(run_panel.view, Qt.Key.Key_Delete)
    after = _codings(session)
    assert len(before - after) == 1 and next(iter(before - after))[1] == frame["pb"]
    assert run_panel.model.rowCount() == 1
    _undo_redo_round(session, before, after)


def test_recode_to_another_code_or_a_new_one_and_undo(
        session: ProjectSession, run_panel: ExtractsPanel, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = _codings(session)
    first = run_panel.model.row_values(0)
    offered: list[list[str]] = []

    def choose(_parent: object, codes: list[tuple[int, str, str]],
               target: ExtractTarget) -> CodeChoice:
        offered.append([name for _id, name, _colour in codes])
        assert target.coding_id == first.coding_id
        return CodeChoice(frame["sup"], "Supervision")

    monkeypatch.setattr(extract_menu, "ask_code", choose)
    _open_on_row(run_panel, 0)
    _entry(run_panel.menu, "extract_recode")
    assert offered == [["Clearing my head", "Supervision", "Unused"]]  # not Running itself
    moved = (frame["sup"], frame["pa"], first.start, first.end, "a  habit")
    old = (frame["run"], frame["pa"], first.start, first.end, "a  habit")
    assert old in before
    _undo_redo_round(session, before, before - {old} | {moved})

    monkeypatch.setattr(extract_menu, "ask_code",
                        lambda *_args: CodeChoice(None, "Running at lunch"))
    _open_on_row(run_panel, 0)
    _entry(run_panel.menu, "extract_recode")
    assert "Running at lunch" in _code_names(session)
    session.undo_stack.undo()
    assert _codings(session) == before and "Running at lunch" not in _code_names(session)


def test_edit_memo_and_comment(qtbot: QtBot, session: ProjectSession,
                               run_panel: ExtractsPanel, frame: dict[str, int],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = _codings(session)
    first = run_panel.model.row_values(0)
    monkeypatch.setattr(extract_menu, "ask_memo", lambda _parent, target:
                        f"{target.memo}; every day")
    _open_on_row(run_panel, 0)
    _entry(run_panel.menu, "extract_memo")
    old = (frame["run"], frame["pa"], first.start, first.end, "a  habit")
    new = (*old[:4], "a  habit; every day")
    _undo_redo_round(session, before, before - {old} | {new})

    _open_on_row(run_panel, 0)
    with qtbot.waitSignal(run_panel.comment_requested) as asked:
        _entry(run_panel.menu, "extract_comment")
    assert asked.args == ["coding", first.coding_id]


def test_read_only_project_disables_the_editing_entries(
        qtbot: QtBot, tmp_path: Path, store: ProjectStore, frame: dict[str, int]) -> None:
    path = store.path
    store.close()
    with ProjectStore.open(path, readonly=True) as readonly:
        session = ProjectSession(readonly, "alice")
        panel = _panel(qtbot, session)
        panel.show_code(frame["run"])
        _open_on_row(panel, 0)
        menu = panel.menu.menu
        assert menu is not None
        enabled = {a.objectName(): a.isEnabled() for a in menu.actions() if a.objectName()}
        menu.hide()
        assert enabled == {"extract_open": True, "extract_copy": True, "extract_export": True,
                           **{name: False for name in EDITING}}
        _activate(qtbot, panel)
        before = _codings(session)
        panel.view.setCurrentIndex(panel.model.index(0, 0))
        panel.view.setFocus()
        with qtbot.waitSignal(session.error) as refused:
            qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
        assert "read-only" in refused.args[0]
        assert _codings(session) == before and session.undo_stack.count() == 0


def test_columns_fit_names_and_remember_a_width_set_by_hand(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        settings: QSettings) -> None:
    long_name = "Honest about the frame of forced work"
    session.run(lambda tx: __import__(
        "thematic_workbench.core.services.codes", fromlist=["rename_code"]).rename_code(
        tx, frame["head"], long_name))
    panel = _panel(qtbot, session, settings, width=1100)
    panel.show_theme(frame["final"])
    header = panel.view.horizontalHeader()
    metrics = panel.view.fontMetrics()
    assert header.sectionSize(ExtractsModel.CODE) >= metrics.horizontalAdvance(long_name) + 22
    assert header.sectionSize(ExtractsModel.PARTICIPANT) >= metrics.horizontalAdvance("Pilot")
    code_tip = panel.model.index(0, ExtractsModel.CODE).data(Qt.ItemDataRole.ToolTipRole)
    assert code_tip == panel.model.row_values(0).code
    where_tip = [panel.model.index(r, ExtractsModel.WHERE).data(Qt.ItemDataRole.ToolTipRole)
                 for r in range(panel.model.rowCount())]
    assert "PA (PA interview), line 2" in where_tip

    header.resizeSection(ExtractsModel.PARTICIPANT, 140)  # as dragging its edge does
    panel.show_code(frame["run"])  # a reload keeps the width chosen
    assert header.sectionSize(ExtractsModel.PARTICIPANT) == 140
    again = _panel(qtbot, session, settings)
    again.show_code(frame["run"])
    assert again.view.horizontalHeader().sectionSize(ExtractsModel.PARTICIPANT) == 140
    assert again.view.horizontalHeader().sectionSize(ExtractsModel.WHERE) == \
        header.sectionSize(ExtractsModel.WHERE)  # fitted, not remembered


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


def _review(qtbot: QtBot, session: ProjectSession, theme_id: int) -> ThemeReviewView:
    view = ThemeReviewView(session)
    qtbot.addWidget(view)
    view.resize(1000, 640)
    view.show()
    qtbot.waitExposed(view)
    _activate(qtbot, view)
    view.show_theme(theme_id)
    return view


def _point_at(view: ThemeReviewView, words: str, into: int = 3) -> QPoint:
    cursor = view.browser.document().find(words, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not cursor.isNull(), words
    cursor.setPosition(cursor.selectionStart() + into)
    return view.browser.cursorRect(cursor).center()


def test_theme_review_right_click_on_an_extract_or_its_memo(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int],
        monkeypatch: pytest.MonkeyPatch, screenshot: Shot) -> None:
    with session.read() as s:
        pb_walk = s.execute(select(Coding.id, Coding.start, Coding.end).where(
            Coding.code_id == study["clear"], Coding.document_id == study["PB"])).one()
    session.run(lambda tx: __import__(
        "thematic_workbench.core.services.codings", fromlist=["set_coding_memo"])
        .set_coding_memo(tx, pb_walk.id, "Nature as a reset"))
    view = _review(qtbot, session, study["outlets"])
    _right_click(view.browser.viewport(), _point_at(view, "A walk by the river"))
    menu = view.menu.menu
    assert menu is not None and menu.isVisible()
    screenshot(view, "theme-review-extract-menu")
    _entry(view.menu, "extract_copy")
    assert QApplication.clipboard().text() == \
        "A walk by the river at lunchtime helps me reset [PB, line 5]"
    # the memo under an extract is part of it
    _right_click(view.browser.viewport(), _point_at(view, "Nature as a reset"))
    with qtbot.waitSignal(view.comment_requested) as asked:
        _entry(view.menu, "extract_comment")
    assert asked.args == ["coding", pb_walk.id]
    # a heading is no extract: no menu
    view.menu.menu = None
    _right_click(view.browser.viewport(), _point_at(view, "Clearing my head", 1))
    assert view.menu.menu is None

    before = _codings(session)
    _right_click(view.browser.viewport(), _point_at(view, "A walk by the river"))
    _entry(view.menu, "extract_remove")
    qtbot.waitUntil(lambda: "A walk by the river" not in view.text())
    _undo_redo_round(session, before, {row for row in before if row[1:4] != (
        study["PB"], pb_walk.start, pb_walk.end) or row[0] != study["clear"]})
    qtbot.waitUntil(lambda: "A walk by the river" in view.text())


def test_theme_review_keyboard_menu_recode_and_delete(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = _review(qtbot, session, study["held"])
    before = _codings(session)
    cursor = view.browser.document().find("[PB, line 7]", 0,
                                          QTextDocument.FindFlag.FindCaseSensitively)
    view.browser.setTextCursor(cursor)  # as Tab to the citation does
    view.browser.setFocus()
    qtbot.keyClick(view.browser, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = view.menu.menu
    assert isinstance(menu, QMenu) and menu.isVisible()
    monkeypatch.setattr(extract_menu, "ask_code",
                        lambda *_args: CodeChoice(study["humour"], "Gallows humour"))
    _entry(view.menu, "extract_recode")
    phrase = "Supervision keeps me safe to keep doing this work"
    start = TRANSCRIPTS["PB"].index(phrase)
    span = (study["PB"], start, start + len(phrase), "")
    after = _codings(session)
    assert before - after == {(study["supervision"], *span)}
    assert after - before == {(study["humour"], *span)}
    qtbot.waitUntil(lambda: phrase not in view.text())
    session.undo_stack.undo()
    assert _codings(session) == before
    qtbot.waitUntil(lambda: phrase in view.text())

    _activate(qtbot, view)
    cursor = view.browser.document().find("[PB, line 7]", 0,
                                          QTextDocument.FindFlag.FindCaseSensitively)
    view.browser.setTextCursor(cursor)
    view.browser.setFocus()
    qtbot.keyClick(view.browser, Qt.Key.Key_Delete)
    assert len(before - _codings(session)) == 1
    session.undo_stack.undo()
    assert _codings(session) == before


def test_the_review_panel_names_the_menu_entry_that_exists(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        run_panel: ExtractsPanel) -> None:
    from thematic_workbench.gui.coding.codes_panel import CodesPanel
    from thematic_workbench.gui.review.panel import ReviewPanel

    review = ReviewPanel(session)
    qtbot.addWidget(review)
    said = review.reader.toPlainText()
    entry = "Comment for review\N{HORIZONTAL ELLIPSIS}"
    assert f"choose {entry}" in " ".join(said.split())
    _open_on_row(run_panel, 0)
    assert run_panel.menu.menu is not None
    assert entry in [a.text() for a in run_panel.menu.menu.actions()]
    codes = CodesPanel(session)
    qtbot.addWidget(codes)
    assert entry in [a.text() for a in codes.build_menu(frame["run"]).actions()]


def test_theme_review_offers_to_export_exactly_the_extracts_it_shows(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int]) -> None:
    view = _review(qtbot, session, study["outlets"])
    _right_click(view.browser.viewport(), _point_at(view, "A walk by the river"))
    menu = view.menu.menu
    assert menu is not None
    entry = next(a for a in menu.actions() if a.objectName() == "extract_export")
    assert entry.isEnabled() and entry.text() == "Export these extracts\N{HORIZONTAL ELLIPSIS}"
    menu.hide()
    with session.read() as s:
        codes = [code_id for code_id, _name, _colour in codes_of_theme(s, study["outlets"])]
        shown = set(s.execute(select(Coding.id).where(Coding.code_id.in_(codes))).scalars())
    assert set(view.listed_codings()) == shown and len(view.listed_codings()) == len(shown)
