"""The analysis view: descriptive charts and tables of the coding, one tab each.

Counts support the researcher's judgement, they do not make themes: which codes are used
and by whom, how codes split by a participant attribute, which codes meet, and whether
every transcript was given equal attention. The window embeds :class:`AnalysisView` and
opens a transcript at ``passage_activated(document_id, start, end)``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from thematic_workbench.gui.analysis.page import AnalysisPage
from thematic_workbench.gui.analysis.pages import (
    AttributePage,
    CodesPage,
    CooccurrencePage,
    CoveragePage,
    ParticipantsPage,
)
from thematic_workbench.gui.analysis.query_page import QueryPage
from thematic_workbench.gui.analysis.words_page import WordsPage
from thematic_workbench.gui.session import ProjectSession

PAGES = (CodesPage, ParticipantsPage, AttributePage, CooccurrencePage, CoveragePage, WordsPage,
         QueryPage)


class AnalysisView(QWidget):
    """Tabs "Codes", "By participant", "By attribute", "Co-occurrence", "Coverage",
    "Word frequencies", "Coding query"."""

    passage_activated = Signal(int, int, int)  # document id, start, end (code points)
    notice = Signal(str)  # "Wrote the chart to …", for the status bar

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisView")
        self.session = session
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("analysisTabs")
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, AnalysisPage] = {}
        for kind in PAGES:
            page = kind(session, self.tabs)
            page.notice.connect(self.notice)
            self.pages[kind.NAME] = page
            self.tabs.addTab(page, kind.TITLE)
        for shown in self.pages.values():
            if isinstance(shown, (CoveragePage, WordsPage, QueryPage)):  # those with passages
                shown.passage_activated.connect(self.passage_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    @property
    def coverage(self) -> CoveragePage:
        page = self.pages[CoveragePage.NAME]
        assert isinstance(page, CoveragePage)
        return page

    def page(self, name: str) -> AnalysisPage:
        """A tab by its name: codes, participants, attribute, cooccurrence, coverage, words,
        query."""
        return self.pages[name]

    def show_page(self, name: str) -> AnalysisPage:
        page = self.pages[name]
        self.tabs.setCurrentWidget(page)
        return page

    def wait(self, timeout_s: float = 10.0) -> bool:
        """Block until every tab's running read has returned (before closing the project)."""
        return all(page.wait(timeout_s) for page in self.pages.values())
