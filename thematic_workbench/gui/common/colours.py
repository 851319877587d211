"""Colours made from the codes' own: a swatch of one, and one laid over paper."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap


def plain_swatch(colour: str, size: int = 12) -> QPixmap:
    """A plain square of a code's colour (menus and pickers)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return pixmap


def blend(over: QColor, paper: QColor, amount: float) -> QColor:
    """``over`` laid on ``paper`` at ``amount`` (0..1)."""
    def mix(a: int, b: int) -> int:
        return round(b + (a - b) * amount)
    return QColor(mix(over.red(), paper.red()), mix(over.green(), paper.green()),
                  mix(over.blue(), paper.blue()))


def swatch(colour: str, size: int = 12) -> QIcon:
    """A small rounded square of a code's colour with a soft outline."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(colour)
    painter.setPen(fill.darker(130))
    painter.setBrush(fill)
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)
