"""Help → Getting started: the offline guide to the six phases, shown beside the work.

The guide is HTML shipped in the package (``resources/guide``). Its keys are written as
``{{key:ACTION}}`` and filled in from the window's own actions, so the guide names the keys
the menus really use. Only links inside the guide are followed: it never opens the network.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.gui.actions import action_keys
from thematic_workbench.resources import read_text

GUIDE_FILE = ("guide", "getting-started.html")
KEY_PLACEHOLDER = re.compile(r"\{\{key:(\w+)\}\}")
NO_KEY = "(no key)"
STYLE = """
body { color: #1F2937; }
h1 { font-size: 17pt; font-weight: 600; color: #1F3A5A; margin-bottom: 4px; }
h2 { font-size: 13pt; font-weight: 600; color: #1F3A5A; margin-top: 22px; margin-bottom: 4px; }
p, li { line-height: 135%; }
p.lead { color: #374151; }
p.aside { color: #4B5563; background-color: #F3F4F6; padding: 6px; }
p.back { font-size: 9pt; }
a { color: #2F5D8A; }
.key { font-family: monospace; background-color: #EEF2F7; color: #1F2937; }
code { font-family: monospace; }
"""


def guide_html() -> str:
    """The guide with every ``{{key:ACTION}}`` replaced by that action's shortcut."""
    keys = action_keys()

    def key(match: re.Match[str]) -> str:
        text = keys.get(match.group(1))
        return f'<span class="key">{text}</span>' if text else NO_KEY

    return KEY_PLACEHOLDER.sub(key, read_text(*GUIDE_FILE))


class GuideDialog(QDialog):
    """A window of its own, not modal: the guide stays open while the user works."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("getting_started")
        self.setWindowTitle("Getting started")
        self.setModal(False)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # followed below: anchors only, never the network
        self.browser.anchorClicked.connect(self._follow)
        self.browser.document().setDefaultStyleSheet(STYLE)
        self.browser.document().setDocumentMargin(18)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        contents = QPushButton("Contents", self)
        contents.setToolTip("Back to the top of the guide")
        contents.clicked.connect(lambda: self.show_section("top"))
        buttons.addButton(contents, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 620)

    def sections(self) -> list[str]:
        """The anchors of the guide's sections, in order (what the contents links to)."""
        return re.findall(r'<a name="(\w+)">', read_text(*GUIDE_FILE))

    def show_section(self, anchor: str) -> None:
        if anchor == "top":  # the very top, margin included
            self.browser.verticalScrollBar().setValue(0)
        else:
            self.browser.scrollToAnchor(anchor)

    def _follow(self, url: QUrl) -> None:
        if url.isRelative() and not url.path() and url.fragment():
            self.show_section(url.fragment())


def show_guide(parent: QWidget) -> GuideDialog:
    """Show the guide (one per window), fitted inside the window and raised."""
    dialog = parent.findChild(GuideDialog)
    if dialog is None:
        dialog = GuideDialog(parent)
        available = parent.screen().availableGeometry() if parent.screen() else None
        if available is not None:
            dialog.resize(min(dialog.width(), available.width() - 40),
                          min(dialog.height(), available.height() - 80))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
