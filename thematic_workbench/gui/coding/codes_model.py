"""The coding frame as a tree: final themes > emerging themes > codes, then loose codes.

A code can belong to several themes, so it can appear more than once; each place has its
own key ``("code", code_id, parent_key)``. Codes drag out as
``application/x-thematic-code-id`` carrying the code id in ASCII.

The counts are of the codings the window shows (``session.coders_shown``): a coder coding
blind counts their own; ``counted_for`` says whose they are.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.queries.project import (
    CodeSummary,
    ThemeNode,
    code_summaries,
    theme_tree,
)
from thematic_workbench.core.queries.theme_extracts import (
    Reach,
    code_reach,
    coding_owners,
    theme_reach,
)
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.store import ReadSession
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.changes import CodingBatch
from thematic_workbench.gui.common.coders_shown import whose
from thematic_workbench.gui.common.colours import swatch
from thematic_workbench.gui.common.tree import Node, NodeList, TreeModel
from thematic_workbench.gui.session import ProjectSession

CODE_MIME_TYPE = "application/x-thematic-code-id"
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
THEME_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# PROJECT: the design sheet may have changed the words for the theme levels
STRUCTURE_KINDS = frozenset({Kind.CODE, Kind.THEME, Kind.DOCUMENT, Kind.PARTICIPANT,
                             Kind.PROJECT})
UNCATEGORISED = "Uncategorised codes"
UNCATEGORISED_KEY = ("group", "uncategorised")
_ORIGINS = {"inductive": "inductive", "deductive": "deductive", "in_vivo": "in vivo"}


@dataclass(frozen=True)
class FrameRow:
    """One place in the frame: a theme (``kind`` final/emerging), a code, or a group."""

    kind: str
    entity_id: int | None
    name: str
    codings: int | None = None
    participants: int | None = None
    colour: str = ""
    definition: str = ""
    detail: str = ""


class CodesModel(TreeModel):
    """The frame as stored: themes in board order, codes in membership order."""

    HEADERS = ("Name", "Codings", "People")
    HEADER_TIPS = ("", "Coded segments", "Participants with at least one coded segment")
    NAME, CODINGS, PARTICIPANTS = range(3)

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.words: ThemeWords = EMERGING_FINAL  # the project's, read with the frame
        self.session = session
        self._icons: dict[str, QIcon] = {}
        self.refresh()
        self.coding_batch = CodingBatch(self.update_counts, self)
        session.changed.connect(self.on_changed)
        session.coders_shown_changed.connect(self._recount_all)

    @property
    def counted_for(self) -> str | None:
        """Whose codings the counts are, when not everyone's ("mine only", "bob only")."""
        coders = self.session.coders_shown
        return None if coders is None else whose(coders, self.session.coder)

    def _recount_all(self) -> None:
        self.coding_batch.discard()
        self.refresh()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        coders = self.session.coders_shown
        with self.session.read() as s:
            summaries = code_summaries(s, coders)
            roots, loose = theme_tree(s)
            reach = theme_reach(s, coders=coders)
            self.words = project_theme_words(s)
        by_name = {summary.name: summary for summary in summaries}
        built = NodeList()
        for root in roots:
            self._add_theme(built, root, -1, by_name, reach)
        if loose:
            group = built.add(UNCATEGORISED_KEY, FrameRow("group", None, UNCATEGORISED,
                                                          detail=plural(len(loose), "code")))
            self._add_codes(built, loose, group, by_name)
        self.replace_nodes(built)

    def _add_theme(self, built: NodeList, theme: ThemeNode, parent: int,
                   by_name: dict[str, CodeSummary], reach: dict[int, Reach]) -> None:
        counts = reach.get(theme.id, Reach(0, 0))
        place = built.add(("theme", theme.id), FrameRow(
            theme.level, theme.id, theme.name, counts.codings, counts.participants,
            definition=theme.definition, detail=theme.status), parent)
        for child in theme.children:
            self._add_theme(built, child, place, by_name, reach)
        self._add_codes(built, theme.codes, place, by_name)

    @staticmethod
    def _add_codes(built: NodeList, names: Sequence[str], parent: int,
                   by_name: dict[str, CodeSummary]) -> None:
        parent_key = built.nodes[parent].key
        for name in names:
            code = by_name.get(name)
            if code is None:
                continue
            themes = ", ".join(code.themes) or "no theme"
            built.add(("code", code.id, parent_key), FrameRow(
                "code", code.id, code.name, code.codings, code.participants, code.colour,
                code.definition, f"{_ORIGINS.get(code.origin, code.origin)}; in {themes}"),
                parent)

    def on_changed(self, change: Change) -> None:
        self.coding_batch.route(change, STRUCTURE_KINDS, self.refresh)

    def update_counts(self, changed_codings: set[int]) -> None:
        """Recount only the codes of these codings, and the themes holding them."""
        with self.session.read() as s:
            owners = coding_owners(s, changed_codings)
            if owners is None:  # cannot tell which codes: reload them all
                updates = None
            else:
                updates = self._recount(s, {code for _document, code in owners.values()})
        if updates is None:
            self.refresh()
        else:
            self.set_values(updates)

    def _recount(self, s: ReadSession, changed: set[int]) -> dict[int, FrameRow]:
        """New values for the places of these codes and of the themes above them."""
        places = [place for place, node in enumerate(self._nodes)
                  if node.values.kind == "code" and node.values.entity_id in changed]
        coders = self.session.coders_shown
        counts = code_reach(s, changed, coders) if places else {}
        updates = {place: self._counted(place, counts) for place in places}
        themes = {up for place in places for up in self._ancestors(place)}
        if themes:
            reach = theme_reach(s, {self._nodes[up].values.entity_id for up in themes},
                                coders)
            updates.update({up: self._counted(up, reach) for up in themes})
        return updates

    def _ancestors(self, place: int) -> list[int]:
        found = []
        parent = self._nodes[place].parent
        while parent >= 0 and self._nodes[parent].values.kind in ("final", "emerging"):
            found.append(parent)
            parent = self._nodes[parent].parent
        return found

    def _counted(self, place: int, counts: dict[int, Reach]) -> FrameRow:
        row: FrameRow = self._nodes[place].values
        found = counts.get(row.entity_id or 0, Reach(0, 0))
        return replace(row, codings=found.codings, participants=found.participants)

    # -- lookups ---------------------------------------------------------------------------
    def row_of(self, index: QModelIndex | QPersistentModelIndex) -> FrameRow | None:
        node = self.node(index)
        return node.values if node is not None else None

    def first_index_of_code(self, code_id: int) -> QModelIndex:
        for node in self._nodes:
            if node.values.kind == "code" and node.values.entity_id == code_id:
                return self.index_of_key(node.key)
        return QModelIndex()

    def codes(self) -> list[tuple[int, str]]:
        """(id, name) of every active code once, alphabetically."""
        seen = {n.values.entity_id: n.values.name for n in self._nodes
                if n.values.kind == "code"}
        return sorted(seen.items(), key=lambda item: item[1].casefold())

    # -- data ------------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        tip = super().headerData(section, orientation, role)
        counted_for = self.counted_for
        if role == Qt.ItemDataRole.ToolTipRole and tip and counted_for is not None:
            return f"{tip} (codings: {counted_for})"
        return tip

    def cell_data(self, node: Node, column: int, role: int) -> Any:
        row: FrameRow = node.values
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return row.name
            value = row.codings if column == self.CODINGS else row.participants
            return None if value is None else f"{value:,}"
        if role == CODE_ID_ROLE:
            return row.entity_id if row.kind == "code" else None
        if role == THEME_ID_ROLE:
            return row.entity_id if row.kind in ("final", "emerging") else None
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME and row.colour:
            if row.colour not in self._icons:
                self._icons[row.colour] = swatch(row.colour)
            return self._icons[row.colour]
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == self.NAME:
            return self._font(row.kind)
        if role == Qt.ItemDataRole.ForegroundRole and (row.kind == "group" or column != 0):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, self.counted_for, self.words)
        return None

    @staticmethod
    def _font(kind: str) -> QFont | None:
        if kind == "code":
            return None
        font = QFont()
        font.setBold(kind == "final")
        font.setItalic(kind == "group")
        if kind == "emerging":
            font.setWeight(QFont.Weight.DemiBold)
        return font

    # -- dragging codes --------------------------------------------------------------------
    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        row = self.row_of(index)
        if row is not None and row.kind == "code":
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [CODE_MIME_TYPE]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]  # type: ignore[override]  # stub omits None
                 ) -> QMimeData | None:
        ids: list[Hashable] = []
        for index in indexes:
            row = self.row_of(index)
            if row is not None and row.kind == "code" and row.entity_id not in ids:
                ids.append(row.entity_id)
        if not ids:
            return None
        mime = QMimeData()
        mime.setData(CODE_MIME_TYPE, str(ids[0]).encode("ascii"))
        return mime


def _tooltip(row: FrameRow, counted_for: str | None, words: ThemeWords) -> str:
    if row.kind == "group":
        return f"Codes not yet in any theme ({row.detail})"
    counts = (f"{plural(row.codings or 0, 'coding')} from "
              f"{plural(row.participants or 0, 'participant')}")
    if counted_for is not None:
        counts += f" (codings: {counted_for})"
    what = words.theme(row.kind, True) if row.kind in ("final", "emerging") else "Code"
    lines = [f"{what}: {row.name}", counts]
    if row.kind == "code":
        lines.append(row.detail)
    elif row.detail != "candidate":
        lines.append(f"status: {row.detail}")
    if row.definition:
        lines.append(row.definition)
    return "\n".join(lines)
