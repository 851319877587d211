"""What the board's buttons and menus do: each asks what it needs, then pushes a command.

The menus of a card, a chip and a lane are built here, so the ⋯ button, a right-click and
the keyboard (Menu key, Shift+F10) show the same entries. Every entry is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.queries.theme_board import BoardTheme, theme_details
from thematic_workbench.core.theme_words import ThemeWords
from thematic_workbench.gui.board.choosers import NEW
from thematic_workbench.gui.board.commands import (
    CreateThemeCommand,
    DeleteThemeCommand,
    DiscardThemeCommand,
    MergeThemesCommand,
    SplitThemeCommand,
    ThemeEditCommand,
    ThemeValues,
)
from thematic_workbench.gui.common.level_words import menu_word

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from thematic_workbench.core.queries.theme_board import Board, BoardCode
    from thematic_workbench.gui.session import ProjectSession

FocusKey = tuple[object, ...]


class BoardHost(Protocol):
    """What the menus need of the board they act on (the board view passes itself), so
    this module does not import the view that imports it."""

    session: ProjectSession
    board: Board | None
    words: ThemeWords  # the project's words for the two theme levels
    code_activated: SignalInstance

    def focus_item(self, key: FocusKey) -> None: ...
    def focused_final(self) -> int | None: ...
    def all_codes(self) -> list[BoardCode]: ...
    def place_code(self, code_id: int, from_theme: int | None, onto: int | None,
                   position: int | None = None) -> bool: ...
    def group_theme(self, theme_id: int, final_id: int | None,
                    before_theme: int | None = None) -> bool: ...
    def can_move_theme(self, theme_id: int, by: int) -> bool: ...
    def move_theme(self, theme_id: int, by: int) -> bool: ...
    def confirm(self, title: str, text: str) -> bool: ...
    def ask_text(self, title: str, label: str, value: str = "") -> str | None: ...
    def ask_choice(self, title: str, label: str, items: list[str]) -> str | None: ...
    def ask_new_theme(self, level: str, finals: list[tuple[int, str]],
                      parent_id: int | None) -> tuple[str, int | None] | None: ...
    def choose_theme(self, title: str, label: str, themes: list[tuple[int, str]],
                     new_label: str | None = None) -> int | None: ...


class DefineThemeDialog(QDialog):
    """A theme's definition and scope notes: what it is about, and what it is not."""

    def __init__(self, theme: str, definition: str, scope: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Define '{theme}'")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Definition</b> — the theme's central organising idea"))
        self.definition = QPlainTextEdit(definition)
        layout.addWidget(self.definition)
        layout.addWidget(QLabel("<b>Scope notes</b> — what belongs here and what does not"))
        self.scope = QPlainTextEdit(scope)
        layout.addWidget(self.scope)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class SplitDialog(QDialog):
    """Which codes go to the new theme, and its name."""

    def __init__(self, theme: BoardTheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Split '{theme.name}'")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Name of the new theme"))
        self.name = QLineEdit()
        layout.addWidget(self.name)
        layout.addWidget(QLabel("Codes that move to it"))
        self.boxes = [(QCheckBox(code.name), code.id) for code in theme.codes]
        for box, _code in self.boxes:
            layout.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, list[int]]:
        return self.name.text().strip(), [code for box, code in self.boxes if box.isChecked()]


def _entry(menu: QMenu, text: str, handler: Callable[[], object], keys: str | None = None,
           enabled: bool = True) -> QAction:
    """A menu entry; ``keys`` is only shown beside it: the card or chip handles those keys
    itself, so they work without the menu and never clash with the window's shortcuts."""
    shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
    action = menu.addAction(f"{text}\t{shown}" if shown else text)
    action.triggered.connect(lambda _checked=False: handler())
    action.setEnabled(enabled)
    return action


class BoardMenuActions:
    """Create, group, move, rename, define, split, merge, discard and delete on a board."""

    THEME_ACTIONS = (("rename", "&Rename…", "F2"), ("define", "De&fine…", None),
                     ("split", "&Split off codes…", None), ("merge", "Mer&ge into…", None),
                     ("discard", "Dis&card", None), ("delete", "Dele&te…", None))

    def __init__(self, board: BoardHost, dialogs_parent: QWidget) -> None:
        self.board = board
        self.dialogs_parent = dialogs_parent  # the board view itself

    def _guarded(self, menu: QMenu) -> QMenu:
        """In a read-only project only the reading entries (Show extracts) stay enabled, so
        nothing asks for a name and then refuses."""
        if self.board.session.readonly:
            for action in menu.actions():
                if not action.text().startswith("Show"):
                    action.setEnabled(False)
        return menu

    # -- themes ------------------------------------------------------------------------------
    def create(self, level: str, parent_id: int | None = None) -> bool:
        """Ask for a name (and for an emerging theme its final theme), then create it.

        The final theme offered first is ``parent_id`` or the one the user is working in.
        """
        board = self.board
        if board.session.readonly:
            return False
        finals = [(t.id, t.name) for t in board.board.finals] if board.board else []
        if parent_id is None and level == "emerging":
            parent_id = board.focused_final()
        answer = board.ask_new_theme(level, finals, parent_id)
        if answer is None:
            return False
        name, parent = answer
        command = CreateThemeCommand(board.session, name, level,
                                     parent if level == "emerging" else None)
        if not board.session.push(command):
            return False
        if command.theme_id is not None:
            board.focus_item(("lane", command.theme_id) if level == "final"
                             else ("card", command.theme_id))
        return True

    def run(self, theme_id: int, action: str) -> bool:
        board = self.board
        theme = board.board.theme(theme_id) if board.board is not None else None
        if theme is None:
            return False
        handler = getattr(self, f"_{action}")
        return bool(handler(theme))

    def _move_to_final(self, theme: BoardTheme) -> bool:
        board = self.board
        assert board.board is not None
        finals = [(t.id, t.name) for t in board.board.finals if t.id != theme.parent_id]
        final = board.words.theme("final")
        chosen = board.choose_theme(f"Move to {final}", f"Put '{theme.name}' under the {final}:",
                                    finals, f"New {final}…")
        if chosen is None:
            return False
        if chosen != NEW:
            return board.group_theme(theme.id, chosen)
        answer = board.ask_new_theme("final", [], None)
        if answer is None:
            return False
        return self._with_new_theme(
            f"Put '{theme.name}' under a new {final} '{answer[0]}'", answer[0], "final",
            None, lambda final_id: board.group_theme(theme.id, final_id)) is not None

    def _with_new_theme(self, text: str, name: str, level: str, parent_id: int | None,
                        then: Callable[[int], bool]) -> int | None:
        """A new theme and ``then`` done with its id, as one undo step ``text``: the new
        theme's id, or None when either part fails (and then neither stays)."""
        session = self.board.session
        stack = session.undo_stack
        stack.beginMacro(text)
        try:
            create = CreateThemeCommand(session, name, level, parent_id)
            done = session.push(create) and create.theme_id is not None \
                and then(create.theme_id)
        finally:
            stack.endMacro()
        if not done and create.theme_id is not None:
            stack.undo()  # half a step is no step: take back the new theme
        return create.theme_id if done else None

    def _make_loose(self, theme: BoardTheme) -> bool:
        return theme.parent_id is not None and self.board.group_theme(theme.id, None)

    def _move_up(self, theme: BoardTheme) -> bool:
        return self.board.move_theme(theme.id, -1)

    def _move_down(self, theme: BoardTheme) -> bool:
        return self.board.move_theme(theme.id, 1)

    def _new_here(self, theme: BoardTheme) -> bool:
        return self.create("emerging", theme.id)

    def _rename(self, theme: BoardTheme) -> bool:
        name = self.board.ask_text("Rename theme", "New name:", theme.name)
        return bool(name) and name != theme.name and self.board.session.push(
            ThemeEditCommand(self.board.session, theme.id, f"Rename theme '{theme.name}'",
                             name=name, seen=ThemeValues(name=theme.name)))

    def _define(self, theme: BoardTheme) -> bool:
        with self.board.session.read() as s:
            details = theme_details(s, theme.id)
        scope = details.scope_notes if details is not None else ""
        dialog = DefineThemeDialog(theme.name, theme.definition, scope, self.dialogs_parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.board.session.push(ThemeEditCommand(
            self.board.session, theme.id, f"Define theme '{theme.name}'",
            definition=(dialog.definition.toPlainText(), dialog.scope.toPlainText()),
            seen=ThemeValues(definition=(theme.definition, scope))))

    def _split(self, theme: BoardTheme) -> bool:
        dialog = SplitDialog(theme, self.dialogs_parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        name, codes = dialog.chosen()
        return bool(name and codes) and self.board.session.push(
            SplitThemeCommand(self.board.session, theme.id, name, codes))

    def _merge(self, theme: BoardTheme) -> bool:
        board = self.board.board
        assert board is not None
        same = [t for t in (*board.finals, *(t for g in board.emerging.values() for t in g))
                if t.level == theme.level and t.id != theme.id]
        if not same:
            return False
        chosen = self.board.ask_choice("Merge theme", f"Merge '{theme.name}' into:",
                                       [t.name for t in same])
        target = next((t for t in same if t.name == chosen), None)
        return target is not None and self.board.session.push(
            MergeThemesCommand(self.board.session, theme.id, target.id))

    def _discard(self, theme: BoardTheme) -> bool:
        return self.board.session.push(DiscardThemeCommand(self.board.session, theme.id))

    def _delete(self, theme: BoardTheme) -> bool:
        if not self.board.confirm("Delete theme", f"Delete '{theme.name}'? Its codes stay in "
                                  "the project. (Discard keeps it as history instead.)"):
            return False
        return self.board.session.push(DeleteThemeCommand(self.board.session, theme.id))

    # -- codes -------------------------------------------------------------------------------
    def move_code_to_theme(self, code_id: int, from_theme: int | None) -> bool:
        """The keyboard's drag of a chip: pick an emerging theme by typing."""
        board = self.board
        assert board.board is not None
        name = next((c.name for c in board.all_codes() if c.id == code_id), "the code")
        choices = [(t.id, t.name) for group in board.board.emerging.values() for t in group
                   if t.id != from_theme and all(c.id != code_id for c in t.codes)]
        emerging = board.words.theme("emerging")
        chosen = board.choose_theme("Move to theme", f"Move '{name}' to the {emerging}:",
                                    choices, f"New {emerging}…")
        if chosen is None:
            return False
        if chosen == NEW:
            answer = board.ask_new_theme("emerging", [(t.id, t.name) for t in board.board.finals],
                                         board.focused_final())
            if answer is None:
                return False
            target = self._with_new_theme(
                f"Move '{name}' to a new theme '{answer[0]}'", answer[0], "emerging",
                answer[1], lambda theme_id: board.place_code(code_id, from_theme, theme_id))
            done = target is not None
        else:
            target = chosen
            done = board.place_code(code_id, from_theme, chosen)
        if done:
            board.focus_item(("chip", code_id, target))
        return bool(done)

    def send_to_miscellaneous(self, code_id: int, theme_id: int | None) -> bool:
        if theme_id is None:
            return False
        self.board.focus_item(("chip", code_id, theme_id))  # then it follows the code
        return self.board.place_code(code_id, theme_id, None)

    def move_code(self, code_id: int, theme_id: int | None, by: int) -> bool:
        """One place earlier (``by=-1``) or later in the theme's order, i.e. Table 1's."""
        board = self.board
        theme = board.board.theme(theme_id) if board.board and theme_id is not None else None
        if theme is None:
            return False
        order = [c.id for c in theme.codes]
        place = order.index(code_id) + by if code_id in order else -1
        if not 0 <= place < len(order):
            return False
        board.focus_item(("chip", code_id, theme_id))
        return board.place_code(code_id, theme_id, theme_id, place)

    # -- menus -------------------------------------------------------------------------------
    def theme_menu(self, theme: BoardTheme, parent: QWidget) -> QMenu:
        """The menu of a card (an emerging theme) or of a final theme's lane."""
        menu = QMenu(parent)

        def run(key: str) -> Callable[[], bool]:
            return lambda: self.run(theme.id, key)

        words = self.board.words
        if theme.level == "emerging":
            _entry(menu, f"&Move to {words.theme('final')}…", run("move_to_final"))
            _entry(menu, f"Make &loose (under no {words.theme('final')})", run("make_loose"),
                   enabled=theme.parent_id is not None)
            _entry(menu, "Move &up", run("move_up"), "Alt+Up",
                   enabled=self.board.can_move_theme(theme.id, -1))
            _entry(menu, "Move &down", run("move_down"), "Alt+Down",
                   enabled=self.board.can_move_theme(theme.id, 1))
        else:
            _entry(menu, f"New {words.theme('emerging')} &here…", run("new_here"))
        menu.addSeparator()
        for key, text, keys in self.THEME_ACTIONS:
            if key == "split" and theme.level != "emerging":
                continue
            _entry(menu, text, run(key), keys)
        return self._guarded(menu)

    def code_menu(self, code_id: int, theme_id: int | None, parent: QWidget) -> QMenu:
        """The menu of a chip: its extracts, and the keyboard's ways to drag it."""
        menu = QMenu(parent)
        board = self.board
        theme = board.board.theme(theme_id) if board.board and theme_id is not None else None
        order = [c.id for c in theme.codes] if theme is not None else []
        place = order.index(code_id) if code_id in order else -1
        _entry(menu, "Show &extracts", lambda: board.code_activated.emit(code_id), "Return")
        menu.addSeparator()
        _entry(menu, "&Move to theme…", lambda: self.move_code_to_theme(code_id, theme_id))
        _entry(menu, "Send to M&iscellaneous",
               lambda: self.send_to_miscellaneous(code_id, theme_id), "Del",
               enabled=theme_id is not None)
        if theme is not None:
            _entry(menu, "Move &up", lambda: self.move_code(code_id, theme_id, -1),
                   "Alt+Up", enabled=place > 0)
            _entry(menu, "Move &down", lambda: self.move_code(code_id, theme_id, 1),
                   "Alt+Down", enabled=0 <= place < len(order) - 1)
        return self._guarded(menu)

    def lane_menu(self, final: BoardTheme | None, parent: QWidget) -> QMenu:
        """A lane's menu: a final theme's own menu, or the board's two "New" entries."""
        if final is not None:
            menu = self.theme_menu(final, parent)
            menu.addSeparator()
        else:
            menu = QMenu(parent)
            _entry(menu, f"New {menu_word(self.board.words, 'emerging')} theme…",
                   lambda: self.create("emerging"), "Ctrl+Shift+T")
        _entry(menu, f"New {menu_word(self.board.words, 'final')} theme…",
               lambda: self.create("final"))
        return self._guarded(menu)

