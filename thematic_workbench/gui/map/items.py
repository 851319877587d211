"""What the map draws: themes and codes as nodes, shaped by level; edges by kind.

Final themes are large dark boxes, emerging themes lighter boxes, codes small dots in their
own colour with the name beside. Membership lines are thin and grey, the researcher's links
dark arrows with their label, co-occurrence dashed and thicker the more often the codes
meet. Items hold only keys and plain values; the scene turns gestures into commands.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

NodeKey = tuple[str, int]
# width of the text, padding, fill, outline, text colour, point size, bold
NODE_STYLE = {
    "final": (200.0, 10.0, "#2F5D8A", "#1E3F5E", "#FFFFFF", 10.5, True),
    "emerging": (160.0, 8.0, "#DCE8F5", "#7A9CC0", "#1F2937", 9.5, False),
}
CODE_RADIUS = 6.0
CODE_TEXT_WIDTH = 150.0
SELECTED = QColor("#F59E0B")
EDGE_PENS = {
    "membership": (QColor("#9CA3AF"), 1.2, Qt.PenStyle.SolidLine),
    "link": (QColor("#B45309"), 2.0, Qt.PenStyle.SolidLine),
    "cooccurrence": (QColor("#6B7280"), 1.0, Qt.PenStyle.DashLine),
}
_WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignCenter)


class NodeItem(QGraphicsObject):
    """A theme or a code; movable, selectable; its centre is its position."""

    def __init__(self, key: NodeKey, level: str, label: str, colour: str | None,
                 tooltip: str = "") -> None:
        super().__init__()
        self.key, self.level, self.label = key, level, label
        self.colour = QColor(colour or "#6B7280")
        self.edges: list[EdgeItem] = []
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(tooltip or label)
        self.setZValue(2 if level != "code" else 1)
        self.font = QFont()
        if level == "code":
            self.font.setPointSizeF(8.5)
            metrics = QFontMetricsF(self.font)
            text = metrics.boundingRect(QRectF(0, 0, CODE_TEXT_WIDTH, 1000),
                                        int(Qt.TextFlag.TextWordWrap), label)
            self.text_rect = QRectF(CODE_RADIUS + 4, -text.height() / 2, text.width() + 2,
                                    text.height())
            self.shape_rect = QRectF(-CODE_RADIUS, -CODE_RADIUS, 2 * CODE_RADIUS,
                                     2 * CODE_RADIUS)
            self.bounds = self.shape_rect.united(self.text_rect).adjusted(-3, -3, 3, 3)
        else:
            width, padding, _fill, _line, _text, size, bold = NODE_STYLE[level]
            self.font.setPointSizeF(size)
            self.font.setBold(bold)
            metrics = QFontMetricsF(self.font)
            text = metrics.boundingRect(QRectF(0, 0, width, 1000), _WRAP, label)
            w = max(text.width(), 60.0) + 2 * padding
            h = text.height() + 2 * padding
            self.shape_rect = QRectF(-w / 2, -h / 2, w, h)
            self.text_rect = self.shape_rect.adjusted(padding, padding, -padding, -padding)
            self.bounds = self.shape_rect.adjusted(-3, -3, 3, 3)

    @property
    def is_theme(self) -> bool:
        return self.key[0] == "theme"

    def boundingRect(self) -> QRectF:
        return self.bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.level == "code":
            path.addEllipse(self.shape_rect)
            path.addRect(self.text_rect)
        else:
            path.addRoundedRect(self.shape_rect, 8, 8)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = self.isSelected()
        painter.setFont(self.font)
        if self.level == "code":
            painter.setPen(QPen(SELECTED if selected else self.colour.darker(130),
                                2.5 if selected else 1.0))
            painter.setBrush(QBrush(self.colour))
            painter.drawEllipse(self.shape_rect)
            painter.setPen(QColor("#374151"))
            painter.drawText(self.text_rect, int(Qt.TextFlag.TextWordWrap)
                             | int(Qt.AlignmentFlag.AlignVCenter), self.label)
            return
        _width, _padding, fill, line, text, _size, _bold = NODE_STYLE[self.level]
        painter.setPen(QPen(SELECTED if selected else QColor(line), 3 if selected else 1.2))
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(self.shape_rect, 8, 8)
        painter.setPen(QColor(text))
        painter.drawText(self.text_rect, _WRAP, self.label)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
        return super().itemChange(change, value)

    def edge_point(self, towards: QPointF) -> QPointF:
        """Where a line from the centre towards ``towards`` leaves this node's shape."""
        centre = self.scenePos()
        if self.level == "code":
            line = QLineF(centre, towards)
            if line.length() < 1e-6:
                return centre
            line.setLength(CODE_RADIUS)
            return line.p2()
        rect = self.shape_rect.translated(centre)
        dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
        if abs(dx) < 1e-6 and abs(dy) < 1e-6:
            return centre
        scale = min(rect.width() / 2 / abs(dx) if dx else math.inf,
                    rect.height() / 2 / abs(dy) if dy else math.inf)
        return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


class EdgeItem(QGraphicsPathItem):
    """A line between two nodes; a link also gets an arrow head and its label."""

    def __init__(self, source: NodeItem, target: NodeItem, kind: str, label: str = "",
                 weight: int = 1, link_id: int | None = None) -> None:
        super().__init__()
        self.source, self.target, self.kind = source, target, kind
        self.label, self.weight, self.link_id = label, weight, link_id
        colour, width, style = EDGE_PENS[kind]
        if kind == "cooccurrence":
            width = min(1.0 + math.log2(max(weight, 1)), 6.0)
        pen = QPen(colour, width, style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)
        self.setZValue(0 if kind != "link" else 1.5)
        if kind == "link":
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
            self.setBrush(QBrush(colour))
            self.setToolTip(f"{source.label} → {target.label}"
                            f"{f': {label}' if label else ''} (double-click to relabel, "
                            "Delete to remove)")
        elif kind == "cooccurrence":
            self.setToolTip(f"{source.label} and {target.label} are coded together "
                            f"{weight} time{'s' if weight != 1 else ''}")
        self.text: QGraphicsSimpleTextItem | None = None
        if kind == "link" and label:
            self.text = QGraphicsSimpleTextItem(label, self)
            font = QFont()
            font.setPointSizeF(8.5)
            font.setItalic(True)
            self.text.setFont(font)
            self.text.setBrush(QColor("#78350F"))
        source.edges.append(self)
        target.edges.append(self)
        self.update_path()

    def update_path(self) -> None:
        start = self.source.edge_point(self.target.scenePos())
        end = self.target.edge_point(self.source.scenePos())
        path = QPainterPath(start)
        path.lineTo(end)
        if self.kind == "link":
            line = QLineF(end, start)
            if line.length() > 1:
                angle = math.radians(line.angle())
                for turn in (math.radians(25), -math.radians(25)):
                    tip = QPointF(end.x() + 11 * math.cos(angle + turn),
                                  end.y() - 11 * math.sin(angle + turn))
                    path.moveTo(end)
                    path.lineTo(tip)
        self.setPath(path)
        if self.text is not None:
            middle = (start + end) / 2
            rect = self.text.boundingRect()
            self.text.setPos(middle.x() - rect.width() / 2, middle.y() - rect.height() - 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.pen())
        if self.isSelected():
            pen.setColor(SELECTED)
            pen.setWidthF(pen.widthF() + 1.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
