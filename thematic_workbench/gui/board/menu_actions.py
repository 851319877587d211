"""What the board's buttons and card menus do: each asks what it needs, then pushes a command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from thematic_workbench.core.models import Theme
from thematic_workbench.core.theme_board import BoardTheme
from thematic_workbench.gui.board.commands import (
    CreateThemeCommand,
    DeleteThemeCommand,
    DiscardThemeCommand,
    MergeThemesCommand,
    SplitThemeCommand,
    ThemeEditCommand,
)

if TYPE_CHECKING:
    from thematic_workbench.gui.board.view import ThemeBoard


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


class BoardMenuActions:
    """Create, rename, define, split, merge, discard and delete themes on a board."""

    def __init__(self, board: ThemeBoard) -> None:
        self.board = board

    def create(self, level: str) -> bool:
        name = self.board.ask_text(f"New {level} theme", "Name of the theme:")
        return bool(name) and self.board.session.push(
            CreateThemeCommand(self.board.session, str(name), level))

    def run(self, theme_id: int, action: str) -> bool:
        board = self.board
        theme = board.board.theme(theme_id) if board.board is not None else None
        if theme is None:
            return False
        handler = getattr(self, f"_{action}")
        return bool(handler(theme))

    def _rename(self, theme: BoardTheme) -> bool:
        name = self.board.ask_text("Rename theme", "New name:", theme.name)
        return bool(name) and name != theme.name and self.board.session.push(
            ThemeEditCommand(self.board.session, theme.id, f"Rename theme '{theme.name}'",
                             name=name))

    def _define(self, theme: BoardTheme) -> bool:
        with self.board.session.read() as s:
            scope = s.execute(select(Theme.scope_notes).where(Theme.id == theme.id)).scalar()
        dialog = DefineThemeDialog(theme.name, theme.definition, scope or "", self.board)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.board.session.push(ThemeEditCommand(
            self.board.session, theme.id, f"Define theme '{theme.name}'",
            definition=(dialog.definition.toPlainText(), dialog.scope.toPlainText())))

    def _split(self, theme: BoardTheme) -> bool:
        dialog = SplitDialog(theme, self.board)
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
