"""What the map draws: themes and codes as nodes, shaped by level; edges by kind.

Final themes are dark boxes, emerging themes lighter boxes, codes white boxes with a dot
in their own colour; sizes and line breaks are the layout's (analysis/map_layouts.py), so
the screen and the exported figure agree. Membership lines are thin and grey, the researcher's links
dark arrows with their label, co-occurrence dashed and thicker the more often the codes
meet. Items hold only keys and plain values; the scene turns gestures into commands.

Text smaller than :data:`MIN_LEGIBLE_PT` on screen is not drawn: a label too small to read
is replaced by grey bars where its lines are ("greeked"), so zooming out shows fewer
details rather than tiny text. Codes' labels and links' labels go first, then emerging
themes', then final themes'.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import matplotlib
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from thematic_workbench.core.reports.map_boxes import (
    BOLD,
    CODE_DOT_PX,
    FONT,
    FONT_PX,
    INDENT,
    LINE_PX,
    LINK_FONT_PX,
    PAD_PX,
    label_lines,
    node_size,
    text_width,
)

NodeKey = tuple[str, int]
# fill, outline, text colour on screen; the figure (io/map_figure.py) prints in greys
NODE_COLOURS = {
    "final": ("#2F5D8A", "#1E3F5E", "#FFFFFF"),
    "emerging": ("#DCE8F5", "#7A9CC0", "#1F2937"),
    "code": ("#FFFFFF", "#D1D5DB", "#374151"),
}
SELECTED = QColor("#F59E0B")
EDGE_PENS = {
    "membership": (QColor("#9CA3AF"), 1.2, Qt.PenStyle.SolidLine),
    "link": (QColor("#B45309"), 2.0, Qt.PenStyle.SolidLine),
    "cooccurrence": (QColor("#6B7280"), 1.0, Qt.PenStyle.DashLine),
}
MIN_LEGIBLE_PT = 7.0  # smaller text on screen is not drawn: it cannot be read anyway
GREEKING = QColor(0, 0, 0, 40)  # the bars that stand for lines too small to read


def screen_pt(font_px: float, scale: float, dpi: float = 96.0) -> float:
    """The size in points on screen of text ``font_px`` scene pixels high at ``scale``."""
    return font_px * scale * 72.0 / dpi


def legible(font_px: float, scale: float, dpi: float = 96.0) -> bool:
    return screen_pt(font_px, scale, dpi) >= MIN_LEGIBLE_PT - 1e-6


def legible_scale(font_px: float, dpi: float = 96.0) -> float:
    """The smallest scale at which text ``font_px`` scene pixels high can be read."""
    return MIN_LEGIBLE_PT * dpi / 72.0 / font_px


def _paint_scale(painter: QPainter, option: QStyleOptionGraphicsItem) -> tuple[float, float]:
    """(scene-to-screen scale, the device's dots per inch) of this paint."""
    device = painter.device()
    dpi = float(device.logicalDpiY()) if device is not None else 96.0
    return option.levelOfDetailFromTransform(painter.worldTransform()), dpi or 96.0


@cache
def _load_layout_font() -> None:
    """Load DejaVu Sans from matplotlib's own files: the layout measures labels in it, so
    the screen must draw in it too, whatever fonts the system has."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        QFontDatabase.addApplicationFont(str(folder / name))


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
        # Sizes and line breaks come from the layout, so the screen and the figure agree.
        self.lines = label_lines(level, label)
        self.line_widths = [text_width(words, level) for words in self.lines]
        width, height = node_size(level, label)
        self.shape_rect = QRectF(-width / 2, -height / 2, width, height)
        self.bounds = self.shape_rect.adjusted(-3, -3, 3, 3)
        _load_layout_font()
        self.font = QFont(FONT)
        self.font.setPixelSize(round(FONT_PX[level]))
        self.font.setBold(BOLD[level])
        left = CODE_DOT_PX if level == "code" else 0.0
        self.text_rect = self.shape_rect.adjusted(left + PAD_PX[level] / 2, 0,
                                                  -PAD_PX[level] / 2, 0)

    @property
    def is_theme(self) -> bool:
        return self.key[0] == "theme"

    @property
    def font_px(self) -> float:
        return FONT_PX[self.level]

    def label_shown(self, scale: float, dpi: float = 96.0) -> bool:
        """Whether the label is drawn at this scale (else its lines show as grey bars)."""
        return legible(self.font_px, scale, dpi)

    def boundingRect(self) -> QRectF:
        return self.bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.shape_rect, 8, 8)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill, line, text = NODE_COLOURS[self.level]
        selected = self.isSelected()
        painter.setPen(QPen(SELECTED if selected else QColor(line), 3 if selected else 1.2))
        painter.setBrush(QColor(fill))
        radius = 8 if self.level != "code" else 5
        painter.drawRoundedRect(self.shape_rect, radius, radius)
        if self.level == "code":
            dot = CODE_DOT_PX / 2 - 2
            centre = QPointF(self.shape_rect.left() + CODE_DOT_PX / 2 + 2,
                             self.shape_rect.center().y())
            painter.setPen(QPen(self.colour.darker(130), 1))
            painter.setBrush(self.colour)
            painter.drawEllipse(centre, dot, dot)
        step = LINE_PX[self.level]
        top = self.shape_rect.center().y() - step * len(self.lines) / 2
        if not self.label_shown(*_paint_scale(painter, option)):
            self._paint_greeked(painter, top, step)
            return
        painter.setPen(QColor(text))
        painter.setFont(self.font)
        for number, words in enumerate(self.lines):
            row = QRectF(self.text_rect.left(), top + number * step, self.text_rect.width(), step)
            painter.drawText(row, int(Qt.AlignmentFlag.AlignCenter), words)

    def _paint_greeked(self, painter: QPainter, top: float, step: float) -> None:
        """A bar for each line of the label: where the words are, without unreadable text."""
        colour = QColor(GREEKING) if self.level != "final" else QColor(255, 255, 255, 90)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        height = self.font_px * 0.55
        for number, full in enumerate(self.line_widths):
            width = min(full, self.text_rect.width())
            middle = top + number * step + step / 2
            painter.drawRoundedRect(QRectF(self.text_rect.center().x() - width / 2,
                                           middle - height / 2, width, height), 2, 2)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
        return super().itemChange(change, value)

    def edge_point(self, towards: QPointF) -> QPointF:
        """Where a line from the centre towards ``towards`` leaves this node's box."""
        centre = self.scenePos()
        rect = self.shape_rect
        dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
        if abs(dx) < 1e-6 and abs(dy) < 1e-6:
            return centre
        scale = min(rect.width() / 2 / abs(dx) if dx else math.inf,
                    rect.height() / 2 / abs(dy) if dy else math.inf)
        return QPointF(centre.x() + dx * min(scale, 1.0), centre.y() + dy * min(scale, 1.0))


class LinkLabel(QGraphicsSimpleTextItem):
    """A link's label, in the figure's size; not drawn when too small to read."""

    def __init__(self, text: str, parent: QGraphicsItem) -> None:
        super().__init__(text, parent)
        _load_layout_font()
        font = QFont(FONT)
        font.setPixelSize(round(LINK_FONT_PX))
        font.setItalic(True)
        self.setFont(font)
        self.setBrush(QColor("#78350F"))

    @property
    def font_px(self) -> float:
        return LINK_FONT_PX

    def label_shown(self, scale: float, dpi: float = 96.0) -> bool:
        return legible(self.font_px, scale, dpi)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self.label_shown(*_paint_scale(painter, option)):
            super().paint(painter, option, widget)  # type: ignore[arg-type]  # stub omits None


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
        self.text: LinkLabel | None = None
        if kind == "link" and label:
            self.text = LinkLabel(label, self)
        source.edges.append(self)
        target.edges.append(self)
        self.update_path()

    def _bracket(self) -> QPainterPath | None:
        """A theme's codes hang from a bracket down their left side, as in the figure;
        None when the code is not below and right of where the bracket would run."""
        if self.kind != "membership" or self.target.level != "code":
            return None
        source = self.source.shape_rect.translated(self.source.scenePos())
        target = self.target.shape_rect.translated(self.target.scenePos())
        x = target.left() - INDENT / 2
        if not (source.left() <= x <= source.right() and target.top() > source.bottom()):
            return None
        path = QPainterPath(QPointF(x, source.bottom()))
        path.lineTo(x, target.center().y())
        path.lineTo(target.left(), target.center().y())
        return path

    def update_path(self) -> None:
        bracket = self._bracket()
        if bracket is not None:
            self.setPath(bracket)
            return
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
