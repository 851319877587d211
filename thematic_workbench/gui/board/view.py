"""The theme board (phases 3 and 4): final themes as lanes of emerging-theme cards.

Left to right: one lane per final theme holding its emerging themes, then the emerging
themes not yet grouped, then the miscellaneous pile of codes in no theme. The order on
the board is Table 1's order. Every move is an undo command calling a theme service.

Every drag has a menu entry and keys: lanes, cards and chips take the focus (arrow keys
move it, Alt+Up/Down moves the focused card or chip, the Menu key or Shift+F10 opens its
menu, Enter on a chip shows its extracts). The board zooms (Ctrl+wheel, Ctrl+=, Ctrl+-,
Ctrl+0, Fit) and scrolls by itself while something is dragged near its edges.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.queries.theme_board import (
    Board,
    BoardCode,
    BoardTheme,
    emerging_order,
    read_board,
)
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.gui.board.cards import (
    FOCUS,
    THEME_MIME,
    BoardHost,
    CodeChip,
    ThemeCard,
    mime_ints,
)
from thematic_workbench.gui.board.choosers import NewThemeDialog, ThemeChooser
from thematic_workbench.gui.board.commands import (
    CreateThemeCommand,
    PlaceCodeCommand,
    TakeCodeOutCommand,
    ThemeEditCommand,
)
from thematic_workbench.gui.board.menu_actions import BoardMenuActions, FocusKey
from thematic_workbench.gui.board.zoom import BoardZoom, DragAutoscroll
from thematic_workbench.gui.common.change_follower import ChangeFollower
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.session import ProjectSession

LANE_WIDTH = 300
LANE_SPACING = 10
DETAIL_ZOOM = 0.8  # below this zoom, cards leave out their definitions
WATCHED = {Kind.THEME, Kind.CODE, Kind.THEME_MEMBERSHIP, Kind.PROJECT}  # PROJECT: the words
LANE_STYLE = ("QFrame#lane { background:#F3F5F8; border-radius:10px;"
              " border:2px solid transparent; }"
              f"QFrame#lane:focus {{ border:2px solid {FOCUS}; }}")


class Lane(QFrame):
    """A column of cards under a heading; a final theme's lane takes emerging themes."""

    theme_dropped = Signal(int, object)  # dragged theme, the final theme (None: ungroup)

    def __init__(self, heading: str, final_id: int | None, accepts_themes: bool,
                 parent: QWidget | None = None, *, host: BoardHost | None = None,
                 zoom: BoardZoom | None = None, key: object = None) -> None:
        super().__init__(parent)
        self.final_id = final_id
        self.accepts_themes = accepts_themes
        self.host = host
        self.key = final_id if key is None else key  # a final theme, "loose" or "misc"
        zoom = zoom or BoardZoom()
        self.setObjectName("lane")
        self.setStyleSheet(LANE_STYLE)
        self.setFixedWidth(zoom.px(LANE_WIDTH))
        self.setAcceptDrops(accepts_themes)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.box = QVBoxLayout(self)
        margin = zoom.px(8)
        self.box.setContentsMargins(margin, margin, margin, margin)
        self.box.setSpacing(margin)
        self.header = QHBoxLayout()
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.heading.setFont(zoom.font(self.heading.font()))
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.header.addWidget(self.heading, 1)
        self.box.addLayout(self.header)

    def add_card(self, card: QWidget) -> None:
        self.box.addWidget(card)

    def finish(self) -> None:
        self.box.addStretch(1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F10 \
                and event.modifiers() == Qt.KeyboardModifier.ShiftModifier \
                and self.host is not None:
            self.host.item_menu(self, self.mapToGlobal(QPoint(12, 24)))
        elif self.host is None or not self.host.item_key(self, event):
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.host is not None:
            self.host.item_menu(self, event.globalPos()
                                if event.reason() == QContextMenuEvent.Reason.Mouse
                                else self.mapToGlobal(QPoint(12, 24)))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(THEME_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        theme_id = mime_ints(event.mimeData(), THEME_MIME)
        if theme_id is not None:
            self.theme_dropped.emit(theme_id, self.final_id)
            event.acceptProposedAction()


class ThemeBoard(QWidget):
    """The board of one project; rebuilt from the database when themes or codes change."""

    theme_selected = Signal(int)
    code_activated = Signal(int)  # Enter on a chip, or its "Show extracts"

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.board: Board | None = None
        self.cards: dict[int | None, ThemeCard] = {}
        self.lanes: dict[int | None, Lane] = {}
        self.columns: list[list[QWidget]] = []  # what the arrow keys walk, lane by lane
        self._pending_focus: FocusKey | None = None
        self._retired: list[QWidget] = []
        self.menu_actions = BoardMenuActions(self, self)
        self.zoom = BoardZoom(self)
        self.words: ThemeWords = EMERGING_FINAL  # the project's, read with the board
        self.new_emerging = QPushButton()
        self.new_final = QPushButton()
        for button in (self.new_emerging, self.new_final):
            button.setEnabled(not session.readonly)
        self.new_emerging.clicked.connect(lambda: self.menu_actions.create("emerging"))
        self.new_final.clicked.connect(lambda: self.menu_actions.create("final"))
        self.hint = hint = QLabel()
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#4B5563;")
        bar = QHBoxLayout()
        bar.addWidget(self.new_emerging)
        bar.addWidget(self.new_final)
        bar.addWidget(hint, 1)
        self.zoom_label = QLabel(self.zoom.label())
        self.zoom_label.setToolTip("Zoom: Ctrl+wheel, Ctrl+= and Ctrl+-, Ctrl+0 for 100 %")

        def tool_button(text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
            return button

        tool_button("\u2212", "Zoom out (Ctrl+-)", self.zoom.zoom_out)
        bar.addWidget(self.zoom_label)
        tool_button("+", "Zoom in (Ctrl+=)", self.zoom.zoom_in)
        self.fit_button = tool_button("Fit", "Scale the board so every lane fits the width",
                                      self.fit)
        for keys, slot in ((("Ctrl+=", "Ctrl++"), self.zoom.zoom_in),
                           (("Ctrl+-",), self.zoom.zoom_out),
                           (("Ctrl+0",), self.zoom.reset)):
            action = QAction(self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.lanes_widget = QWidget()
        self.lanes_row = QHBoxLayout(self.lanes_widget)
        self.lanes_row.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.lanes_widget)
        self.scroll_area.viewport().installEventFilter(self)
        self.autoscroll = DragAutoscroll(self.scroll_area)
        self.autoscroll.watch(self.scroll_area.viewport())
        self.autoscroll.watch(self.lanes_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)
        self.zoom.changed.connect(self._zoomed)
        session.changed.connect(self._on_changed)
        # Codings only change the counts on the chips: catch up later, when seen.
        self.counts = ChangeFollower(self, session, self.refresh, frozenset({Kind.CODING}))
        self.refresh()

    # -- building ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.counts.stale = False
        focus = QApplication.focusWidget()
        # Keep the focus on the board, unless the user is elsewhere in the same window
        # (a dialog or a menu that has just closed does not count).
        take_focus = focus is None or self.isAncestorOf(focus) \
            or focus.window() is not self.window()
        wanted = self._pending_focus or self.key_of(self.focusWidget())
        self._pending_focus = None
        with self.session.read() as s:
            self.board = board = read_board(s)
            self.words = words = project_theme_words(s)
        self._name_levels(words)
        # Old lanes leave the board now and are freed later: a key or a menu of one of
        # their cards may be what is running. Out of their parent, Python owns them, so
        # a reference is kept until Qt has deleted them (else they would go at once).
        self._retired = [w for w in self._retired if isValid(w)]
        while (item := self.lanes_row.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
                self._retired.append(widget)
        self.cards.clear()
        self.lanes.clear()
        self.columns = []
        self.lanes_row.setSpacing(self.zoom.px(LANE_SPACING))
        small, large = self.zoom.pt(8), self.zoom.pt(11)
        for final in board.finals:
            lane = self._lane(f"<span style='color:#2F5D8A; font-size:{small}pt'>"
                              f"{words.theme('final').upper()}"
                              f"</span><br><b style='font-size:{large}pt'>"
                              f"{escape(final.name)}</b>", final.id)
            self._final_menu(lane)
            if final.codes:
                self._card(lane, BoardTheme(final.id, f"Codes directly under "
                                            f"'{final.name}'", "final", "", None,
                                            final.codes))
            for theme in board.emerging.get(final.id, ()):
                self._card(lane, theme)
            lane.finish()
        loose = self._lane(f"<b style='font-size:{large}pt'>Not yet under a "
                           f"{words.theme('final')}</b>",
                           None, key="loose")
        for theme in board.emerging.get(None, ()):
            self._card(loose, theme)
        if not board.emerging.get(None):
            empty = QLabel(f"{words.themes('emerging', True)} you create start here.")
            empty.setWordWrap(True)
            empty.setFont(self.zoom.font(empty.font()))
            empty.setStyleSheet("color:#9CA3AF; font-style:italic;")
            loose.add_card(empty)
        loose.finish()
        misc = Lane(f"<b style='font-size:{large}pt'>Miscellaneous</b><br>"
                    "<span style='color:#6B7280'>codes in no theme yet</span>", None,
                    accepts_themes=False, host=self, zoom=self.zoom, key="misc")
        self.autoscroll.watch(misc)
        self.columns.append([misc])
        card = ThemeCard("Miscellaneous", board.miscellaneous, None, host=self,
                         zoom=self.zoom)
        card.code_dropped.connect(self._code_dropped)
        self._add_to_column(card)
        self.cards[None] = card
        misc.add_card(card)
        misc.finish()
        self.lanes_row.addWidget(misc)
        self.lanes_row.addStretch(1)
        if wanted is not None:
            target = self.widget_for(wanted)
            if target is not None and take_focus:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                # tied to the board: a board closed meanwhile is not called
                QTimer.singleShot(0, self, lambda w=target: self._show(w))

    def _name_levels(self, words: ThemeWords) -> None:
        """The buttons and the hint in the project's words for the two levels."""
        self.new_emerging.setText(f"New {words.theme('emerging')}…")
        self.new_final.setText(f"New {words.theme('final')}…")
        self.new_emerging.setToolTip(f"A candidate theme, under a {words.theme('final')} if "
                                     "you like (Ctrl+Shift+T)")
        self.hint.setText(f"Drag codes onto cards and cards onto {words.themes('final')}, or "
                          "right-click (Shift+F10) for the same moves. The order here is "
                          "Table 1's order.")

    def _lane(self, heading: str, final_id: int | None, key: object = None) -> Lane:
        lane = Lane(heading, final_id, accepts_themes=True, host=self, zoom=self.zoom,
                    key=key)
        lane.theme_dropped.connect(self._theme_onto_lane)
        self.autoscroll.watch(lane)
        self.lanes[final_id] = lane
        self.lanes_row.addWidget(lane)
        self.columns.append([lane])
        return lane

    def _card(self, lane: Lane, theme: BoardTheme) -> None:
        definition = theme.definition if len(theme.definition) <= 140 \
            else theme.definition[:137] + "…"
        if self.zoom.factor < DETAIL_ZOOM:
            definition = ""  # zoomed out: fewer details rather than tinier text
        card = ThemeCard(theme.name, theme.codes, theme.id, definition, host=self,
                         zoom=self.zoom, draggable=theme.level == "emerging")
        card.code_dropped.connect(self._code_dropped)
        card.theme_dropped.connect(self._theme_onto_card)
        self.autoscroll.watch(card)
        self.cards[theme.id] = card
        self._add_to_column(card)
        lane.add_card(card)

    def _add_to_column(self, card: ThemeCard) -> None:
        self.columns[-1].append(card)
        self.columns[-1].extend(card.chips)

    def _final_menu(self, lane: Lane) -> None:
        button = QToolButton()
        button.setText("\u22ef")
        button.setAutoRaise(True)
        button.setToolTip("Final theme menu")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the focused lane opens it by key
        button.clicked.connect(
            lambda: self.item_menu(lane, button.mapToGlobal(button.rect().bottomLeft())))
        lane.header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    # -- focus and keys ----------------------------------------------------------------------
    def key_of(self, widget: QWidget | None) -> FocusKey | None:
        """What a focused widget stands for, so the same thing has the focus after a rebuild."""
        if isinstance(widget, CodeChip):
            return ("chip", widget.code.id, widget.theme_id)
        if isinstance(widget, ThemeCard):
            return ("card", widget.theme_id)
        if isinstance(widget, Lane):
            return ("lane", widget.key)
        return None

    def widget_for(self, key: FocusKey) -> QWidget | None:
        items = [w for column in self.columns for w in column]
        exact = next((w for w in items if self.key_of(w) == key), None)
        if exact is not None or key[0] != "chip":
            return exact
        # A chip whose code moved: follow the code to where it is now.
        return next((w for w in items if isinstance(w, CodeChip) and w.code.id == key[1]),
                    None)

    def focus_item(self, key: FocusKey) -> None:
        """Give the focus to this card, chip or lane, now or after the next rebuild."""
        widget = self.widget_for(key)
        if widget is None:
            self._pending_focus = key
            return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show(widget)

    def _show(self, widget: QWidget) -> None:
        if self.isAncestorOf(widget):
            self.scroll_area.ensureWidgetVisible(widget, 20, 20)

    def focused_final(self) -> int | None:
        """The final theme the user is working in: the lane holding the focused item."""
        widget: QWidget | None = self.focusWidget()
        while widget is not None and widget is not self:
            if isinstance(widget, Lane):
                return widget.final_id
            widget = widget.parentWidget()
        return None

    def item_key(self, item: QWidget, event: QKeyEvent) -> bool:
        """Keys on a lane, card or chip: move the focus, move the item, open things."""
        key, mods = event.key(), event.modifiers()
        alt = Qt.KeyboardModifier.AltModifier
        if mods == alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            by = -1 if key == Qt.Key.Key_Up else 1
            if isinstance(item, CodeChip):
                self.menu_actions.move_code(item.code.id, item.theme_id, by)
            elif isinstance(item, ThemeCard) and item.theme_id is not None:
                self.move_theme(item.theme_id, by)
            return True
        if mods != Qt.KeyboardModifier.NoModifier and mods != Qt.KeyboardModifier.KeypadModifier:
            return False
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._step_focus(item, key)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if isinstance(item, CodeChip):
                self.code_activated.emit(item.code.id)
            else:
                self.item_menu(item, item.mapToGlobal(QPoint(12, 24)))
            return True
        if key == Qt.Key.Key_F2:
            theme_id = item.theme_id if isinstance(item, ThemeCard) else \
                item.final_id if isinstance(item, Lane) else None
            if theme_id is not None:
                self.menu_actions.run(theme_id, "rename")
            return theme_id is not None
        if key == Qt.Key.Key_Delete and isinstance(item, CodeChip):
            self.menu_actions.send_to_miscellaneous(item.code.id, item.theme_id)
            return True
        return False

    def _step_focus(self, item: QWidget, key: int) -> None:
        where = next(((c, column.index(item)) for c, column in enumerate(self.columns)
                      if item in column), None)
        if where is None:
            return
        column, row = where
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            items = self.columns[column]
            target = items[max(0, min(len(items) - 1, row + (-1 if key == Qt.Key.Key_Up
                                                               else 1)))]
        else:
            step = -1 if key == Qt.Key.Key_Left else 1
            if not 0 <= column + step < len(self.columns):
                return
            # The card at the same place in the next lane (or its heading).
            def cards_of(col: list[QWidget]) -> list[QWidget]:
                return [w for w in col if not isinstance(w, CodeChip)]

            here = cards_of(self.columns[column])
            card = item if not isinstance(item, CodeChip) else \
                next(w for w in reversed(self.columns[column][:row + 1])
                     if not isinstance(w, CodeChip))
            there = cards_of(self.columns[column + step])
            target = there[min(here.index(card), len(there) - 1)]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        self._show(target)

    # -- menus -------------------------------------------------------------------------------
    def menu_for(self, item: QWidget) -> QMenu | None:
        """The context menu of a lane, a card or a chip (the same by mouse and by key)."""
        if self.board is None:
            return None
        if isinstance(item, CodeChip):
            return self.menu_actions.code_menu(item.code.id, item.theme_id, self)
        if isinstance(item, ThemeCard):
            theme = self.board.theme(item.theme_id) if item.theme_id is not None else None
            return self.menu_actions.theme_menu(theme, self) if theme is not None \
                else self.menu_actions.lane_menu(None, self)
        if isinstance(item, Lane):
            final = self.board.theme(item.final_id) if item.final_id is not None else None
            return self.menu_actions.lane_menu(final, self)
        return None

    def item_menu(self, item: QWidget, where: QPoint) -> None:
        if item.focusPolicy() != Qt.FocusPolicy.NoFocus:
            item.setFocus(Qt.FocusReason.PopupFocusReason)
        menu = self.menu_for(item)
        if menu is not None:
            self.popup(menu, where)

    def popup(self, menu: QMenu, where: QPoint) -> None:
        """Overridable in tests: show a menu and run the chosen entry."""
        menu.exec(where)
        menu.deleteLater()

    # -- moves -------------------------------------------------------------------------------
    def place_code(self, code_id: int, from_theme: int | None, onto: int | None,
                   position: int | None = None) -> bool:
        """What a drop does: into a theme (moving it from ``from_theme``), or out of one."""
        if onto is None:
            if from_theme is None:
                return False
            return self.session.push(TakeCodeOutCommand(self.session, code_id, from_theme))
        verb = "Reorder code" if from_theme == onto else "Move code" if from_theme \
            else "Add code to theme"
        return self.session.push(PlaceCodeCommand(self.session, code_id, onto, position,
                                                  from_theme, verb))

    def group_theme(self, theme_id: int, final_id: int | None,
                    before_theme: int | None = None) -> bool:
        """Put an emerging theme under a final theme (or none), before another card."""
        if self.board is None:
            return False
        theme = self.board.theme(theme_id)
        if theme is None or theme.level != "emerging":
            return False
        position = None
        if before_theme is not None:
            with self.session.read() as s:
                order = [t for t in emerging_order(s) if t != theme_id]
            if before_theme in order:
                position = order.index(before_theme)
        parent = (final_id,) if final_id != theme.parent_id else None
        if parent is None and position is None:
            return False
        label = "Reorder theme" if parent is None else \
            "Make theme loose" if final_id is None else "Group theme"
        self._pending_focus = ("card", theme_id)
        return self.session.push(ThemeEditCommand(
            self.session, theme_id, label, parent=parent, position=position))

    def _sibling(self, theme_id: int, by: int) -> int | None:
        theme = self.board.theme(theme_id) if self.board is not None else None
        if theme is None or theme.level != "emerging" or self.board is None:
            return None
        lane = [t.id for t in self.board.emerging.get(theme.parent_id, ())]
        place = lane.index(theme_id) + by
        return lane[place] if 0 <= place < len(lane) else None

    def can_move_theme(self, theme_id: int, by: int) -> bool:
        return self._sibling(theme_id, by) is not None

    def move_theme(self, theme_id: int, by: int) -> bool:
        """One place up (``by=-1``) or down in its lane: Table 1's order of themes."""
        neighbour = self._sibling(theme_id, by)
        if neighbour is None:
            return False
        with self.session.read() as s:
            order = [t for t in emerging_order(s) if t != theme_id]
        position = order.index(neighbour) + (0 if by < 0 else 1)
        self._pending_focus = ("card", theme_id)
        return self.session.push(ThemeEditCommand(self.session, theme_id, "Reorder theme",
                                                  position=position))

    def all_codes(self) -> list[BoardCode]:
        if self.board is None:
            return []
        every = [*self.board.miscellaneous, *(c for t in self.board.finals for c in t.codes),
                 *(c for group in self.board.emerging.values() for t in group
                   for c in t.codes)]
        return list({c.id: c for c in every}.values())

    def _code_dropped(self, code_id: int, from_theme: int, onto: int, position: int) -> None:
        self.place_code(code_id, None if from_theme < 0 else from_theme,
                        None if onto < 0 else onto, position)

    def _theme_onto_lane(self, theme_id: int, final_id: object) -> None:
        self.group_theme(theme_id, final_id if isinstance(final_id, int) else None)

    def _theme_onto_card(self, theme_id: int, onto_theme: int) -> None:
        if self.board is None:
            return
        target = self.board.theme(onto_theme)
        if target is not None:
            self.group_theme(theme_id, target.parent_id if target.level == "emerging"
                             else target.id, before_theme=onto_theme)

    def create_theme(self, name: str, level: str, parent_id: int | None = None) -> bool:
        return self.session.push(CreateThemeCommand(self.session, name, level, parent_id))

    def _on_changed(self, change: Change) -> None:
        if kinds_of(change) & WATCHED:
            self.refresh()

    # -- zoom --------------------------------------------------------------------------------
    def fit(self) -> None:
        """Scale the board so that every lane fits the width it has."""
        lanes = max(1, len(self.columns))
        needed = lanes * LANE_WIDTH + (lanes - 1) * LANE_SPACING
        self.zoom.fit(self.scroll_area.viewport().width() - 4, needed)

    def _zoomed(self, _factor: float) -> None:
        bar = self.scroll_area.horizontalScrollBar()
        share = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.zoom_label.setText(self.zoom.label())
        self.refresh()

        def restore() -> None:
            bar.setValue(round(share * bar.maximum()))

        QTimer.singleShot(0, restore)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+wheel over the board zooms instead of scrolling."""
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Wheel \
                and isinstance(event, QWheelEvent) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta > 0:
                self.zoom.zoom_in()
            elif delta < 0:
                self.zoom.zoom_out()
            return True
        return super().eventFilter(watched, event)

    # -- questions (overridable in tests) ----------------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        """Ask a yes/no question."""
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def ask_text(self, title: str, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=value)
        return text.strip() if ok and text.strip() else None

    def ask_choice(self, title: str, label: str, items: list[str]) -> str | None:
        item, ok = QInputDialog.getItem(self, title, label, items, 0, False)
        return item if ok else None

    def ask_new_theme(self, level: str, finals: list[tuple[int, str]],
                      parent_id: int | None) -> tuple[str, int | None] | None:
        """The name of a new theme and the final theme it goes under (emerging only)."""
        dialog = NewThemeDialog(level, finals, parent_id, self, self.words)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        name, parent = dialog.chosen()
        return (name, parent) if name else None

    def choose_theme(self, title: str, label: str, themes: list[tuple[int, str]],
                     new_label: str | None = None) -> int | None:
        """A theme picked by typing (or ``NEW``), or None when the user cancels."""
        dialog = ThemeChooser(title, label, themes, new_label, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()
