"""What the Code menu, the transcript's context menu and keys 1-9 do: apply, create,
in-vivo, remove, recode, memo, margin note.

Keys 1-9 are kept stable: a code keeps its key while it is among the nine most recently
used, so pressing the same key twice applies the same code; a new code takes a free key or
the key of the code used longest ago. The legend above the transcript shows the keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QWidget

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.project import active_codes
from thematic_workbench.core.text.textlayout import lines_of_span
from thematic_workbench.core.wording import lines_phrase, quoted
from thematic_workbench.gui.coding.commands import (
    AddAnnotationCommand,
    ApplyCodingCommand,
    RecodeCodingCommand,
    RemoveCodingCommand,
    SetMemoCommand,
)
from thematic_workbench.gui.coding.quick_code import CodeChoice, QuickCodeBox
from thematic_workbench.gui.session import ProjectSession

if TYPE_CHECKING:
    from thematic_workbench.gui.transcript.view import TranscriptView

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
    status_message = Signal(str)  # a short confirmation for the status bar
    keys_changed = Signal()

    def __init__(self, session: ProjectSession, view: TranscriptView, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.window = parent
        self.recent: list[int] = []  # most recently used first (the quick-code box's order)
        self.keys: list[int] = []  # the code on key 1, 2, ...
        self.number_keys = True
        self._names: dict[int, tuple[str, str]] = {}  # code id -> (name, colour), for keys
        session.changed.connect(self._on_changed)
        legend = getattr(view, "key_legend", None)
        if legend is not None:
            legend.key_clicked.connect(self.apply_key)
            self.keys_changed.connect(self._show_legend)
            self._show_legend()
        if hasattr(view, "coding_actions"):
            view.coding_actions = self  # the transcript's context menu asks us

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

    def _codes(self, ids: list[int] | None = None) -> list[tuple[int, str, str]]:
        """(id, name, colour) of the active codes (of ``ids`` only, when given): names
        only, no counting of codings."""
        with self.session.read() as session:
            return active_codes(session, ids)

    def _remember(self, code_id: int | None) -> None:
        if code_id is None:
            return
        keys_before = list(self.keys)
        if code_id in self.recent:
            self.recent.remove(code_id)
        self.recent.insert(0, code_id)
        if code_id not in self.keys:
            if len(self.keys) < MAX_RECENT:
                self.keys.append(code_id)
            else:  # the key of the code used longest ago
                rank = {code: place for place, code in enumerate(self.recent)}
                oldest = max(range(len(self.keys)),
                             key=lambda i: rank.get(self.keys[i], len(rank)))
                self.keys[oldest] = code_id
        del self.recent[MAX_RECENT:]
        if self.keys != keys_before or code_id not in self._names:
            self._read_names()  # the keys hold the same codes: nothing to read again

    def _read_names(self) -> None:
        """Names and colours of the codes on keys; codes merged away or deleted leave."""
        active = {code_id: (name, colour)
                  for code_id, name, colour in self._codes([*self.keys, *self.recent])}
        self.keys = [code_id for code_id in self.keys if code_id in active]
        self.recent = [code_id for code_id in self.recent if code_id in active]
        self._names = {code_id: active[code_id] for code_id in self.keys}
        self.keys_changed.emit()

    def _on_changed(self, change: Change) -> None:
        # a code just added cannot be on a key yet (_remember reads it when it takes one)
        if self.keys and (Kind.CODE in change.changed or Kind.CODE in change.removed):
            self._read_names()

    def key_codes(self) -> list[tuple[int, str, str]]:
        """(code id, name, colour) on key 1, 2, ... as the legend and the menu show them."""
        return [(code_id, *self._names[code_id]) for code_id in self.keys
                if code_id in self._names]

    def set_number_keys(self, on: bool) -> None:
        """Let keys 1-9 apply codes, or not (the legend hides with them)."""
        self.number_keys = bool(on)
        self.keys_changed.emit()

    def _show_legend(self) -> None:
        legend = self.view.key_legend
        legend.set_keys([(name, colour) for _id, name, colour in self.key_codes()])
        legend.setVisible(self.number_keys)

    def apply_choice(self, choice: CodeChoice, origin: str = "inductive") -> bool:
        return self._apply(choice, origin) is not None

    def _apply(self, choice: CodeChoice, origin: str = "inductive") -> ApplyCodingCommand | None:
        target = self._target()
        if target is None:
            return None
        document_id, start, end = target
        command = ApplyCodingCommand(self.session, document_id, start, end,
                                     code_id=choice.code_id,
                                     new_code_name=None if choice.code_id else choice.name,
                                     code_name=choice.name, origin=origin)
        if not self.session.push(command):
            return None
        self._remember(choice.code_id or command.created_code_id)
        return command

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
        """Key ``index + 1`` was pressed: apply the code on it, unless the keys are off."""
        if self.number_keys:
            self.apply_key(index)

    def apply_key(self, index: int) -> None:
        """Apply the code on key ``index + 1`` (from the key, the legend or the menu) and
        say in the status bar what was coded, so that a stray key is seen and undone."""
        codes = self.key_codes()
        if index >= len(codes):
            self.notice.emit(f"No code is on key {index + 1} yet: each code you apply takes "
                             "a key from 1 to 9.")
            return
        code_id, name, _colour = codes[index]
        command = self._apply(CodeChoice(code_id, name))
        if command is not None:
            self.status_message.emit(self.coded_message(name, command.start, command.end))

    def coded_message(self, name: str, start: int, end: int) -> str:
        starts = self.view.line_starts
        where = lines_phrase(*lines_of_span(starts, start, end, self.view.line_numbers)) \
            if starts else "the selection"
        undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText)
        return f"Coded {where} as {quoted(name)} — {undo} undoes it"

    def drop_code(self, code_id: int) -> None:
        found = self._codes([code_id])
        if found:  # it may have been merged away meanwhile
            self.apply_choice(CodeChoice(code_id, found[0][1]))

    def remove_coding(self, coding_id: int | None = None) -> None:
        coding_id = coding_id if coding_id is not None else self.view.coding_at_cursor()
        if coding_id is None:
            self.notice.emit("Put the cursor in a coded passage, or click its stripe, to "
                             "remove that coding.")
            return
        self.session.push(RemoveCodingCommand(self.session, coding_id))

    def recode(self, coding_id: int | None = None) -> None:
        """Choose another code for a coding (a new name makes the code); one undo step."""
        coding_id = coding_id if coding_id is not None else self.view.coding_at_cursor()
        coding = self.view.coding(coding_id)
        if coding is None:
            self.notice.emit("Put the cursor in a coded passage, or click its stripe, to "
                             "recode it.")
            return
        others = [code for code in self._codes() if code[0] != coding.code_id]
        text = self.view.positions.text[coding.start:coding.end]
        box = QuickCodeBox(others, self.recent, text, self.window,
                           title=f"Recode {quoted(coding.code_name)} as")
        if not box.exec() or box.choice is None:
            return
        choice = box.choice
        command = RecodeCodingCommand(self.session, coding.id, code_id=choice.code_id,
                                      new_code_name=None if choice.code_id else choice.name)
        if self.session.push(command):
            self._remember(choice.code_id or command.created_code_id)

    def memo(self, coding_id: int | None = None) -> None:
        coding_id = coding_id if coding_id is not None else self.view.coding_at_cursor()
        coding = self.view.coding(coding_id)
        if coding is None:
            self.notice.emit("Put the cursor in a coded passage to write a memo on it.")
            return
        text, ok = QInputDialog.getMultiLineText(
            self.window, "Coding memo", f"Memo on this passage coded {quoted(coding.code_name)}:",
            coding.memo)
        if ok and text.strip() != coding.memo.strip():
            self.session.push(SetMemoCommand(self.session, coding.id, text))

    def annotate(self) -> None:
        target = self._target()
        if target is None:
            return
        text, ok = QInputDialog.getMultiLineText(self.window, "Margin note",
                                                 "Note on the selected passage:")
        if ok and text.strip():
            self.session.push(AddAnnotationCommand(self.session, *target, text))
