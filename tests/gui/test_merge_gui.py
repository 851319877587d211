"""File > Merge another project…: the copy coded apart comes in off the GUI thread, the
codes panel shows what arrived, and the merge report lists what the command line prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.gui.window_helpers import open_window, shown_message_box
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.storage.models import Code, Coder, Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.window.main_window import MainWindow


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    ours, theirs = tmp_path / "ana.thematic", tmp_path / "ben.thematic"
    build_demo(ours)
    copy_project(ours, theirs, "alice")
    with ProjectStore.open(theirs) as store, store.transaction("Ben") as tx:
        code = codes.create_code(tx, "Ben's reading").new_id("code")
        codings.code_lines(tx, 1, code, 2, 3)
    return ours, theirs


def test_merging_a_copy_shows_its_codes_and_the_report(
        qtbot: QtBot, settings: QSettings, copies: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch, screenshot) -> None:
    ours, theirs = copies
    window: MainWindow = open_window(qtbot, settings, ours, "alice")
    controller = window.exchange
    assert window.actions_by_key["merge_project"].isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(controller, "ask_source", lambda title, filters: theirs)
    monkeypatch.setattr(controller, "confirm",
                        lambda title, text, details, button: asked.append(text) or True)
    window.actions_by_key["merge_project"].trigger()
    box = shown_message_box(qtbot)
    assert asked == ["Bring into ana.thematic what ben.thematic holds that it lacks?"]
    assert box.text() == "Merged ben.thematic into ana.thematic."
    assert "added: 1 coder, 1 code, 1 coding" in box.informativeText()
    assert any("kept beside this project's" in line for line in controller.last_lines)
    assert controller.last_lines[-1] == \
        "the Agreement tab can now compare the coders of both projects"
    screenshot(box, "merge-report")
    box.close()
    qtbot.waitUntil(lambda: "Ben's reading" in [n for _i, n in window.codes.model.codes()])
    with ProjectStore.open(ours, readonly=True) as store, store.read() as session:
        (coder,) = session.execute(
            select(Coder.name).join(Coding, Coding.coder_id == Coder.id)
            .join(Code, Code.id == Coding.code_id).where(Code.name == "Ben's reading")).one()
        assert coder == "Ben"


def test_merge_is_not_offered_on_a_read_only_project(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    path = build_demo(tmp_path / "demo.thematic")
    with ProjectStore.open(path):  # another process writes it: the window reads only
        window: MainWindow = open_window(qtbot, settings, path, "alice")
        assert window.session is not None and window.session.readonly
        assert not window.actions_by_key["merge_project"].isEnabled()
        window.close_project()
