"""The extracts of one code or theme across the project, one row per coded segment: of
the codings the window shows (everyone's, or the coders of ``session.coders_shown``)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QApplication

from thematic_workbench.analysis.theme_matrix import extracts_for_cell
from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.queries.theme_extracts import (
    CodedExtract,
    ExtractSet,
    extracts_for_code,
    extracts_for_theme,
    extracts_of_codings,
    sort_key,
)
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.common.colours import swatch
from thematic_workbench.gui.common.table import RowsTableModel
from thematic_workbench.gui.session import ProjectSession

AnyIndex = QModelIndex | QPersistentModelIndex
SPAN_ROLE = Qt.ItemDataRole.UserRole + 1
CODING_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STRUCTURE_KINDS = frozenset({Kind.CODE, Kind.THEME, Kind.DOCUMENT, Kind.PARTICIPANT})
MAX_SHOWN = 400
_ROOT = QModelIndex()


@dataclass(frozen=True)
class ExtractRow:
    """One coded segment, as plain values."""

    coding_id: int
    document_id: int
    start: int
    end: int
    participant: str
    citation: str
    code: str
    colour: str
    text: str
    memo: str
    document: str = ""


def _row(item: CodedExtract) -> ExtractRow:
    extract = item.extract
    return ExtractRow(extract.coding_id, extract.document_id, extract.start, extract.end,
                      extract.participant or extract.document, extract.citation.strip("[]"),
                      item.code, item.colour, extract.text, extract.memo, extract.document)


def _tooltip(row: ExtractRow, column: int) -> str:
    """The whole of what a cell may show cut short, and where the extract comes from."""
    lines = row.citation.rpartition(", ")[2]
    source = f" ({row.document})" if row.document and row.document != row.participant else ""
    where = f"{row.participant}{source}, {lines}"
    if column == ExtractsModel.CODE:
        return row.code
    if column in (ExtractsModel.PARTICIPANT, ExtractsModel.WHERE):
        return where
    memo = f"\n\nMemo: {row.memo}" if row.memo else ""
    if column == ExtractsModel.MEMO and row.memo:
        return f"Memo: {row.memo}"
    return f"{where} \N{MIDDLE DOT} {row.code}\n\n{row.text}{memo}"


def _shown(text: str) -> str:
    """The extract on one line, elided past ``MAX_SHOWN`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= MAX_SHOWN:
        return flat
    return flat[:MAX_SHOWN - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


class ExtractsModel(RowsTableModel):
    """Rows for the code or theme last asked for; reloads when codings or the frame change,
    or when the window comes to show other coders' codings."""

    HEADERS = ("Participant", "Where", "Code", "Extract", "Memo")
    PARTICIPANT, WHERE, CODE, EXTRACT, MEMO = range(5)

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.target: tuple[str, int] | tuple[str, int, str] | None = None
        self.shown: ExtractSet | None = None
        self._rows: list[ExtractRow] = []
        self._icons: dict[str, QIcon] = {}
        session.changed.connect(self.on_changed)
        session.coders_shown_changed.connect(self.refresh)

    # -- what is shown ---------------------------------------------------------------------
    def show_code(self, code_id: int) -> None:
        self.target = ("code", code_id)
        self.refresh()

    def show_theme(self, theme_id: int) -> None:
        self.target = ("theme", theme_id)
        self.refresh()

    def show_cell(self, theme_id: int, participant: str) -> None:
        """The extracts behind one cell of the theme × participant matrix."""
        self.target = ("cell", theme_id, participant)
        self.refresh()

    def clear(self) -> None:
        self.target = None
        self.refresh()

    def refresh(self) -> None:
        shown: ExtractSet | None = None
        target, coders = self.target, self.session.coders_shown
        if target is not None:
            kind, target_id = target[0], target[1]
            with self.session.read() as s:
                if len(target) == 3:  # ("cell", theme, participant)
                    shown = extracts_for_cell(s, target_id, target[2], coders)
                else:
                    load = extracts_for_code if kind == "code" else extracts_for_theme
                    shown = load(s, target_id, coders)
        rows = [] if shown is None else [_row(item) for item in shown.extracts]
        self.beginResetModel()
        self.shown, self._rows = shown, rows
        self.endResetModel()

    def on_changed(self, change: Change) -> None:
        if self.target is None:
            return
        kinds = kinds_of(change)
        if kinds & STRUCTURE_KINDS:
            self.refresh()
        elif Kind.CODING in kinds and self.shown is not None:
            self._update_codings(change)

    def _update_codings(self, change: Change) -> None:
        """Take out the rows of removed or changed codings, put in those now shown.

        A coding change touches a handful of rows: updating them in place keeps coding fast
        in large projects, where reloading a code's extracts would take tens of ms.
        """
        assert self.shown is not None
        gone = set(change.removed.get(Kind.CODING, ())) | set(change.changed.get(Kind.CODING, ()))
        fresh = set(change.added.get(Kind.CODING, ())) | set(change.changed.get(Kind.CODING, ()))
        with self.session.read() as s:
            arriving = extracts_of_codings(s, self.shown, fresh, self.session.coders_shown)
        final = [item for item in self.shown.extracts if item.extract.coding_id not in gone]
        for item in arriving:
            final.insert(bisect_right([sort_key(k) for k in final], sort_key(item)), item)
        self.shown = replace(self.shown, extracts=tuple(final))  # before views are told
        for row in reversed(range(len(self._rows))):
            if self._rows[row].coding_id in gone:
                self.beginRemoveRows(_ROOT, row, row)
                del self._rows[row]
                self.endRemoveRows()
        new_ids = {item.extract.coding_id for item in arriving}
        for row, item in enumerate(final):
            if item.extract.coding_id in new_ids:
                self.beginInsertRows(_ROOT, row, row)
                self._rows.insert(row, _row(item))
                self.endInsertRows()

    def participant_count(self) -> int:
        return self.shown.participants if self.shown is not None else 0

    def row_values(self, row: int) -> ExtractRow:
        return self._rows[row]

    def extract_at(self, row: int) -> CodedExtract:
        """The extract behind a row (the rows follow ``shown.extracts`` in order)."""
        assert self.shown is not None
        return self.shown.extracts[row]

    def row_of_coding(self, coding_id: int) -> int:
        for row, values in enumerate(self._rows):
            if values.coding_id == coding_id:
                return row
        return -1

    # -- the table -------------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = self.row_at(index), index.column()
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.participant, row.citation, row.code, _shown(row.text),
                    " ".join(row.memo.split()))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role == SPAN_ROLE:
            return (row.document_id, row.start, row.end)
        if role == CODING_ID_ROLE:
            return row.coding_id
        if role == Qt.ItemDataRole.DecorationRole and column == self.CODE:
            if row.colour not in self._icons:
                self._icons[row.colour] = swatch(row.colour)
            return self._icons[row.colour]
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.WHERE, self.MEMO):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
