"""The documents, codes and extracts panels driven as a user would, checked in the database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QColorDialog,
    QInputDialog,
    QMessageBox,
    QStyleOptionViewItem,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.services import codings
from thematic_workbench.core.storage.models import Code, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.coding import codes_panel as codes_panel_module
from thematic_workbench.gui.coding.codes_model import CODE_ID_ROLE, CODE_MIME_TYPE, UNCATEGORISED
from thematic_workbench.gui.coding.codes_panel import CodesPanel
from thematic_workbench.gui.common.wrapped_delegate import WrappedTextDelegate
from thematic_workbench.gui.documents.panel import DocumentsPanel
from thematic_workbench.gui.review.extracts_panel import ExtractsPanel
from thematic_workbench.gui.session import ProjectSession


def _code_row(session: ProjectSession, code_id: int) -> tuple[str, str, str, str]:
    with session.read() as s:
        code = s.get(Code, code_id)
        assert code is not None
        return code.name, code.definition, code.colour, code.status


def _codings_of(session: ProjectSession) -> set[tuple[int, int, int, int]]:
    with session.read() as s:
        return {tuple(row) for row in s.execute(
            select(Coding.code_id, Coding.document_id, Coding.start, Coding.end))}


def _trigger(panel: CodesPanel, code_id: int, label: str) -> None:
    """Pick an entry of a code's context menu, as a right-click then a click would."""
    menu = panel.build_menu(code_id)
    (action,) = [a for a in menu.actions() if a.text().rstrip("\N{HORIZONTAL ELLIPSIS}") == label]
    action.trigger()


def _top_names(panel: CodesPanel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    return [panel.proxy.index(row, 0, parent).data()
            for row in range(panel.proxy.rowCount(parent))]


def test_documents_panel_opens_on_enter_and_marks_opened(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int]) -> None:
    panel = DocumentsPanel(session)
    qtbot.addWidget(panel)
    assert not panel.empty.isVisibleTo(panel)
    panel.select_document(frame["pb"])
    assert panel.selected_document_id() == frame["pb"]
    with qtbot.waitSignal(panel.document_activated) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert blocker.args == [frame["pb"]]
    panel.mark_opened(frame["pb"])
    assert panel.model.is_opened(frame["pb"])


def test_documents_panel_says_what_to_do_when_empty(qtbot: QtBot,
                                                    session: ProjectSession) -> None:
    panel = DocumentsPanel(session)
    qtbot.addWidget(panel)
    assert panel.empty.isVisibleTo(panel) and "Import" in panel.empty.text()


def test_filter_narrows_the_tree_and_clearing_restores_it(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int]) -> None:
    panel = CodesPanel(session)
    qtbot.addWidget(panel)
    assert _top_names(panel) == ["Looking after oneself", "Support", UNCATEGORISED]
    qtbot.keyClicks(panel.filter_box, "SUPER")
    assert _top_names(panel) == ["Support"]
    assert _top_names(panel, panel.proxy.index(0, 0)) == ["Supervision"]
    panel.filter_box.clear()
    assert len(_top_names(panel)) == 3
    assert panel.view.isExpanded(panel.proxy.index(0, 0))


def test_selecting_emits_code_or_theme(qtbot: QtBot, session: ProjectSession,
                                       frame: dict[str, int]) -> None:
    panel = CodesPanel(session)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.theme_selected) as theme:
        panel.view.setCurrentIndex(panel.proxy.index(1, 0))
    assert theme.args == [frame["support"]] and panel.selected_code_id() is None
    with qtbot.waitSignal(panel.code_selected) as code:
        panel.select_code(frame["sup"])
    assert code.args == [frame["sup"]] and panel.selected_code_id() == frame["sup"]


def test_rename_through_the_menu_then_undo(qtbot: QtBot, session: ProjectSession,
                                           frame: dict[str, int],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    panel = CodesPanel(session)
    qtbot.addWidget(panel)
    panel.select_code(frame["run"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("Jogging", True))
    _trigger(panel, frame["run"], "Rename")
    assert _code_row(session, frame["run"])[0] == "Jogging"
    assert panel.view.currentIndex().data() == "Jogging"  # still selected after the reload
    session.undo_stack.undo()
    assert _code_row(session, frame["run"])[0] == "Running"


def test_colour_and_define_through_the_menu(qtbot: QtBot, session: ProjectSession,
                                            frame: dict[str, int],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    panel = CodesPanel(session)
    qtbot.addWidget(panel)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kw: QColor("#336699"))
    monkeypatch.setattr(codes_panel_module, "ask_definition",
                        lambda parent, name, current: "Running as self-care")
    _trigger(panel, frame["run"], "Colour")
    _trigger(panel, frame["run"], "Define")
    _name, definition, colour, _status = _code_row(session, frame["run"])
    assert (definition, colour) == ("Running as self-care", "#336699")
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert _code_row(session, frame["run"])[1:3] == ("About running", "#4E79A7")


def test_merge_through_the_menu_and_undo_restores_codings(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = CodesPanel(session)
    qtbot.addWidget(panel)
    before = _codings_of(session)
    offered: list[str] = []

    def pick(_parent: QWidget, _title: str, _label: str, items: list[str], *args: object
             ) -> tuple[str, bool]:
        offered.extend(items)
        return "Supervision", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    _trigger(panel, frame["run"], "Merge into")
    assert "Running" not in offered and "Supervision" in offered
    assert _code_row(session, frame["run"])[3] == "merged"
    assert {row[0] for row in _codings_of(session)} == {frame["sup"], frame["head"]}
    assert panel.model.first_index_of_code(frame["run"]).isValid() is False
    session.undo_stack.undo()
    assert _codings_of(session) == before
    assert _code_row(session, frame["run"])[3] == "active"
    assert panel.model.first_index_of_code(frame["run"]).isValid()
    session.undo_stack.redo()
    assert _code_row(session, frame["run"])[3] == "merged"


def test_delete_through_the_menu_then_undo(qtbot: QtBot, session: ProjectSession,
                                           frame: dict[str, int],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    panel = CodesPanel(session)
    qtbot.addWidget(panel)
    asked: list[str] = []

    def confirm(_parent: QWidget, _title: str, text: str, *args: object
                ) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    _trigger(panel, frame["sup"], "Delete")
    assert "its 1 coding" in asked[0]
    with session.read() as s:
        assert s.execute(select(Code.id).where(Code.name == "Supervision")).first() is None
    session.undo_stack.undo()
    with session.read() as s:
        restored = s.execute(select(Code.id).where(Code.name == "Supervision")).scalar_one()
        assert s.execute(select(Coding.id).where(Coding.code_id == restored)).first()
    assert "Supervision" in _top_names(panel, panel.proxy.index(1, 0))


def test_codes_drag_as_their_id(qtbot: QtBot, session: ProjectSession,
                                frame: dict[str, int]) -> None:
    panel = CodesPanel(session)
    qtbot.addWidget(panel)
    panel.select_code(frame["head"])
    index = panel.view.currentIndex()
    assert index.data(CODE_ID_ROLE) == frame["head"]
    mime = panel.proxy.mimeData([index])
    assert bytes(mime.data(CODE_MIME_TYPE).data()) == str(frame["head"]).encode("ascii")
    assert panel.proxy.mimeTypes() == [CODE_MIME_TYPE]


def test_extracts_panel_lists_citations_and_opens_them(
        qtbot: QtBot, session: ProjectSession, frame: dict[str, int]) -> None:
    panel = ExtractsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(800, 300)
    panel.show()
    assert "Select a code" in panel.title_text()
    panel.show_code(frame["run"])
    assert panel.title_text() == "Code Running: 2 extracts from 2 participants"
    where = [panel.model.index(r, panel.model.WHERE).data() for r in range(2)]
    assert where == ["PA, line 2", "PB, line 2"]
    first = panel.model.row_values(0)
    rect = panel.view.visualRect(panel.model.index(0, panel.model.EXTRACT))
    with qtbot.waitSignal(panel.extract_activated) as clicked:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert clicked.args == [frame["pa"], first.start, first.end]
    panel.view.setCurrentIndex(panel.model.index(1, 0))
    panel._last_click = None  # Enter long after the click
    with qtbot.waitSignal(panel.extract_activated) as entered:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert entered.args[0] == frame["pb"]

    panel.show_theme(frame["final"])
    assert panel.title_text() == \
        "Final theme Looking after oneself: 3 extracts from 2 participants"
    session.run(codings.code_lines, frame["pb"], frame["head"], 3, 3)
    assert panel.title_text().endswith("4 extracts from 2 participants")


def test_wrapped_extracts_keep_emoji_and_combining_marks_whole(qtbot: QtBot) -> None:
    option = QStyleOptionViewItem()
    option.font = QFont()
    option.fontMetrics = QFontMetrics(option.font)
    words = ["caf\u0065\u0301", "\U0001F642", "na\u00efve", "\U0001F469\u200d\U0001F4BB"] * 12
    height = option.fontMetrics.lineSpacing() * 50
    lines = WrappedTextDelegate._lines(" ".join(words), option, 160, height)
    assert len(lines) > 3
    assert " ".join(text for _top, text in lines).split() == words
    (last,) = WrappedTextDelegate._lines(" ".join(words), option, 160,
                                         option.fontMetrics.lineSpacing())
    assert last[1].endswith("\N{HORIZONTAL ELLIPSIS}") and "\ufffd" not in last[1]


def test_screenshots_of_the_panels_with_the_demo(qtbot: QtBot, tmp_path: Path) -> None:
    folder = os.environ.get("TWB_SCREENSHOT_DIR")
    if not folder:
        pytest.skip("set TWB_SCREENSHOT_DIR to save screenshots")
    store = ProjectStore.open(build_demo(tmp_path / "demo.thematic"))
    session = ProjectSession(store, "researcher")
    try:
        codes = CodesPanel(session)
        extracts = ExtractsPanel(session)
        for widget, size in ((codes, (420, 640)), (extracts, (980, 420))):
            qtbot.addWidget(widget)
            widget.resize(*size)
            widget.show()
        codes.select_code(codes.model.codes()[0][0])
        theme_id = codes.proxy.index(0, 0).data(codes_panel_module.THEME_ID_ROLE)
        extracts.show_theme(theme_id)
        qtbot.wait(50)
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert codes.grab().save(str(Path(folder) / "codes-panel.png"))
        assert extracts.grab().save(str(Path(folder) / "extracts-panel.png"))
    finally:
        session.close()
