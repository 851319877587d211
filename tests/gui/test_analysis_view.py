"""The analysis view driven as a researcher would: each tab's numbers against the small
study of tests/analysis/test_stats.py, the exports, opening an uncoded stretch, following
the project's changes; and screenshots of every tab over the demo project."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.analysis.test_stats import PA_TEXT, PC_TEXT, build_study
from thematic_workbench.analysis.cooccurrence import code_cooccurrence
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.queries.project import code_summaries
from thematic_workbench.core.services import codings
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.analysis.charts import ChartCanvas
from thematic_workbench.gui.analysis.page import AnalysisPage
from thematic_workbench.gui.analysis.view import AnalysisView
from thematic_workbench.gui.session import ProjectSession

Shot = Callable[[QWidget, str], Path | None]
LOAD_MS = 15_000


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


def open_view(qtbot: QtBot, session: ProjectSession, size: tuple[int, int] = (1200, 700)
              ) -> AnalysisView:
    """The view, shown, with its first tab loaded."""
    view = AnalysisView(session)
    qtbot.addWidget(view)
    view.resize(*size)
    with qtbot.waitSignal(view.page("codes").loaded, timeout=LOAD_MS):
        view.show()
    return view


@pytest.fixture
def view(qtbot: QtBot, session: ProjectSession, study: dict[str, int]) -> Iterator[AnalysisView]:
    shown = open_view(qtbot, session)
    yield shown
    assert shown.wait(), "a read was still running"


def show(qtbot: QtBot, view: AnalysisView, name: str) -> AnalysisPage:
    """Bring a tab forward and wait for its numbers, if it has none yet or stale ones."""
    page = view.page(name)
    if page.data is not None and not page.follower.stale and not page.busy:
        view.show_page(name)
        return page
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        view.show_page(name)
    return page


def texts(page: AnalysisPage) -> list[list[str]]:
    """The table as shown, row by row."""
    model = page.proxy
    return [[str(model.index(row, column).data()) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def headers(page: AnalysisPage) -> list[str]:
    return [page.model.headerData(n, Qt.Orientation.Horizontal)
            for n in range(page.model.columnCount())]


def tick_labels(page: AnalysisPage) -> list[str]:
    return [label.get_text().replace("\n", " ") for label in
            page.chart.figure.axes[0].get_yticklabels()]


def test_codes_tab_counts_codings_transcripts_participants(
        qtmodeltester: object, view: AnalysisView) -> None:
    page = view.page("codes")
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert headers(page) == ["Code", "Codings", "Transcripts", "Participants",
                             "Characters coded", "Emerging themes"]
    rows = texts(page)
    assert [row[0] for row in rows] == ["Supervision", "Running", "Sleep", "Unused"]
    assert rows[1][1:5] == ["4", "3", "2", str(len("I went for a run every morning")
                                              + len("Supervision helped me think it through")
                                              + len("I run at lunchtime") + len("I run"))]
    assert rows[0][5] == "Ways of coping"
    assert page.summary.text().startswith("4 codes, 8 codings.")
    assert len(page.chart.figure.axes) == 2  # codings beside participants
    assert tick_labels(page) == ["Running", "Supervision", "Sleep"]  # most-used first
    assert page.chart.figure.axes[1].get_xlabel() == "Participants (of 3)"


def test_participant_tab_has_a_column_per_participant(qtmodeltester: object, qtbot: QtBot,
                                                      view: AnalysisView) -> None:
    page = show(qtbot, view, "participants")
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert headers(page) == ["Code", "PA", "PB", "PC", "No participant", "Total"]
    assert texts(page)[1] == ["Running", "2", "1", "0", "1", "4"]
    image = page.chart.figure.axes[0].images[0]
    assert image.get_array().shape == (3, 4)  # used codes × participants


def test_attribute_tab_compares_values_and_switches_attribute(
        qtmodeltester: object, qtbot: QtBot, view: AnalysisView) -> None:
    page = show(qtbot, view, "attribute")
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    chooser = page.chooser  # type: ignore[attr-defined]
    assert [chooser.itemText(n) for n in range(chooser.count())] == ["gender", "years"]
    assert headers(page)[1:5] == ["female: codings", "female: participants",
                                  "male: codings", "male: participants"]
    assert page.model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) \
        == "Participants whose gender is female (1 in all) who have the code"
    assert headers(page)[5] == "Not set: codings"
    assert texts(page)[1] == ["Running", "2", "1", "1", "1", "1", "0"]
    legend = [t.get_text() for t in page.chart.figure.axes[0].get_legend().get_texts()]
    assert legend == ["female (1 participant)", "male (1 participant)",
                      "Not set (1 participant)"]
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        chooser.setCurrentText("years")
    assert headers(page)[1] == "5: codings" and headers(page)[3] == "12: codings"
    page.set_measure("participants")  # type: ignore[attr-defined]
    assert page.chart.figure.axes[0].get_xlabel() == "Participants who have the code"


def test_cooccurrence_tab_lists_pairs_in_either_mode(qtbot: QtBot, view: AnalysisView,
                                                     session: ProjectSession,
                                                     study: dict[str, int]) -> None:
    page = show(qtbot, view, "cooccurrence")
    assert headers(page) == ["Overlaps", "Code", "Code"]
    assert texts(page) == [["1", "Supervision", "Running"]]
    labels = tick_labels(page)
    assert labels == ["Supervision", "Running"]
    with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
        page.set_mode("turn")  # type: ignore[attr-defined]
    with session.read() as s:
        expected = code_cooccurrence(s, "turn")
    assert headers(page)[0] == "Shared turns"
    assert sum(int(row[0]) for row in texts(page)) == sum(expected.values())


def test_coverage_tab_lists_stretches_and_opens_one(qtbot: QtBot, view: AnalysisView,
                                                    study: dict[str, int]) -> None:
    page = show(qtbot, view, "coverage")
    rows = texts(page)
    assert headers(page) == ["Transcript", "Participant", "Coded", "From line", "To line",
                             "Characters", "Begins with"]
    assert [row[0] for row in rows] == ["PA interview"] * 3 + ["PB interview",
                                                               "PC interview", "Pilot"]
    assert [row[3:5] for row in rows[:3]] == [["5", "5"], ["1", "2"], ["4", "4"]]
    assert rows[5][3:] == ["\N{EN DASH}", "\N{EN DASH}", "0", "(no uncoded text)"]
    start = PA_TEXT.index("PA: Then the weekend")
    rect = page.table.visualRect(page.proxy.index(0, 6))
    with qtbot.waitSignal(view.passage_activated) as signal:
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [study["pa"], start, len(PA_TEXT)]
    assert tick_labels(page) == ["PA interview", "PB interview", "PC interview", "Pilot"]


def test_export_chart_as_png_and_svg_and_table_as_csv(
        qtbot: QtBot, view: AnalysisView, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    page = view.page("codes")
    for name in ("codes.png", "codes.svg"):
        monkeypatch.setattr(ChartCanvas, "ask_path", lambda self, name=name: tmp_path / name)
        with qtbot.waitSignal(page.notice):
            page.export_chart_button.click()
    assert (tmp_path / "codes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "codes.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Codings and participants per code" in svg
    monkeypatch.setattr(AnalysisPage, "ask_table_path", lambda self: tmp_path / "codes.csv")
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # exported as shown
    page.export_table_button.click()
    with open(tmp_path / "codes.csv", encoding="utf-8-sig", newline="") as stream:
        written = list(csv.reader(stream))
    assert written[0] == headers(page)
    assert [row[:2] for row in written[1:]] == [["Running", "4"], ["Supervision", "3"],
                                                ["Sleep", "1"], ["Unused", "0"]]
    monkeypatch.setattr(ChartCanvas, "ask_path", lambda self: None)  # cancelled
    assert page.export_chart() is None


def test_tabs_recount_after_a_change_only_when_shown(qtbot: QtBot, view: AnalysisView,
                                                     session: ProjectSession,
                                                     study: dict[str, int]) -> None:
    codes_page, coverage_page = view.page("codes"), view.page("coverage")
    with qtbot.waitSignal(codes_page.loaded, timeout=LOAD_MS):
        session.run(codings.code_match, study["pc"], study["sleep"], "Nothing has been coded")
    assert texts(codes_page)[2][:2] == ["Sleep", "2"]
    assert coverage_page.data is None and not coverage_page.busy  # never shown: never read
    page = show(qtbot, view, "coverage")
    assert [row[2] for row in texts(page) if row[0] == "PC interview"] == [
        f"{100 * len('Nothing has been coded') / len(PC_TEXT):.1f}%"]


def test_no_attributes_and_no_codings_are_said_plainly(qtbot: QtBot,
                                                       session: ProjectSession) -> None:
    view = open_view(qtbot, session)
    assert view.page("codes").summary.text().startswith("No codes yet")
    page = show(qtbot, view, "attribute")
    assert page.summary.text().startswith("No participant attributes yet")
    assert page.model.rowCount() == 0
    assert view.wait()


@pytest.fixture
def demo_session(qtbot: QtBot, tmp_path: Path) -> Iterator[ProjectSession]:
    store = ProjectStore.open(build_demo(tmp_path / "demo.thematic"))
    yield ProjectSession(store, "alice")
    store.close()


def test_screenshots_of_every_tab_on_the_demo(qtbot: QtBot, demo_session: ProjectSession,
                                              screenshot: Shot) -> None:
    view = open_view(qtbot, demo_session, (1280, 760))
    names = {"codes": "analysis-codes", "participants": "analysis-participants",
             "attribute": "analysis-attribute", "cooccurrence": "analysis-cooccurrence",
             "coverage": "analysis-coverage"}
    with demo_session.read() as s:
        summaries = {c.name: c for c in code_summaries(s)}
    for name, shot in names.items():
        page = show(qtbot, view, name)
        if name == "cooccurrence":
            with qtbot.waitSignal(page.loaded, timeout=LOAD_MS):
                page.set_mode("turn")  # type: ignore[attr-defined]
        if name == "codes":
            for row in texts(page):
                summary = summaries[row[0]]
                assert row[1:4] == [str(summary.codings), str(summary.documents),
                                    str(summary.participants)]
        qtbot.wait(200)  # the chart redraws at its final size
        screenshot(view, shot)
    assert view.wait()
