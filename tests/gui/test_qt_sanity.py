"""Guard against Qt bindings that corrupt reference counts (PySide6 6.12.0 did).

Such a release loses one reference to ``None`` per call of a method returning ``void``;
on Python 3.11 the interpreter then aborts after a few thousand paint calls. If this test
fails, exclude the installed PySide6 version in pyproject.toml.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter, QPixmap, QTextCharFormat
from pytestqt.qtbot import QtBot


def test_void_calls_keep_none_alive(qtbot: QtBot) -> None:
    pixmap = QPixmap(20, 20)
    painter = QPainter(pixmap)
    text_format = QTextCharFormat()
    before = sys.getrefcount(None)
    for _ in range(2000):
        painter.drawText(QPoint(1, 10), "x")
        text_format.setFontWeight(700)
    lost = before - sys.getrefcount(None)
    painter.end()
    assert lost < 100, f"the Qt bindings lost {lost} references to None in 4000 calls"
