"""The transcript's context menu: code the selection, act on the codings under the pointer,
comment for review, copy with the report's citation.

It is built afresh at each right-click (or the menu key) from what is there: the entries
that change the project are disabled in a read-only project, and those that need a
selection say so instead of doing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QPoint, SignalInstance
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from thematic_workbench.core.queries.project import citation
from thematic_workbench.core.queries.transcript_data import CodingSpan
from thematic_workbench.core.text.textlayout import lines_of_span
from thematic_workbench.core.wording import lines_phrase, quoted
from thematic_workbench.gui.actions import ACTIONS
from thematic_workbench.gui.common.colours import plain_swatch

if TYPE_CHECKING:
    from thematic_workbench.core.queries.transcript_data import TranscriptData
    from thematic_workbench.gui.positions import PositionMap
    from thematic_workbench.gui.session import ProjectSession
    from thematic_workbench.gui.transcript.coding_actions import CodingActions
    from thematic_workbench.gui.transcript.editor import TranscriptEditor
    from thematic_workbench.gui.transcript.spans import SpanIndex



class TranscriptHost(Protocol):
    """What the menu needs of the transcript view (which passes itself, a widget: the
    menu's parent), so this module does not import the view that imports it."""

    session: ProjectSession
    data: TranscriptData | None
    codings: SpanIndex[CodingSpan]
    line_starts: list[int]
    line_numbers: list[int]
    editor: TranscriptEditor
    comment_requested: SignalInstance
    print_requested: SignalInstance

    @property
    def positions(self) -> PositionMap: ...
    def selection_span(self) -> tuple[int, int] | None: ...
    def start_correcting(self) -> bool: ...
    def coding_at_cursor(self) -> int | None: ...
    def coding(self, coding_id: int | None) -> CodingSpan | None: ...


NAME_LIMIT = 40
NEEDS_SELECTION = "Select some text first, or drag across the line numbers"
READ_ONLY = "The project is open read-only"


def _keys(key: str) -> str:
    """The shortcut of a window action, as the menu shows it beside an entry."""
    spec = next((spec for spec in ACTIONS if spec.key == key), None)
    if spec is None or spec.shortcut is None:
        return ""
    return "\t" + QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def menu_text(name: str) -> str:
    """A code name fit for a menu entry: not too long, and '&' shown, not a mnemonic."""
    short = name if len(name) <= NAME_LIMIT else name[:NAME_LIMIT - 1].rstrip() + "…"
    return short.replace("&", "&&")


def menu_name(name: str) -> str:
    """A code name within an entry's words: quoted as well."""
    return quoted(menu_text(name))


def _add(menu: QMenu, text: str, slot: Callable[[], object], enabled: bool = True,
         why_not: str = "") -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    action.setEnabled(enabled)
    if not enabled and why_not:
        action.setToolTip(why_not)
    return action


def codings_under(view: TranscriptHost, where: QPoint) -> list[CodingSpan]:
    """The codings on the character at ``where`` (viewport pixels), innermost first; the
    coding chosen on a stripe or matching the selection comes with them."""
    if view.data is None:
        return []
    cursor = view.editor.cursorForPosition(where)
    point = view.positions.to_code_point(cursor.position())
    if where.x() < view.editor.cursorRect(cursor).center().x():
        point -= 1  # the left half of a character belongs to the one before the gap
    found = {c.id: c for c in view.codings.at(point)} if point >= 0 else {}
    chosen = view.coding(view.coding_at_cursor())
    span = view.selection_span()
    if chosen is not None and span is not None and span[0] <= max(point, 0) < span[1]:
        found[chosen.id] = chosen
    return sorted(found.values(), key=lambda c: (c.end - c.start, c.id))


def cited_selection(view: TranscriptHost) -> str | None:
    """The selected words followed by their citation, as the extracts report gives it:
    ``… [PA, lines 12-14]``."""
    span = view.selection_span()
    data = view.data
    if span is None or data is None:
        return None
    text = view.positions.text[span[0]:span[1]].strip()
    first, last = lines_of_span(view.line_starts, *span, view.line_numbers)
    return f"{text} {citation(data.participant or data.name, first, last)}"


def copy_with_citation(view: TranscriptHost) -> None:
    text = cited_selection(view)
    if text:
        QApplication.clipboard().setText(text)


def build_menu(view: TranscriptHost, actions: CodingActions | None,
               where: QPoint) -> QMenu:
    """The menu for a right-click at ``where`` (viewport pixels) in the transcript text."""
    assert isinstance(view, QWidget)  # the transcript view: the menu is its child
    menu = QMenu(view)
    menu.setObjectName("transcriptMenu")
    menu.setToolTipsVisible(True)
    if view.data is not None and not view.editor.textCursor().hasSelection():
        view.editor.setTextCursor(view.editor.cursorForPosition(where))  # act where clicked
    selected = view.selection_span() is not None
    if actions is not None and view.data is not None:
        writable = not view.session.readonly
        _selection_entries(menu, actions, selected, writable)
        codings = codings_under(view, where)
        if codings:
            menu.addSeparator()
            _coding_entries(menu, view, actions, codings, writable)
        menu.addSeparator()
        document_id = view.data.id
        _add(menu, "Comment on this transcript for review…",
             lambda: view.comment_requested.emit("document", document_id), writable, READ_ONLY)
        _add(menu, "Correct the &text…" + _keys("correct_text"), view.start_correcting,
             writable, READ_ONLY)
        _add(menu, "&Print this transcript…", lambda: view.print_requested.emit(document_id))
        menu.addSeparator()
    _add(menu, "&Copy" + _keys_of(QKeySequence.StandardKey.Copy), view.editor.copy_canonical,
         selected, NEEDS_SELECTION)
    _add(menu, "Copy with c&itation", lambda: copy_with_citation(view), selected,
         NEEDS_SELECTION)
    _add(menu, "Select &all" + _keys_of(QKeySequence.StandardKey.SelectAll),
         view.editor.selectAll, view.data is not None)
    return menu


def _keys_of(key: QKeySequence.StandardKey) -> str:
    return "\t" + QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def _selection_entries(menu: QMenu, actions: CodingActions, selected: bool,
                       writable: bool) -> None:
    """Coding the selection: quick code, the keyed recent codes, in vivo, new, margin note."""
    can = selected and writable
    why = READ_ONLY if not writable else NEEDS_SELECTION
    _add(menu, "&Quick code…" + _keys("apply_code"), actions.apply_code, can, why)
    recent = menu.addMenu("Apply &recent code")
    recent.setToolTipsVisible(True)
    codes = actions.key_codes()
    for index, (_code_id, name, colour) in enumerate(codes):
        key = f"\t{index + 1}" if actions.number_keys and index < 9 else ""
        entry = _add(recent, f"{menu_text(name)}{key}",
                     partial(actions.apply_key, index), can, why)
        entry.setIcon(QIcon(plain_swatch(colour)))
    if not codes:
        _add(recent, "No recent codes yet", lambda: None, False)
    recent.setEnabled(can and bool(codes))
    _add(menu, "&In-vivo code" + _keys("in_vivo"), actions.in_vivo, can, why)
    _add(menu, "&New code from selection…" + _keys("new_code"), actions.new_code, can, why)
    _add(menu, "Margin &note…" + _keys("annotate"), actions.annotate, can, why)


def _coding_entries(menu: QMenu, view: TranscriptHost, actions: CodingActions,
                    codings: list[CodingSpan], writable: bool) -> None:
    """Remove, recode, memo and comment: flat for one coding, a submenu for each of several."""
    for coding in codings:
        target = menu
        if len(codings) > 1:
            where = lines_phrase(*lines_of_span(view.line_starts, coding.start, coding.end,
                                                     view.line_numbers))
            target = menu.addMenu(QIcon(plain_swatch(coding.colour)),
                                  f"{menu_name(coding.code_name)}, {where}")
            target.setToolTipsVisible(True)
            target.setToolTip(f"Coded by {coding.coder}")
        name = menu_name(coding.code_name)
        keys = len(codings) == 1
        coding_id = coding.id
        _add(target, f"Remove coding {name}" + (_keys("remove_coding") if keys else ""),
             partial(actions.remove_coding, coding_id), writable, READ_ONLY)
        _add(target, f"Recode {name} as…",
             partial(actions.recode, coding_id), writable, READ_ONLY)
        _add(target, "Coding memo…" + (_keys("memo") if keys else ""),
             partial(actions.memo, coding_id), writable, READ_ONLY)
        _add(target, "Comment for review…",
             partial(view.comment_requested.emit, "coding", coding_id),
             writable, READ_ONLY)
