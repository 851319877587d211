"""Following a link from a diary entry, a comment or a review view to what it names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from thematic_workbench.core.storage.models import Coding

if TYPE_CHECKING:
    from thematic_workbench.gui.main_window import MainWindow


def show_target(window: MainWindow, kind: str, target_id: int) -> None:
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
            row = s.execute(select(Coding.document_id, Coding.start, Coding.end)
                            .where(Coding.id == target_id)).first()
        if row is None:
            window.notice.show_message("That coding no longer exists.")
            return
        window.show_passage(*row)


def _raise(window: MainWindow, key: str) -> None:
    dock = window.docks.get(key)
    if dock is not None:
        dock.show()
        dock.raise_()
