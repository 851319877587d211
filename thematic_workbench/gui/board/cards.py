"""Cards and chips: an emerging theme as a card holding its codes as coloured chips.

Chips drag to other cards (a move), to the miscellaneous card (out of the theme) or
within their card (a new place in Table 1's order); codes dragged from the codes panel
land the same way. A card drags by its title onto a final theme's lane.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.theme_board import BoardCode
from thematic_workbench.gui.flow_layout import FlowLayout
from thematic_workbench.gui.models.codes_model import CODE_MIME_TYPE as CODE_MIME

FROM_THEME_MIME = "application/x-thematic-from-theme"
THEME_MIME = "application/x-thematic-theme-id"
CHIP_TEXT_WIDTH = 200  # a chip fits a card; the full name is in its tooltip
CARD_STYLE = ("QFrame#themeCard { background:#FFFFFF; border:1px solid #D5DAE1;"
              " border-radius:8px; }"
              "QFrame#themeCard[dropping=\"true\"] { border:2px solid #2F5D8A; }")
MISC_STYLE = ("QFrame#themeCard { background:#FAFAF7; border:1px dashed #C9CDD3;"
              " border-radius:8px; }"
              "QFrame#themeCard[dropping=\"true\"] { border:2px dashed #2F5D8A; }")


def mime_ints(mime: QMimeData, kind: str) -> int | None:
    """The id a drag carries under ``kind``, if it carries one."""
    if not mime.hasFormat(kind):
        return None
    try:
        return int(bytes(mime.data(kind).data()).decode("ascii"))
    except ValueError:
        return None


def _tint(colour: QColor, share: float) -> str:
    """The colour mixed into white: the same light tint whatever the code's colour."""
    def mix(ink: int) -> int:
        return round(255 * (1 - share) + ink * share)

    return QColor(mix(colour.red()), mix(colour.green()), mix(colour.blue())).name()


def _start_drag(source: QWidget, payload: dict[str, int]) -> None:
    mime = QMimeData()
    for kind, value in payload.items():
        mime.setData(kind, QByteArray(str(value).encode("ascii")))
    drag = QDrag(source)
    drag.setMimeData(mime)
    drag.setPixmap(source.grab())
    drag.exec(Qt.DropAction.MoveAction)


class CodeChip(QLabel):
    """A code on a card: its colour, its name and how often it is used."""

    def __init__(self, code: BoardCode, theme_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code, self.theme_id = code, theme_id
        tint = QColor(code.colour)
        name = self.fontMetrics().elidedText(code.name, Qt.TextElideMode.ElideRight,
                                             CHIP_TEXT_WIDTH)
        self.setText(f"<span style='color:{tint.darker(140).name()}'>\u25cf</span> "
                     f"{escape(name)} <span style='color:#6B7280'>{code.codings}</span>")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStyleSheet(f"QLabel {{ background:{_tint(tint, 0.20)};"
                           f" border:1px solid {_tint(tint, 0.55)};"
                           " border-radius:10px; padding:2px 8px; }")
        definition = f"<br>{escape(code.definition)}" if code.definition else ""
        self.setToolTip(f"<b>{escape(code.name)}</b> · {code.codings} codings{definition}"
                        "<br><i>Drag to another theme, or within this one to reorder</i>")
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self._pressed: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pressed is not None and (event.position().toPoint() - self._pressed) \
                .manhattanLength() >= QApplication.startDragDistance():
            self._pressed = None
            payload = {CODE_MIME: self.code.id}
            if self.theme_id is not None:
                payload[FROM_THEME_MIME] = self.theme_id
            _start_drag(self, payload)


class ThemeCard(QFrame):
    """An emerging theme (or the miscellaneous pile when ``theme_id`` is None)."""

    code_dropped = Signal(int, int, int, int)  # code, from theme (-1: none), onto theme, place
    theme_dropped = Signal(int, int)  # the dragged theme, dropped onto this card's theme
    menu_requested = Signal(int, str)  # theme, action

    ACTIONS = (("rename", "Rename…"), ("define", "Define…"), ("split", "Split off codes…"),
               ("merge", "Merge into…"), ("discard", "Discard"), ("delete", "Delete"))

    def __init__(self, title: str, codes: tuple[BoardCode, ...], theme_id: int | None,
                 subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme_id = theme_id
        self.setObjectName("themeCard")
        self.setStyleSheet(MISC_STYLE if theme_id is None else CARD_STYLE)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        header = QHBoxLayout()
        self.title = QLabel(f"<b>{escape(title)}</b> <span style='color:#6B7280'>"
                            f"· {len(codes)} code{'' if len(codes) == 1 else 's'}</span>")
        self.title.setWordWrap(True)
        header.addWidget(self.title, 1)
        if theme_id is not None:
            self.title.setCursor(Qt.CursorShape.OpenHandCursor)
            self.title.setToolTip("Drag the title onto a final theme to group this theme")
            button = QToolButton()
            button.setText("\u22ef")
            button.setAutoRaise(True)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(button)
            for key, text in self.ACTIONS:
                menu.addAction(text).triggered.connect(
                    lambda _checked=False, k=key: self.menu_requested.emit(theme_id, k))
            button.setMenu(menu)
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        if subtitle:
            note = QLabel(subtitle)
            note.setWordWrap(True)
            note.setStyleSheet("color:#4B5563; font-size:9pt;")
            layout.addWidget(note)
        chips = QWidget()
        self.flow = FlowLayout(chips)
        self.chips = [CodeChip(code, theme_id) for code in codes]
        for chip in self.chips:
            self.flow.addWidget(chip)
        if not codes:
            hint = QLabel("Drop codes here")
            hint.setStyleSheet("color:#9CA3AF; font-style:italic;")
            self.flow.addWidget(hint)
        layout.addWidget(chips)
        self._pressed: QPoint | None = None

    # -- dragging the card by its title ------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.theme_id is not None and event.button() == Qt.MouseButton.LeftButton \
                and self.title.geometry().contains(event.position().toPoint()):
            self._pressed = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pressed is not None and self.theme_id is not None and \
                (event.position().toPoint() - self._pressed).manhattanLength() \
                >= QApplication.startDragDistance():
            self._pressed = None
            _start_drag(self, {THEME_MIME: self.theme_id})

    # -- dropping ----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(CODE_MIME) or (mime.hasFormat(THEME_MIME) and self.theme_id):
            self._highlight(True)
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: object) -> None:
        self._highlight(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._highlight(False)
        mime = event.mimeData()
        code_id = mime_ints(mime, CODE_MIME)
        theme_id = mime_ints(mime, THEME_MIME)
        if code_id is not None:
            from_theme = mime_ints(mime, FROM_THEME_MIME)
            self.code_dropped.emit(code_id, -1 if from_theme is None else from_theme,
                                   -1 if self.theme_id is None else self.theme_id,
                                   self.place_at(event.position().toPoint()))
            event.acceptProposedAction()
        elif theme_id is not None and self.theme_id is not None and theme_id != self.theme_id:
            self.theme_dropped.emit(theme_id, self.theme_id)
            event.acceptProposedAction()

    def place_at(self, point: QPoint) -> int:
        """The place among the chips that a drop at ``point`` (card coordinates) means."""
        for index, chip in enumerate(self.chips):
            box = chip.geometry().translated(chip.parentWidget().pos())
            if point.y() < box.top() or (point.y() <= box.bottom()
                                         and point.x() < box.center().x()):
                return index
        return len(self.chips)

    def _highlight(self, on: bool) -> None:
        self.setProperty("dropping", on)
        self.style().unpolish(self)
        self.style().polish(self)
