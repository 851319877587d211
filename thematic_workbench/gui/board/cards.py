"""Cards and chips: an emerging theme as a card holding its codes as coloured chips.

Chips drag to other cards (a move), to the miscellaneous card (out of the theme) or
within their card (a new place in Table 1's order); codes dragged from the codes panel
land the same way. A card drags from anywhere but its chips and its menu button (the
title included) onto a final theme's lane.

Cards and chips take the keyboard focus; the keys and the context menus they receive go
to the board (``BoardHost``), which knows what the neighbours and the themes are.
"""

from __future__ import annotations

from html import escape
from typing import Protocol

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.queries.theme_board import BoardCode
from thematic_workbench.core.theme_words import ThemeWords
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.board.zoom import BoardZoom
from thematic_workbench.gui.coding.codes_model import CODE_MIME_TYPE as CODE_MIME
from thematic_workbench.gui.common.flow_layout import FlowLayout

FROM_THEME_MIME = "application/x-thematic-from-theme"
THEME_MIME = "application/x-thematic-theme-id"
CHIP_TEXT_WIDTH = 200  # a chip fits a card at 100 %; the full name is in its tooltip
FOCUS = "#1D4ED8"
CARD_STYLE = ("QFrame#themeCard { background:#FFFFFF; border:1px solid #D5DAE1;"
              " border-radius:8px; }"
              f"QFrame#themeCard:focus {{ border:2px solid {FOCUS}; }}"
              "QFrame#themeCard[dropping=\"true\"] { border:2px solid #2F5D8A; }")
MISC_STYLE = ("QFrame#themeCard { background:#FAFAF7; border:1px dashed #C9CDD3;"
              " border-radius:8px; }"
              f"QFrame#themeCard:focus {{ border:2px solid {FOCUS}; }}"
              "QFrame#themeCard[dropping=\"true\"] { border:2px dashed #2F5D8A; }")


class BoardHost(Protocol):
    """What a card or a chip asks of its board."""

    words: ThemeWords  # the project's words for the two theme levels

    def item_key(self, item: QWidget, event: QKeyEvent) -> bool: ...

    def item_menu(self, item: QWidget, where: QPoint) -> None: ...


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


def _is_menu_key(event: QKeyEvent) -> bool:
    """Shift+F10 opens a context menu, as the Menu key does."""
    return event.key() == Qt.Key.Key_F10 \
        and event.modifiers() == Qt.KeyboardModifier.ShiftModifier


class DragSource:
    """A left press followed by a move past the drag distance starts a drag.

    The press is remembered only until the button is released, so a later move cannot
    start a drag the user never began.
    """

    def __init__(self) -> None:
        self.pressed: QPoint | None = None

    def press(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.pressed = event.position().toPoint()

    def moved_far(self, event: QMouseEvent) -> bool:
        if self.pressed is None or not event.buttons() & Qt.MouseButton.LeftButton:
            self.pressed = None
            return False
        if (event.position().toPoint() - self.pressed).manhattanLength() \
                < QApplication.startDragDistance():
            return False
        self.pressed = None
        return True

    def release(self) -> None:
        self.pressed = None


class CodeChip(QLabel):
    """A code on a card: its colour, its name and how often it is used."""

    def __init__(self, code: BoardCode, theme_id: int | None, host: BoardHost | None = None,
                 zoom: BoardZoom | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code, self.theme_id, self.host = code, theme_id, host
        zoom = zoom or BoardZoom()
        self.setFont(zoom.font(self.font()))
        tint = QColor(code.colour)
        name = self.fontMetrics().elidedText(code.name, Qt.TextElideMode.ElideRight,
                                             zoom.px(CHIP_TEXT_WIDTH))
        self.setText(f"<span style='color:{tint.darker(140).name()}'>\u25cf</span> "
                     f"{escape(name)} <span style='color:#6B7280'>{code.codings}</span>")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        pad_v, pad_h = zoom.px(2), zoom.px(8)
        self.setStyleSheet(f"QLabel {{ background:{_tint(tint, 0.20)};"
                           f" border:1px solid {_tint(tint, 0.55)};"
                           f" border-radius:{zoom.px(10)}px; padding:{pad_v}px {pad_h}px; }}"
                           f"QLabel:focus {{ border:2px solid {FOCUS};"
                           f" padding:{max(0, pad_v - 1)}px {pad_h - 1}px; }}")
        definition = f"<br>{escape(code.definition)}" if code.definition else ""
        self.setToolTip(f"<b>{escape(code.name)}</b> · {plural(code.codings, 'coding')}{definition}"
                        "<br><i>Drag to another theme, or within this one to reorder;"
                        " right-click or Shift+F10 for the menu, Enter for its extracts</i>")
        self.setAccessibleName(f"Code {code.name}")
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.drag = DragSource()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.drag.press(event)
        super().mousePressEvent(event)
        event.accept()  # the chip's own drag, not its card's

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.drag.moved_far(event):
            payload = {CODE_MIME: self.code.id}
            if self.theme_id is not None:
                payload[FROM_THEME_MIME] = self.theme_id
            _start_drag(self, payload)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.drag.release()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_menu_key(event) and self.host is not None:
            self.host.item_menu(self, self.mapToGlobal(self.rect().bottomLeft()))
        elif self.host is None or not self.host.item_key(self, event):
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.host is not None:
            where = event.globalPos() if event.reason() == QContextMenuEvent.Reason.Mouse \
                else self.mapToGlobal(self.rect().bottomLeft())
            self.host.item_menu(self, where)


class ThemeCard(QFrame):
    """An emerging theme (or the miscellaneous pile when ``theme_id`` is None)."""

    code_dropped = Signal(int, int, int, int)  # code, from theme (-1: none), onto theme, place
    theme_dropped = Signal(int, int)  # the dragged theme, dropped onto this card's theme

    def __init__(self, title: str, codes: tuple[BoardCode, ...], theme_id: int | None,
                 subtitle: str = "", parent: QWidget | None = None, *,
                 host: BoardHost | None = None, zoom: BoardZoom | None = None,
                 draggable: bool = True) -> None:
        super().__init__(parent)
        self.theme_id, self.host = theme_id, host
        self.draggable = draggable and theme_id is not None
        zoom = zoom or BoardZoom()
        self.setFont(zoom.font(self.font()))
        self.setObjectName("themeCard")
        self.setStyleSheet(MISC_STYLE if theme_id is None else CARD_STYLE)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"Theme {title}" if theme_id is not None else title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(zoom.px(10), zoom.px(8), zoom.px(10), zoom.px(10))
        layout.setSpacing(zoom.px(6))
        header = QHBoxLayout()
        count = plural(len(codes), "code", grouped=False)
        self.title = QLabel(f"<b>{escape(title)}</b> <span style='color:#6B7280'>"
                            f"· {count}</span>")
        self.title.setWordWrap(True)
        self.title.setFont(self.font())  # a style sheet stops fonts passing to children
        # The title is part of the handle: presses and moves belong to the card.
        self.title.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        header.addWidget(self.title, 1)
        self.menu_button: QToolButton | None = None
        if theme_id is not None:
            if self.draggable:
                self.setCursor(Qt.CursorShape.OpenHandCursor)
                final = host.words.theme("final") if host is not None else "final theme"
                self.setToolTip(f"Drag this card onto a {final} to group it; right-click "
                                f"or Shift+F10 for Move to {final} and more")
            button = QToolButton()
            button.setText("\u22ef")
            button.setAutoRaise(True)
            button.setToolTip("Theme menu")
            button.setAccessibleName(f"Menu of {title}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the card itself opens it by key
            button.clicked.connect(self._menu_from_button)
            self.menu_button = button
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        if subtitle:
            note = QLabel(subtitle)
            note.setWordWrap(True)
            note.setFont(self.font())
            note.setStyleSheet(f"color:#4B5563; font-size:{zoom.pt(9)}pt;")
            note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(note)
        chips = QWidget()
        self.flow = FlowLayout(chips)
        self.chips = [CodeChip(code, theme_id, host, zoom) for code in codes]
        for chip in self.chips:
            self.flow.addWidget(chip)
        if not codes:
            hint = QLabel("Drop codes here, or use a code's Move to theme…")
            hint.setWordWrap(True)
            hint.setFont(self.font())
            hint.setStyleSheet("color:#9CA3AF; font-style:italic;")
            hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.flow.addWidget(hint)
        layout.addWidget(chips)
        self.drag = DragSource()

    def _menu_from_button(self) -> None:
        if self.host is not None and self.menu_button is not None:
            button = self.menu_button
            self.host.item_menu(self, button.mapToGlobal(button.rect().bottomLeft()))

    # -- dragging the card -------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.draggable:
            self.drag.press(event)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.draggable and self.theme_id is not None and self.drag.moved_far(event):
            _start_drag(self, {THEME_MIME: self.theme_id})

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.drag.release()
        super().mouseReleaseEvent(event)

    # -- keys and menus ----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_menu_key(event) and self.host is not None:
            self.host.item_menu(self, self.mapToGlobal(self.rect().topLeft() + QPoint(8, 20)))
        elif self.host is None or not self.host.item_key(self, event):
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.host is not None:
            where = event.globalPos() if event.reason() == QContextMenuEvent.Reason.Mouse \
                else self.mapToGlobal(self.rect().topLeft() + QPoint(8, 20))
            self.host.item_menu(self, where)

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
            holder = chip.parentWidget()
            box = chip.geometry().translated(holder.pos() if holder is not None else QPoint())
            if point.y() < box.top() or (point.y() <= box.bottom()
                                         and point.x() < box.center().x()):
                return index
        return len(self.chips)

    def _highlight(self, on: bool) -> None:
        self.setProperty("dropping", on)
        self.style().unpolish(self)
        self.style().polish(self)
