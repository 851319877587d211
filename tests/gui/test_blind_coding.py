"""Blind double coding in the whole window: whose codings show is one choice per window.

alice and bob coded the same interviews (``tests.core.two_coders``); bob is a second coder,
so his window starts with his own codings only, in the transcript, the extracts panel, a
theme's collated extracts, the counts of the codes panel and the coverage of the documents
panel, and says so. Switching to
everyone's, from the extracts panel or the transcript heading, shows both coders'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, QSize, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from tests.core.two_coders import SELF_CARE, SUPERVISION, THEME, TwoCoders, span, two_coders
from tests.gui.window_helpers import open_window
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.coding.codes_model import CodesModel
from thematic_workbench.gui.common.coders_shown import CodersShownButton
from thematic_workbench.gui.review.extracts_model import ExtractsModel
from thematic_workbench.gui.session import OTHER_CODER
from thematic_workbench.gui.window.main_window import MainWindow


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, TwoCoders]:
    path = tmp_path / "study.thematic"
    store = ProjectStore.create(path, "Two coders")
    try:
        return path, two_coders(store)
    finally:
        store.close()


@pytest.fixture
def open_as(qtbot: QtBot, settings: QSettings, project: tuple[Path, TwoCoders]
            ) -> Iterator[Callable[[str], MainWindow]]:
    windows: list[MainWindow] = []

    def opened(coder: str) -> MainWindow:
        window = open_window(qtbot, settings, project[0], coder)
        windows.append(window)
        return window

    yield opened
    for window in windows:
        window.close_project()


def _listed(window: MainWindow) -> list[tuple[str, str]]:
    """(participant, extract) of each row of the extracts panel, as shown."""
    model = window.extracts.model
    return [(model.index(row, ExtractsModel.PARTICIPANT).data(),
             model.index(row, ExtractsModel.EXTRACT).data())
            for row in range(model.rowCount())]


def _counts(window: MainWindow) -> dict[str, tuple[str, str]]:
    """Name -> (Codings, People) of each code and theme in the codes panel, as shown."""
    proxy = window.codes.proxy
    found: dict[str, tuple[str, str]] = {}

    def walk(parent: QModelIndex) -> None:
        for row in range(proxy.rowCount(parent)):
            name = proxy.index(row, CodesModel.NAME, parent)
            found[name.data()] = (proxy.index(row, CodesModel.CODINGS, parent).data(),
                                  proxy.index(row, CodesModel.PARTICIPANTS, parent).data())
            walk(name)

    walk(QModelIndex())
    return found


def _coverage(window: MainWindow) -> dict[str, str]:
    """Transcript -> its Coded column in the documents panel, as shown."""
    model = window.documents.model
    found: dict[str, str] = {}
    for group in range(model.rowCount()):
        parent = model.index(group, 0)
        for row in range(model.rowCount(parent)):
            found[model.index(row, model.NAME, parent).data()] = \
                model.index(row, model.CODED, parent).data()
    return found


def _choose(button: QToolButton, wanted: str) -> None:
    """Pick an entry of the button's menu by its text, as a click on it would."""
    assert isinstance(button, CodersShownButton)
    menu = button.menu()
    button.fill(menu)
    (action,) = [a for a in menu.actions() if a.text() == wanted]
    action.trigger()


def _counts_note(window: MainWindow) -> str | None:
    note = window.codes.counts_note
    shown = note.isVisibleTo(window.codes)  # within the panel, wherever its dock is
    return note.text().replace("<b>", "").replace("</b>", "") if shown else None


def test_a_second_coder_sees_only_their_own_extracts_and_counts(
        open_as: Callable[[str], MainWindow], project: tuple[Path, TwoCoders]) -> None:
    ids = project[1]
    window = open_as("bob")
    window.codes.select_code(ids.self_care)
    assert window.extracts.coders_button.text() == "Codings: mine only"
    assert window.transcript is not None
    assert window.transcript.coders_button.text() == "Codings: mine only"
    assert _listed(window) == [("PA", "It clears my head"), ("PB", "I go for a run")]
    assert window.extracts.title_text() == f"Code {SELF_CARE}: 2 extracts from 2 participants"
    counts = _counts(window)
    assert counts[SELF_CARE] == ("2", "2")
    assert counts[SUPERVISION] == ("0", "0")
    assert counts[THEME] == ("2", "2")
    assert _counts_note(window) == "Counts: mine only"
    assert _coverage(window) == {"PA-interview": "7%", "PB-interview": "6%"}
    assert window.documents.coded_note.shown_text() == "Coded: mine only"
    window.codes.select_code(ids.supervision)
    assert _listed(window) == []
    assert window.extracts.title_text() == \
        f"Code {SUPERVISION}: no coded extracts yet among the codings shown."

    _choose(window.extracts.coders_button, "Everyone's codings")
    assert _listed(window) == [("PA", "Supervision is where I can say")]
    window.codes.select_code(ids.self_care)
    assert sorted(_listed(window)) == [("PA", "I go for a run"), ("PA", "It clears my head"),
                                       ("PB", "I go for a run")]
    counts = _counts(window)
    assert (counts[SELF_CARE], counts[SUPERVISION], counts[THEME]) == \
        (("3", "2"), ("1", "1"), ("4", "2"))
    assert _counts_note(window) is None
    assert _coverage(window) == {"PA-interview": "26%", "PB-interview": "6%"}
    assert not window.documents.coded_note.isVisibleTo(window.documents)
    assert window.transcript.coders_button.text() == "Codings: everyone's"


def test_an_analyst_sees_everyones_codings_until_choosing(
        open_as: Callable[[str], MainWindow], project: tuple[Path, TwoCoders]) -> None:
    ids = project[1]
    window = open_as("alice")
    window.codes.select_code(ids.self_care)
    assert len(_listed(window)) == 3
    assert _counts(window)[SELF_CARE] == ("3", "2")
    assert _counts_note(window) is None
    _choose(window.extracts.coders_button, "bob's only")
    assert window.extracts.coders_button.text() == "Codings: bob only"
    assert _listed(window) == [("PA", "It clears my head"), ("PB", "I go for a run")]
    assert _counts_note(window) == "Counts: bob only"
    header_tip = window.codes.model.headerData(CodesModel.CODINGS, Qt.Orientation.Horizontal,
                                               Qt.ItemDataRole.ToolTipRole)
    assert header_tip == "Coded segments (codings: bob only)"


def test_the_choice_in_the_transcript_heading_changes_the_extracts_panel(
        open_as: Callable[[str], MainWindow], project: tuple[Path, TwoCoders]) -> None:
    ids = project[1]
    window = open_as("bob")
    assert window.transcript is not None
    window.open_document(ids.pa)
    window.codes.select_code(ids.self_care)
    assert len(_listed(window)) == 2
    _choose(window.transcript.coders_button, "Everyone's codings")
    assert len(_listed(window)) == 3
    assert window.extracts.coders_button.text() == "Codings: everyone's"
    assert {c.coder for c in window.transcript.codings.items} == {"alice", "bob"}
    _choose(window.transcript.coders_button, "Mine only (bob)")
    assert _listed(window) == [("PA", "It clears my head"), ("PB", "I go for a run")]
    assert {c.coder for c in window.transcript.codings.items} == {"bob"}
    assert _counts(window)[SELF_CARE] == ("2", "2")


def test_a_themes_collated_extracts_follow_the_choice(
        open_as: Callable[[str], MainWindow], project: tuple[Path, TwoCoders],
        qtbot: QtBot) -> None:
    ids = project[1]
    window = open_as("bob")
    assert window.workspace is not None
    review = window.workspace.theme_review
    window.workspace.show_tab("review")
    review.show_theme(ids.theme)
    text = review.text()
    assert "2 extracts from 2 participants · codings: mine only" in text
    assert "It clears my head" in text and "Supervision is where" not in text
    assert "No extracts coded yet among the codings shown." in text
    _choose(window.transcript.coders_button, "Everyone's codings")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "Supervision is where" in review.text())
    assert "4 extracts from 2 participants" in review.text()
    assert "codings:" not in review.text()


def test_another_coders_new_coding_stays_out_of_a_blind_list(
        open_as: Callable[[str], MainWindow], project: tuple[Path, TwoCoders],
        qtbot: QtBot) -> None:
    """alice codes while bob's window shows his own codings: his list and counts keep
    still (as they would when a team server tells his window of her coding)."""
    ids = project[1]
    window = open_as("bob")
    assert window.session is not None
    window.codes.select_code(ids.self_care)
    with window.session.store.transaction("alice") as tx:
        change = apply_coding(tx, ids.pb, ids.self_care, *span("Supervision is where"))
    window.session.announce(change, OTHER_CODER)
    window.codes.model.coding_batch.flush()
    assert _listed(window) == [("PA", "It clears my head"), ("PB", "I go for a run")]
    assert _counts(window)[SELF_CARE] == ("2", "2")
    with window.session.store.transaction("bob") as tx:
        change = apply_coding(tx, ids.pb, ids.self_care, *span("Supervision is where"))
    window.session.announce(change, OTHER_CODER)
    window.codes.model.coding_batch.flush()
    assert ("PB", "Supervision is where") in _listed(window)
    assert _counts(window)[SELF_CARE] == ("3", "2")


def test_deleting_a_code_names_every_coders_codings(
        open_as: Callable[[str], MainWindow], project: tuple[Path, TwoCoders],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts may be one coder's, but a deletion takes everyone's codings: it says so."""
    ids = project[1]
    window = open_as("bob")
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *_args: object
                 ) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    window.codes.delete_code(ids.self_care)
    assert asked == [f"Delete the code '{SELF_CARE}' and its 3 codings (every coder's, not "
                     "only those shown)?\n\nUndo brings it back."]


def test_screenshot_of_a_blind_second_coder(
        open_as: Callable[[str], MainWindow], project: tuple[Path, TwoCoders],
        screenshot: Callable[[QWidget, str], Path | None]) -> None:
    """The window of a second coder with the extracts of a code, mine only (look at it)."""
    ids = project[1]
    window = open_as("bob")
    screen = QApplication.primaryScreen().availableGeometry()
    window.resize(QSize(min(1366, screen.width()), min(768, screen.height())))
    window.open_document(ids.pa)
    QApplication.processEvents()  # the first-run layout settles
    window.docks["codes"].raise_()  # where the researcher picked the code
    window.codes.select_code(ids.self_care)
    QApplication.processEvents()
    for seen in (window.extracts.coders_button, window.codes.counts_note,
                 window.documents.coded_note):
        assert seen.isVisible()
    assert window.extracts.coders_button.text() == "Codings: mine only"
    screenshot(window, "blind_second_coder")
