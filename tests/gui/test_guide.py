"""Help → Getting started: the offline guide to the six phases, in the window."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from thematic_workbench.core.phases import PHASES
from thematic_workbench.gui.actions import ACTIONS, action_keys
from thematic_workbench.gui.window.guide import NO_KEY, GuideDialog, guide_html
from thematic_workbench.gui.window.main_window import MainWindow
from thematic_workbench.resources import read_text

Shot = Callable[[QWidget, str], Path | None]


def open_guide(qtbot: QtBot, settings: QSettings) -> tuple[MainWindow, GuideDialog]:
    window = MainWindow("alice", settings)
    qtbot.addWidget(window)
    window.show()
    window.actions_by_key["guide"].trigger()
    dialog = window.findChild(GuideDialog)
    assert dialog is not None
    return window, dialog


def test_getting_started_shows_the_six_phases(qtbot: QtBot, settings: QSettings) -> None:
    window, dialog = open_guide(qtbot, settings)
    assert dialog.isVisible() and not dialog.isModal()
    text = dialog.browser.toPlainText()
    for phase in PHASES:
        assert f"Phase {phase.number} · {phase.reflexive_name}" in text
    assert dialog.sections() == ["top", "start", "phase1", "phase2", "phase3", "phase4",
                                 "phase5", "phase6", "throughout"]
    window.actions_by_key["guide"].trigger()  # a second time: the same guide, raised
    assert window.findChildren(GuideDialog) == [dialog]


def test_the_guide_names_the_keys_the_menus_use() -> None:
    html = guide_html()
    assert "{{" not in html and NO_KEY not in html
    keys = action_keys()
    named = set(re.findall(r"\{\{key:(\w+)\}\}", read_text("guide", "getting-started.html")))
    assert named and named <= {spec.key for spec in ACTIONS}
    for action in named:
        assert f'<span class="key">{keys[action]}</span>' in html, action
    assert keys["apply_code"] == "Ctrl+K"


def test_every_link_in_the_guide_leads_to_a_section(qtbot: QtBot,
                                                    settings: QSettings) -> None:
    _window, dialog = open_guide(qtbot, settings)
    source = read_text("guide", "getting-started.html")
    targets = set(re.findall(r'href="#(\w+)"', source))
    assert targets and targets <= set(dialog.sections())
    assert not re.search(r'href="(?!#)', source)  # nothing outside the guide, no network
    dialog.resize(720, 500)
    scroll = dialog.browser.verticalScrollBar()
    assert scroll.value() == 0
    dialog.browser.anchorClicked.emit(QUrl("#phase4"))
    assert scroll.value() > 0
    dialog.browser.anchorClicked.emit(QUrl("#top"))
    assert scroll.value() == 0
    dialog.browser.anchorClicked.emit(QUrl("https://example.org/"))  # ignored
    assert scroll.value() == 0 and dialog.browser.source().isEmpty()


def test_getting_started_screenshot(qtbot: QtBot, settings: QSettings,
                                    screenshot: Shot) -> None:
    _window, dialog = open_guide(qtbot, settings)
    qtbot.waitExposed(dialog)
    dialog.show_section("phase2")
    screenshot(dialog, "getting-started")


def test_no_two_menu_actions_share_a_shortcut() -> None:
    """A shared shortcut fires neither action (Qt calls it ambiguous), so each is unique."""
    keys = [key for key in action_keys().values() if key]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
