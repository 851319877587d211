"""The start page: what a new or returning user sees with no project open, and each way in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.documents.import_dialog import ImportDialog
from thematic_workbench.gui.window import dialogs
from thematic_workbench.gui.window.app import application_icon
from thematic_workbench.gui.window.main_window import MainWindow
from thematic_workbench.gui.window.start_page import MISSING_ROLE, PATH_ROLE

Shot = Callable[[QWidget, str], Path | None]


def make_project(path: Path) -> Path:
    ProjectStore.create(path, "A study", coder="alice").close()
    return path


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings) -> MainWindow:
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    return window


def test_the_start_page_shows_with_no_project_and_hides_with_one(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = window.start_page
    assert page.isVisible()
    assert not page.recent_list.isVisible() and page.no_recent.isVisible()
    project = make_project(tmp_path / "study.thematic")

    assert window.open_project(project)
    assert not page.isVisible()
    assert window.workspace is not None
    qtbot.waitUntil(window.workspace.tabs.isVisible)  # the layout shows it on the next turn

    window.close_project()
    assert page.isVisible()  # back, now listing the project just closed
    item = page.recent_list.item(0)
    assert page.recent_list.count() == 1 and item.text().startswith("study.thematic\n")
    assert item.toolTip() == str(project)


def test_recent_projects_open_by_click_or_enter_and_missing_ones_say_so(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    present = make_project(tmp_path / "present.thematic")
    missing = tmp_path / "moved" / "gone.thematic"
    settings.setValue("recent/projects", [str(missing), str(present)])
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    window.show()
    listing = window.start_page.recent_list
    gone, there = listing.item(0), listing.item(1)
    assert gone.data(MISSING_ROLE) and "(not found)" in gone.text()
    assert gone.foreground().color().name() == "#9ca3af"  # greyed
    assert str(missing) in gone.toolTip() and not there.data(MISSING_ROLE)
    assert there.text() == f"present.thematic\n{tmp_path}"

    listing.setFocus()
    listing.setCurrentItem(gone)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert window.session is None
    assert window.start_page.status.isVisible()
    assert "was not found" in window.start_page.status.text()

    listing.setCurrentItem(there)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert window.session is not None and Path(window.session.path) == present
    window.close_project()

    rect = listing.visualItemRect(listing.item(0))  # now the project opened last
    assert listing.item(0).data(PATH_ROLE) == str(present)
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session is not None and Path(window.session.path) == present


def test_new_and_open_buttons(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(tmp_path / "fresh"), ""))
    qtbot.mouseClick(window.start_page.new_button, Qt.MouseButton.LeftButton)
    assert window.session is not None
    assert Path(window.session.path) == tmp_path / "fresh.thematic"
    window.close_project()

    other = make_project(tmp_path / "other.thematic")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(other), ""))
    qtbot.mouseClick(window.start_page.open_button, Qt.MouseButton.LeftButton)
    assert window.session is not None and Path(window.session.path) == other
    assert not window.start_page.isVisible()


def test_import_with_no_project_makes_one_then_asks_for_files(
        window: MainWindow, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(ImportDialog, "exec",
                        lambda dialog: shown.append(str(dialog._session.path)) or 0)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: ("", ""))
    qtbot.mouseClick(window.start_page.import_button, Qt.MouseButton.LeftButton)
    assert window.session is None and shown == []  # cancelled: nothing made, nothing asked

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(tmp_path / "interviews.thematic"), ""))
    qtbot.mouseClick(window.start_page.import_button, Qt.MouseButton.LeftButton)
    assert shown == [str(tmp_path / "interviews.thematic")]
    assert (tmp_path / "interviews.thematic").is_file()


def test_the_demo_is_built_in_the_data_folder_once_then_opened(
        window: MainWindow, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda name: str(tmp_path / name))
    demo = tmp_path / "thematic-workbench" / "demo.thematic"
    qtbot.mouseClick(window.start_page.demo_button, Qt.MouseButton.LeftButton)
    assert window.start_page.progress.isVisible()
    assert not window.start_page.demo_button.isEnabled()
    qtbot.waitUntil(lambda: window.session is not None, timeout=60_000)
    assert Path(window.session.path) == demo  # type: ignore[union-attr]
    assert window.documents.view.model().rowCount() == 4
    assert window.windowTitle().startswith("demo.thematic")
    window.close_project()
    assert window.start_page.demo_button.isEnabled()
    assert not window.start_page.progress.isVisible()

    first_build = window.start_page.demo_job
    window.actions_by_key["open_demo"].trigger()  # from the Help menu: opened as it is
    assert window.session is not None and Path(window.session.path) == demo
    assert window.start_page.demo_job is first_build  # no second build


def test_window_icon_help_menu_and_about_with_the_licence(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not application_icon().isNull()
    assert not window.windowIcon().isNull()
    assert not window.windowIcon().pixmap(32, 32).isNull()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    entries = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert entries[0] == "&Getting started"
    assert "Open the &demo project" in entries and entries[-1] == "&About Thematic Workbench"

    about = dialogs.about_box(window, "9.9")
    text = about.findChild(QLabel, "about_text").text()
    assert "GPL-3.0-or-later" in text and "WITHOUT ANY WARRANTY" in text
    shown: list[str] = []
    monkeypatch.setattr(dialogs.QDialog, "exec",
                        lambda dialog: shown.append(
                            dialog.findChild(QPlainTextEdit).toPlainText()) or 0)
    button = next(b for b in about.findChildren(QPushButton) if "licence" in b.text())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert shown and "GNU GENERAL PUBLIC LICENSE" in shown[0]
    assert "END OF TERMS AND CONDITIONS" in shown[0]


def test_start_page_screenshot(qtbot: QtBot, settings: QSettings, tmp_path: Path,
                               screenshot: Shot) -> None:
    folders = ("Documents/thesis", "Documents/pilot", "Desktop")
    names = ("Working alliance in mandated therapy.thematic", "pilot interviews.thematic",
             "old study.thematic")
    paths = [tmp_path / folder / name for folder, name in zip(folders, names, strict=True)]
    for path in paths[:2]:  # the third was moved away since
        path.parent.mkdir(parents=True)
        make_project(path)
    settings.setValue("recent/projects", [str(p) for p in paths])
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.start_page.recent_list.count() == 3
    screenshot(window, "start-page")
