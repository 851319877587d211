"""The agreement view as a team would use it: two coders chosen, the database's figures in
the tables, kappa shaded by band, the passages where they differ, a CSV export."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt, QThreadPool
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.agreement import Comparison, compare_coders
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.agreement import AgreementView
from thematic_workbench.gui.agreement.models import BAND_ROLE, BANDS, tint
from thematic_workbench.gui.session import ProjectSession

Shot = Callable[[QWidget, str], Path | None]
WAIT_MS = 10_000
PA = ("INTERVIEWER: How do you look after yourself after a difficult session?\n"
      "PA: Honestly I go for a run. It clears my head, and I stop carrying the client home.\n"
      "INTERVIEWER: And supervision?\n"
      "PA: Supervision is where I can say the unsayable. It is the one hour in the week "
      "that is mine, and I guard it.\n"
      "INTERVIEWER: Does anything else help?\n"
      "PA: Talking to colleagues in the corridor, honestly. The quick check-ins.")
PB = ("INTERVIEWER: What helps?\n"
      "PB: A run at lunchtime, most days. I come back a different person.\n"
      "PB: And honest supervision, where I can admit I got it wrong.\n"
      "INTERVIEWER: Anything you would change?\n"
      "PB: More time between clients. Back-to-back sessions leave nothing for the next one.")


def _code(store: ProjectStore, coder: str, document_id: int, code_id: int, *texts: str) -> None:
    with store.transaction(coder) as tx:
        for text in texts:
            codings.code_match(tx, document_id, code_id, text)


@pytest.fixture
def team(store: ProjectStore) -> dict[str, int]:
    """alice and bob coded PA and PB; bob and carol PC; erin has coded nothing."""
    with store.transaction("alice") as tx:
        ids = {key: import_document(tx, imported(text, name), label).new_id("document")
               for key, text, name, label in (("pa", PA, "PA interview", "PA"),
                                              ("pb", PB, "PB interview", "PB"),
                                              ("pc", "PC: Nothing helps.", "PC interview", "PC"))}
        for key, name in (("run", "Running"), ("sup", "Supervision"),
                          ("head", "Clearing my head"), ("peers", "Peer support"),
                          ("time", "Time between clients")):
            ids[key] = codes.create_code(tx, name).new_id("code")
    _code(store, "alice", ids["pa"], ids["run"], "I go for a run")
    _code(store, "bob", ids["pa"], ids["run"], "Honestly I go for a run.")
    _code(store, "alice", ids["pa"], ids["sup"], "Supervision is where I can say the unsayable.")
    _code(store, "bob", ids["pa"], ids["sup"], "Supervision is where I can say the unsayable.")
    _code(store, "alice", ids["pa"], ids["head"], "It clears my head")
    _code(store, "bob", ids["pa"], ids["head"], "I stop carrying the client home")
    _code(store, "bob", ids["pa"], ids["peers"], "Talking to colleagues in the corridor")
    _code(store, "alice", ids["pb"], ids["run"], "A run at lunchtime, most days.")
    _code(store, "bob", ids["pb"], ids["run"], "A run at lunchtime")
    _code(store, "alice", ids["pb"], ids["time"], "More time between clients.")
    _code(store, "bob", ids["pb"], ids["time"], "More time between clients. Back-to-back "
          "sessions leave nothing for the next one.")
    _code(store, "carol", ids["pc"], ids["run"], "Nothing helps.")
    _code(store, "bob", ids["pc"], ids["peers"], "Nothing helps.")
    with store.transaction("erin"):
        pass
    return ids


@pytest.fixture
def view(qtbot: QtBot, session: ProjectSession, team: dict[str, int]) -> Iterator[AgreementView]:
    widget = AgreementView(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not widget.busy and widget.comparison is not None, timeout=WAIT_MS)
    yield widget
    qtbot.waitUntil(lambda: not widget.busy, timeout=WAIT_MS)
    QThreadPool.globalInstance().waitForDone(WAIT_MS)


def _expected(session: ProjectSession) -> Comparison:
    with session.read() as read:
        return compare_coders(read, "alice", "bob")


def _texts(model: QAbstractItemModel) -> list[list[str]]:
    return [[str(model.index(row, column).data()) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def test_the_tables_show_the_database_figures(view: AgreementView, session: ProjectSession,
                                              qtmodeltester: object, screenshot: Shot) -> None:
    assert view.coders() == ("alice", "bob")
    assert [view.coder_a.itemText(i) for i in range(view.coder_a.count())] == \
        ["alice", "bob", "carol"]  # erin has coded nothing
    expected = _expected(session)
    rows = _texts(view.rows_model)
    assert len(rows) == len(expected.rows) == 6
    for shown, row in zip(rows, expected.rows, strict=True):
        c = row.counts
        assert shown == [row.code, f"{row.document} ({row.participant})", f"{c.units:,}",
                         f"{c.both:,}", f"{c.only_a:,}", f"{c.only_b:,}", f"{c.neither:,}",
                         f"{100 * row.agreement:.1f}%", f"{row.kappa:.2f}", f"{row.alpha:.2f}"]
    headers = [view.rows_model.headerData(i, Qt.Orientation.Horizontal) for i in range(10)]
    assert headers[4:6] == ["alice only", "bob only"]
    summary = _texts(view.summary_model)
    assert [row[0] for row in summary] == [s.code for s in expected.summaries]
    running = next(s for s in expected.summaries if s.code == "Running")
    assert summary[[r[0] for r in summary].index("Running")][1:] == [
        "2", f"{100 * running.agreement:.1f}%", f"{running.kappa:.2f}",
        f"{running.kappa_average:.2f}", f"{running.alpha:.2f}"]
    assert "Not compared, coded by one of the two only: PC interview (only bob)." \
        in view.footer.text()
    note = view.findChild(QLabel, "agreementNote")
    assert note is not None and "does not require agreement measures" in note.text()
    for model in (view.summary_model, view.rows_model, view.passages_model):
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    screenshot(view, "agreement")


def test_kappa_is_shaded_by_band(view: AgreementView, session: ProjectSession) -> None:
    model = view.rows_model
    for row, item in enumerate(_expected(session).rows):
        kappa_cell = model.index(row, 8)
        band = "poor" if item.kappa < 0.4 else "fair" if item.kappa <= 0.75 else "excellent"
        assert kappa_cell.data(BAND_ROLE) == band
        colour = next(b for b in BANDS if b.key == band)
        assert kappa_cell.data(Qt.ItemDataRole.BackgroundRole) == tint(colour)
    supervision = [r for r, item in enumerate(model.rows()) if item.code == "Supervision"]
    assert model.index(supervision[0], 8).data(BAND_ROLE) == "excellent"  # coded alike
    head = [r for r, item in enumerate(model.rows()) if item.code == "Clearing my head"]
    assert model.index(head[0], 8).data(BAND_ROLE) == "poor"  # no overlap at all
    assert model.index(head[0], 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_passages_show_where_they_differ_and_open_on_double_click(
        qtbot: QtBot, view: AgreementView, team: dict[str, int]) -> None:
    assert view.select_row(team["run"], team["pa"])
    # alice: "I go for a run"; bob: "Honestly I go for a run." -> bob alone on both sides.
    passages = view.passages()
    assert [(p.coder, p.excerpt, p.first_line) for p in passages] == \
        [("bob", "Honestly", 2), ("bob", ".", 2)]
    assert "Where alice and bob differ on “Running” in PA interview" in \
        view.passages_caption.text()
    shown = [view.passages_model.index(0, c).data() for c in range(4)]
    assert shown == ["bob only", "2", "9", "Honestly"]
    first = view.passages()[0]
    rect = view.passages_view.visualRect(view.passages_model.index(0, 3))
    viewport = view.passages_view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # as a hand does
    with qtbot.waitSignal(view.passage_activated, timeout=WAIT_MS) as opened:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [team["pa"], first.start, first.end]
    assert PA[first.start:first.end] == "Honestly "
    assert view.select_row(team["sup"], team["pa"])
    assert view.passages() == [] and "coded “Supervision” in PA interview alike" in \
        view.passages_caption.text()


def test_summary_click_picks_the_codes_first_document(view: AgreementView,
                                                      team: dict[str, int]) -> None:
    row = [s.code for s in view.summary_model.rows()].index("Time between clients")
    view.summary_view.clicked.emit(view.summary_model.index(row, 0))
    current = view.rows_model.row_at(view.rows_view.currentIndex())
    assert (current.code_id, current.document_id) == (team["time"], team["pb"])


def test_export_writes_the_table_as_csv(view: AgreementView, session: ProjectSession,
                                        tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "agreement.csv"
    monkeypatch.setattr(view, "ask_path", lambda: target)
    assert view.export_table() == target
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:8] == ["code", "document", "participant", "characters", "coded by both",
                           "coded by alice only", "coded by bob only", "coded by neither"]
    expected = _expected(session)
    first = expected.rows[0]
    assert rows[1][:4] == [first.code, first.document, "PA", str(first.counts.units)]
    assert len(rows) == 1 + len(expected.rows) + len(expected.summaries)
    assert "Exported" in view.status.text()
    monkeypatch.setattr(view, "ask_path", lambda: None)
    assert view.export_table() is None
    monkeypatch.setattr(view, "ask_path", lambda: tmp_path / "missing" / "agreement.csv")
    assert view.export_table() is None
    assert "the agreement table could not be written" in view.status.text()


def test_choosing_coders_and_following_changes(qtbot: QtBot, view: AgreementView,
                                               session: ProjectSession,
                                               team: dict[str, int]) -> None:
    view.set_coders("alice", "carol")
    qtbot.waitUntil(lambda: not view.busy and view.comparison is not None
                    and view.comparison.coder_b == "carol", timeout=WAIT_MS)
    assert view.rows_model.rowCount() == 0
    assert "have not both coded any document" in view.status.text()
    assert not view.export_button.isEnabled()
    view.set_coders("alice", "bob")
    qtbot.waitUntil(lambda: not view.busy and view.rows_model.rowCount() == 6,
                    timeout=WAIT_MS)
    # alice codes the corridor too: Peer support now has both coders on it.
    with qtbot.waitSignal(view.compared, timeout=WAIT_MS):
        session.run(codings.code_match, team["pa"], team["peers"], "colleagues in the corridor")
    peers = next(r for r in view.rows_model.rows() if r.code == "Peer support")
    assert peers.counts.both == len("colleagues in the corridor")
    with pytest.raises(ValueError, match="'erin' has coded nothing"):
        view.set_coders("alice", "erin")


def test_one_coder_alone_is_told_what_is_needed(qtbot: QtBot, store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        doc = import_document(tx, imported(PA, "PA interview"), "PA").new_id("document")
        code_id = codes.create_code(tx, "Running").new_id("code")
        codings.code_match(tx, doc, code_id, "I go for a run")
    alone = AgreementView(ProjectSession(store, "alice"))
    qtbot.addWidget(alone)
    assert alone.coders() == ("alice", None)
    assert "only alice has coded anything so far" in alone.status.text()
    assert not alone.busy and alone.comparison is None


def test_said_by_narrows_the_comparison_to_one_participant(qtbot: QtBot, view: AgreementView,
                                                           session: ProjectSession) -> None:
    choices = [view.said_by.itemText(i) for i in range(view.said_by.count())]
    assert choices == ["everyone", "PA", "PB", "PC"]
    view.said_by.setCurrentIndex(choices.index("PB"))
    qtbot.waitUntil(lambda: not view.busy and view.comparison is not None
                    and {row.document for row in view.comparison.rows} == {"PB interview"},
                    timeout=WAIT_MS)
    with session.read() as read:
        expected = compare_coders(read, "alice", "bob",
                                  scope=Scope(participants=frozenset({"PB"})))
    assert len(_texts(view.rows_model)) == len(expected.rows) == 2
