"""The documents tree: participants, each with their transcripts and how far coded."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from thematic_workbench.core.changes import Change
from thematic_workbench.core.queries import document_summaries
from thematic_workbench.core.theme_extracts import coded_characters, coding_owners
from thematic_workbench.gui.models.changes import CodingBatch
from thematic_workbench.gui.models.tree import Node, NodeList, TreeModel
from thematic_workbench.gui.session import ProjectSession

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PARTICIPANT = "No participant"
STRUCTURE_KINDS = frozenset({"document", "participant"})
OPENED_MARK = "\N{CHECK MARK}"


@dataclass(frozen=True)
class DocumentRow:
    """What the tree shows of one transcript, or the totals of one participant."""

    name: str
    lines: int
    characters: int
    coded_characters: int
    document_id: int | None = None
    source_name: str = ""

    @property
    def coded_percent(self) -> float:
        return 100.0 * self.coded_characters / self.characters if self.characters else 0.0


class DocumentsModel(TreeModel):
    """Participants (alphabetically, "No participant" last) > documents."""

    HEADERS = ("Name", "Lines", "Coded", "Read")
    HEADER_TIPS = ("", "Numbered lines", "Share of the characters that are coded",
                   "Opened in this session")
    NAME, LINES, CODED, OPENED = range(4)

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._opened: set[int] = set()
        self.refresh()
        self.coding_batch = CodingBatch(self.update_coverage, self)
        session.changed.connect(self.on_changed)

    def refresh(self) -> None:
        with self.session.read() as s:
            summaries = document_summaries(s)
        groups: dict[str | None, list[DocumentRow]] = {}
        for summary in summaries:
            groups.setdefault(summary.participant, []).append(DocumentRow(
                summary.name, summary.lines, summary.characters, summary.coded_characters,
                summary.id, summary.source_name))
        built = NodeList()
        for label in sorted(groups, key=lambda label: (label is None, (label or "").casefold())):
            rows = groups[label]
            total = DocumentRow(label or NO_PARTICIPANT, sum(r.lines for r in rows),
                                sum(r.characters for r in rows),
                                sum(r.coded_characters for r in rows))
            group = built.add(("participant", label), total)
            for row in rows:
                built.add(("document", row.document_id), row, group)
        self.replace_nodes(built)

    def on_changed(self, change: Change) -> None:
        self.coding_batch.route(change, STRUCTURE_KINDS, self.refresh)

    def update_coverage(self, changed_codings: set[int]) -> None:
        """Recount the coded characters of the transcripts these codings are in (cheap
        enough to run after every coding, even with tens of thousands of them)."""
        with self.session.read() as s:
            owners = coding_owners(s, changed_codings)
            if owners is None:
                covered = None
            else:
                covered = coded_characters(s, {document for document, _code in owners.values()})
        if covered is None:
            self.refresh()
            return
        updates: dict[int, DocumentRow] = {}
        for document_id, characters in covered.items():
            place = self.place_of_key(("document", document_id))
            if place is None:
                continue
            node = self._nodes[place]
            updates[place] = replace(node.values, coded_characters=characters)
            group = self._nodes[node.parent]
            updates[node.parent] = replace(group.values, coded_characters=sum(
                updates.get(child, self._nodes[child].values).coded_characters
                for child in group.children))
        self.set_values(updates)

    def mark_opened(self, document_id: int) -> None:
        """Remember that a transcript was opened in this session, and show it."""
        self._opened.add(document_id)
        index = self.index_of_key(("document", document_id), self.OPENED)
        if index.isValid():
            self.dataChanged.emit(index, index)
            group = index.parent()
            opened = group.siblingAtColumn(self.OPENED)
            self.dataChanged.emit(opened, opened)

    def is_opened(self, document_id: int) -> bool:
        return document_id in self._opened

    def document_id(self, index: QModelIndex) -> int | None:
        node = self.node(index)
        return node.values.document_id if node is not None else None

    # -- data ------------------------------------------------------------------------------
    def cell_data(self, node: Node, column: int, role: int) -> Any:
        row: DocumentRow = node.values
        is_group = row.document_id is None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, row, column)
        if role == DOCUMENT_ID_ROLE:
            return row.document_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) \
                if column != self.OPENED else int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and is_group and column == self.NAME:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and is_group and column != self.NAME:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, row)
        return None

    def _display(self, node: Node, row: DocumentRow, column: int) -> str | None:
        if column == self.NAME:
            return row.name
        if column == self.LINES:
            return f"{row.lines:,}"
        if column == self.CODED:
            return f"{row.coded_percent:.0f}%"
        if row.document_id is not None:
            return OPENED_MARK if row.document_id in self._opened else ""
        ids = [self._nodes[child].values.document_id for child in node.children]
        opened = sum(1 for document_id in ids if document_id in self._opened)
        return f"{opened}/{len(ids)}" if opened else ""

    def _tooltip(self, node: Node, row: DocumentRow) -> str:
        coded = (f"{row.coded_percent:.1f}% of {row.characters:,} characters coded")
        if row.document_id is None:
            return f"{row.name}: {len(node.children)} transcript(s), {coded}"
        seen = "opened in this session" if row.document_id in self._opened else "not opened yet"
        return f"{row.name} (from {row.source_name})\n{row.lines:,} lines, {coded}\n{seen}"
