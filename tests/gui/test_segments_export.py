"""Coded segments out of the window: the dialog's filters, its count and the file it writes;
"Export these extracts…" on the extracts list writes exactly the codings listed; File →
Export → Coded segments… opens the dialog."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.analysis.segments_study import build_study
from thematic_workbench.core.storage.models import Coding
from thematic_workbench.core.storage.models import Document as Transcript
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.exchange.segments_dialog import SegmentsDialog, SegmentsExporter
from thematic_workbench.gui.review.extracts_panel import ExtractsPanel
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.window.main_window import MainWindow


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


def _answer(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """The save dialog answered with ``target``."""
    monkeypatch.setattr(SegmentsExporter, "ask_target", lambda self, suggested="": target)


def _choose(box: object, text: str) -> None:
    index = box.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    box.setCurrentIndex(index)  # type: ignore[attr-defined]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _places(store: ProjectStore, coding_ids: list[int]) -> set[tuple[str, int, int]]:
    """(document, start, end) of codings, as the database has them."""
    with store.read() as session:
        return {(name, start, end) for name, start, end in session.execute(
            select(Transcript.name, Coding.start, Coding.end)
            .join(Transcript, Transcript.id == Coding.document_id)
            .where(Coding.id.in_(coding_ids)))}


def test_the_dialog_counts_and_writes_what_is_chosen(
        qtbot: QtBot, session: ProjectSession, store: ProjectStore, study: dict[str, int],
        settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = SegmentsDialog(session, settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.count.text() == "<b>7 segments</b>"
    _choose(dialog.code, "Rest")
    assert dialog.count.text() == "<b>3 segments</b>"
    _choose(dialog.attribute, "profession: nurse")
    assert dialog.count.text() == "<b>1 segment</b>"
    target = tmp_path / "rest.csv"
    _answer(monkeypatch, target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.exporter.last_result is not None, timeout=10000)
    rows = _csv(target)
    assert [(r["participant"], r["code"], r["text"]) for r in rows] == [
        ("bo", "Rest", "Long walks with the dog.")]
    assert _places(store, [study["walk"]]) == {(r["document"], int(r["start"]), int(r["end"]))
                                                for r in rows}


def test_a_choice_with_nothing_cannot_be_exported(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int],
        settings: QSettings) -> None:
    dialog = SegmentsDialog(session, settings=settings)
    qtbot.addWidget(dialog)
    _choose(dialog.code, "Humour")
    _choose(dialog.participant, "PA")
    assert dialog.count.text() == "<b>0 segments</b>"
    assert not dialog.export_button.isEnabled()
    _choose(dialog.theme, "Being held (emerging)")
    _choose(dialog.participant, "Anyone")
    assert dialog.count.text() == "<b>3 segments</b>"  # Humour, or a code of the theme


def _menu_entry(panel: ExtractsPanel, key: str) -> QMenu:
    """The extract menu of the first row, as a right-click opens it."""
    rect = panel.view.visualRect(panel.model.index(0, 0))
    assert panel.menu.popup(rect.center())
    menu = panel.menu.menu
    assert menu is not None
    entry = menu.findChild(object, f"extract_{key}")
    assert entry is not None, key
    return menu


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_export_these_extracts_writes_exactly_the_list(
        qtbot: QtBot, session: ProjectSession, store: ProjectStore, study: dict[str, int],
        settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        suffix: str) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    panel = ExtractsPanel(session, host, settings)
    panel.resize(900, 400)
    host.show()
    panel.show_theme(study["final"])  # Running and Rest, through its emerging theme
    listed = panel.listed_codings()
    assert sorted(listed) == sorted([study["run"], study["walk"], study["phone"],
                                     study["cook"]])
    target = tmp_path / f"extracts{suffix}"
    _answer(monkeypatch, target)
    menu = _menu_entry(panel, "export")
    entry = next(a for a in menu.actions() if a.objectName() == "extract_export")
    assert entry.text() == "Export these extracts\N{HORIZONTAL ELLIPSIS}"
    entry.trigger()
    menu.close()
    qtbot.waitUntil(lambda: panel.menu.exporter is not None
                    and panel.menu.exporter.last_result is not None, timeout=10000)
    if suffix == ".xlsx":
        rows = list(load_workbook(target).active.iter_rows(values_only=True))
        header = list(rows[0])
        found = {(row[header.index("document")], row[header.index("start")],
                  row[header.index("end")]) for row in rows[1:]}
        assert len(rows) - 1 == len(listed)
        assert found == _places(store, listed)
    else:
        (table,) = Document(str(target)).tables
        assert len(table.rows) - 1 == len(listed)
        texts = {row.cells[-1].text for row in table.rows[1:]}
        assert texts == {panel.model.extract_at(r).extract.text for r in range(len(listed))}


def test_read_only_lists_can_still_be_exported(
        qtbot: QtBot, session: ProjectSession, study: dict[str, int],
        settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ProjectSession, "readonly", property(lambda self: True))
    host = QWidget()
    qtbot.addWidget(host)
    panel = ExtractsPanel(session, host, settings)
    host.show()
    panel.show_code(study["Rest"])
    menu = _menu_entry(panel, "export")
    entry = next(a for a in menu.actions() if a.objectName() == "extract_export")
    assert entry.isEnabled()
    menu.close()


def test_file_export_opens_the_dialog(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      screenshot: Callable[[QWidget, str], Path | None]
                                      ) -> None:
    if "export_segments" not in window.actions_by_key:
        pytest.skip("File > Export > Coded segments is wired in gui/actions.py by the lead")
    action = window.actions_by_key["export_segments"]
    assert action.isEnabled() and action.text() == "Coded &segments…"
    target = tmp_path / "all.docx"
    _answer(monkeypatch, target)
    seen: list[SegmentsDialog] = []

    def use_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SegmentsDialog)
        seen.append(dialog)
        screenshot(dialog, "segments_dialog")
        dialog.export()
        qtbot.waitUntil(lambda: dialog.exporter.last_result is not None, timeout=10000)
        dialog.reject()

    QTimer.singleShot(0, use_dialog)
    action.trigger()
    assert seen
    assert window.notice.text().startswith("Wrote the coded segments to ")
    (table,) = Document(str(target)).tables
    assert len(table.rows) == 1 + 45  # every coding of the demo
