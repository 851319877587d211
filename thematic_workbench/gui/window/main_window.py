"""The main window: phase strip, transcript, panels, menus, status bar and undo history."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    Qt,
    QThreadPool,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench import __version__
from thematic_workbench.app.preferences import load_preferences, save_preferences
from thematic_workbench.app.project_defaults import apply_new_project_defaults
from thematic_workbench.core.changes import Change
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.storage.server import is_server_location
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.theme_words import EMERGING_FINAL
from thematic_workbench.core.wording import sentence
from thematic_workbench.gui.actions import (
    build_actions,
    build_menus,
    build_toolbar,
    name_theme_levels,
)
from thematic_workbench.gui.coding.codes_model import CODE_MIME_TYPE as CODE_MIME
from thematic_workbench.gui.coding.controller import CodingController
from thematic_workbench.gui.common.banner import Banner
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.common.level_words import read_theme_words
from thematic_workbench.gui.common.workers import database_pool
from thematic_workbench.gui.exchange.controller import ExchangeController
from thematic_workbench.gui.phases.strip import PhaseStrip
from thematic_workbench.gui.project.backup_controller import BackupController
from thematic_workbench.gui.project.pseudonyms_dialog import PseudonymsDialog
from thematic_workbench.gui.project.team_dialog import TeamProjectDialog
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.key_legend import bind_number_keys_action
from thematic_workbench.gui.window import dialogs
from thematic_workbench.gui.window.app import application_icon
from thematic_workbench.gui.window.guide import show_guide
from thematic_workbench.gui.window.navigation import show_target
from thematic_workbench.gui.window.preferences_dialog import PreferencesDialog
from thematic_workbench.gui.window.recent_projects import RecentProjects
from thematic_workbench.gui.window.start_page import build_start_page
from thematic_workbench.gui.window.window_layout import (
    ReadingLayout,
    arrange_default,
    clamp_to_screen,
    cycle_panels,
    dock_area,
    place_window,
    squeezable,
)
from thematic_workbench.gui.window.workspace import Workspace, analysis_handlers

if TYPE_CHECKING:
    from thematic_workbench.gui.transcript.view import TranscriptView

# Actions that change the project: disabled before use in a read-only window.
WRITING_ACTIONS = ("import", "apply_code", "new_code", "in_vivo", "remove_coding", "recode",
                   "memo", "annotate", "mark_read", "next_phase", "previous_phase", "new_theme",
                   "diary_entry", "snapshot", "autocode_speaker", "correct_text",
                   "deidentify")
LAYOUT_VERSION = 2  # the panels' arrangement of issue 11; older saved layouts are dropped
APP_TITLE = "Thematic Workbench"


class MainWindow(QMainWindow):
    def __init__(self, coder: str, settings: QSettings | None = None) -> None:
        super().__init__()
        self.coder = coder
        self.settings = settings or QSettings("Thematic Workbench", "thematic-workbench")
        self.session: ProjectSession | None = None
        self.setWindowTitle(APP_TITLE)
        self.reading = ReadingLayout(self)
        self._placed = False

        self.phase_strip = PhaseStrip()
        self.readonly_banner = Banner()
        self.readonly_banner.hide()
        self.notice = Banner()
        self.notice.hide()
        self.recent = RecentProjects(self.settings, self, self.open_project)
        self.recent_menu = self.recent.menu
        self.start_page = build_start_page(self, self)
        self.setWindowIcon(application_icon())
        central = QWidget()
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(8, 6, 8, 0)
        self.central_layout.setSpacing(0)  # banners keep their own gap: showing one adds none
        for widget in (self.readonly_banner, self.notice, self.start_page):
            self.central_layout.addWidget(widget)
        self.central_layout.setStretch(2, 1)
        self.setCentralWidget(central)

        self.panels_menu = QMenu("Panels", self)
        self.exchange = ExchangeController(self, self)
        self.backups = BackupController(self, self.open_project)
        self.backups.message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.actions_by_key = build_actions(self, {
            "new": self.new_project, "open": self.choose_project,
            "open_team": self.open_team_project,
            "import": self.import_transcripts, "close": self.close_project, "quit": self.close,
            "undo": self.undo, "redo": self.redo, "find": self.find_in_transcript,
            "find_project": self.find_in_project, "apply_code": self._coding("apply_code"),
            "new_code": self._coding("new_code"), "in_vivo": self._coding("in_vivo"),
            "remove_coding": self._coding("remove_coding"), "memo": self._coding("memo"),
            "annotate": self._coding("annotate"), "number_keys": self._number_keys,
            "recode": self._coding("recode"), "mark_read": self.mark_transcript_read,
            "autocode_speaker": self.autocode_speaker, "correct_text": self.correct_text,
            "deidentify": self.deidentify, "preferences": self.open_preferences,
            "about": lambda: dialogs.show_about(self, __version__),
            **analysis_handlers(self, self), **self.exchange.handlers(),
            "backup_now": self.backups.back_up_now, "restore_backup": self.backups.restore,
            "shortcuts": lambda: dialogs.show_shortcuts(self),
            "guide": lambda: show_guide(self), "open_demo": self.start_page.open_demo,
            "reading_layout": self.toggle_reading_layout,
            "next_panel": lambda: cycle_panels(self, self.docks, 1),
            "previous_panel": lambda: cycle_panels(self, self.docks, -1),
        })
        self.actions_by_key["reading_layout"].setCheckable(True)
        self.actions_by_key["preferences"].setMenuRole(QAction.MenuRole.PreferencesRole)
        bind_number_keys_action(self.actions_by_key["number_keys"], self.settings)
        # Ctrl+Alt+R marks the open transcript from the transcript; the Documents list has
        # the same key for its selected row, so the two never compete for it.
        # F2 likewise corrects the transcript from the transcript; in a list it renames.
        for key in ("mark_read", "correct_text"):
            self.removeAction(self.actions_by_key[key])
            self.actions_by_key[key].setShortcutContext(
                Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.docks: dict[str, QDockWidget] = {}
        self.transcript: TranscriptView | None = None
        self.pseudonyms: PseudonymsDialog | None = None
        self.workspace: Workspace | None = None
        self.coding: CodingController | None = None
        build_menus(self, self.actions_by_key, self.recent_menu, self.panels_menu)
        self.toolbar = build_toolbar(self, self.actions_by_key)
        # The phases run across the whole window, under the toolbar, above every panel.
        self.addToolBarBreak()
        phases_bar = self.addToolBar("Phases")
        phases_bar.setObjectName("phase_toolbar")
        phases_bar.setMovable(False)
        phases_bar.addWidget(self.phase_strip)
        self._rebuild_view_menu()
        self._status_labels = {key: QLabel() for key in ("project", "phase", "coder", "saved")}
        for label in self._status_labels.values():
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(number)), self)
            shortcut.activated.connect(lambda n=number: self._apply_recent(n - 1))
        self._update_state()
        place_window(self, self.settings.value("window/geometry"))

    # -- projects --------------------------------------------------------------------------
    def open_project(self, path: str | Path, password: str | None = None) -> bool:
        """Open a project; one locked elsewhere or not writable opens read-only, saying so.

        A team project whose server wants a password that was not given asks for it.
        """
        try:
            store = ProjectStore.open(path, allow_readonly_fallback=True, password=password)
        except WorkbenchError as error:
            if is_server_location(path) and ("password" in str(error)
                                             or "refused the login" in str(error)):
                return self.open_team_project(str(path), str(error))
            QMessageBox.warning(self, "Cannot open project", str(error))
            return False
        self.close_project()
        self._attach(ProjectSession(store, self.coder, self))
        if store.readonly:
            reason = sentence(store.readonly_reason or "the project cannot be written")
            self.readonly_banner.show_message(
                f"Read-only: {reason} You can read and search, but changes cannot be saved.",
                "readonly")
        self.recent.remember(store.location)
        return True

    def _attach(self, session: ProjectSession) -> None:
        from thematic_workbench.gui.coding.codes_panel import CodesPanel
        from thematic_workbench.gui.documents.panel import DocumentsPanel
        from thematic_workbench.gui.review.extracts_panel import ExtractsPanel
        from thematic_workbench.gui.search.view import SearchView
        from thematic_workbench.gui.transcript.editor import reading_font
        from thematic_workbench.gui.transcript.notes_panel import NotesPanel
        from thematic_workbench.gui.transcript.view import TranscriptView

        self.session = session
        self.start_page.hide()
        self.transcript = transcript = TranscriptView(session)
        transcript.print_requested.connect(
            lambda document_id: self.exchange.print_transcripts(document_id))
        chosen = load_preferences()
        transcript.editor.apply_font(reading_font(chosen.transcript_font,
                                                  chosen.transcript_font_size))
        self.workspace = Workspace(session, transcript, self.phase_strip, self)
        self.central_layout.insertWidget(2, self.workspace.tabs, 1)
        self.coding = CodingController(session, transcript, self)
        self.coding.notice.connect(lambda text: self.notice.show_message(text))
        transcript.correction.message.connect(lambda text: self.notice.show_message(text))
        self.coding.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 10_000))
        self._number_keys()
        self.documents = DocumentsPanel(session, settings=self.settings)
        self.codes = CodesPanel(session)
        self.extracts = ExtractsPanel(session, settings=self.settings)
        self.search = SearchView(session, settings=self.settings)
        self.workspace.add_view("search", self.search)
        self.notes = NotesPanel(session)
        undo_view = QUndoView(session.undo_stack)
        undo_view.setEmptyLabel("Project opened")
        for key, title, widget in (
            ("documents", "Documents", self.documents),
            ("codes", "Codes and themes", self.codes),
            ("extracts", "Extracts", self.extracts),
            ("notes", "Margin notes", self.notes),
            ("history", "History", undo_view),
            *self.workspace.dock_specs(),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(squeezable(widget))
            self.addDockWidget(dock_area(key), dock)
            self.docks[key] = dock
            self.panels_menu.addAction(dock.toggleViewAction())
        self.workspace.docks = self.docks
        self._rebuild_view_menu()
        state = self.settings.value("window/layout")
        if not (isinstance(state, QByteArray) and self.restoreState(state, LAYOUT_VERSION)):
            # the transcript gets most of the room
            arrange_default(self, self.docks, self.documents.preferred_width())

        self.documents.document_activated.connect(self.open_document)
        self.codes.code_selected.connect(self.extracts.show_code)
        self.codes.theme_selected.connect(self.extracts.show_theme)
        self.extracts.extract_activated.connect(self.show_passage)
        self.search.result_activated.connect(self.show_passage)
        self.notes.note_activated.connect(self.show_passage)
        transcript.addActions([self.actions_by_key["mark_read"],
                               self.actions_by_key["correct_text"]])
        transcript.document_opened.connect(self.notes.set_current_document)
        transcript.stripes.use_settings(self.settings, session.path)
        transcript.editor.viewport().installEventFilter(self)
        transcript.editor.viewport().setAcceptDrops(True)
        session.changed.connect(self._saved)
        session.error.connect(lambda text: self.notice.show_message(text))
        if session.follower is not None:  # a team project: say when the server is lost
            session.follower.lost.connect(lambda reason: self.notice.show_message(
                f"The team server cannot be reached ({reason}); other coders' changes will "
                "show again when it can."))
            session.follower.restored.connect(self.notice.hide)
        session.undo_stack.cleanChanged.connect(lambda _clean: self._update_state())
        session.undo_stack.indexChanged.connect(lambda _index: self._update_undo_actions())
        self.workspace.connect_window(
            self, lambda kind, target_id: show_target(self, kind, target_id))
        self._update_state()
        self.workspace.show_phase(session.phase())
        self.backups.attach(session)

    def close_project(self) -> None:
        if self.session is None:
            return
        if self.pseudonyms is not None:  # its list belongs to the project being closed
            self.pseudonyms.close()
            self.pseudonyms = None
        self.reading.set_active(False, self.docks)
        self.actions_by_key["reading_layout"].setChecked(False)
        self.settings.setValue("window/layout", self.saveState(LAYOUT_VERSION))
        for dock in self.docks.values():
            self.removeDockWidget(dock)
            dock.deleteLater()
        self.docks.clear()
        self.panels_menu.clear()
        self._rebuild_view_menu()
        if self.workspace is not None:
            self.workspace.tabs.deleteLater()
            self.workspace = None
            self.transcript = None
        if self.coding is not None:  # it follows the closed session and its transcript
            self.coding.deleteLater()
            self.coding = None
        self.backups.detach()
        for pool in (database_pool(), QThreadPool.globalInstance()):
            pool.waitForDone(10_000)  # no background read may outlive the store
        # The panels go now, with their timers: a recount due in a moment (a change another
        # coder made just before) must not read a closed project.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.session.close()
        self.session = None
        self.readonly_banner.hide()
        self.notice.hide()
        self.start_page.show()
        self._update_state()

    def new_project(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "New project", str(Path.home()),
                                                    "Thematic projects (*.thematic)")
        if not path:
            return
        try:
            with ProjectStore.create(path, coder=self.coder) as store:
                apply_new_project_defaults(store, self.coder)
        except WorkbenchError as error:
            QMessageBox.warning(self, "Cannot create project", str(error))
            return
        self.open_project(path if path.endswith(".thematic") else path + ".thematic")

    def open_team_project(self, location: str = "", problem: str = "") -> bool:
        """Ask for a team project's address (and password), then open it."""
        dialog = TeamProjectDialog(self, location, problem)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.open_project(dialog.location(), dialog.typed_password())

    def choose_project(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Open project", str(Path.home()), "Thematic projects (*.thematic);;All (*)")
        if path:
            self.open_project(path)

    def import_transcripts(self) -> None:
        if self.session is None:
            self.notice.show_message("Open or create a project first, then import into it.")
            return
        from thematic_workbench.gui.documents.import_dialog import ImportDialog

        ImportDialog(self.session, self).exec()

    # -- reading ---------------------------------------------------------------------------
    def open_document(self, document_id: int) -> None:
        if self.transcript is None:
            return
        if self.workspace is not None:
            self.workspace.show_tab("transcript")
        if self.transcript.current_document_id != document_id:
            self.transcript.open_document(document_id)
        self.documents.mark_opened(document_id)

    def show_passage(self, document_id: int, start: int, end: int) -> None:
        if self.transcript is None or self.workspace is None:
            return
        self.workspace.show_tab("transcript")
        if self.transcript.current_document_id != document_id:
            self.open_document(document_id)
        self.transcript.select_span(start, end)
        self.transcript.scroll_to(start)

    def mark_transcript_read(self) -> None:
        if self.transcript is not None and self.transcript.current_document_id is not None:
            self.documents.mark_read(self.transcript.current_document_id)

    def find_in_transcript(self) -> None:
        if self.transcript is not None and self.transcript.current_document_id is not None:
            self.transcript.show_find_bar()

    def find_in_project(self) -> None:
        if self.workspace is not None:
            self.workspace.show_tab("search")
            self.search.focus_query()

    def toggle_reading_layout(self) -> None:
        """View → Reading layout: the panels go, and come back as they were."""
        on = self.actions_by_key["reading_layout"].isChecked()
        self.reading.set_active(on, self.docks)
        self.notice.hide()

    def showEvent(self, event: QShowEvent) -> None:
        """Once the window manager's frame is known, keep the whole window on screen."""
        super().showEvent(event)
        if not self._placed:
            self._placed = True
            clamp_to_screen(self)

    # -- editing ---------------------------------------------------------------------------
    def undo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.undo()

    def redo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.redo()

    def _coding(self, name: str) -> Callable[[], None]:
        def handler() -> None:
            if self.coding is not None:
                self.notice.hide()
                getattr(self.coding, name)()
        return handler

    def deidentify(self) -> None:
        """File → De-identify the study: the review list of candidates and the key."""
        if self.session is None:
            return
        self.pseudonyms = PseudonymsDialog(self.session, self)
        self.pseudonyms.show()

    def correct_text(self) -> None:
        """Code → Correct the text (F2): edit mode on the open transcript."""
        if self.session is None or self.session.readonly:
            return
        transcript = self.transcript
        if transcript is None or transcript.data is None:
            self.notice.show_message("Open a transcript to correct its text.")
            return
        if self.workspace is not None:
            self.workspace.show_tab("transcript")
        transcript.start_correcting()

    def autocode_speaker(self) -> None:
        """Code → Code a speaker's turns: a preview, then one undoable step."""
        if self.session is not None:
            from thematic_workbench.gui.autocode.dialogs import ask_autocode_speaker

            self.notice.hide()
            ask_autocode_speaker(self.session, self)

    def open_preferences(self) -> None:
        """Edit → Preferences: saved to the preferences file; the font and keys 1-9 change
        at once, the open project's words and language as one undoable step."""
        keys = self.actions_by_key["number_keys"]
        dialog = PreferencesDialog(load_preferences(), keys.isChecked(), self.session, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.preferences()
        try:
            save_preferences(chosen)
        except OSError as error:
            QMessageBox.warning(self, "Cannot save the preferences", str(error))
        if self.transcript is not None:
            self.transcript.editor.apply_font(dialog.transcript_font())
        if dialog.number_keys.isChecked() != keys.isChecked():
            keys.setChecked(dialog.number_keys.isChecked())  # the tick keeps it in the settings
            self._number_keys()
        dialog.apply_to_project()

    def _number_keys(self) -> None:
        if self.coding is not None:
            self.coding.set_number_keys(self.actions_by_key["number_keys"].isChecked())

    def _apply_recent(self, index: int) -> None:
        if self.coding is not None and self.transcript is not None and \
                self.transcript.isAncestorOf(self.focusWidget()):
            self.coding.apply_recent(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Codes dragged from the codes panel onto the transcript code the selection."""
        if not isinstance(event, QDropEvent):  # drag enter and drag move events are drop events
            return super().eventFilter(watched, event)
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasFormat(CODE_MIME):
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop and event.mimeData().hasFormat(CODE_MIME):
            code_id = int(bytes(event.mimeData().data(CODE_MIME).data()).decode())
            event.acceptProposedAction()
            if self.coding is not None:
                self.coding.drop_code(code_id)
            return True
        return super().eventFilter(watched, event)

    # -- state -----------------------------------------------------------------------------
    def _saved(self, change: Change) -> None:
        """Every change is committed at once: say so. Re-read the phase only if it moved."""
        self._last_saved = time.strftime("%H:%M:%S")
        if kinds_of(change) & {"project", "phase_transition"}:
            self._update_state()
            return
        self._status_labels["saved"].setText(f"All changes saved at {self._last_saved}")
        self._update_undo_actions()

    def _update_undo_actions(self) -> None:
        stack = self.session.undo_stack if self.session else None
        self.actions_by_key["undo"].setEnabled(bool(stack and stack.canUndo()))
        self.actions_by_key["redo"].setEnabled(bool(stack and stack.canRedo()))

    def _update_state(self) -> None:
        has_project = self.session is not None
        writable = self.session is not None and not self.session.readonly
        for key in ("close", "import", "find_project", "reading_layout"):
            self.actions_by_key[key].setEnabled(has_project)
        self.actions_by_key["backup_now"].setEnabled(
            self.session is not None and not self.session.store.on_server)
        for key in WRITING_ACTIONS:
            self.actions_by_key[key].setEnabled(bool(writable))
        self._update_undo_actions()
        self.exchange.update_enabled(has_project, bool(writable))
        name_theme_levels(self.actions_by_key, read_theme_words(self.session)
                          if self.session is not None else EMERGING_FINAL)
        labels = self._status_labels
        if self.session is None:
            self.setWindowTitle(APP_TITLE)
            for label in labels.values():
                label.setText("")
            self.phase_strip.set_current(1)
            return
        phase = self.session.phase()
        self.phase_strip.set_current(phase)
        store = self.session.store
        name = f"{store.name} (team server)" if store.on_server else store.name
        readonly = " (read-only)" if self.session.readonly else ""
        self.setWindowTitle(f"{name}{readonly} — {APP_TITLE}")
        labels["project"].setText(f"Project: {name}")
        labels["phase"].setText(f"Phase {phase}: {phase_info(phase).reflexive_name}")
        labels["coder"].setText(f"Coder: {self.coder}")
        if self.session.readonly:
            labels["saved"].setText("Read-only")
        else:
            saved = getattr(self, "_last_saved", None)
            labels["saved"].setText(f"All changes saved{f' at {saved}' if saved else ''}")

    def _rebuild_view_menu(self) -> None:
        """View lists the panels of the open project and the toolbar."""
        view_menu = cast(QMenu, next(a.menu() for a in self.menuBar().actions()
                                     if a.text() == "&View"))
        view_menu.clear()
        for key in ("reading_layout", "next_panel", "previous_panel"):
            view_menu.addAction(self.actions_by_key[key])
        view_menu.addSeparator()
        for panel_action in self.panels_menu.actions():
            view_menu.addAction(panel_action)
        if hasattr(self, "toolbar"):
            view_menu.addSeparator()
            view_menu.addAction(self.toolbar.toggleViewAction())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.close_project()
        super().closeEvent(event)
