"""What the Code menu does: apply, create, in-vivo, remove, memo, margin note, recent keys."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget
from sqlalchemy import select

from thematic_workbench.core.models import Code
from thematic_workbench.core.services.common import name_key
from thematic_workbench.gui.commands import (
    AddAnnotationCommand,
    ApplyCodingCommand,
    RemoveCodingCommand,
    SetMemoCommand,
)
from thematic_workbench.gui.quick_code import CodeChoice, QuickCodeBox
from thematic_workbench.gui.session import ProjectSession

MAX_RECENT = 9
IN_VIVO_MAX = 60


def in_vivo_name(words: str) -> str:
    """An in-vivo code is named after the participant's words, in quotation marks."""
    flat = " ".join(words.split()).strip(" \"'“”‘’.,;:")
    if len(flat) > IN_VIVO_MAX:
        flat = flat[:IN_VIVO_MAX].rsplit(" ", 1)[0] + "…"
    return f'"{flat}"'


class CodingController(QObject):
    """Turns the user's coding gestures into undo commands on the session."""

    notice = Signal(str)

    def __init__(self, session: ProjectSession, view: object, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view  # a TranscriptView
        self.window = parent
        self.recent: list[int] = []

    # -- helpers ---------------------------------------------------------------------------
    def _target(self) -> tuple[int, int, int] | None:
        """(document, start, end) of the selection, or a notice saying what to do."""
        document_id = self.view.current_document_id
        span = self.view.selection_span() if document_id is not None else None
        if document_id is None or span is None:
            self.notice.emit("Select some text first, or drag across line numbers to select "
                             "whole lines.")
            return None
        return document_id, span[0], span[1]

    def _codes(self) -> list[tuple[int, str, str]]:
        """(id, name, colour) of the active codes: names only, no counting of codings."""
        with self.session.read() as session:
            return [(row.id, row.name, row.colour) for row in session.execute(
                select(Code.id, Code.name, Code.colour).where(Code.status == "active"))]

    def _apply_code_id(self, code_id: int) -> None:
        """Apply an existing code, if it is still there (it may have been merged away)."""
        with self.session.read() as session:
            name = session.execute(select(Code.name).where(
                Code.id == code_id, Code.status == "active")).scalar_one_or_none()
        if name is not None:
            self.apply_choice(CodeChoice(code_id, name))

    def _remember(self, code_id: int | None) -> None:
        if code_id is None:
            return
        if code_id in self.recent:
            self.recent.remove(code_id)
        self.recent.insert(0, code_id)
        del self.recent[MAX_RECENT:]

    def apply_choice(self, choice: CodeChoice, origin: str = "inductive") -> bool:
        target = self._target()
        if target is None:
            return False
        document_id, start, end = target
        command = ApplyCodingCommand(self.session, document_id, start, end,
                                     code_id=choice.code_id,
                                     new_code_name=None if choice.code_id else choice.name,
                                     code_name=choice.name, origin=origin)
        if not self.session.push(command):
            return False
        self._remember(choice.code_id or command.created_code_id)
        return True

    # -- menu actions ----------------------------------------------------------------------
    def make_quick_code_box(self) -> QuickCodeBox | None:
        if self._target() is None:
            return None
        return QuickCodeBox(self._codes(), self.recent, self.view.selected_text(), self.window)

    def apply_code(self) -> None:
        box = self.make_quick_code_box()
        if box is not None and box.exec() and box.choice is not None:
            self.apply_choice(box.choice)

    def new_code(self) -> None:
        if self._target() is None:
            return
        name, ok = QInputDialog.getText(self.window, "New code from selection", "Code name:")
        if ok and name.strip():
            self.apply_choice(self._existing_or_new(name))

    def in_vivo(self) -> None:
        if self._target() is None:
            return
        self.apply_choice(self._existing_or_new(in_vivo_name(self.view.selected_text())),
                          origin="in_vivo")

    def _existing_or_new(self, name: str) -> CodeChoice:
        key = name_key(" ".join(name.split()))
        for code_id, code_name, _colour in self._codes():
            if name_key(code_name) == key:
                return CodeChoice(code_id, code_name)
        return CodeChoice(None, name)

    def apply_recent(self, index: int) -> None:
        if index >= len(self.recent):
            self.notice.emit(f"No recent code number {index + 1} yet: codes you apply are "
                             "numbered 1-9, most recent first.")
            return
        self._apply_code_id(self.recent[index])

    def drop_code(self, code_id: int) -> None:
        self._apply_code_id(code_id)

    def remove_coding(self) -> None:
        coding_id = self.view.coding_at_cursor()
        if coding_id is None:
            self.notice.emit("Put the cursor in a coded passage, or click its stripe, to "
                             "remove that coding.")
            return
        self.session.push(RemoveCodingCommand(self.session, coding_id))

    def memo(self) -> None:
        coding_id = self.view.coding_at_cursor()
        if coding_id is None:
            self.notice.emit("Put the cursor in a coded passage to write a memo on it.")
            return
        text, ok = QInputDialog.getMultiLineText(self.window, "Coding memo",
                                                 "Memo on this coding:")
        if ok:
            self.session.push(SetMemoCommand(self.session, coding_id, text))

    def annotate(self) -> None:
        target = self._target()
        if target is None:
            return
        text, ok = QInputDialog.getMultiLineText(self.window, "Margin note",
                                                 "Note on the selected passage:")
        if ok and text.strip():
            self.session.push(AddAnnotationCommand(self.session, *target, text))
