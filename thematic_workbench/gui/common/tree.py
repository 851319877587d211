"""A read-only tree model over plain nodes, kept in one flat list.

Each node has a stable ``key`` (for example ``("code", 7, ("theme", 2))``) and plain
values; an index's internal id is its node's place in the list, so no Python object is
handed to Qt. :meth:`TreeModel.replace_nodes` swaps in a fresh load: when the shape is the
same (same keys, same places) it only announces changed data, which keeps the views'
expansion and selection; otherwise it resets the model. :meth:`TreeModel.set_values`
updates a few nodes in place (new counts after a coding).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 100
_ROOT = QModelIndex()


@dataclass
class Node:
    """One row of the tree: its identity, its parent (-1: top level) and plain values."""

    key: Hashable
    values: Any
    parent: int = -1
    row: int = 0
    children: list[int] = field(default_factory=list)


class NodeList:
    """Builds the flat list of nodes in display order, numbering rows as it goes."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.top: list[int] = []

    def add(self, key: Hashable, values: Any, parent: int = -1) -> int:
        siblings = self.top if parent < 0 else self.nodes[parent].children
        self.nodes.append(Node(key, values, parent, len(siblings)))
        siblings.append(len(self.nodes) - 1)
        return len(self.nodes) - 1


class TreeModel(QAbstractItemModel):
    """Subclasses give ``HEADERS`` and ``cell_data(node, column, role)``."""

    HEADERS: Sequence[str] = ()
    HEADER_TIPS: Sequence[str] = ()  # short headers keep narrow panels readable; tips explain

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: list[Node] = []
        self._top: list[int] = []
        self._places: dict[Hashable, int] = {}

    # -- structure -------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        siblings = self._children_of(parent)
        return self.createIndex(row, column, siblings[row])

    def parent(self, child: AnyIndex | None = None) -> Any:
        """The parent index of ``child``; without an argument, the QObject parent."""
        if child is None:
            return QObject.parent(self)
        if not child.isValid():
            return QModelIndex()
        parent = self._nodes[child.internalId()].parent
        if parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[parent].row, 0, parent)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children_of(parent))

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole \
                and 0 <= section < len(self.HEADER_TIPS):
            return self.HEADER_TIPS[section] or None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == KEY_ROLE:
            return node.key
        return self.cell_data(node, index.column(), role)

    def cell_data(self, node: Node, column: int, role: int) -> Any:  # pragma: no cover
        raise NotImplementedError

    # -- lookups ---------------------------------------------------------------------------
    def node(self, index: AnyIndex) -> Node | None:
        if not index.isValid() or index.model() is not self:
            return None
        return self._nodes[index.internalId()]

    def index_of_key(self, key: Hashable, column: int = 0) -> QModelIndex:
        place = self._places.get(key)
        if place is None:
            return QModelIndex()
        return self.createIndex(self._nodes[place].row, column, place)

    def place_of_key(self, key: Hashable) -> int | None:
        """The node's place in :meth:`nodes`, for :meth:`set_values`."""
        return self._places.get(key)

    def nodes(self) -> list[Node]:
        return list(self._nodes)

    def _children_of(self, parent: AnyIndex) -> list[int]:
        if not parent.isValid():
            return self._top
        return self._nodes[parent.internalId()].children

    # -- reloading -------------------------------------------------------------------------
    def replace_nodes(self, built: NodeList) -> None:
        """Show a fresh load, as data changes when the shape is the same, else by a reset."""
        same_shape = [(n.key, n.parent) for n in built.nodes] == \
            [(n.key, n.parent) for n in self._nodes]
        if not same_shape:
            self.beginResetModel()
            self._nodes, self._top = built.nodes, built.top
            self._places = {node.key: place for place, node in enumerate(self._nodes)}
            self.endResetModel()
            return
        self.set_values({place: new.values for place, (old, new)
                         in enumerate(zip(self._nodes, built.nodes, strict=True))
                         if old.values != new.values})

    def set_values(self, updates: dict[int, Any]) -> None:
        """New values for some nodes (by place), announced row by row."""
        last = self.columnCount() - 1
        for place, values in updates.items():
            node = self._nodes[place]
            node.values = values
            self.dataChanged.emit(self.createIndex(node.row, 0, place),
                                  self.createIndex(node.row, last, place))
