"""The parts of the window that follow the phase: central views and the phase panels.

The centre holds one view per kind of work — reading and coding a transcript, the theme
board, reviewing themes, defining them — and moving to a phase brings forward the view and
the panels that phase needs (phase 3 the theme board, phase 5 the definitions). The user
can switch tabs freely; only a phase change moves them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

from thematic_workbench.gui.agreement.view import AgreementView
from thematic_workbench.gui.analysis.view import AnalysisView
from thematic_workbench.gui.audit.panel import AuditPanel
from thematic_workbench.gui.board.definitions import ThemeDefinitions
from thematic_workbench.gui.board.view import ThemeBoard
from thematic_workbench.gui.diary.panel import DiaryPanel
from thematic_workbench.gui.map.view import MapView
from thematic_workbench.gui.participants.view import ParticipantsView
from thematic_workbench.gui.phases.controller import PhaseController
from thematic_workbench.gui.phases.panel import PhasePanel
from thematic_workbench.gui.phases.strip import PhaseStrip
from thematic_workbench.gui.project.coders_dialog import CodersDialog
from thematic_workbench.gui.project.design_dialog import edit_design
from thematic_workbench.gui.project.project_language import ask_project_language
from thematic_workbench.gui.review.matrix_view import CodeThemeTableView, ThemeMatrixView
from thematic_workbench.gui.review.panel import ReviewPanel
from thematic_workbench.gui.review.snapshots_panel import SnapshotsPanel
from thematic_workbench.gui.review.theme_review import ThemeReviewView
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.window.window_layout import squeezable

if TYPE_CHECKING:
    from thematic_workbench.gui.coding.codes_panel import CodesPanel
    from thematic_workbench.gui.common.banner import Banner
    from thematic_workbench.gui.documents.panel import DocumentsPanel
    from thematic_workbench.gui.review.extracts_panel import ExtractsPanel
    from thematic_workbench.gui.transcript.view import TranscriptView


class WorkspaceHost(Protocol):
    """What the workspace needs of the main window (which passes itself), so this module
    does not import the window that imports it."""

    workspace: Workspace | None
    codes: CodesPanel
    extracts: ExtractsPanel
    documents: DocumentsPanel
    notice: Banner

    def show_passage(self, document_id: int, start: int, end: int) -> None: ...


@dataclass(frozen=True)
class PhaseView:
    tab: str
    docks: tuple[str, ...]  # raised, in this order (the last ends up in front of its area)


PHASE_VIEWS = {
    1: PhaseView("transcript", ("documents", "diary", "phase")),
    2: PhaseView("transcript", ("documents", "extracts", "codes")),
    3: PhaseView("board", ("extracts", "codes")),
    4: PhaseView("review", ("extracts", "codes", "comments")),
    5: PhaseView("definitions", ("extracts", "phase")),
    6: PhaseView("definitions", ("diary", "audit", "phase")),
}
TAB_TITLES = {"transcript": "Transcript", "search": "Search", "board": "Theme board",
              "review": "Review",
              "map": "Map", "definitions": "Define and name", "analysis": "Analysis",
              "agreement": "Agreement", "participants": "Participants"}


class Workspace:
    """The central tabs and the phase machinery of one open project."""

    def __init__(self, session: ProjectSession, transcript: TranscriptView, strip: PhaseStrip,
                 window: QWidget) -> None:
        self.session = session
        self.transcript = transcript
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.board = ThemeBoard(session)
        self.definitions = ThemeDefinitions(session)
        self.phase_panel = PhasePanel(session)
        self.diary = DiaryPanel(session)
        self.comments = ReviewPanel(session)
        self.snapshots = SnapshotsPanel(session)
        self.audit = AuditPanel(session)
        self.theme_review = ThemeReviewView(session)
        self.matrix = ThemeMatrixView(session)
        self.code_table = CodeThemeTableView(session)
        self.review_tabs = QTabWidget()
        self.review_tabs.setDocumentMode(True)
        for widget, title in ((self.theme_review, "Theme and its extracts"),
                              (self.matrix, "Theme × participant"),
                              (self.code_table, "Code × theme")):
            self.review_tabs.addTab(widget, title)
        self.map = MapView(session)
        self.agreement = AgreementView(session)
        self.analysis = AnalysisView(session)
        self.participants = ParticipantsView(session)
        self.views: dict[str, QWidget] = {"transcript": transcript, "board": self.board,
                                          "review": self.review_tabs, "map": self.map,
                                          "definitions": self.definitions,
                                          "analysis": self.analysis,
                                          "agreement": self.agreement,
                                          "participants": self.participants}
        self.phases = PhaseController(session, strip, window)
        self.phase_panel.move_requested.connect(self.phases.request_move)
        self.docks: dict[str, QDockWidget] = {}
        self._pages: dict[str, QWidget] = {}  # what each tab holds: the view, or its scroller
        self._rebuild_tabs()

    def add_view(self, key: str, widget: QWidget) -> None:
        """A further central view (e.g. the review views), placed in the tabs' order."""
        self.views[key] = widget
        self._pages.pop(key, None)
        self._rebuild_tabs()

    def _rebuild_tabs(self) -> None:
        """The tabs in their fixed order; every view but the transcript scrolls when the
        window is small rather than raising the window's minimum size."""
        current = self.current_tab()
        self.tabs.clear()
        for key, title in TAB_TITLES.items():
            if key in self.views:
                if key not in self._pages:
                    view = self.views[key]
                    self._pages[key] = view if key == "transcript" else squeezable(view)
                self.tabs.addTab(self._pages[key], title)
        if current:
            self.show_tab(current)

    def dock_specs(self) -> list[tuple[str, str, QWidget]]:
        """The phase panels as (key, title, widget); window_layout says where each goes."""
        return [("phase", "Checklist", self.phase_panel),
                ("diary", "Reflective diary", self.diary),
                ("comments", "Supervisor review", self.comments),
                ("snapshots", "Snapshots", self.snapshots),
                ("audit", "Audit trail", self.audit)]

    def connect_window(self, window: WorkspaceHost,
                       follow: Callable[[str, int], None]) -> None:
        """Links in the diary, the comments and the review views lead to what they name;
        ``follow(kind, id)`` is how the window goes to a code, theme, transcript or coding."""
        def show_extracts(kind: str, target_id: int) -> None:
            (window.extracts.show_theme if kind == "theme" else window.extracts.show_code)(
                target_id)
            self.raise_dock("extracts")

        def show_cell(theme_id: int, participant: str) -> None:
            window.extracts.show_cell(theme_id, participant)
            self.raise_dock("extracts")

        self.phases.phase_changed.connect(self.show_phase)
        self.diary.link_activated.connect(follow)
        self.comments.target_activated.connect(follow)
        window.codes.comment_requested.connect(self.comment_on)
        window.extracts.comment_requested.connect(self.comment_on)
        self.theme_review.comment_requested.connect(self.comment_on)
        window.documents.comment_requested.connect(self.comment_on)
        self.transcript.comment_requested.connect(self.comment_on)
        window.codes.theme_selected.connect(self.theme_review.show_theme)
        self.theme_review.extract_activated.connect(window.show_passage)
        self.matrix.cell_activated.connect(show_cell)
        self.matrix.theme_activated.connect(lambda theme_id: follow("theme", theme_id))
        self.code_table.code_activated.connect(lambda code_id: follow("code", code_id))
        self.map.theme_selected.connect(lambda theme_id: show_extracts("theme", theme_id))
        self.map.code_selected.connect(lambda code_id: show_extracts("code", code_id))
        self.board.code_activated.connect(lambda code_id: show_extracts("code", code_id))
        self.transcript.code_extracts_requested.connect(
            lambda code_id: show_extracts("code", code_id))
        self.map.notice.connect(window.notice.show_message)
        self.agreement.passage_activated.connect(window.show_passage)
        self.analysis.passage_activated.connect(window.show_passage)
        self.analysis.notice.connect(window.notice.show_message)

    def comment_on(self, kind: str, target_id: int) -> None:
        self.raise_dock("comments")
        self.comments.add_comment_on(kind, target_id)

    def raise_dock(self, key: str) -> None:
        dock = self.docks.get(key)
        if dock is not None:
            dock.show()
            dock.raise_()

    def current_tab(self) -> str | None:
        widget = self.tabs.currentWidget()
        return next((key for key, page in self._pages.items() if page is widget), None)

    def show_tab(self, key: str) -> None:
        if key in self._pages:
            self.tabs.setCurrentWidget(self._pages[key])

    def show_phase(self, phase: int) -> None:
        """Bring forward what phase ``phase`` works with."""
        view = PHASE_VIEWS[phase]
        self.show_tab(view.tab if view.tab in self.views else "transcript")
        for key in view.docks:
            dock = self.docks.get(key)
            if dock is not None:
                dock.show()
                dock.raise_()
        self.phase_panel.show_phase(phase)


def analysis_handlers(window: WorkspaceHost, dialogs_parent: QWidget
                      ) -> dict[str, Callable[[], None]]:
    """The Analysis menu: each entry works on the open project's workspace, if any;
    ``dialogs_parent`` is the main window itself."""

    def on_workspace(work: Callable[[Workspace], object]) -> Callable[[], None]:
        def handler() -> None:
            if window.workspace is not None:
                work(window.workspace)
        return handler

    def step(workspace: Workspace, by: int) -> None:
        target = workspace.phases.strip.current + by
        if 1 <= target <= 6:
            workspace.phases.request_move(target)

    def diary_entry(workspace: Workspace) -> None:
        workspace.raise_dock("diary")
        workspace.diary.new_entry()

    def new_theme(workspace: Workspace) -> None:
        workspace.show_tab("board")
        workspace.board.menu_actions.create("emerging")

    def snapshot(workspace: Workspace) -> None:
        workspace.raise_dock("snapshots")
        workspace.snapshots.save_snapshot()

    def verify(workspace: Workspace) -> None:
        workspace.raise_dock("audit")
        workspace.audit.verify()

    return {"next_phase": on_workspace(lambda w: step(w, 1)),
            "previous_phase": on_workspace(lambda w: step(w, -1)),
            "new_theme": on_workspace(new_theme), "diary_entry": on_workspace(diary_entry),
            "snapshot": on_workspace(snapshot), "verify_audit": on_workspace(verify),
            "coders": on_workspace(lambda w: CodersDialog(w.session, dialogs_parent).exec()),
            "study_design": on_workspace(lambda w: edit_design(w.session, dialogs_parent)),
            "project_language": on_workspace(
                lambda w: ask_project_language(w.session, dialogs_parent))}
