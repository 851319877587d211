"""The theme board (phases 3 and 4): final themes as lanes of emerging-theme cards.

Left to right: one lane per final theme holding its emerging themes, then the emerging
themes not yet grouped, then the miscellaneous pile of codes in no theme. The order on
the board is Table 1's order. Every move is an undo command calling a theme service.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
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

from thematic_workbench.core.changes import Change
from thematic_workbench.core.theme_board import Board, BoardTheme, emerging_order, read_board
from thematic_workbench.gui.board.cards import THEME_MIME, ThemeCard, mime_ints
from thematic_workbench.gui.board.commands import (
    CreateThemeCommand,
    PlaceCodeCommand,
    TakeCodeOutCommand,
    ThemeEditCommand,
)
from thematic_workbench.gui.board.menu_actions import BoardMenuActions
from thematic_workbench.gui.change_follower import ChangeFollower
from thematic_workbench.gui.models.changes import kinds_of
from thematic_workbench.gui.session import ProjectSession

LANE_WIDTH = 300
WATCHED = {"theme", "code", "theme_membership"}
LANE_STYLE = "QFrame#lane { background:#F3F5F8; border-radius:10px; }"


class Lane(QFrame):
    """A column of cards under a heading; a final theme's lane takes emerging themes."""

    theme_dropped = Signal(int, object)  # dragged theme, the final theme (None: ungroup)

    def __init__(self, heading: str, final_id: int | None, accepts_themes: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.final_id = final_id
        self.accepts_themes = accepts_themes
        self.setObjectName("lane")
        self.setStyleSheet(LANE_STYLE)
        self.setFixedWidth(LANE_WIDTH)
        self.setAcceptDrops(accepts_themes)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(8, 8, 8, 8)
        self.box.setSpacing(8)
        self.header = QHBoxLayout()
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.header.addWidget(self.heading, 1)
        self.box.addLayout(self.header)

    def add_card(self, card: QWidget) -> None:
        self.box.addWidget(card)

    def finish(self) -> None:
        self.box.addStretch(1)

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

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.board: Board | None = None
        self.cards: dict[int | None, ThemeCard] = {}
        self.lanes: dict[int | None, Lane] = {}
        self.actions = BoardMenuActions(self)
        bar = QHBoxLayout()
        self.new_emerging = QPushButton("New emerging theme…")
        self.new_final = QPushButton("New final theme…")
        self.new_emerging.clicked.connect(lambda: self.actions.create("emerging"))
        self.new_final.clicked.connect(lambda: self.actions.create("final"))
        hint = QLabel("Drag codes onto a theme card, or between cards; drag a card's title "
                      "onto a final theme to group it. The order here is Table 1's order.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#4B5563;")
        bar.addWidget(self.new_emerging)
        bar.addWidget(self.new_final)
        bar.addWidget(hint, 1)
        self.lanes_widget = QWidget()
        self.lanes_row = QHBoxLayout(self.lanes_widget)
        self.lanes_row.setContentsMargins(0, 0, 0, 0)
        self.lanes_row.setSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.lanes_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        session.changed.connect(self._on_changed)
        # Codings only change the counts on the chips: catch up later, when seen.
        self.counts = ChangeFollower(self, session, self.refresh, frozenset({"coding"}))
        self.refresh()

    # -- building ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.counts.stale = False
        with self.session.read() as s:
            self.board = board = read_board(s)
        while self.lanes_row.count():
            item = self.lanes_row.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)  # gone from the board now, freed later
                widget.deleteLater()
        self.cards.clear()
        self.lanes.clear()
        for final in board.finals:
            lane = self._lane(f"<span style='color:#2F5D8A; font-size:8pt'>FINAL THEME</span>"
                              f"<br><b style='font-size:11pt'>{escape(final.name)}</b>",
                              final.id)
            self._final_menu(lane, final)
            if final.codes:
                self._card(lane, BoardTheme(final.id, f"Codes directly under "
                                            f"'{final.name}'", "final", "", None,
                                            final.codes))
            for theme in board.emerging.get(final.id, ()):
                self._card(lane, theme)
            lane.finish()
        loose = self._lane("<b style='font-size:11pt'>Not yet under a final theme</b>", None)
        for theme in board.emerging.get(None, ()):
            self._card(loose, theme)
        if not board.emerging.get(None):
            empty = QLabel("Emerging themes you create start here.")
            empty.setStyleSheet("color:#9CA3AF; font-style:italic;")
            loose.add_card(empty)
        loose.finish()
        misc = Lane("<b style='font-size:11pt'>Miscellaneous</b><br><span style='color:#6B7280'>"
                    "codes in no theme yet</span>", None, accepts_themes=False)
        card = ThemeCard("Miscellaneous", board.miscellaneous, None)
        card.code_dropped.connect(self._code_dropped)
        self.cards[None] = card
        misc.add_card(card)
        misc.finish()
        self.lanes_row.addWidget(misc)
        self.lanes_row.addStretch(1)

    def _lane(self, heading: str, final_id: int | None) -> Lane:
        lane = Lane(heading, final_id, accepts_themes=True)
        lane.theme_dropped.connect(self._theme_onto_lane)
        self.lanes[final_id] = lane
        self.lanes_row.addWidget(lane)
        return lane

    def _card(self, lane: Lane, theme: BoardTheme) -> None:
        definition = theme.definition if len(theme.definition) <= 140 \
            else theme.definition[:137] + "…"
        card = ThemeCard(theme.name, theme.codes, theme.id, definition)
        card.code_dropped.connect(self._code_dropped)
        card.theme_dropped.connect(self._theme_onto_card)
        card.menu_requested.connect(self.actions.run)
        self.cards[theme.id] = card
        lane.add_card(card)

    def _final_menu(self, lane: Lane, final: BoardTheme) -> None:
        button = QToolButton()
        button.setText("\u22ef")
        button.setAutoRaise(True)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for key, text in (("rename", "Rename…"), ("define", "Define…"),
                          ("merge", "Merge into…"), ("discard", "Discard"),
                          ("delete", "Delete")):
            menu.addAction(text).triggered.connect(
                lambda _checked=False, k=key, t=final.id: self.actions.run(t, k))
        button.setMenu(menu)
        lane.header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    # -- drops -------------------------------------------------------------------------------
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
        return self.session.push(ThemeEditCommand(
            self.session, theme_id, "Group theme" if parent else "Reorder theme",
            parent=parent, position=position))

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

    def confirm(self, title: str, text: str) -> bool:
        """Overridable in tests: ask a yes/no question."""
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def ask_text(self, title: str, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=value)
        return text.strip() if ok and text.strip() else None

    def ask_choice(self, title: str, label: str, items: list[str]) -> str | None:
        item, ok = QInputDialog.getItem(self, title, label, items, 0, False)
        return item if ok else None
