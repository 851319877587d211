"""Following a link from a diary entry, a comment or a review view to what it names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from thematic_workbench.core.queries.project import coding_place

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from thematic_workbench.gui.session import ProjectSession


class _CodeList(Protocol):
    def select_code(self, code_id: int) -> None: ...


class _Extracts(Protocol):
    def show_code(self, code_id: int) -> None: ...

    def show_theme(self, theme_id: int) -> None: ...


class _Notice(Protocol):
    def show_message(self, text: str, kind: str = ...) -> None: ...


class Navigable(Protocol):
    """What following a link needs of the main window (which this module does not import:
    the window's workspace imports this module)."""

    @property
    def session(self) -> ProjectSession | None: ...

    @property
    def codes(self) -> _CodeList: ...

    @property
    def extracts(self) -> _Extracts: ...

    @property
    def notice(self) -> _Notice: ...

    @property
    def docks(self) -> Mapping[str, QDockWidget]: ...

    def open_document(self, document_id: int) -> None: ...

    def show_passage(self, document_id: int, start: int, end: int) -> None: ...


def show_target(window: Navigable, kind: str, target_id: int) -> None:
    """A code or theme shows its extracts; a transcript opens; a coding opens at its place."""
    if window.session is None:
        return
    if kind == "code":
        window.codes.select_code(target_id)
        window.extracts.show_code(target_id)
        _raise(window, "extracts")
    elif kind == "theme":
        window.extracts.show_theme(target_id)
        _raise(window, "extracts")
    elif kind == "document":
        window.open_document(target_id)
    elif kind == "coding":
        with window.session.read() as s:
            place = coding_place(s, target_id)
        if place is None:
            window.notice.show_message("That coding no longer exists.")
            return
        window.show_passage(*place)


def _raise(window: Navigable, key: str) -> None:
    dock = window.docks.get(key)
    if dock is not None:
        dock.show()
        dock.raise_()
