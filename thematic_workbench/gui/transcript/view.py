"""The transcript view: read a transcript with its stable line numbers, codings and notes.

It composes the read-only editor, the line-number gutter, the coding-stripe margin and
the find bar, speaks code points to the rest of the GUI (through the one
:class:`PositionMap`), and refreshes itself from the session's change notices: a coding
or a code that changed re-reads only the codings (through the session's transcripts, which
follow every change) and re-formats only the blocks touched.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Signal
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.queries.transcript_data import CodingSpan, TranscriptData
from thematic_workbench.core.text.quotes import SpeakerLabels, lines_quote_span
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.coders_shown import CodersShownButton
from thematic_workbench.gui.positions import SOFT_BREAK, PositionMap
from thematic_workbench.gui.session import ProjectSession
from thematic_workbench.gui.transcript.context_menu import build_menu
from thematic_workbench.gui.transcript.correction import CorrectionPanel
from thematic_workbench.gui.transcript.editor import TranscriptEditor
from thematic_workbench.gui.transcript.findbar import FindBar, find_all
from thematic_workbench.gui.transcript.gutter import LineGutter
from thematic_workbench.gui.transcript.heading import TranscriptHeading
from thematic_workbench.gui.transcript.key_legend import KeyLegend
from thematic_workbench.gui.transcript.note_edit import edit_note
from thematic_workbench.gui.transcript.prepared import PreparedTexts
from thematic_workbench.gui.transcript.spans import Layers, Span, SpanIndex
from thematic_workbench.gui.transcript.stripes import (
    StripeFilterButton,
    StripeMargin,
    coding_tooltip,
)

if TYPE_CHECKING:
    from thematic_workbench.gui.transcript.coding_actions import CodingActions

CONTEXT_LINES = 3
# What the view shows of: its codings and their codes and coders, notes, the heading.
FOLLOWED = frozenset({Kind.CODING, Kind.CODE, Kind.CODER, Kind.ANNOTATION, Kind.DOCUMENT,
                      Kind.PARTICIPANT})


class TranscriptView(QWidget):
    """One transcript at a time; positions in and out are code points of its text."""

    selection_changed = Signal()
    coding_selected = Signal(int)
    document_opened = Signal(int)
    comment_requested = Signal(str, int)  # ("coding" or "document", id), from the menu
    code_extracts_requested = Signal(int)  # a code id, from the stripe margin's menu
    print_requested = Signal(int)  # a document id, from the menu: "Print this transcript…"

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.current_document_id: int | None = None
        self.data: TranscriptData | None = None
        self.codings: SpanIndex[CodingSpan] = SpanIndex()
        self.line_starts: list[int] = []  # where each stable line starts, in line order
        self.line_numbers: list[int] = []  # their numbers
        self.speaker_labels = SpeakerLabels()
        self.prepared = PreparedTexts()
        self.matches: list[tuple[int, int]] = []
        self.current_match: int | None = None
        self._find_origin = 0
        self.header = TranscriptHeading(self)
        self.editor = TranscriptEditor(self)
        self.editor.setPlaceholderText("Open a transcript from the Documents panel.")
        self.gutter = LineGutter(self.editor)
        self.stripes = StripeMargin(self.editor)
        self.editor.set_margin_widgets(self.gutter, self.stripes)
        self.stripe_filter = StripeFilterButton(self.stripes, self.header)
        self.coders_button = CodersShownButton(session, self.header)  # whose codings show
        header_row = QHBoxLayout(self.header)  # the filters sit at the header's right end
        header_row.setContentsMargins(0, 0, 6, 0)
        header_row.setSpacing(2)
        header_row.addStretch(1)
        header_row.addWidget(self.coders_button)
        header_row.addWidget(self.stripe_filter)
        self._reserve_header()
        session.coders_shown_changed.connect(self._coders_shown_changed)
        self.stripes.filter_changed.connect(self._reserve_header)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.editor, 1)
        self.key_legend = KeyLegend(self)  # what keys 1-9 apply; the coding controller fills it
        self.key_legend.hide()
        layout.addWidget(self.key_legend)
        self.coding_actions: CodingActions | None = None  # set by the controller
        self.editor.menu_requested.connect(self._show_menu)
        layout.addWidget(self.find_bar)
        self.correction = CorrectionPanel(session, self)  # edit mode: the text, editable
        self.correction.hide()
        layout.addWidget(self.correction, 1)
        self.correction.finished.connect(self._correcting_finished)
        self.editor.updateRequest.connect(self._margins_follow)
        self.editor.selectionChanged.connect(self._selection_moved)
        self.editor.find_requested.connect(self.show_find_bar)
        self.editor.escape_pressed.connect(self._escape)
        self.editor.viewport().installEventFilter(self)
        self.gutter.lines_dragged.connect(self._drag_lines)
        self.stripes.coding_clicked.connect(self._stripe_clicked)
        self.stripes.extracts_requested.connect(self.code_extracts_requested)
        self.gutter.note_clicked.connect(self._edit_note)
        self.find_bar.search_changed.connect(self._search)
        self.find_bar.next_requested.connect(lambda: self._step_match(1))
        self.find_bar.previous_requested.connect(lambda: self._step_match(-1))
        self.find_bar.closed.connect(self._find_closed)
        session.changed.connect(self._on_changed)

    @property
    def positions(self) -> PositionMap:
        return self.editor.positions

    # -- opening -----------------------------------------------------------------------------
    def open_document(self, document_id: int) -> None:
        """Show a transcript from the project, at its top (``NotFoundError`` if it is gone)."""
        self.show_data(self.session.transcripts.get(document_id))

    def show_data(self, data: TranscriptData) -> None:
        """Show transcript data already read (the part of opening that is not the query)."""
        prepared = self.prepared.of(data)
        positions = prepared.positions
        self.data, self.current_document_id = data, data.id
        self.codings = self.prepared.codings(data, self.session.coders_shown)
        self.speaker_labels = prepared.speaker_labels
        self.matches, self.current_match = [], None
        self.stripes.selected = None
        self.editor.positions = positions
        self.line_starts = prepared.line_starts
        self.line_numbers = prepared.line_numbers
        self.gutter.set_lines(data.lines, prepared.line_starts, prepared.line_ends)
        self.gutter.set_notes(data.annotations)
        self.stripes.set_codings(self.codings, self.line_starts)
        self.editor.fit_text(prepared.longest_line)
        self.editor.update_margins()
        highlighter = self.editor.highlighter
        highlighter.suspend()
        self.editor.setPlainText(positions.display_text)
        highlighter.reset(positions, Layers(self.codings, prepared.labels,
                                            SpanIndex(data.annotations), SpanIndex()),
                          prepared.paragraph_starts, self.prepared.formats(data))
        self._show_heading(data.name, data.participant)
        if self.find_bar.isVisible() and self.find_bar.text:
            self._search(self.find_bar.text, self.find_bar.match_case)
        self.document_opened.emit(data.id)

    # -- edit mode -------------------------------------------------------------------------------
    @property
    def correcting(self) -> bool:
        return self.correction.isVisibleTo(self)

    def start_correcting(self) -> bool:
        """Edit mode: the open transcript as editable text, its codings still tinted."""
        if self.data is None or self.session.readonly or self.correcting:
            return False
        cursor = self.positions.to_code_point(self.editor.textCursor().position())
        self.find_bar.hide()
        self.editor.hide()
        self.key_legend.hide()
        self.correction.show()
        self.correction.start(self.data, list(self.codings.items), cursor)
        return True

    def _correcting_finished(self, _saved: bool) -> None:
        self.correction.hide()
        self.editor.show()
        self.editor.setFocus()

    def _reserve_header(self) -> None:
        """Keep the heading's text clear of the buttons at its right end."""
        self.header.reserved_right = (self.coders_button.sizeHint().width()
                                      + self.stripe_filter.sizeHint().width() + 10)
        self.header.update()

    def _coders_shown_changed(self) -> None:
        """The window now shows other coders' codings (the session's choice, made with the
        button in the heading or elsewhere): the open transcript's layers follow."""
        if self.data is not None:
            self._update_layers(self.data)
        self._reserve_header()

    def clear(self) -> None:
        """Show nothing (the open transcript was deleted)."""
        self.data, self.current_document_id = None, None
        self.codings, self.matches, self.current_match = SpanIndex(), [], None
        self.speaker_labels = SpeakerLabels()
        self.editor.highlighter.suspend()
        self.editor.positions = PositionMap("")
        self.editor.setPlainText("")
        self.line_starts = []
        self.gutter.set_lines(())
        self.stripes.set_codings(SpanIndex(), [])  # the margins keep their width: no jump
        self.header.show_nothing()

    def _show_heading(self, name: str, participant: str | None) -> None:
        data = self.data
        if data is None:
            return
        counts = " · ".join(plural(count, word) for count, word in (
            (len(data.lines), "line"), (len(data.turns), "turn"), (len(self.codings), "coding")))
        self.header.show_transcript(participant, name, counts)

    # -- selection in code points ------------------------------------------------------------
    def selection_span(self) -> tuple[int, int] | None:
        cursor = self.editor.textCursor()
        if not cursor.hasSelection() or self.data is None:
            return None
        start, end = self.positions.span_to_code_points(cursor.selectionStart(),
                                                        cursor.selectionEnd())
        return (start, end) if start < end else None

    def selected_text(self) -> str:
        span = self.selection_span()
        return self.positions.text[span[0]:span[1]] if span else ""

    def select_span(self, start: int, end: int) -> None:
        """Select ``text[start:end]``; the view scrolls to show the selection's end."""
        self._select(start, end)

    def lines_span(self, first: int, last: int) -> tuple[int, int]:
        """Lines ``first``..``last`` as coding takes them: after the first's speaker label."""
        assert self.data is not None
        return lines_quote_span(self.data.text, self.data.lines, self.speaker_labels, first,
                                last)

    def select_lines(self, first: int, last: int) -> None:
        """Select stable lines ``first``..``last`` (after a speaker label opening the first)."""
        if self.data is None:
            return
        self._select(*self.lines_span(first, last))
        self.editor.horizontalScrollBar().setValue(0)  # whole lines: show where they start

    def scroll_to(self, start: int) -> None:
        """Scroll so that the line holding code point ``start`` is near the top."""
        if self.data is None:
            return
        view = self.positions.to_view(min(max(start, 0), len(self.positions.text)))
        block = self.editor.document().findBlock(view)
        rows = self.editor.viewport().height() // max(1, self.editor.fontMetrics().lineSpacing())
        self.editor.highlighter.ensure(block.blockNumber() - 1, block.blockNumber() + rows + 2)
        self.editor.blockBoundingGeometry(block)  # lays the block out if it is not yet
        line = block.layout().lineForTextPosition(view - block.position())
        within = line.lineNumber() if line.isValid() else 0
        bar = self.editor.verticalScrollBar()
        bar.setValue(max(0, block.firstLineNumber() + within - CONTEXT_LINES))

    def coding_at_cursor(self) -> int | None:
        """The coding chosen on a stripe, else the innermost coding at the selection or cursor."""
        if self.data is None:
            return None
        span = self.selection_span()
        chosen = self.coding(self.stripes.selected)
        if chosen is not None and span == (chosen.start, chosen.end):
            return chosen.id
        if span is not None:
            found = [c for c in self.codings.overlapping(*span) if c.start <= span[0]
                     and c.end >= span[1]]
        else:
            cursor = self.positions.to_code_point(self.editor.textCursor().position())
            found = self.codings.at(cursor) or [
                c for c in self.codings.at(max(cursor - 1, 0)) if c.end == cursor]
        if not found:
            return None
        return min(found, key=lambda c: (c.end - c.start, c.id)).id

    def coding(self, coding_id: int | None) -> CodingSpan | None:
        """The transcript's record of a coding (a CodingSpan), if it is on screen."""
        if coding_id is None:
            return None
        return next((c for c in self.codings.items if c.id == coding_id), None)

    def _select(self, start: int, end: int, cursor_at_start: bool = False) -> None:
        if self.data is None:
            return
        length = len(self.positions.text)
        start, end = sorted((min(max(start, 0), length), min(max(end, 0), length)))
        view_start = self.positions.to_view(start)
        view_end = self.positions.to_view(end)
        if view_end > view_start and self.editor.document().characterAt(view_end - 1) \
                == SOFT_BREAK:
            view_end -= 1  # a selection ending on a wrap point stops before the soft break
        anchor, position = (view_end, view_start) if cursor_at_start else (view_start, view_end)
        cursor = self.editor.textCursor()
        cursor.setPosition(anchor)
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self._show_line_starts(view_end)

    def _show_line_starts(self, view_end: int) -> None:
        """Undo a sideways scroll that a selection made, when its end fits without it."""
        bar = self.editor.horizontalScrollBar()
        if bar.value() == 0:
            return
        probe = QTextCursor(self.editor.document())
        probe.setPosition(view_end)
        if self.editor.cursorRect(probe).right() + bar.value() < self.editor.viewport().width():
            bar.setValue(0)

    def _drag_lines(self, anchor: int, current: int) -> None:
        if self.data is None:
            return
        start, end = self.lines_span(anchor, current)
        self._select(start, end, cursor_at_start=current < anchor)

    def _selection_moved(self) -> None:
        chosen = self.coding(self.stripes.selected)
        if chosen is not None and self.selection_span() != (chosen.start, chosen.end):
            self.stripes.select(None)
        self.gutter.update()
        self.selection_changed.emit()

    def _stripe_clicked(self, coding_id: int) -> None:
        coding = self.coding(coding_id)
        if coding is None:
            return
        bar = self.editor.verticalScrollBar()
        keep = bar.value()
        self._select(coding.start, coding.end)
        bar.setValue(keep)  # the bar was clicked where it is: do not jump to its end
        self.stripes.select(coding_id)
        self.coding_selected.emit(coding_id)

    def _edit_note(self, annotation_id: int) -> None:
        note = next((n for n in self.data.annotations if n.id == annotation_id), None) \
            if self.data is not None else None
        if note is not None:
            edit_note(self.session, self, note.id, note.body)

    # -- margins and tooltips ----------------------------------------------------------------
    def _margins_follow(self, rect: object, dy: int) -> None:
        if dy:
            self.gutter.update()
            self.stripes.update()
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())  # type: ignore[attr-defined]
            self.stripes.update(0, rect.y(), self.stripes.width(), rect.height())  # type: ignore[attr-defined]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor.viewport() and event.type() == QEvent.Type.ToolTip \
                and isinstance(event, QHelpEvent):
            text = self._tooltip_at(event)
            if text:
                QToolTip.showText(event.globalPos(), text, self.editor.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def _tooltip_at(self, event: QHelpEvent) -> str:
        """Codes (with memos) and margin notes on the character under the mouse."""
        if self.data is None:
            return ""
        cursor = self.editor.cursorForPosition(event.pos())
        rect = self.editor.cursorRect(cursor)
        if abs(rect.center().x() - event.pos().x()) > self.editor.fontMetrics().averageCharWidth() \
                * 2 or not rect.top() <= event.pos().y() <= rect.bottom():
            return ""  # past the end of the line, or in the margin
        point = self.positions.to_code_point(cursor.position())
        if event.pos().x() < rect.center().x():
            point -= 1
        if not 0 <= point < len(self.positions.text):
            return ""
        parts = []
        codings = self.codings.at(point)
        if codings:
            parts.append(coding_tooltip(codings))
        for note in self.editor.highlighter.layers.notes.at(point):
            parts.append(f"<span style='color:#C77800'>&#9998;</span> {escape(note.body)}")
        return "<hr>".join(parts)

    # -- context menu ----------------------------------------------------------------------------
    def _show_menu(self, where: QPoint, screen: QPoint) -> None:
        """Right-click or the menu key: coding, notes, comments and copying, built apart."""
        menu = build_menu(self, self.coding_actions, where)
        menu.aboutToHide.connect(menu.deleteLater)  # gone once closed; its choice runs first
        menu.popup(screen)

    # -- find ----------------------------------------------------------------------------------
    def show_find_bar(self) -> None:
        """Open the find bar (Ctrl+F in the text); it searches this transcript as you type."""
        if self.data is None:
            return
        cursor = self.editor.textCursor()
        self._find_origin = self.positions.to_code_point(cursor.selectionStart())
        selected = self.selected_text()
        self.find_bar.open_bar(selected if len(selected) <= 80 else "")
        self._search(self.find_bar.text, self.find_bar.match_case)

    def _search(self, text: str, match_case: bool) -> None:
        if self.data is None:
            return
        self.matches = find_all(self.positions.text, text, match_case)
        self.editor.highlighter.replace(matches=SpanIndex(Span(*m) for m in self.matches))
        self._refresh_text()
        self.current_match = None
        following = [i for i, (start, _end) in enumerate(self.matches)
                     if start >= self._find_origin]
        if self.matches:
            self._go_to_match(following[0] if following else 0)
        else:
            self.find_bar.show_count(None, 0)

    def _step_match(self, step: int) -> None:
        if not self.matches:
            return
        if self.current_match is None:
            self._go_to_match(0 if step > 0 else len(self.matches) - 1)
        else:
            self._go_to_match((self.current_match + step) % len(self.matches))

    def _go_to_match(self, index: int) -> None:
        self.current_match = index
        start, end = self.matches[index]
        self._select(start, end)
        self.find_bar.show_count(index + 1, len(self.matches))

    def _find_closed(self) -> None:
        self.matches, self.current_match = [], None
        self.editor.highlighter.replace(matches=SpanIndex())
        self._refresh_text()
        self.editor.setFocus()

    def _escape(self) -> None:
        if self.find_bar.isVisible():
            self.find_bar.close_bar()

    # -- keeping up with changes ---------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        document_id = self.current_document_id
        if document_id is None or self.data is None or not change.kinds() & FOLLOWED:
            return
        try:  # the session's transcripts have followed the change already
            data = self.session.transcripts.get(document_id)
        except NotFoundError:  # deleted
            self.clear()
            return
        if document_id in change.changed.get(Kind.TEXT, ()):  # corrected: shown anew, in place
            bars = (self.editor.horizontalScrollBar(), self.editor.verticalScrollBar())
            keep = [bar.value() for bar in bars]
            self.show_data(data)
            for bar, value in zip(bars, keep, strict=True):
                bar.setValue(value)
            return
        if data.codings != self.data.codings or data.annotations != self.data.annotations:
            self._update_layers(data)
        if (data.name, data.participant) != (self.data.name, self.data.participant):
            self.data = data
            self._show_heading(data.name, data.participant)
        self.data = data

    def _update_layers(self, data: TranscriptData) -> None:
        bars = (self.editor.horizontalScrollBar(), self.editor.verticalScrollBar())
        keep = [bar.value() for bar in bars]
        self.data = data
        self.codings = self.prepared.codings(data, self.session.coders_shown)
        self.editor.highlighter.replace(codings=self.codings,
                                        notes=SpanIndex(data.annotations))
        self.prepared.keep_formats(data, self.editor.highlighter.memo)
        self.stripes.set_codings(self.codings, self.line_starts, keep_columns=True)
        self.gutter.set_notes(data.annotations)
        self.editor.update_margins()
        for bar, value in zip(bars, keep, strict=True):
            bar.setValue(value)
        self._refresh_text()
        self._show_heading(data.name, data.participant)

    def _refresh_text(self) -> None:
        self.editor.prepare_visible()
        self.editor.viewport().update()
        self.stripes.update()
        self.gutter.update()
