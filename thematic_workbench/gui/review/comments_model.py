"""Review comments as a tree: each thread's first comment on top, its replies beneath.

Open threads come first, then resolved ones, oldest first within each (as the core lists
them). Rows hold ids and plain values; the model reloads when comments change, or when a
target's name may have changed (a code renamed, a coded extract moved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services.coders import list_coders
from thematic_workbench.core.services.review import (
    CommentView,
    coding_citation,
    list_comments,
)
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.common.tree import Node, NodeList, TreeModel
from thematic_workbench.gui.session import ProjectSession

COMMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TARGET_ROLE = Qt.ItemDataRole.UserRole + 2  # (kind, id) of what the comment is about
THREAD_ID_ROLE = Qt.ItemDataRole.UserRole + 3  # the thread's first comment
STATUS_ROLE = Qt.ItemDataRole.UserRole + 4  # "open" or "resolved", of the thread
TARGET_WORDS = {"code": "Code", "theme": "Theme", "coding": "Coded extract",
                "document": "Document"}
ROLE_NAMES = {"analyst": "analyst", "second_coder": "second coder", "supervisor": "supervisor"}
RELOAD_KINDS = frozenset({Kind.COMMENT, Kind.CODE, Kind.THEME, Kind.DOCUMENT, Kind.CODER})
OPEN_COLOUR = "#C77C02"  # amber: needs attention, without alarm
RESOLVED_COLOUR = "#4E8A4E"


def when(stamp: str | None, time: bool = True) -> str:
    """An ISO UTC time stamp as a short local date (and time): '3 May 2025, 14:05'."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp).astimezone()
    return f"{moment.day} {moment:%b %Y, %H:%M}" if time else f"{moment.day} {moment:%b %Y}"


def about(kind: str, label: str | None) -> str:
    """What a comment is about, as the panel labels it: 'Code · Running'."""
    return f"{kind_word(kind)} \N{MIDDLE DOT} {target_name(label)}"


def kind_word(kind: str) -> str:
    return TARGET_WORDS.get(kind, kind.capitalize())


def target_name(label: str | None) -> str:
    return label if label is not None else "(since deleted)"


@dataclass(frozen=True)
class CommentRow:
    """One comment as plain values; ``thread_id`` is its thread's first comment."""

    id: int
    thread_id: int
    target_kind: str
    target_id: int
    target_name: str
    author: str
    role: str
    created_at: str
    body: str
    status: str  # of the thread
    resolved_by: str | None
    resolved_at: str | None

    @property
    def is_reply(self) -> bool:
        return self.id != self.thread_id

    @property
    def about(self) -> str:
        return f"{kind_word(self.target_kind)} \N{MIDDLE DOT} {self.target_name}"


def _row(view: CommentView, thread: CommentView, label: str | None,
         roles: dict[str, str]) -> CommentRow:
    return CommentRow(view.id, thread.id, view.target_kind, view.target_id, target_name(label),
                      view.coder, ROLE_NAMES.get(roles.get(view.coder, ""), ""),
                      view.created_at, view.body, thread.status, thread.resolved_by,
                      thread.resolved_at)


def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(2, 2, 8, 8)
    painter.end()
    return QIcon(pixmap)


class CommentsModel(TreeModel):
    """Threads and replies over the columns of ``HEADERS``."""

    HEADERS = ("Comment", "About", "By", "When", "Status")
    COMMENT, ABOUT, BY, WHEN, STATUS = range(5)

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._rows: dict[int, CommentRow] = {}
        self._icons: dict[str, QIcon] = {}
        session.changed.connect(self.on_changed)
        self.refresh()

    def refresh(self) -> None:
        with self.session.read() as s:
            threads = list_comments(s, open_first=True)
            roles = {coder.name: coder.role for coder in list_coders(s)}
            labels = {thread.id: coding_citation(s, thread.target_id)  # by lines, not chars
                      if thread.target_kind == "coding" else thread.target_label
                      for thread in threads}
        built = NodeList()
        rows: dict[int, CommentRow] = {}
        for thread in threads:
            rows[thread.id] = _row(thread, thread, labels[thread.id], roles)
            top = built.add(("comment", thread.id), rows[thread.id])
            for reply in thread.replies:
                rows[reply.id] = _row(reply, thread, labels[thread.id], roles)
                built.add(("comment", reply.id), rows[reply.id], top)
        self._rows = rows
        self.replace_nodes(built)

    def on_changed(self, change: Change) -> None:
        kinds = kinds_of(change)
        if kinds & RELOAD_KINDS:
            self.refresh()
        elif Kind.CODING in kinds:  # only when a commented coded extract moved or went
            touched = set(change.changed.get(Kind.CODING, ())) | \
                set(change.removed.get(Kind.CODING, ()))
            if any(r.target_kind == "coding" and r.target_id in touched
                   for r in self._rows.values()):
                self.refresh()

    # -- lookups ---------------------------------------------------------------------------
    def comment(self, comment_id: int) -> CommentRow | None:
        return self._rows.get(comment_id)

    def thread_ids(self) -> list[int]:
        """The threads' first comments, in display order."""
        return [self.index(row, 0).data(COMMENT_ID_ROLE) for row in range(self.rowCount())]

    def counts(self) -> tuple[int, int]:
        """(open threads, resolved threads)."""
        statuses = [self._rows[i].status for i in self.thread_ids()]
        return statuses.count("open"), statuses.count("resolved")

    # -- cells -----------------------------------------------------------------------------
    def cell_data(self, node: Node, column: int, role: int) -> Any:
        row: CommentRow = node.values
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.about}\n{row.author}, {when(row.created_at)}\n\n{row.body}"
        if role == COMMENT_ID_ROLE:
            return row.id
        if role == TARGET_ROLE:
            return (row.target_kind, row.target_id)
        if role == THREAD_ID_ROLE:
            return row.thread_id
        if role == STATUS_ROLE:
            return row.status
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS \
                and not row.is_reply:
            colour = OPEN_COLOUR if row.status == "open" else RESOLVED_COLOUR
            if colour not in self._icons:
                self._icons[colour] = _dot(colour)
            return self._icons[colour]
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status == "resolved" or column == self.WHEN:
                return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        if role == Qt.ItemDataRole.FontRole and column == self.ABOUT and not row.is_reply:
            font = QFont()
            font.setUnderline(True)  # a link: clicking it shows the target
            return font
        return None

    def _text(self, row: CommentRow, column: int) -> str:
        if column == self.COMMENT:
            return " ".join(row.body.split())
        if column == self.ABOUT:
            return "" if row.is_reply else row.about
        if column == self.BY:
            return f"{row.author} ({row.role})" if row.role else row.author
        if column == self.WHEN:
            return when(row.created_at, time=False)
        if row.is_reply:
            return ""
        return "Open" if row.status == "open" else "Resolved"
