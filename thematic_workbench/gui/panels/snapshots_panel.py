"""The snapshots panel: save the coding frame at a key stage, and compare two frames.

Comparing says in plain words what changed between two snapshots, or between one and the
frame as it is now: codes and themes added, removed, renamed, moved, merged, and themes
whose status changed. Saving goes through the undo stack like every other change.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.services.snapshots import (
    FrameDiff,
    compare_snapshot_to_current,
    compare_snapshots,
)
from thematic_workbench.gui.models.changes import kinds_of
from thematic_workbench.gui.models.comments_model import when
from thematic_workbench.gui.models.snapshots_model import SNAPSHOT_ID_ROLE, SnapshotsModel
from thematic_workbench.gui.panels.columns import row_table
from thematic_workbench.gui.panels.review_dialogs import ask_snapshot
from thematic_workbench.gui.review_commands import SaveSnapshotCommand
from thematic_workbench.gui.session import ProjectSession

CURRENT = 0  # the combo boxes' data for "the frame as it is now"
CURRENT_LABEL = "Current frame (now)"
FRAME_KINDS = frozenset({"code", "theme"})
SAVE_LABEL = "Save snapshot of the coding frame\N{HORIZONTAL ELLIPSIS}"
MUTED = "#777777"
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


def _lines(diff: FrameDiff) -> dict[str, list[str]]:
    """Each section's lines, as HTML fragments, in plain words."""
    def parent(name: str | None) -> str:
        return _b(name) if name is not None else "no final theme"

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


def diff_html(diff: FrameDiff, older: str, newer: str) -> str:
    """A comparison as calm HTML: a heading, a count, then one section per kind of change."""
    sections = {key: lines for key, lines in _lines(diff).items() if lines}
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


class SnapshotsPanel(QWidget):
    """Saved snapshots above; the comparison of the two chosen below."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = SnapshotsModel(session, self)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.save_button = QPushButton(SAVE_LABEL, self)
        self.save_button.setObjectName("saveSnapshotButton")
        self.view = self._make_view()
        self.older = QComboBox(self)
        self.newer = QComboBox(self)
        for combo in (self.older, self.newer):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._update_buttons)
        self.compare_button = QPushButton("Compare", self)
        self.result = QTextBrowser(self)
        self.result.setObjectName("snapshotDiff")
        self._lay_out()
        self.save_button.clicked.connect(self.save_snapshot)
        self.compare_button.clicked.connect(self.compare_chosen)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelReset.connect(self._after_reload)
        session.changed.connect(self._on_changed)
        self._compared: tuple[int, int | None] | None = None
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
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.save_button)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Compare", self))
        chooser.addWidget(self.older)
        chooser.addWidget(QLabel("with", self))
        chooser.addWidget(self.newer)
        chooser.addWidget(self.compare_button)
        chooser.addStretch(1)
        lower = QWidget(self)
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addLayout(chooser)
        below.addWidget(self.result, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

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
            self.result.setHtml(f"<p style='color:#C62828'>{escape(str(error))}</p>")
            self._compared = None
            return None
        self._compared = (older, newer)
        self.result.setHtml(diff_html(diff, names.get(older, "?"),
                                      CURRENT_LABEL if newer is None else names.get(newer, "?")))
        return diff

    def compare_chosen(self) -> FrameDiff | None:
        older, newer = self.older.currentData(), self.newer.currentData()
        if older is None:
            return None
        return self.compare(older, None if newer == CURRENT else newer)

    def diff_text(self) -> str:
        """The comparison shown, as plain text."""
        return self.result.toPlainText()

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
            self.result.setHtml(PICK if count else NO_SNAPSHOTS)
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
