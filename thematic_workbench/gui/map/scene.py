"""The map's scene: builds the items and turns gestures into requests.

A drag of one or several nodes becomes one ``nodes_moved(before, after)`` when the mouse is
released; in link mode a drag from a theme onto another theme (or a code) becomes
``link_requested(source, target)``. The view answers them with undo commands, so the scene
never changes the project itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
)

from thematic_workbench.core.reports.theme_map import MapEdge
from thematic_workbench.gui.map.items import (
    EdgeItem,
    LinkLabel,
    NodeItem,
    NodeKey,
    legible_scale,
)


@dataclass(frozen=True)
class SceneNode:
    key: NodeKey
    level: str  # "final", "emerging" or "code"
    label: str
    colour: str | None = None
    tooltip: str = ""


class MapScene(QGraphicsScene):
    nodes_moved = Signal(object, object)  # {key: (x, y)} before, {key: (x, y)} after
    link_requested = Signal(object, object)  # source key, target key
    node_activated = Signal(object)  # key of a clicked node
    link_activated = Signal(int)  # a link double-clicked: relabel it

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.nodes: dict[NodeKey, NodeItem] = {}
        self.edges: list[EdgeItem] = []
        self.link_mode = False
        self.editable = True  # False in a read-only project: nodes stay where they are
        self._pressed: dict[NodeKey, tuple[float, float]] = {}
        self._rubber: QGraphicsLineItem | None = None
        self._link_source: NodeItem | None = None

    def build(self, nodes: Iterable[SceneNode], edges: Iterable[MapEdge],
              positions: Mapping[NodeKey, tuple[float, float]]) -> None:
        self.clear()
        self.nodes, self.edges = {}, []
        for node in nodes:
            node_item = NodeItem(node.key, node.level, node.label, node.colour, node.tooltip)
            node_item.setPos(*positions.get(node.key, (0.0, 0.0)))
            self.addItem(node_item)
            self.nodes[node.key] = node_item
        for edge in edges:
            source, target = self.nodes.get(edge.source), self.nodes.get(edge.target)
            if source is None or target is None:
                continue  # an end that is hidden (codes off)
            edge_item = EdgeItem(source, target, edge.kind, edge.label, edge.weight,
                                 edge.link_id)
            self.addItem(edge_item)
            self.edges.append(edge_item)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-80, -80, 80, 80))

    def positions(self) -> dict[NodeKey, tuple[float, float]]:
        return {key: (item.pos().x(), item.pos().y()) for key, item in self.nodes.items()}

    def labels(self) -> list[NodeItem | LinkLabel]:
        """Every item that draws words: nodes and links' labels."""
        return [*self.nodes.values(), *(edge.text for edge in self.edges if edge.text)]

    def hidden_label_levels(self, scale: float, dpi: float = 96.0) -> set[str]:
        """The node levels (and "link") whose words are too small to read at ``scale``."""
        hidden = {item.level for item in self.nodes.values()
                  if not item.label_shown(scale, dpi)}
        if any(not edge.text.label_shown(scale, dpi) for edge in self.edges if edge.text):
            hidden.add("link")
        return hidden

    def readable_scale(self, dpi: float = 96.0) -> float:
        """The smallest scale at which every theme's name can be read (codes' names only
        when the map has no themes): Fit never goes below it."""
        sizes = [item.font_px for item in self.nodes.values() if item.is_theme] or \
            [item.font_px for item in self.nodes.values()]
        return legible_scale(min(sizes), dpi) if sizes else 0.0

    def selected_link_ids(self) -> list[int]:
        return [item.link_id for item in self.selectedItems()
                if isinstance(item, EdgeItem) and item.link_id is not None]

    def _node_at(self, point: QPointF) -> NodeItem | None:
        for item in self.items(point):
            if isinstance(item, NodeItem):
                return item
        return None

    # -- gestures ------------------------------------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        node = self._node_at(event.scenePos())
        if self.link_mode and event.button() == Qt.MouseButton.LeftButton:
            if node is not None and node.is_theme:
                self._link_source = node
                self._rubber = QGraphicsLineItem(QLineF(node.scenePos(), event.scenePos()))
                self._rubber.setPen(QPen(Qt.GlobalColor.darkYellow, 2, Qt.PenStyle.DashLine))
                self.addItem(self._rubber)
            event.accept()
            return
        super().mousePressEvent(event)
        moving = [i for i in self.selectedItems() if isinstance(i, NodeItem)]
        self._pressed = {i.key: (i.pos().x(), i.pos().y()) for i in moving}
        if node is not None and event.button() == Qt.MouseButton.LeftButton:
            self.node_activated.emit(node.key)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._rubber is not None and self._link_source is not None:
            self._rubber.setLine(QLineF(self._link_source.scenePos(), event.scenePos()))
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._rubber is not None:
            self.removeItem(self._rubber)
            self._rubber = None
            source, self._link_source = self._link_source, None
            target = self._node_at(event.scenePos())
            if source is not None and target is not None and target is not source:
                self.link_requested.emit(source.key, target.key)
            return
        super().mouseReleaseEvent(event)
        self.finish_move()

    def finish_move(self) -> None:
        """Report the nodes that moved since the press as one change."""
        before = self._pressed
        self._pressed = {}
        after = {key: (self.nodes[key].pos().x(), self.nodes[key].pos().y())
                 for key in before if key in self.nodes}
        moved = {key for key in after if far_apart(before[key], after[key])}
        if moved:
            self.nodes_moved.emit({k: before[k] for k in moved}, {k: after[k] for k in moved})

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        for item in self.items(event.scenePos()):
            if isinstance(item, EdgeItem) and item.link_id is not None:
                self.link_activated.emit(item.link_id)
                return
        super().mouseDoubleClickEvent(event)

    def set_link_mode(self, on: bool) -> None:
        self.link_mode = on and self.editable
        for item in self.nodes.values():
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable,
                         self.editable and not self.link_mode)
            item.setCursor(Qt.CursorShape.CrossCursor if self.link_mode and item.is_theme
                           else Qt.CursorShape.OpenHandCursor if self.editable
                           else Qt.CursorShape.PointingHandCursor)


def far_apart(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) > 0.5 or abs(a[1] - b[1]) > 0.5
