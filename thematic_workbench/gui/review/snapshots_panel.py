"""The snapshots panel: save the coding frame at a key stage, and compare two frames.

Comparing says in plain words what changed between two snapshots, or between one and the
frame as it is now: codes and themes added, removed, renamed, moved, merged, and themes
whose status changed. Saving goes through the undo stack like every other change.

The panel usually sits in the low strip under the transcript, so the list and the
comparison stand side by side there, the comparison taking most of the width (one above
the other when the panel is taller than wide); "Read in a window" opens the comparison in a
resizable window of its own.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.services.snapshots import (
    FrameDiff,
    compare_snapshot_to_current,
    compare_snapshots,
)
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.common.columns import row_table
from thematic_workbench.gui.common.flow_layout import FlowLayout
from thematic_workbench.gui.common.level_words import read_theme_words
from thematic_workbench.gui.review.commands import SaveSnapshotCommand
from thematic_workbench.gui.review.comments_model import when
from thematic_workbench.gui.review.dialogs import ask_snapshot
from thematic_workbench.gui.review.snapshots_model import SNAPSHOT_ID_ROLE, SnapshotsModel
from thematic_workbench.gui.session import ProjectSession

CURRENT = 0  # the combo boxes' data for "the frame as it is now"
CURRENT_LABEL = "Current frame (now)"
FRAME_KINDS = frozenset({Kind.CODE, Kind.THEME})
SAVE_LABEL = "Save snapshot\N{HORIZONTAL ELLIPSIS}"
SAVE_TIP = "Save a snapshot of the coding frame: its codes, themes and their places"
READABLE_LINES = 8  # a comparison shown in fewer lines than this opens in its own window
MUTED = "#777777"
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
ARROW = " \N{RIGHTWARDS ARROW} "
NO_SNAPSHOTS = (f"<p style='color:{MUTED}'>No snapshots yet. Save one at a key stage "
                "(before a supervision meeting, at the end of a phase) to see later how "
                "the coding frame changed.</p>")
PICK = (f"<p style='color:{MUTED}'>Choose two snapshots, or one and the current frame, "
        "then press <i>Compare</i>.</p>")
# (heading, colour, symbol) for each section of a comparison, in reading order.
SECTIONS = {
    "added": ("Added", "#2E7D32", "+"),
    "removed": ("Removed", "#C62828", "\N{MINUS SIGN}"),
    "renamed": ("Renamed", "#1565C0", "\N{PENCIL}"),
    "moved": ("Moved", "#A05A00", "\N{RIGHTWARDS ARROW}"),
    "merged": ("Merged", "#6A1B9A", "\N{LEFTWARDS ARROW TO BAR}"),
    "status": ("Status", "#00695C", "\N{BLACK CIRCLE}"),
    "redefined": ("Definition changed", "#546E7A", "\N{PENCIL}"),
}


def _b(name: str) -> str:
    return f"<b>{escape(name)}</b>"


def _list(names: tuple[str, ...]) -> str:
    return ", ".join(_b(n) for n in names)


def _code_move(name: str, left: tuple[str, ...], joined: tuple[str, ...]) -> str:
    if left and joined:
        return f"Code {_b(name)}: {_list(left)}{ARROW}{_list(joined)}"
    if joined:
        return f"Code {_b(name)}: added to {_list(joined)}"
    return f"Code {_b(name)}: taken out of {_list(left)}"


def _lines(diff: FrameDiff, words: ThemeWords) -> dict[str, list[str]]:
    """Each section's lines, as HTML fragments, in plain words (the project's level words)."""
    def parent(name: str | None) -> str:
        return _b(name) if name is not None else f"no {words.theme('final')}"

    return {
        "added": [f"Code {_b(c.name)}" for c in diff.codes_added]
        + [f"Theme {_b(t.name)}" for t in diff.themes_added],
        "removed": [f"Code {_b(c.name)}" for c in diff.codes_removed]
        + [f"Theme {_b(t.name)}" for t in diff.themes_removed],
        "renamed": [f"Code: {_b(r.old_name)}{ARROW}{_b(r.new_name)}"
                    for r in diff.codes_renamed]
        + [f"Theme: {_b(r.old_name)}{ARROW}{_b(r.new_name)}" for r in diff.themes_renamed],
        "moved": [_code_move(m.code_name, m.left, m.joined) for m in diff.codes_moved]
        + [f"Theme {_b(t.name)}: {parent(t.old_parent)}{ARROW}{parent(t.new_parent)}"
           for t in diff.themes_moved],
        "merged": [f"Code {_b(m.name)} merged into "
                   f"{_b(m.into_name) if m.into_name else 'a code since removed'}"
                   for m in diff.codes_merged],
        "status": [f"Theme {_b(s.name)}: {escape(s.old_status)}{ARROW}{escape(s.new_status)}"
                   for s in diff.themes_status],
        "redefined": [f"Code {_b(c.name)}" for c in diff.codes_redefined]
        + [f"Theme {_b(t.name)}" for t in diff.themes_redefined],
    }


def diff_html(diff: FrameDiff, older: str, newer: str,
              words: ThemeWords = EMERGING_FINAL) -> str:
    """A comparison as calm HTML: a heading, a count, then one section per kind of change."""
    sections = {key: lines for key, lines in _lines(diff, words).items() if lines}
    total = sum(len(lines) for lines in sections.values())
    parts = [f"<h3 style='margin-bottom:2px'>{escape(older)}{ARROW}{escape(newer)}</h3>"]
    if not total:
        parts.append(f"<p style='color:{MUTED}'>No changes: the coding frame is the same in "
                     "both.</p>")
        return "".join(parts)
    parts.append(f"<p style='color:{MUTED}; margin-top:0'>{total} change"
                 f"{'' if total == 1 else 's'} to the coding frame</p>")
    for key, lines in sections.items():
        heading, colour, symbol = SECTIONS[key]
        parts.append(f"<p style='color:{colour}; font-weight:600; margin-top:12px; "
                     f"margin-bottom:2px'>{heading} ({len(lines)})</p>")
        parts.extend(f"<p style='margin:1px 0 1px 16px'><span style='color:{colour}'>"
                     f"{symbol}</span>&nbsp; {line}</p>" for line in lines)
    return "".join(parts)


class DiffWindow(QDialog):
    """A comparison in a window of its own, as large as the reader wants it."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshotDiffWindow")
        self.setWindowTitle("Snapshot comparison")
        self.setSizeGripEnabled(True)
        self.text = QTextBrowser(self)
        self.text.setObjectName("snapshotDiffWindowText")
        self.text.document().setDocumentMargin(12)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else None) or \
            QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        self.resize(min(760, room.width() * 3 // 5), min(640, room.height() * 4 // 5))


class SnapshotsPanel(QWidget):
    """Saved snapshots beside (or above) the comparison of the two chosen."""

    WIDE = 1.5  # wider than this many times its height: side by side

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = SnapshotsModel(session, self)
        self._compared: tuple[int, int | None] | None = None
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.save_button = QPushButton(SAVE_LABEL, self)
        self.save_button.setObjectName("saveSnapshotButton")
        self.save_button.setToolTip(SAVE_TIP)
        self.view = self._make_view()
        self.older = QComboBox(self)
        self.newer = QComboBox(self)
        for combo in (self.older, self.newer):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.currentIndexChanged.connect(self._update_buttons)
        self.compare_button = QPushButton("Compare", self)
        self.window_button = QPushButton(f"Read in a window{ELLIPSIS}", self)
        self.window_button.setObjectName("snapshotDiffWindowButton")
        self.window_button.setToolTip("Open the comparison in a window you can make as "
                                      "large as you like")
        self.result = QTextBrowser(self)
        self.result.setObjectName("snapshotDiff")
        self.diff_window: DiffWindow | None = None
        self._lay_out()
        self.save_button.clicked.connect(self.save_snapshot)
        self.compare_button.clicked.connect(self.compare_chosen)
        self.window_button.clicked.connect(self.open_diff_window)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelReset.connect(self._after_reload)
        session.changed.connect(self._on_changed)
        self._after_reload()

    def _make_view(self) -> QTableView:
        view = row_table(self, self.model, "snapshotsTable",
                         QAbstractItemView.SelectionMode.ExtendedSelection)
        header = view.horizontalHeader()
        for column, width in ((SnapshotsModel.NAME, 220), (SnapshotsModel.TAKEN, 130),
                              (SnapshotsModel.BY, 120), (SnapshotsModel.PHASE, 56),
                              (SnapshotsModel.FRAME, 140)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        return view

    def _lay_out(self) -> None:
        """The list with its title on one side, the comparison with its chooser on the
        other; the splitter turns with the panel's shape (``_orient``)."""
        listing = QWidget(self)
        left = QVBoxLayout(listing)
        left.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.save_button)
        left.addLayout(top)
        left.addWidget(self.view, 1)
        reading = QWidget(self)
        right = QVBoxLayout(reading)
        right.setContentsMargins(0, 0, 0, 0)
        choosing = QWidget(reading)
        chooser = FlowLayout(choosing)  # wraps rather than widen a narrow panel
        for widget in (QLabel("Compare", self), self.older, QLabel("with", self), self.newer,
                       self.compare_button, self.window_button):
            chooser.addWidget(widget)
        right.addWidget(choosing)
        right.addWidget(self.result, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("snapshotsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(listing)
        self.splitter.addWidget(reading)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._orient()

    def _orient(self) -> None:
        """Side by side when wide, the comparison taking two thirds; stacked when tall."""
        wide = self.width() >= self.WIDE * self.height()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() == orientation:
            return
        self.splitter.setOrientation(orientation)
        length = self.width() if wide else self.height()
        self.splitter.setSizes([length // 3, length - length // 3])

    # -- public API ------------------------------------------------------------------------
    def save_snapshot(self) -> int | None:
        """Ask for a name and a note, then save; the new snapshot's id."""
        answer = ask_snapshot(self, self.suggested_name())
        if answer is None:
            return None
        command = SaveSnapshotCommand(self.session, *answer)
        if not self.session.push(command):
            return None
        self.choose(command.snapshot_id, None)
        return command.snapshot_id

    def suggested_name(self) -> str:
        phase, today = self.session.phase(), datetime.now()
        base = f"Phase {phase} ({phase_info(phase).reflexive_name}), {today.day} {today:%b %Y}"
        taken = {info.name.casefold() for info in self.model.snapshots()}
        name, number = base, 2
        while name.casefold() in taken:
            name, number = f"{base} ({number})", number + 1
        return name

    def choose(self, older: int | None, newer: int | None) -> None:
        """Set what to compare: snapshot ids; None for ``newer`` means the current frame."""
        self.older.setCurrentIndex(max(0, self.older.findData(older)))
        self.newer.setCurrentIndex(max(0, self.newer.findData(
            CURRENT if newer is None else newer)))

    def compare(self, older: int, newer: int | None) -> FrameDiff | None:
        """Show what changed from snapshot ``older`` to ``newer`` (None: the current frame)."""
        names = {info.id: info.name for info in self.model.snapshots()}
        try:
            with self.session.read() as s:
                diff = compare_snapshot_to_current(s, older) if newer is None else \
                    compare_snapshots(s, older, newer)
        except WorkbenchError as error:
            self._show_html(f"<p style='color:#C62828'>{escape(str(error))}</p>")
            self._compared = None
            self._update_buttons()
            return None
        self._compared = (older, newer)
        self._update_buttons()
        self._show_html(diff_html(diff, names.get(older, "?"),
                                  CURRENT_LABEL if newer is None else names.get(newer, "?"),
                                  read_theme_words(self.session)))
        return diff

    def compare_chosen(self) -> FrameDiff | None:
        """Compare the two chosen; where the panel is too low to read the comparison (the
        strip under the transcript), it opens in a window of its own as well."""
        older, newer = self.older.currentData(), self.newer.currentData()
        if older is None:
            return None
        diff = self.compare(older, None if newer == CURRENT else newer)
        if diff is not None and self.isVisible() and self.cramped():
            self.open_diff_window()
        return diff

    def cramped(self) -> bool:
        """Whether the comparison pane shows fewer than ``READABLE_LINES`` lines (of what
        is on screen: a squeezed dock scrolls part of the panel out of sight)."""
        seen = self.result.viewport().visibleRegion().boundingRect().height()
        return seen < READABLE_LINES * self.result.fontMetrics().lineSpacing()

    def diff_text(self) -> str:
        """The comparison shown, as plain text."""
        return self.result.toPlainText()

    def _show_html(self, html: str) -> None:
        self.result.setHtml(html)
        if self.diff_window is not None and self.diff_window.isVisible():
            self.diff_window.text.setHtml(html)

    def open_diff_window(self) -> DiffWindow:
        """The comparison shown, in a resizable window of its own (kept in step)."""
        if self.diff_window is None:
            self.diff_window = DiffWindow(self)
        self.diff_window.text.setHtml(self.result.toHtml())
        self.diff_window.show()
        self.diff_window.raise_()
        self.diff_window.activateWindow()
        return self.diff_window

    # -- reacting --------------------------------------------------------------------------
    def _after_reload(self) -> None:
        infos = self.model.snapshots()
        count = len(infos)
        self.title.setText(f"<b>Snapshots</b>&nbsp;&nbsp;<span style='color:{MUTED}'>"
                           f"{count or 'none'} saved</span>")
        chosen = (self.older.currentData(), self.newer.currentData())
        for combo in (self.older, self.newer):
            combo.blockSignals(True)
            combo.clear()
        self.newer.addItem(CURRENT_LABEL, CURRENT)
        for info in reversed(infos):  # newest first: the usual choice
            label = f"{info.name} \N{EM DASH} {when(info.created_at)}"
            self.older.addItem(label, info.id)
            self.newer.addItem(label, info.id)
        for combo, data in zip((self.older, self.newer), chosen, strict=True):
            combo.setCurrentIndex(max(0, combo.findData(data)))
            combo.blockSignals(False)
        ids = {info.id for info in infos}
        if self._compared is not None and {self._compared[0], self._compared[1]} - {None} <= ids:
            self.compare(*self._compared)
        else:
            self._compared = None
            self._show_html(PICK if count else NO_SNAPSHOTS)
        self._update_buttons()

    def _on_changed(self, change: Change) -> None:
        """A comparison with the current frame follows the frame as it changes."""
        if self._compared is not None and self._compared[1] is None \
                and kinds_of(change) & FRAME_KINDS:
            self.compare(*self._compared)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        """One row chosen: compare it with now; two: the older with the newer."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        ids = [self.model.index(row, 0).data(SNAPSHOT_ID_ROLE) for row in rows]
        if len(ids) == 1:
            self.choose(ids[0], None)
        elif len(ids) >= 2:
            self.choose(ids[0], ids[-1])

    def _update_buttons(self) -> None:
        self.compare_button.setEnabled(self.older.count() > 0
                                       and self.older.currentData() != self.newer.currentData())
        self.save_button.setEnabled(not self.session.readonly)
        self.window_button.setEnabled(self._compared is not None)
