"""A delegate that wraps text over the lines a row has room for and elides the last one.

Qt's own delegate clips wrapped text that does not fit; an extract cut in half mid-line
looks like a fault, one that ends in an ellipsis reads as "more in the tooltip".
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QPainter, QPalette, QTextLayout
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

MARGIN = 4  # pixels around the text, inside the cell


class WrappedTextDelegate(QStyledItemDelegate):
    """Paints the display text word-wrapped, as many lines as fit, the last one elided."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        item.text = ""
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, item.widget)
        area = area.adjusted(MARGIN // 2, MARGIN // 2, -MARGIN // 2, -MARGIN // 2)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = index.data(Qt.ItemDataRole.ForegroundRole)
        painter.save()
        painter.setFont(item.font)
        painter.setPen(item.palette.color(role) if selected or colour is None else colour)
        painter.setClipRect(item.rect)
        lines = self._lines(text, item, area.width(), area.height())
        block = len(lines) * item.fontMetrics.lineSpacing()
        top = area.top() + max(0, (area.height() - block) // 2)  # centred, like the others
        for offset, line in lines:
            painter.drawText(QPointF(area.left(), top + offset), line)
        painter.restore()

    @staticmethod
    def _lines(text: str, item: QStyleOptionViewItem, width: int,
               height: int) -> list[tuple[float, str]]:
        """(baseline offset, text) of each line to draw."""
        metrics = item.fontMetrics
        room = max(1, int(height // metrics.lineSpacing()))
        layout = QTextLayout(text, item.font)
        layout.beginLayout()
        spans: list[tuple[int, int]] = []
        while len(spans) < room:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            spans.append((line.textStart(), line.textLength()))
        layout.endLayout()
        units = text.encode("utf-16-le")  # Qt's positions count UTF-16 units

        def piece_of(start: int, length: int | None) -> str:
            end = None if length is None else 2 * (start + length)
            return units[2 * start:end].decode("utf-16-le", errors="replace")

        drawn: list[tuple[float, str]] = []
        for number, (start, length) in enumerate(spans):
            last = number == len(spans) - 1
            piece = piece_of(start, None if last else length)
            if last:
                piece = metrics.elidedText(piece.strip(), Qt.TextElideMode.ElideRight, width)
            drawn.append((number * metrics.lineSpacing() + metrics.ascent(), piece.rstrip()))
        return drawn


class TreeNameDelegate(WrappedTextDelegate):
    """A tree's name column: a long name takes a second line instead of being cut to a few
    letters in a narrow side panel; longer still, the second line is elided."""

    MOST_LINES = 2

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view
        self._relayout = QTimer(view)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(view.doItemsLayout)
        view.header().sectionResized.connect(lambda *_: self._relayout.start())

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        icon = option.decorationSize.width() + 6 if index.data(
            Qt.ItemDataRole.DecorationRole) is not None else 0
        width = self.view.header().sectionSize(index.column()) \
            - self.view.indentation() * depth - icon - 2 * MARGIN
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        metrics = QFontMetrics(font)
        needed = metrics.boundingRect(QRect(0, 0, max(width, 1), 10_000),
                                      int(Qt.TextFlag.TextWordWrap),
                                      str(index.data() or "")).height()
        lines = max(1, min(self.MOST_LINES, -(-needed // metrics.lineSpacing())))
        single = max(metrics.height(), option.decorationSize.height()) + MARGIN + 2
        return QSize(hint.width(), single + (lines - 1) * metrics.lineSpacing())
