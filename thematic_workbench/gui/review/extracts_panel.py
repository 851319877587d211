"""The extracts panel: every coded segment of one code or theme, across the project.

Clicking a row, or pressing Enter on it, emits ``extract_activated(document_id, start,
end)`` in code points, so the main window can open the transcript there. A right-click
(or the Menu key) offers what can be done to the extract (``gui.review.extract_menu``);
"Comment for review" emits ``comment_requested("coding", coding_id)``. The participant,
place and code columns fit their contents; a width the user sets by hand is remembered.
The extracts are those of the codings the window shows; the button beside the title says
whose they are (everyone's, mine only...) and changes it for the whole window.
"""

from __future__ import annotations

import time
from html import escape, unescape

from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.coders_shown import CodersShownButton
from thematic_workbench.gui.common.columns import fit_to_texts, row_table
from thematic_workbench.gui.common.wrapped_delegate import WrappedTextDelegate
from thematic_workbench.gui.review.extract_menu import ExtractMenu, ExtractTarget
from thematic_workbench.gui.review.extracts_model import SPAN_ROLE, ExtractsModel
from thematic_workbench.gui.session import ProjectSession

PROMPT = "Select a code or a theme to see its extracts."
LINES_PER_ROW = 2
NARROW_LINES_PER_ROW = 3
WIDTHS_KEY = "extracts/column_widths"  # {header: width} the user set by hand
FITTED = (ExtractsModel.PARTICIPANT, ExtractsModel.WHERE, ExtractsModel.CODE)
REMEMBERED = (*FITTED, ExtractsModel.MEMO)
NARROW = 640  # narrower than this (the right column): the place names the participant,
# the memo shows on hover, and the code wraps, so that the extract keeps most of the room


class ExtractsPanel(QWidget):
    """A header saying what is shown, then one row per extract."""

    extract_activated = Signal(int, int, int)
    comment_requested = Signal(str, int)  # ("coding", coding id)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self._fitting = False
        self.model = ExtractsModel(session, self)
        self.title = QLabel(PROMPT, self)
        self.title.setObjectName("extractsTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setContentsMargins(6, 4, 6, 4)
        self.coders_button = CodersShownButton(session, self)  # whose extracts these are
        self.coders_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.view = self._make_view()
        # The button sits beside the title, or under it in a narrow panel (the title keeps
        # the width it needs to stay short).
        self.title_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.title_row.setContentsMargins(0, 0, 4, 0)
        self.title_row.setSpacing(0)
        self.title_row.addWidget(self.title, 1)
        self.title_row.addWidget(self.coders_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.title_row)
        layout.addWidget(self.view, 1)  # room to spare goes to the extracts
        self._last_click: tuple[int, float] | None = None
        self.model.modelReset.connect(self._after_reload)
        # A coding added or removed updates rows in place; the header follows.
        self.model.rowsInserted.connect(lambda *_args: self.title.setText(self._describe()))
        self.model.rowsRemoved.connect(lambda *_args: self.title.setText(self._describe()))
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_activated)
        self.chosen_widths = self._remembered_widths()
        self.view.horizontalHeader().sectionResized.connect(self._on_resized)
        self.menu = ExtractMenu(session, self.view, self._locate, self.listed_codings)
        self.menu.open_requested.connect(self.extract_activated)
        self.menu.comment_requested.connect(self.comment_requested)

    def _make_view(self) -> QTableView:
        view = row_table(self, self.model, "extractsTable")
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = view.verticalHeader()  # uniform rows: measuring wrapped text per row is slow
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().lineSpacing() * LINES_PER_ROW + 10)
        # The list takes the height left under the title (it scrolls), rather than asking for
        # a default height that would make a short panel scroll as a whole.
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        view.setMinimumHeight(view.horizontalHeader().sizeHint().height()
                              + rows.defaultSectionSize())
        header = view.horizontalHeader()
        header.setSectionResizeMode(ExtractsModel.EXTRACT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ExtractsModel.MEMO, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ExtractsModel.MEMO, 160)
        self._wrapped = WrappedTextDelegate(view)
        for column in (ExtractsModel.CODE, ExtractsModel.EXTRACT, ExtractsModel.MEMO):
            view.setItemDelegateForColumn(column, self._wrapped)
        return view

    # -- public API ------------------------------------------------------------------------
    def show_code(self, code_id: int) -> None:
        self.model.show_code(code_id)

    def show_theme(self, theme_id: int) -> None:
        self.model.show_theme(theme_id)

    def show_cell(self, theme_id: int, participant: str) -> None:
        self.model.show_cell(theme_id, participant)

    def clear(self) -> None:
        self.model.clear()

    def refresh(self) -> None:
        self.model.refresh()

    def title_text(self) -> str:
        """The header as plain text (what a screen reader would say)."""
        return unescape(self.title.text().replace("<b>", "").replace("</b>", ""))

    # -- reacting --------------------------------------------------------------------------
    def target_at(self, row: int) -> ExtractTarget:
        """What the extract menu acts on for a row."""
        return ExtractTarget.of_coded(self.model.extract_at(row))

    def listed_codings(self) -> list[int]:
        """The coding of every extract listed, for "Export these extracts…"."""
        return [self.model.extract_at(row).extract.coding_id
                for row in range(self.model.rowCount())]

    def _locate(self, pos: QPoint | None) -> tuple[ExtractTarget, QPoint] | None:
        """The extract under ``pos`` (made current), or the current one."""
        index = self.view.indexAt(pos) if pos is not None else self.view.currentIndex()
        if not index.isValid():
            return None
        if pos is not None:
            self.view.setCurrentIndex(index)
        where = pos if pos is not None else \
            self.view.visualRect(index.siblingAtColumn(ExtractsModel.EXTRACT)).center()
        return self.target_at(index.row()), where

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = self.width() < NARROW
        if narrow != self.narrow:
            self._fit_columns()

    @property
    def narrow(self) -> bool:
        return self.view.horizontalHeader().isSectionHidden(ExtractsModel.PARTICIPANT)

    def _after_reload(self) -> None:
        self.title.setText(self._describe())
        self._fit_columns()

    def _fit_columns(self) -> None:
        narrow = self.width() < NARROW
        self.title_row.setDirection(QBoxLayout.Direction.TopToBottom if narrow
                                    else QBoxLayout.Direction.LeftToRight)
        self.title_row.setAlignment(self.coders_button, Qt.AlignmentFlag.AlignLeft if narrow
                                    else Qt.AlignmentFlag.AlignTop)
        self.title_row.setStretchFactor(self.title, 0 if narrow else 1)  # no gap under it
        header = self.view.horizontalHeader()
        for column in (ExtractsModel.PARTICIPANT, ExtractsModel.MEMO):
            header.setSectionHidden(column, narrow)
        # One code's extracts all carry that code, which the title names: in the narrow
        # right column its column gives the extract the room, and each row shows more lines.
        one_code = self.model.target is not None and self.model.target[0] == "code"
        header.setSectionHidden(ExtractsModel.CODE, narrow and one_code)
        lines = NARROW_LINES_PER_ROW if narrow else LINES_PER_ROW
        self.view.verticalHeader().setDefaultSectionSize(
            self.view.fontMetrics().lineSpacing() * lines + 10)
        rows = [self.model.row_values(row) for row in range(self.model.rowCount())]
        texts = {ExtractsModel.PARTICIPANT: [r.participant for r in rows],
                 ExtractsModel.WHERE: [r.citation for r in rows],
                 ExtractsModel.CODE: [r.code for r in rows]}
        self._fitting = True
        try:
            for column in REMEMBERED:
                chosen = self.chosen_widths.get(self._name(column))
                if chosen:
                    self.view.horizontalHeader().resizeSection(column, chosen)
                elif column in texts:
                    code = column == ExtractsModel.CODE
                    fit_to_texts(self.view, column, texts[column], extra=22 if code else 0,
                                 most=max(130, self.width() // 3) if code and narrow else 260)
        finally:
            self._fitting = False

    # -- widths the user chose ---------------------------------------------------------------
    def _name(self, column: int) -> str:
        return str(self.model.headerData(column, Qt.Orientation.Horizontal))

    def _remembered_widths(self) -> dict[str, int]:
        value = self.settings.value(WIDTHS_KEY) if self.settings is not None else None
        if not isinstance(value, dict):
            return {}
        widths = {}
        for name, width in value.items():
            try:
                widths[str(name)] = max(24, int(width))
            except (TypeError, ValueError):
                continue
        return widths

    def _on_resized(self, column: int, _old: int, new: int) -> None:
        """A column dragged wider or narrower by hand keeps that width, now and next time."""
        if self._fitting or column not in REMEMBERED or not self.isVisible():
            return
        self.chosen_widths[self._name(column)] = new
        if self.settings is not None:
            self.settings.setValue(WIDTHS_KEY, dict(self.chosen_widths))

    def _describe(self) -> str:
        shown, target = self.model.shown, self.model.target
        if target is None:
            return PROMPT
        if shown is None:
            return f"The {target[0]} shown here no longer exists."
        what = f"{shown.kind.capitalize()} <b>{escape(shown.name)}</b>"
        count = len(shown.extracts)
        if not count:
            among = "" if self.session.coders_shown is None else " among the codings shown"
            return f"{what}: no coded extracts yet{among}."
        return (f"{what}: {plural(count, 'extract')} from "
                f"{plural(shown.participants, 'participant')}")

    def _on_clicked(self, index: QModelIndex) -> None:
        self._last_click = (index.row(), time.monotonic())
        self._emit(index)

    def _on_activated(self, index: QModelIndex) -> None:
        """Enter, or a double-click; the click before a double-click has already emitted."""
        if self._last_click is not None and self._last_click[0] == index.row() and \
                time.monotonic() - self._last_click[1] < \
                QApplication.doubleClickInterval() / 1000:
            return
        self._emit(index)

    def _emit(self, index: QModelIndex) -> None:
        span = index.data(SPAN_ROLE)
        if span is not None:
            self.extract_activated.emit(*span)
