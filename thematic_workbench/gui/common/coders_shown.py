"""Whose codings the window shows: everyone's, the coder's own, or one chosen coder's.

Double coding is blind only if each coder codes without seeing the other's codings; a
supervisor checking one coder's work wants that coder's alone. The choice is the session's
(:attr:`ProjectSession.coders_shown`), one for the whole window: the transcript, the
extracts, a theme's collated extracts, the counts of the codes panel and how far the
documents panel says each transcript is coded follow it. It changes only what this window
shows, never the project, and the views say what is shown.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QToolButton, QWidget

from thematic_workbench.core.queries.project import coders_who_coded
from thematic_workbench.gui.session import ProjectSession

TOOLTIP = ("Choose whose codings this window shows (in the transcript, the extracts, the "
           "counts of codes and themes and how far transcripts are coded): for blind double "
           "coding, show your own only. Agreement, statistics and exports always take every "
           "coder's codings.")


def whose(coders: frozenset[str] | None, me: str) -> str:
    """Whose codings are shown, in a few words: "everyone's", "mine only", "bob only"."""
    if coders is None:
        return "everyone's"
    if coders == {me}:
        return "mine only"
    return ", ".join(sorted(coders, key=str.casefold)) + " only"


def shown_summary(coders: frozenset[str] | None, me: str) -> str:
    """What the button says: whose codings are on screen."""
    return f"Codings: {whose(coders, me)}"


class CodersShownButton(QToolButton):
    """A button with a menu of whose codings the window shows; it says what is shown."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("codersShownButton")
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(TOOLTIP)
        menu = QMenu(self)
        menu.aboutToShow.connect(lambda: self.fill(menu))
        self.setMenu(menu)
        session.coders_shown_changed.connect(self._relabel)
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
            action.setChecked(coders == self.session.coders_shown)
            action.triggered.connect(
                lambda _on=False, c=coders: self.session.show_codings_of(c))
            group.addAction(action)
            menu.addAction(action)

    def _relabel(self) -> None:
        self.setText(shown_summary(self.session.coders_shown, self.session.coder))


class ShownNote(QLabel):
    """A line over a panel's numbers saying whose codings they count ("Counts: mine
    only"); hidden while they count everyone's, so that the numbers are never misread."""

    def __init__(self, session: ProjectSession, what: str, explained: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.what = session, what
        self.setWordWrap(True)
        self.setContentsMargins(4, 0, 4, 0)
        self.setToolTip(f"{explained} Choose whose with the Codings button above the "
                        "transcript or the extracts.")
        session.coders_shown_changed.connect(self._follow)
        self._follow()

    def shown_text(self) -> str | None:
        """What the line says, as plain text; None while it is hidden."""
        coders = self.session.coders_shown
        return None if coders is None else f"{self.what}: {whose(coders, self.session.coder)}"

    def _follow(self) -> None:
        coders = self.session.coders_shown
        if coders is not None:
            self.setText(f"{escape(self.what)}: "
                         f"<b>{escape(whose(coders, self.session.coder))}</b>")
        self.setVisible(coders is not None)
