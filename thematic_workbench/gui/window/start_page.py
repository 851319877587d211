"""The start page: what the window shows while no project is open.

A first-time user finds the four ways in (a new project, an existing one, transcripts to
import, the demo) and the guide; a returning user finds the recent projects, one click or
Enter away. The page only asks; the window does the opening.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QCommandLinkButton,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.app.demo import default_demo_path, ensure_demo
from thematic_workbench.gui.common.workers import Job

if TYPE_CHECKING:
    from thematic_workbench.gui.session import ProjectSession
    from thematic_workbench.gui.window.recent_projects import RecentProjects

PATH_ROLE = Qt.ItemDataRole.UserRole
MISSING_ROLE = Qt.ItemDataRole.UserRole + 1
MUTED = "#6B7280"
TITLE_COLOUR = "#1F3A5A"


def describe_recent(path: str) -> tuple[str, str, bool]:
    """(name, where, found) for one recent project; a server URL is always 'found'."""
    if "://" in path:
        return path.rsplit("/", 1)[-1] or path, "on a database server", True
    file = Path(path)
    folder, home = file.parent, Path.home()
    where = f"~/{folder.relative_to(home)}" if folder.is_relative_to(home) and folder != home \
        else str(folder)
    return file.name, where, file.exists()


class RecentDelegate(QStyledItemDelegate):
    """Two lines per project: its name, then (smaller, muted) where it is."""

    PADDING = 6

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        self.initStyleOption(option, index)
        name, _newline, where = str(index.data()).partition("\n")
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        missing = bool(index.data(MISSING_ROLE))
        rect = option.rect.adjusted(10, self.PADDING, -10, -self.PADDING)
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        painter.save()
        painter.setFont(bold)
        painter.setPen(QColor("#9CA3AF" if missing else "#1F2937"))
        first = QFontMetrics(bold)
        painter.drawText(rect.left(), rect.top() + first.ascent(),
                         first.elidedText(name, Qt.TextElideMode.ElideRight, rect.width()))
        painter.setFont(small)
        painter.setPen(QColor("#9CA3AF" if missing else MUTED))
        second = QFontMetrics(small)
        painter.drawText(rect.left(), rect.top() + first.height() + 2 + second.ascent(),
                         second.elidedText(where, Qt.TextElideMode.ElideMiddle, rect.width()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        height = QFontMetrics(option.font).height() + QFontMetrics(small).height() + 2
        return QSize(200, height + 2 * self.PADDING)


class StartPage(QWidget):
    """New, open, import, the demo and the recent projects, on a calm page."""

    new_requested = Signal()
    open_requested = Signal()
    import_requested = Signal()
    guide_requested = Signal()
    recent_chosen = Signal(str)
    demo_ready = Signal(str)  # the demo's path, built first if it was not there

    def __init__(self, recent: Callable[[], list[str]], coder: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start_page")
        self._recent = recent
        self._coder = coder
        self.demo_job: Job | None = None

        title = QLabel("Thematic Workbench", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        title.setStyleSheet(f"color:{TITLE_COLOUR};")
        purpose = QLabel("Reflexive thematic analysis of interview transcripts, following "
                         "Braun and Clarke's six phases. Your files stay on this computer.",
                         self)
        purpose.setWordWrap(True)
        purpose.setStyleSheet(f"color:{MUTED};")

        self.new_button = self._button(
            "New project…", "An empty project file, saved where you choose.")
        self.open_button = self._button(
            "Open project…", "A .thematic project on this computer.")
        self.import_button = self._button(
            "Import transcripts…", "Starts a new project first: choose where to save it, "
            "then pick the Word, PDF, text or caption files.")
        self.demo_button = self._button(
            "Open the demo project", "Four fictional interviews, partly coded: try every "
            "phase without your own data.")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button.clicked.connect(self.open_demo)
        buttons = QGridLayout()
        buttons.setHorizontalSpacing(12)
        buttons.setVerticalSpacing(6)
        buttons.addWidget(self.new_button, 0, 0)
        buttons.addWidget(self.open_button, 0, 1)
        buttons.addWidget(self.import_button, 1, 0)
        buttons.addWidget(self.demo_button, 1, 1)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color:{MUTED};")
        self.status.hide()

        recent_title = QLabel("Recent projects", self)
        heading = QFont(recent_title.font())
        heading.setWeight(QFont.Weight.DemiBold)
        recent_title.setFont(heading)
        self.recent_list = QListWidget(self)
        self.recent_list.setObjectName("recent_projects")
        self.recent_list.setAccessibleName("Recent projects")
        self.recent_list.setItemDelegate(RecentDelegate(self.recent_list))
        self.recent_list.setMouseTracking(True)
        self.recent_list.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.recent_list.setStyleSheet(
            "QListWidget { border:1px solid #E5E7EB; border-radius:4px; background:#FFFFFF; }"
            "QListWidget::item:hover { background:#F1F5F9; }"
            "QListWidget::item:selected { background:#E2EAF3; }")
        self.recent_list.itemClicked.connect(self._choose)
        self.recent_list.installEventFilter(self)
        self.no_recent = QLabel("No recent projects yet. Projects you open are listed here.",
                                self)
        self.no_recent.setStyleSheet(f"color:{MUTED};")
        guide = QLabel("New to the app? <a href='guide'>Getting started</a> walks through "
                       "the six phases and where each is done in this window (Help menu).",
                       self)
        guide.setWordWrap(True)
        guide.setStyleSheet(f"color:{MUTED};")
        guide.linkActivated.connect(lambda _link: self.guide_requested.emit())

        column = QVBoxLayout()
        column.setSpacing(10)
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(purpose)
        column.addSpacing(8)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addSpacing(8)
        column.addWidget(recent_title)
        column.addWidget(self.recent_list)
        column.addWidget(self.no_recent)
        column.addSpacing(4)
        column.addWidget(guide)
        column.addStretch(2)
        holder = QWidget(self)
        holder.setLayout(column)
        holder.setMaximumWidth(760)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(holder, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 12)
        outer.addLayout(row, 1)
        self.setTabOrder(self.new_button, self.open_button)
        self.setTabOrder(self.open_button, self.import_button)
        self.setTabOrder(self.import_button, self.demo_button)
        self.setTabOrder(self.demo_button, self.recent_list)

    def _button(self, text: str, description: str) -> QCommandLinkButton:
        button = QCommandLinkButton(text, description, self)
        button.setIconSize(QSize(0, 0))
        button.setMinimumHeight(64)
        button.setStyleSheet(
            "QCommandLinkButton { border:1px solid #E5E7EB; border-radius:6px;"
            " background:#FFFFFF; padding:8px 12px; }"
            "QCommandLinkButton:hover { background:#F1F5F9; border-color:#CBD5E1; }"
            "QCommandLinkButton:focus { border-color:#2F5D8A; }"
            "QCommandLinkButton:disabled { color:#9CA3AF; }")
        return button

    # -- recent projects -------------------------------------------------------------------
    def refresh(self) -> None:
        """List the recent projects; a missing file stays listed, greyed, 'not found'."""
        self.recent_list.clear()
        paths = self._recent()
        for path in paths:
            name, where, found = describe_recent(path)
            item = QListWidgetItem(f"{name}\n{where}" if found else
                                   f"{name}  (not found)\n{where}")
            item.setData(PATH_ROLE, path)
            item.setData(MISSING_ROLE, not found)
            item.setToolTip(path if found else f"{path}\nNot found: it may have been moved, "
                                               "renamed or be on a drive not connected now.")
            if not found:
                item.setForeground(QBrush(QColor("#9CA3AF")))
            self.recent_list.addItem(item)
        self.recent_list.setVisible(bool(paths))
        self.no_recent.setVisible(not paths)
        if paths:
            self.recent_list.setCurrentRow(0)
            rows = min(len(paths), 6)
            height = sum(self.recent_list.sizeHintForRow(row) for row in range(rows))
            self.recent_list.setFixedHeight(height + 2 * self.recent_list.frameWidth() + 2)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter (or Return) on a recent project opens it."""
        if watched is self.recent_list and event.type() == QEvent.Type.KeyPress and \
                isinstance(event, QKeyEvent) and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.recent_list.currentItem()
            if item is not None:
                self._choose(item)
                return True
        return super().eventFilter(watched, event)

    def _choose(self, item: QListWidgetItem) -> None:
        path = str(item.data(PATH_ROLE))
        if item.data(MISSING_ROLE):
            self.show_status(f"{path} was not found. It may have been moved or renamed: use "
                             "Open project… to find it.")
            return
        self.recent_chosen.emit(path)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # -- the demo --------------------------------------------------------------------------
    def open_demo(self) -> None:
        """Open the demo from the data folder, building it there first (off the GUI thread)."""
        if self.demo_job is not None and self.demo_job.running:
            return
        path = default_demo_path()
        if path.exists():
            self.demo_ready.emit(str(path))
            return
        self.demo_button.setEnabled(False)
        self.progress.show()
        self.show_status(f"Building the demo project in {path.parent}…")
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
        coder = self._coder
        self.demo_job = Job(lambda _control: ensure_demo(path, coder=coder), self)
        self.demo_job.finished.connect(self._demo_built)
        self.demo_job.failed.connect(self._demo_failed)
        self.demo_job.start()

    def _demo_done(self) -> None:
        QApplication.restoreOverrideCursor()
        self.demo_button.setEnabled(True)
        self.progress.hide()
        self.show_status("")

    def _demo_built(self, path: object) -> None:
        self._demo_done()
        self.demo_ready.emit(str(path))

    def _demo_failed(self, message: str) -> None:
        self._demo_done()
        QMessageBox.warning(self, "Cannot build the demo project", message)


class StartHost(Protocol):
    """What the start page needs of the main window (which passes itself), so this module
    does not import the window that imports it."""

    recent: RecentProjects
    coder: str
    session: ProjectSession | None

    def new_project(self) -> None: ...
    def choose_project(self) -> None: ...
    def open_project(self, path: str | Path) -> bool: ...
    def import_transcripts(self) -> None: ...


def new_project_then_import(window: StartHost) -> None:
    """Import with no project open: make the project first, then choose the files."""
    if window.session is None:
        window.new_project()
    if window.session is not None:
        window.import_transcripts()


def build_start_page(window: StartHost, parent: QWidget) -> StartPage:
    """The window's start page, each request wired to what the window already does;
    ``parent`` is the main window itself."""
    from thematic_workbench.gui.window.guide import show_guide

    page = StartPage(window.recent.paths, window.coder, parent)
    page.new_requested.connect(window.new_project)
    page.open_requested.connect(window.choose_project)
    page.import_requested.connect(lambda: new_project_then_import(window))
    page.recent_chosen.connect(window.open_project)
    page.demo_ready.connect(window.open_project)
    page.guide_requested.connect(lambda: show_guide(parent))
    return page
