"""Small dialogs of the board's menus: pick a theme by typing, name a new theme.

They are the keyboard's way to do what a drag does: type a few letters of the theme,
press Enter.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords

NEW = -1  # the chooser's "New … theme…" entry


class ThemeChooser(QDialog):
    """A filtered list of themes: typing filters, arrow keys pick, Enter accepts.

    ``new_label`` adds an entry at the foot that stands for a new theme (``chosen()``
    is then ``NEW``).
    """

    def __init__(self, title: str, label: str, themes: list[tuple[int, str]],
                 new_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        prompt = QLabel(label)
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter")
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.list = QListWidget()
        for theme_id, name in themes:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, theme_id)
            item.setToolTip(name)
            self.list.addItem(item)
        if new_label:
            item = QListWidgetItem(new_label)
            item.setData(Qt.ItemDataRole.UserRole, NEW)
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
            self.list.addItem(item)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self._apply_filter("")
        self.filter.setFocus()

    def _apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        first: QListWidgetItem | None = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            new = item.data(Qt.ItemDataRole.UserRole) == NEW
            hidden = not new and not all(w in item.text().casefold() for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is None:
            self.list.setCurrentRow(-1)  # nothing matches: no current row
        else:
            self.list.setCurrentItem(first)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the filter move through the list, as in a completer."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._step(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    def _step(self, by: int) -> None:
        rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        index = rows.index(current) + by if current in rows else 0
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, index))])

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))


class NewThemeDialog(QDialog):
    """The name of a new theme and, for an emerging theme, the final theme it goes under."""

    def __init__(self, level: str, finals: list[tuple[int, str]],
                 parent_id: int | None = None, parent: QWidget | None = None,
                 words: ThemeWords = EMERGING_FINAL) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New {words.theme(level)}")
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. a participant's words")
        form.addRow("&Name:", self.name)
        self.under = QComboBox()
        self.under.addItem(f"Not yet under a {words.theme('final')}", None)
        for theme_id, name in finals:
            self.under.addItem(name, theme_id)
        if parent_id is not None:
            self.under.setCurrentIndex(max(0, self.under.findData(parent_id)))
        if level == "emerging":
            form.addRow(f"&Under {words.theme('final')}:", self.under)
        else:
            self.under.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.name.setFocus()

    def chosen(self) -> tuple[str, int | None]:
        data = self.under.currentData()
        return self.name.text().strip(), data if isinstance(data, int) else None
