"""The diary's entries as a list, newest first, filtered by phase and by a search.

Rows are the core's plain :class:`EntryView` values. The filtering is the core's
(:func:`diary.list_entries`), so the panel and the command line agree on what matches.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services import diary
from thematic_workbench.core.services.diary import EntryView, LinkView
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.session import ProjectSession

AnyIndex = QModelIndex | QPersistentModelIndex
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PHASE_ROLE = Qt.ItemDataRole.UserRole + 2
DATE_ROLE = Qt.ItemDataRole.UserRole + 3
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 4
APPENDIX_ROLE = Qt.ItemDataRole.UserRole + 5
KIND_NAMES = {"code": "Code", "theme": "Theme", "document": "Transcript"}  # as users say
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+|[*_`~]+")
_ROOT = QModelIndex()


def local_time(iso: str) -> datetime:
    """A stored UTC timestamp in the user's time zone."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()


def day_text(iso: str) -> str:
    when = local_time(iso)
    return f"{when.day} {when:%b %Y}"


def stamp_text(entry: EntryView) -> str:
    """What the entry is stamped with: "Phase 3 · alice · 22 Nov 2026 14:05"."""
    text = f"Phase {entry.phase} \N{MIDDLE DOT} {entry.coder} \N{MIDDLE DOT} " \
           f"{day_text(entry.created_at)} {local_time(entry.created_at):%H:%M}"
    if entry.updated_at[:16] != entry.created_at[:16]:  # edited in a later minute
        text += f" (edited {day_text(entry.updated_at)} {local_time(entry.updated_at):%H:%M})"
    return text


def plain_lines(body: str) -> list[str]:
    """The body's non-blank lines without Markdown's marks, for one-line summaries."""
    lines = (_MARKUP.sub("", line).strip() for line in body.splitlines())
    return [line for line in lines if line]


def headline(entry: EntryView) -> str:
    """The title, or the first line of the text when there is none."""
    if entry.title:
        return entry.title
    lines = plain_lines(entry.body)
    return lines[0] if lines else "(empty)"


def detail(entry: EntryView) -> str:
    """The coder and the start of the text not already shown as the headline."""
    lines = plain_lines(entry.body)
    rest = " ".join(lines if entry.title else lines[1:])
    return f"{entry.coder} \N{MIDDLE DOT} {rest}" if rest else entry.coder


def link_text(link: LinkView) -> str:
    kind = KIND_NAMES.get(link.kind, link.kind)
    return f"{kind}: {link.label}" if link.label is not None else f"{kind} (deleted)"


class DiaryModel(QAbstractListModel):
    """One row per entry shown, newest first; reloads when entries or link targets change."""

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.phase: int | None = None
        self.search = ""
        self._rows: list[EntryView] = []
        self._all: dict[int, EntryView] = {}
        session.changed.connect(self.on_changed)
        self.refresh()

    # -- what is shown ---------------------------------------------------------------------
    def set_filter(self, phase: int | None = None, search: str = "") -> None:
        """Show the entries of one phase (None: all) holding ``search`` (any case)."""
        self.phase, self.search = phase, search
        self.refresh()

    @property
    def filtered(self) -> bool:
        return self.phase is not None or bool(self.search.strip())

    def refresh(self) -> None:
        with self.session.read() as s:
            everything = diary.list_entries(s)
            shown = diary.list_entries(s, phase=self.phase, search=self.search) \
                if self.filtered else everything
        self.beginResetModel()
        self._all = {entry.id: entry for entry in everything}
        self._rows = list(reversed(shown))
        self.endResetModel()

    def on_changed(self, change: Change) -> None:
        """Reload for entries, or for a renamed or deleted target that an entry links to;
        not on every coding (coding must stay fast)."""
        if Kind.DIARY_ENTRY in kinds_of(change):
            self.refresh()
            return
        touched = {(kind, target_id) for part in (change.changed, change.removed)
                   for kind, ids in part.items() if kind in KIND_NAMES for target_id in ids}
        if touched and touched & {(link.kind, link.id) for entry in self._all.values()
                                  for link in entry.links}:
            self.refresh()

    def link_targets(self) -> list[LinkView]:
        """Codes, themes and documents an entry can link to."""
        with self.session.read() as s:
            return diary.link_targets(s)

    # -- reading rows ----------------------------------------------------------------------
    def entry(self, entry_id: int | None) -> EntryView | None:
        """An entry by id, shown or filtered out; None if there is no such entry."""
        return self._all.get(entry_id) if entry_id is not None else None

    def row_values(self, row: int) -> EntryView:
        return self._rows[row]

    def row_of(self, entry_id: int | None) -> int:
        for row, entry in enumerate(self._rows):
            if entry.id == entry_id:
                return row
        return -1

    def total(self) -> int:
        return len(self._all)

    # -- the list --------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return headline(entry)
        if role == ENTRY_ID_ROLE:
            return entry.id
        if role == PHASE_ROLE:
            return entry.phase
        if role == DATE_ROLE:  # an entry chosen for the methods appendix says so here
            day = day_text(entry.created_at)
            return f"Appendix \N{MIDDLE DOT} {day}" if entry.in_appendix else day
        if role == APPENDIX_ROLE:
            return entry.in_appendix
        if role == DETAIL_ROLE:
            return detail(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            appendix = "\nIncluded in the methods appendix" if entry.in_appendix else ""
            return f"{stamp_text(entry)}{appendix}\n\n{entry.body[:600]}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{headline(entry)}, phase {entry.phase}, {entry.coder}, " \
                   f"{day_text(entry.created_at)}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
            | Qt.ItemFlag.ItemNeverHasChildren
