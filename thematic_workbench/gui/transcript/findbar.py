"""The find bar under the transcript: incremental search in the open transcript only.

It owns no text: it reports what to look for and which way to go, and shows the count
the view gives back, so the searching itself stays with the code-point text.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


def find_all(text: str, needle: str, match_case: bool = False) -> list[tuple[int, int]]:
    """Code-point spans of every (non-overlapping) occurrence of ``needle`` in ``text``."""
    needle = unicodedata.normalize("NFC", needle)
    if not needle.strip():
        return []
    flags = 0 if match_case else re.IGNORECASE
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text, flags)]


class FindBar(QWidget):
    """A search field with previous/next, a match count and a case switch; Esc closes it."""

    search_changed = Signal(str, bool)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptFindBar")
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in this transcript")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(240)
        self.count = QLabel("", self)
        self.count.setMinimumWidth(90)
        self.count.setStyleSheet("color: #5B6470;")
        self.previous = QToolButton(self)
        self.previous.setText("▲")
        self.previous.setToolTip("Previous match (Shift+Enter)")
        self.next = QToolButton(self)
        self.next.setText("▼")
        self.next.setToolTip("Next match (Enter)")
        self.case = QCheckBox("Match case", self)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(6)
        layout.addWidget(QLabel("Find:", self))
        for widget in (self.field, self.previous, self.next, self.count, self.case):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(close)
        self.field.installEventFilter(self)
        self.field.textChanged.connect(self._changed)
        self.case.toggled.connect(self._changed)
        self.field.returnPressed.connect(self.next_requested)
        self.next.clicked.connect(self.next_requested)
        self.previous.clicked.connect(self.previous_requested)
        close.clicked.connect(self.close_bar)
        for key, signal in ((QKeySequence.StandardKey.FindNext, self.next_requested),
                            (QKeySequence.StandardKey.FindPrevious, self.previous_requested)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(signal)

    @property
    def text(self) -> str:
        return self.field.text()

    @property
    def match_case(self) -> bool:
        return self.case.isChecked()

    def open_bar(self, initial: str = "") -> None:
        """Show the bar with the field focused, seeded with ``initial`` if given."""
        self.show()
        if initial and "\n" not in initial:
            self.field.setText(initial)
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def show_count(self, current: int | None, total: int) -> None:
        """``3 of 12``, ``No matches``, or nothing while the field is empty."""
        if not self.field.text().strip():
            self.count.setText("")
        elif total == 0:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{current or 0} of {total}")
        self.field.setStyleSheet("background: #FBE3E4;" if self.field.text().strip()
                                 and total == 0 else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the field, Shift+Enter goes back and Esc closes (a line edit would eat them)."""
        if watched is self.field and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_requested.emit()
                return True
        return super().eventFilter(watched, event)

    def _changed(self) -> None:
        self.search_changed.emit(self.field.text(), self.case.isChecked())
