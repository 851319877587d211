"""Two coders on one team server: what one commits shows in the other's window within two
seconds, without moving that window's selection or scroll."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.gui.window_helpers import open_window
from tests.postgres_server import PostgresServer
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.queries.project import document_summaries
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.session import OTHER_CODER
from thematic_workbench.gui.window.main_window import MainWindow

SHOWS_WITHIN_MS = 2_000


@pytest.fixture
def team_project(tmp_path: Path, postgres_server: PostgresServer) -> str:
    url = postgres_server.url(postgres_server.new_database())
    copy_project(build_demo(tmp_path / "demo.thematic"), url, "alice")
    return url


@pytest.fixture
def alices_window(qtbot: QtBot, settings: QSettings, team_project: str
                  ) -> Iterator[MainWindow]:
    window = open_window(qtbot, settings, team_project, "alice")  # type: ignore[arg-type]
    yield window
    window.close_project()


def test_a_coding_by_another_coder_shows_without_moving_the_view(
        qtbot: QtBot, alices_window: MainWindow, team_project: str) -> None:
    window = alices_window
    assert window.session is not None and window.session.follower is not None
    assert "(team server)" in window.windowTitle()
    with window.session.read() as session:
        document = next(d.id for d in document_summaries(session)
                        if d.name == "PB-probation-counsellor")
    window.open_document(document)
    view = window.transcript
    assert view is not None
    bar = view.editor.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    view.select_lines(30, 31)
    scrolled, selected = bar.value(), view.selection_span()
    announced = []
    window.session.changed.connect(lambda change: announced.append(change.initiator))

    with ProjectStore.open(team_project) as bob, bob.transaction("bob") as tx:  # elsewhere
        code = create_code(tx, "Supervision as a second pair of eyes").new_id("code")
        coding = apply_coding(tx, document, code, 100, 180).new_id("coding")

    qtbot.waitUntil(lambda: any(c.id == coding for c in view.codings.items),
                    timeout=SHOWS_WITHIN_MS)
    assert OTHER_CODER in announced
    assert (bar.value(), view.selection_span()) == (scrolled, selected)
    qtbot.waitUntil(lambda: "Supervision as a second pair of eyes" in _shown_code_names(window),
                    timeout=SHOWS_WITHIN_MS)


def test_the_window_does_not_announce_its_own_changes_twice(
        qtbot: QtBot, alices_window: MainWindow) -> None:
    window = alices_window
    assert window.session is not None
    announced: list[str] = []
    window.session.changed.connect(lambda change: announced.append(change.initiator))
    window.session.run(create_code, "Own code")
    qtbot.wait(600)  # the server's notice of it arrives and is recognised as ours
    assert announced == ["undo stack"]


def _shown_code_names(window: MainWindow) -> set[str]:
    """Every name the codes panel's models hold, as the panel shows them."""
    panel = window.docks["codes"].widget()
    shown: set[str] = set()
    for model in panel.findChildren(QAbstractItemModel):
        stack = [model.index(row, 0) for row in range(model.rowCount())]
        while stack:
            index = stack.pop()
            shown.add(str(index.data()))
            stack += [model.index(row, 0, index) for row in range(model.rowCount(index))]
    return shown


def test_a_password_the_server_wants_is_asked_for_and_never_remembered(
        qtbot: QtBot, settings: QSettings, team_project: str,
        postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.postgres_server import ADMIN, ADMIN_PASSWORD
    from thematic_workbench.gui.project.team_dialog import TeamProjectDialog

    without = postgres_server.url(team_project.rsplit("/", 1)[1], ADMIN, password=None)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    asked: list[str] = []

    def type_password(dialog: TeamProjectDialog) -> int:
        asked.append(dialog.problem.text())
        assert dialog.location() == without
        dialog.password.setText(ADMIN_PASSWORD)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(TeamProjectDialog, "exec", type_password)
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    assert window.open_project(without)
    assert asked and "password" in asked[0]
    assert window.session is not None and window.session.store.on_server
    assert ADMIN_PASSWORD not in repr(settings.allKeys()) + repr(
        [settings.value(key) for key in settings.allKeys()])
    window.close_project()


def test_two_windows_and_a_command_line_coder_see_each_other(
        qtbot: QtBot, tmp_path: Path, team_project: str, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    from thematic_workbench.cli import main as command_line
    from thematic_workbench.core.queries.project import code_summaries

    windows = []
    for coder in ("alice", "bob"):
        settings = QSettings(str(tmp_path / f"{coder}.ini"), QSettings.Format.IniFormat)
        windows.append(open_window(qtbot, settings, team_project, coder))  # type: ignore[arg-type]
    alice, bob = windows

    def codes_seen(window: MainWindow) -> set[str]:
        return _shown_code_names(window)

    assert alice.session is not None and bob.session is not None
    alice.session.run(create_code, "Made in Alice's window")
    qtbot.waitUntil(lambda: "Made in Alice's window" in codes_seen(bob),
                    timeout=SHOWS_WITHIN_MS)
    bob.session.run(create_code, "Made in Bob's window")
    qtbot.waitUntil(lambda: "Made in Bob's window" in codes_seen(alice),
                    timeout=SHOWS_WITHIN_MS)
    monkeypatch.setenv("THEMATIC_CODER", "carol")
    assert command_line(["code", team_project, "PB-probation-counsellor",
                         "Made on the command line", "--lines", "5-6"]) == 0
    for window in windows:
        qtbot.waitUntil(lambda w=window: "Made on the command line" in codes_seen(w),
                        timeout=SHOWS_WITHIN_MS)
    with alice.session.read() as session:
        assert {"Made in Alice's window", "Made in Bob's window",
                "Made on the command line"} <= {c.name for c in code_summaries(session)}
    for window in windows:
        window.close_project()
