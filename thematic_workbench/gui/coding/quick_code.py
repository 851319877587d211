"""The quick-code box: type to filter the codes, Enter applies; a new name creates the code."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.names import name_key
from thematic_workbench.gui.common.colours import plain_swatch


@dataclass(frozen=True)
class CodeChoice:
    """What the user picked: an existing code (``code_id``) or a new name."""

    code_id: int | None
    name: str


class QuickCodeBox(QDialog):
    """A small popup listing codes (recent ones first) under a filter line."""

    NEW = -1

    def __init__(self, codes: list[tuple[int, str, str]], recent: list[int],
                 selection_preview: str, parent: QWidget | None = None,
                 title: str = "Apply code") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._codes = codes
        order = {code_id: rank for rank, code_id in enumerate(recent)}
        self._codes.sort(key=lambda c: (order.get(c[0], len(order)), name_key(c[1])))
        self.choice: CodeChoice | None = None

        preview = QLabel(f"“{_shorten(selection_preview)}”")
        preview.setWordWrap(True)
        preview.setStyleSheet("color: #4B5563;")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type a code name; Enter applies, a new name creates it")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)
        hint = QLabel("↑↓ choose · Enter apply · Esc cancel")
        hint.setStyleSheet("color: #6B7280; font-size: 9pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(preview)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(hint)

        self.filter.textChanged.connect(self._refilter)
        self.list.itemActivated.connect(lambda _item: self.accept_current())
        self.filter.installEventFilter(self)
        self._refilter("")

    def _refilter(self, text: str) -> None:
        wanted = " ".join(text.split())
        key = name_key(wanted)
        self.list.clear()
        exact = False
        for code_id, name, colour in self._codes:
            if key in name_key(name):
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, code_id)
                item.setIcon(plain_swatch(colour))
                self.list.addItem(item)
                exact = exact or name_key(name) == key
        if wanted and not exact:
            item = QListWidgetItem(f"Create new code “{wanted}”")
            item.setData(Qt.ItemDataRole.UserRole, self.NEW)
            item.setData(Qt.ItemDataRole.UserRole + 1, wanted)
            self.list.insertItem(0 if self.list.count() == 0 else self.list.count(), item)
        if self.list.count():
            first_match = 0
            if wanted and exact:
                first_match = next(i for i in range(self.list.count())
                                   if name_key(self.list.item(i).text()) == key)
            self.list.setCurrentRow(first_match)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept_current()
                return True
        return super().eventFilter(watched, event)

    def accept_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        code_id = item.data(Qt.ItemDataRole.UserRole)
        if code_id == self.NEW:
            self.choice = CodeChoice(None, item.data(Qt.ItemDataRole.UserRole + 1))
        else:
            self.choice = CodeChoice(int(code_id), item.text())
        self.accept()


def _shorten(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
