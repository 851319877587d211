"""The calm strip under the phase strip for the read-only state and for notices."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

COLOURS = {"readonly": ("#FEF3C7", "#78350F"), "notice": ("#E0F2FE", "#0C4A6E")}
# The gap below is the banner's own margin: the layout around banners adds no spacing.
BANNER_STYLES = {kind: f"background:{back}; color:{text}; padding:6px 10px; "
                       "border-radius:4px; margin-bottom:6px;"
                 for kind, (back, text) in COLOURS.items()}


class Banner(QLabel):
    """A message across the centre. It never raises the window's minimum size (on a
    laptop every banner used to push the status bar off screen); a notice is dismissed
    with a click, the read-only banner stays."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = "notice"
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def show_message(self, text: str, kind: str = "notice") -> None:
        self.kind = kind
        self.setStyleSheet(BANNER_STYLES[kind])
        self.setText(text)
        self.setToolTip("Click to dismiss" if kind == "notice" else "")
        self.show()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.kind == "notice" and event.button() == Qt.MouseButton.LeftButton \
                and not self.hasSelectedText():
            self.hide()
        super().mousePressEvent(event)


def tell_window(widget: QWidget | None, text: str) -> None:
    """Show ``text`` on the notice strip of the main window that ``widget`` is in (through
    the dialogs above it, if it is in one)."""
    while widget is not None:
        notice = getattr(widget.window(), "notice", None)
        if notice is not None:
            notice.show_message(text)
            return
        widget = widget.window().parentWidget()
