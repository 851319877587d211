"""The "Word frequencies" tab driven as a researcher would: its counts against the analysis
over the same choices, word forms and columns, a word's lines and opening one, the CSV,
recounting after a change; and a screenshot of the tab in the window at 1366x768."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from tests.analysis.test_word_frequency import FOCUS_GROUP, INTERVIEW, build_study
from tests.gui.window_helpers import open_window
from thematic_workbench.analysis.word_frequency import BY_PARTICIPANT, word_frequencies
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.finding.search import fold
from thematic_workbench.core.services import participants
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.analysis import view as analysis_view
from thematic_workbench.gui.analysis.page import AnalysisPage
from thematic_workbench.gui.analysis.view import AnalysisView
from thematic_workbench.gui.analysis.words_page import WordsPage
from thematic_workbench.gui.session import ProjectSession

LOAD_MS = 15_000
Shot = Callable[[QWidget, str], Path | None]


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


@pytest.fixture
def page(qtbot: QtBot, session: ProjectSession, study: dict[str, int]) -> WordsPage:
    words = WordsPage(session)
    qtbot.addWidget(words)
    words.resize(1200, 700)
    with qtbot.waitSignal(words.loaded, timeout=LOAD_MS):
        words.show()
    return words


def in_the_view() -> None:
    if WordsPage not in analysis_view.PAGES:
        pytest.skip("the Word frequencies tab is not in the analysis view yet")


def rows(page: AnalysisPage) -> list[list[str]]:
    model = page.proxy
    return [[str(model.index(row, column).data()) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def headers(page: AnalysisPage) -> list[str]:
    return [page.model.headerData(n, Qt.Orientation.Horizontal)
            for n in range(page.model.columnCount())]


def expected(session: ProjectSession, scope: Scope, **options: object) -> list[list[str]]:
    with session.read() as s:
        result = word_frequencies(s, scope, top=100, **options)  # type: ignore[arg-type]
    return [[w.word, f"{w.count:,}", f"{w.documents:,}", f"{w.participants:,}"]
            for w in result.words]


def recount(qtbot: QtBot, page: WordsPage, action: Callable[[], object]) -> None:
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        action()


def test_the_table_counts_what_the_analysis_counts(qtbot: QtBot, qtmodeltester: object,
                                                  page: WordsPage,
                                                  session: ProjectSession) -> None:
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert headers(page) == ["Word", "Count", "Transcripts", "Participants"]
    # The interviewer's turns are left out until the researcher chooses otherwise.
    assert page.speaker_box.currentText() == "Interviewer"
    leave_out = Scope(not_speakers=frozenset({"Interviewer"}))
    assert rows(page) == expected(session, leave_out)
    assert "mean" not in {row[0] for row in rows(page)}  # only the interviewer says it
    assert "Interviewer's turns left out" in page.summary.text()
    assert "stop words of English left out" in page.summary.text()
    labels = [label.get_text() for label in page.chart.figure.axes[0].get_yticklabels()]
    assert labels[:2] == [rows(page)[0][0], rows(page)[1][0]]
    # Leave out nobody, chosen with the keyboard as a user would.
    page.speaker_box.setFocus()
    recount(qtbot, page, lambda: qtbot.keyClick(page.speaker_box, Qt.Key.Key_Home))
    assert page.speaker_box.currentText() == "Nobody"
    assert rows(page) == expected(session, Scope())
    assert "mean" in {row[0] for row in rows(page)}


def test_word_forms_stop_words_and_columns(qtbot: QtBot, page: WordsPage,
                                           session: ProjectSession) -> None:
    recount(qtbot, page, lambda: qtbot.mouseClick(page.forms_box, Qt.MouseButton.LeftButton,
                                                  pos=page.forms_box.rect().center()))
    assert headers(page)[-1] == "Forms counted"
    risk = next(row for row in rows(page) if row[0] == "risk")
    assert risk[1] == "5" and risk[-1] == "risk, risks, risky"  # the interviewer's left out
    recount(qtbot, page, lambda: page.stop_box.setChecked(False))
    assert "the" in {row[0] for row in rows(page)}
    recount(qtbot, page, lambda: page.set_choices(by=BY_PARTICIPANT, forms=False,
                                                  stop_words=True, leave_out=""))
    assert headers(page) == ["Word", "Count", "P1", "P2", "PA", "No participant",
                             "Transcripts", "Participants"]
    trust = next(row for row in rows(page) if row[0] == "trust")
    assert trust[1:] == ["4", "2", "1", "0", "1", "1", "2"]
    assert page.by_box.currentText() == "Participant"
    assert page.chart.figure.axes[0].get_legend() is not None  # four columns: grouped bars
    recount(qtbot, page, lambda: page.set_choices(by="profession"))
    assert headers(page)[2:5] == ["nurse", "psychologist", "Not set"]


def test_a_words_lines_open_the_transcript(qtbot: QtBot, qtmodeltester: object,
                                           page: WordsPage, study: dict[str, int],
                                           session: ProjectSession) -> None:
    row = next(n for n, values in enumerate(rows(page)) if values[0] == "trust")
    rect = page.table.visualRect(page.proxy.index(row, 0))
    with qtbot.waitSignal(page.lines_loaded, timeout=LOAD_MS):
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtmodeltester.check(page.lines_model)  # type: ignore[attr-defined]
    assert page.views.currentWidget() is page.lines_page  # the lines come to the front
    assert page.views.tabText(1) == "Lines with \N{LEFT DOUBLE QUOTATION MARK}trust" \
                                    "\N{RIGHT DOUBLE QUOTATION MARK}"
    lines = page.lines_model
    # As many lines as the word is counted: Anna's two, Ben's and the moderator's.
    assert lines.rowCount() == int(rows(page)[row][1]) == 4
    assert sorted(str(lines.hit_at(n).speaker)  # type: ignore[union-attr]
                  for n in range(4)) == ["Anna", "Anna", "Ben", "Moderator"]
    assert page.lines_title.text().startswith(
        "4 lines in 1 transcript with \N{LEFT DOUBLE QUOTATION MARK}trust")
    where = [str(lines.index(n, 0).data()) for n in range(4)]
    assert sorted(where)[0].startswith("Group 1 (Moderator), line ")  # mapped to nobody
    assert any(w.startswith("P1 (Anna), line ") for w in where)
    assert "Transcript: Group 1" in str(lines.index(0, 0).data(Qt.ItemDataRole.ToolTipRole))
    texts = {study["interview"]: INTERVIEW, study["group"]: FOCUS_GROUP}
    target = page.lines_model.index(1, 2)
    hit = lines.hit_at(1)
    assert hit is not None
    centre = page.lines.visualRect(target).center()
    emitted: list[tuple[int, int, int]] = []
    page.passage_activated.connect(lambda *span: emitted.append(span))
    with qtbot.waitSignal(page.passage_activated) as opened:
        qtbot.mouseClick(page.lines.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(page.lines.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    document, start, end = opened.args
    assert (document, start, end) == (hit.document_id, hit.start, hit.end)
    assert len(emitted) == 1  # the click selects; the double-click opens, once
    assert fold(texts[document][start:end]) == "trust"
    # The keyboard: down to the next line, Enter opens it.
    page.lines.setFocus()
    page.lines.setCurrentIndex(page.lines_model.index(2, 0))
    with qtbot.waitSignal(page.passage_activated) as entered:
        qtbot.keyClick(page.lines, Qt.Key.Key_Return)
    following = lines.hit_at(2)
    assert following is not None and entered.args == [following.document_id, following.start,
                                                      following.end]
    # A recount keeps the word picked and its lines, without hiding the chart in front.
    page.views.setCurrentIndex(0)
    with qtbot.waitSignal(page.lines_loaded, timeout=LOAD_MS):
        page.set_choices(stop_words=False)
    assert page.word_at(page.table.currentIndex().row()).word == "trust"  # type: ignore[union-attr]
    assert page.views.currentIndex() == 0 and page.lines_model.rowCount() == 4
    row = page.table.currentIndex().row()
    # Down in the words table shows the next word's lines.
    page.table.setFocus()
    with qtbot.waitSignal(page.lines_loaded, timeout=LOAD_MS):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    word = rows(page)[row + 1][0]
    assert page.lines_model.rowCount() == int(rows(page)[row + 1][1])
    assert all(fold(lines.hit_at(n).match) == fold(word)  # type: ignore[union-attr]
               for n in range(lines.rowCount()))


def test_word_forms_lines_find_every_spelling(qtbot: QtBot, page: WordsPage) -> None:
    recount(qtbot, page, lambda: page.set_choices(forms=True))
    row = next(n for n, values in enumerate(rows(page)) if values[0] == "risk")
    with qtbot.waitSignal(page.lines_loaded, timeout=LOAD_MS):
        page.pick_word(row)
    found = sorted(fold(page.lines_model.hit_at(n).match)  # type: ignore[union-attr]
                   for n in range(page.lines_model.rowCount()))
    # Five in PA's turns and Anna's (the interviewer's "risk" is left out).
    assert found == ["risk", "risk", "risk", "risks", "risky"]


def test_the_table_exports_as_shown(qtbot: QtBot, page: WordsPage, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AnalysisPage, "ask_table_path", lambda self: tmp_path / "words.csv")
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(page.notice):
        page.export_table_button.click()
    with open(tmp_path / "words.csv", encoding="utf-8-sig", newline="") as stream:
        written = list(csv.reader(stream))
    assert written[0] == ["Word", "Count", "Transcripts", "Participants"]
    assert [row[0] for row in written[1:]] == sorted(row[0] for row in written[1:])
    assert {row[0]: row[1] for row in written[1:]} == {
        row[0]: row[1].replace(",", "") for row in rows(page)}


def test_a_new_attribute_joins_the_columns_chooser(qtbot: QtBot, page: WordsPage,
                                                   session: ProjectSession) -> None:
    assert [page.by_box.itemText(n) for n in range(page.by_box.count())] == [
        "Total only", "Participant", "profession"]
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        session.run(participants.define_attribute, "years", "number")
    assert page.by_box.itemText(3) == "years"


def test_the_view_has_the_tab_and_opens_its_lines(qtbot: QtBot, session: ProjectSession,
                                                  study: dict[str, int]) -> None:
    in_the_view()
    view = AnalysisView(session)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    words = view.page("words")
    assert isinstance(words, WordsPage)
    assert view.tabs.tabText(view.tabs.indexOf(words)) == "Word frequencies"
    with qtbot.waitSignal(words.loaded, timeout=LOAD_MS):
        view.show_page("words")
    with qtbot.waitSignal(words.lines_loaded, timeout=LOAD_MS):
        words.pick_word(0)
    hit = words.lines_model.hit_at(0)
    assert hit is not None
    with qtbot.waitSignal(view.passage_activated) as opened:
        words.lines.activated.emit(words.lines_model.index(0, 0))
    assert opened.args == [hit.document_id, hit.start, hit.end]
    assert view.wait()


def test_screenshot_in_the_window(qtbot: QtBot, settings: QSettings, project: Path,
                                  screenshot: Shot) -> None:
    """The demo project in a 1366x768 window, the tab showing a word's lines."""
    in_the_view()
    window = open_window(qtbot, settings, project, "alice")
    window.resize(1366, 768)
    workspace = window.workspace
    assert workspace is not None
    workspace.show_tab("analysis")
    words = workspace.analysis.page("words")
    assert isinstance(words, WordsPage)
    with qtbot.waitSignal(words.loaded, timeout=LOAD_MS):
        workspace.analysis.show_page("words")
    with qtbot.waitSignal(words.loaded, timeout=LOAD_MS):
        words.set_choices(forms=True)
    with qtbot.waitSignal(words.lines_loaded, timeout=LOAD_MS):
        words.pick_word(0)
    assert words.lines_model.rowCount() > 0
    qtbot.wait(300)  # the chart redraws at its final size
    area = window.findChild(QScrollArea, "scroll_analysisView")
    assert area is not None and not area.horizontalScrollBar().isVisible()
    # The tab asks for no more height than the view has (the other tabs' charts ask for
    # 480 pixels, which is what still makes the view scroll).
    assert words.heightForWidth(words.width()) <= area.viewport().height()
    header = words.table.horizontalHeader()
    assert header.sectionViewportPosition(3) + header.sectionSize(3) <= \
        words.table.viewport().width()  # word, count, transcripts, participants: whole
    screenshot(window, "words-page")
    with qtbot.waitSignal(words.loaded, timeout=LOAD_MS):
        words.set_choices(forms=False)
    words.views.setCurrentIndex(0)  # the chart, as a click on its tab shows it
    qtbot.wait(300)
    screenshot(window, "words-chart")
    with qtbot.waitSignal(words.loaded, timeout=LOAD_MS):
        words.set_choices(by="gender")
    qtbot.wait(300)
    screenshot(window, "words-by-gender")
    assert words.wait()
    window.close_project()
