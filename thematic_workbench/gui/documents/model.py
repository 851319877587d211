"""The documents tree: participants, each with their transcripts, how far coded and read.

The Read column shows the session coder's own reading marks, which the project keeps:
\N{CHECK MARK} read once, \N{CHECK MARK}\N{CHECK MARK} read again; its tooltip names
everyone who read the transcript and when. The Coded column is the share covered by the
codings the window shows (``session.coders_shown``: everyone's, or a blind coder's own).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.queries.project import document_summaries
from thematic_workbench.core.queries.theme_extracts import coded_characters, coding_owners
from thematic_workbench.core.services.reading import ReadMark, read_marks, reads_by
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.changes import CodingBatch, kinds_of
from thematic_workbench.gui.common.coders_shown import whose
from thematic_workbench.gui.common.tree import Node, NodeList, TreeModel
from thematic_workbench.gui.session import ProjectSession

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PARTICIPANT = "No participant"
STRUCTURE_KINDS = frozenset({Kind.DOCUMENT, Kind.PARTICIPANT})
READ_MARK = "\N{CHECK MARK}"
REREAD_MARK = READ_MARK * 2


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
                   f"Read by you: {READ_MARK} once, {REREAD_MARK} read again")
    NAME, LINES, CODED, READ = range(4)

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._opened: set[int] = set()
        self._marks: dict[int, list[ReadMark]] = {}
        self.refresh()
        self.coding_batch = CodingBatch(self.update_coverage, self)
        session.changed.connect(self.on_changed)
        session.coders_shown_changed.connect(self._recount_all)

    def _recount_all(self) -> None:
        self.coding_batch.discard()
        self.refresh()

    def refresh(self) -> None:
        with self.session.read() as s:
            summaries = document_summaries(s, self.session.coders_shown)
            self._marks = read_marks(s)
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
        kinds = kinds_of(change)
        if Kind.READING_MARK in kinds and not kinds & STRUCTURE_KINDS:
            self.reload_marks()
        self.coding_batch.route(change, STRUCTURE_KINDS, self.refresh)

    def reload_marks(self) -> None:
        """Read the reading marks again and repaint the Read column."""
        with self.session.read() as s:
            self._marks = read_marks(s)
        self._repaint_read_column()

    def _repaint_read_column(self) -> None:
        for node in self._nodes:
            index = self.index_of_key(node.key, self.READ)
            self.dataChanged.emit(index, index)

    def marks(self, document_id: int) -> list[ReadMark]:
        """Everyone's reading marks on a transcript, oldest first."""
        return list(self._marks.get(document_id, ()))

    def my_reads(self, document_id: int) -> int:
        """How often the session's coder has read this transcript."""
        return reads_by(self._marks.get(document_id, []), self.session.coder)

    def update_coverage(self, changed_codings: set[int]) -> None:
        """Recount the coded characters of the transcripts these codings are in (cheap
        enough to run after every coding, even with tens of thousands of them)."""
        with self.session.read() as s:
            owners = coding_owners(s, changed_codings)
            if owners is None:
                covered = None
            else:
                covered = coded_characters(s, {document for document, _code in owners.values()},
                                           self.session.coders_shown)
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
        """Remember that a transcript was opened in this session (its tooltip says so)."""
        self._opened.add(document_id)
        index = self.index_of_key(("document", document_id), self.NAME)
        if index.isValid():
            self.dataChanged.emit(index, index.siblingAtColumn(self.READ))

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
                if column != self.READ else int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and is_group and column == self.NAME:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and is_group and column != self.NAME:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.READ and not is_group:
                return self._read_tooltip(row)
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
            reads = self.my_reads(row.document_id)
            return REREAD_MARK if reads > 1 else READ_MARK if reads else ""
        read = self._children_read(node)
        return f"{read}/{len(node.children)}" if read else ""

    def _children_read(self, node: Node) -> int:
        """How many of a group's transcripts you have read."""
        return sum(1 for child in node.children
                   if self.my_reads(self._nodes[child].values.document_id))

    def _tooltip(self, node: Node, row: DocumentRow) -> str:
        coded = f"{row.coded_percent:.1f}% of {plural(row.characters, 'character')} coded"
        if self.session.coders_shown is not None:
            coded += f" (codings: {whose(self.session.coders_shown, self.session.coder)})"
        if row.document_id is None:
            read = self._children_read(node)
            return (f"{row.name}: {plural(len(node.children), 'transcript')}, {coded}\n"
                    f"read by you: {read} of {len(node.children)}")
        seen = "open in this session" if row.document_id in self._opened else \
            "not opened in this session"
        return (f"{row.name} (from {row.source_name})\n"
                f"{plural(row.lines, 'line')}, {coded}\n{self._reading_summary(row)}; {seen}")

    def _reading_summary(self, row: DocumentRow) -> str:
        reads = self.my_reads(row.document_id or 0)
        if reads == 0:
            return "not read by you yet"
        return "read by you" if reads == 1 else f"read by you {plural(reads, 'time')}"

    def _read_tooltip(self, row: DocumentRow) -> str:
        """Who read this transcript, and when: the first reading of each coder is its read,
        later ones re-reads."""
        marks = self._marks.get(row.document_id or 0, [])
        if not marks:
            return (f"{row.name}: nobody has marked it as read yet "
                    "(right-click \N{RIGHTWARDS ARROW} Mark as read)")
        lines = [f"{row.name}:"]
        seen: set[str] = set()
        for mark in marks:
            what = "re-read" if mark.coder in seen else "read"
            seen.add(mark.coder)
            who = "you" if mark.coder == self.session.coder else mark.coder
            lines.append(f"{what} by {who}, {mark.at[:16].replace('T', ' ')} UTC")
        return "\n".join(lines)
