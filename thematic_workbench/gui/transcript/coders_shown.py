"""Whose codings the transcript shows: everyone's, the coder's own, or one chosen coder's.

Double coding is blind only if each coder codes without seeing the other's codings; a
supervisor checking one coder's work wants that coder's alone. The choice changes only what
this window shows, never the project, and the button always says what is shown.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from thematic_workbench.core.queries.project import coders_who_coded
from thematic_workbench.gui.session import ProjectSession


class ShowsCodings(Protocol):
    """The transcript view, as far as this button needs it."""

    coders_shown: frozenset[str] | None
    coders_shown_changed: SignalInstance

    def show_codings_of(self, coders: frozenset[str] | None) -> None: ...


def shown_summary(coders: frozenset[str] | None, me: str) -> str:
    """What the button says: whose codings are on screen."""
    if coders is None:
        return "Codings: everyone's"
    if coders == {me}:
        return "Codings: mine only"
    return "Codings: " + ", ".join(sorted(coders, key=str.casefold)) + " only"


class CodersShownButton(QToolButton):
    """A button with a menu of whose codings the transcript view shows."""

    def __init__(self, session: ProjectSession, view: ShowsCodings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.view = session, view
        self.setObjectName("codersShownButton")
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip("Choose whose codings the transcript shows: for blind double coding, "
                        "show your own only")
        menu = QMenu(self)
        menu.aboutToShow.connect(lambda: self.fill(menu))
        self.setMenu(menu)
        view.coders_shown_changed.connect(self._relabel)
        self._relabel()

    def fill(self, menu: QMenu) -> None:
        """Everyone's, mine only, then each other coder of the project, the current checked."""
        menu.clear()
        group = QActionGroup(menu)
        me = self.session.coder
        with self.session.read() as read:
            others = [name for name in coders_who_coded(read) if name != me]
        choices: list[tuple[str, frozenset[str] | None]] = [
            ("Everyone's codings", None), (f"Mine only ({me})", frozenset({me}))]
        choices += [(f"{name}'s only", frozenset({name})) for name in others]
        for text, coders in choices:
            action = QAction(text.replace("&", "&&"), menu)
            action.setCheckable(True)
            action.setChecked(coders == self.view.coders_shown)
            action.triggered.connect(lambda _on=False, c=coders: self.view.show_codings_of(c))
            group.addAction(action)
            menu.addAction(action)

    def _relabel(self) -> None:
        self.setText(shown_summary(self.view.coders_shown, self.session.coder))
