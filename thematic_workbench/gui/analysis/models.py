"""The analysis tables: plain rows built from ``analysis.stats`` and one table model for all.

A :class:`Table` is what a tab shows and what "Export table…" writes to CSV, so the file
holds the very numbers on screen (raw numbers, not the thousands separators of the view).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from thematic_workbench.analysis.stats import (
    NOT_SET,
    CodeAttributeTable,
    CodeFrequency,
    CodeParticipantTable,
    CooccurrenceMatrix,
    Coverage,
)
from thematic_workbench.analysis.theme_matrix import NO_PARTICIPANT
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.gui.common.colours import swatch
from thematic_workbench.gui.common.table import RowsTableModel

Cell = str | int | float | None
AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
NUMBER_KINDS = ("count", "percent")
NO_PARTICIPANT_TEXT = "No participant"
NOT_SET_TEXT = "Not set"
MISSING = "\N{EN DASH}"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Table:
    """Headers, each column's kind ("text", "count" or "percent"), plain rows; per row
    what it stands for (``keys``) and a code's colour (``colours``), where there are any."""

    headers: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    keys: tuple[Any, ...] = ()
    colours: tuple[str | None, ...] = ()
    tips: tuple[str, ...] = ()


def who(label: str | None) -> str:
    return NO_PARTICIPANT_TEXT if label in (None, NO_PARTICIPANT) else str(label)


def frequency_table(codes: Sequence[CodeFrequency],
                    words: ThemeWords = EMERGING_FINAL) -> Table:
    return Table(
        ("Code", "Codings", "Transcripts", "Participants", "Characters coded",
         words.themes("emerging", True)),
        ("text", "count", "count", "count", "count", "text"),
        tuple((c.name, c.codings, c.documents, c.participants, c.characters,
               "; ".join(c.themes)) for c in codes),
        tuple(c.id for c in codes), tuple(c.colour for c in codes),
        ("", "Coded segments", "Transcripts with at least one coding",
         "Participants with at least one coding",
         "Text covered by the code, overlapping codings counted once", ""))


def participant_table(table: CodeParticipantTable) -> Table:
    labels = table.participants
    return Table(
        ("Code", *(who(label) for label in labels), "Total"),
        ("text", *("count" for _ in labels), "count"),
        tuple((code.name, *(table.count(code.id, label) for label in labels),
               table.code_total(code.id)) for code in table.codes),
        tuple(code.id for code in table.codes), tuple(code.colour for code in table.codes))


def group_name(value: str) -> str:
    return NOT_SET_TEXT if value == NOT_SET else value


def attribute_table(table: CodeAttributeTable) -> Table:
    headers: list[str] = ["Code"]
    tips: list[str] = [""]
    for group in table.groups:
        name = group_name(group.value)
        headers += [f"{name}: codings", f"{name}: participants"]
        tips += [f"Codings in the transcripts of participants whose {table.attribute} is "
                 f"{name}", f"Participants whose {table.attribute} is {name} "
                 f"({group.participants} in all) who have the code"]
    rows = []
    for code in table.codes:
        row: list[Cell] = [code.name]
        for group in table.groups:
            reach = table.cell(code.id, group.value)
            row += [reach.codings, reach.participants]
        rows.append(tuple(row))
    return Table(tuple(headers), ("text", *("count" for _ in headers[1:])), tuple(rows),
                 tuple(code.id for code in table.codes),
                 tuple(code.colour for code in table.codes), tuple(tips))


PAIR_COUNTS = {"overlap": ("Overlaps", "Pairs of codings whose text overlaps"),
               "turn": ("Shared turns", "Speaker turns in which both codes are applied")}


def pairs_table(matrix: CooccurrenceMatrix) -> Table:
    """Every pair of codes that meets, most often first, the count first as in a ranked
    list (a list reads better than a 500 × 500 grid); each pair in board order."""
    names = {code.id: code for code in matrix.codes}
    place = {code.id: number for number, code in enumerate(matrix.codes)}
    ranked = [(a, b, n) if place[a] <= place[b] else (b, a, n) for a, b, n in matrix.ranked()]
    header, tip = PAIR_COUNTS.get(matrix.mode, ("Together", ""))
    return Table((header, "Code", "Code"), ("count", "text", "text"),
                 tuple((count, names[a].name, names[b].name) for a, b, count in ranked),
                 tuple((a, b) for a, b, _count in ranked), (), (tip, "", ""))


def stretch_table(items: Sequence[Coverage]) -> Table:
    """The longest uncoded stretches of each transcript; a transcript coded throughout
    still gets a row, so none goes missing."""
    rows: list[tuple[Cell, ...]] = []
    keys: list[Any] = []
    for item in items:
        share = round(100 * item.share, 1)
        for stretch in item.stretches:
            rows.append((item.document, who(item.participant), share, stretch.first_line,
                         stretch.last_line, stretch.characters, stretch.preview))
            keys.append((item.document_id, stretch.start, stretch.end))
        if not item.stretches:
            rows.append((item.document, who(item.participant), share, None, None, 0,
                         "(no uncoded text)" if item.characters else
                         "(none of these speakers' words)"))
            keys.append(None)
    return Table(("Transcript", "Participant", "Coded", "From line", "To line", "Characters",
                  "Begins with"),
                 ("text", "text", "percent", "count", "count", "count", "text"),
                 tuple(rows), tuple(keys), (),
                 ("", "", "Share coded of the words that count (whose: the choice above)",
                  "", "",
                  "Length of the uncoded stretch", "Double-click to open the transcript here"))


def display(value: Cell, kind: str) -> str:
    if value is None:
        return MISSING
    if kind == "count" and isinstance(value, int):
        return f"{value:,}"
    if kind == "percent" and isinstance(value, float | int):
        return f"{value:.1f}%"
    return str(value)


class StatsTableModel(RowsTableModel):
    """Any :class:`Table`: numbers aligned right and sorted as numbers, a code's colour as
    a swatch before its name."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = Table()
        self.HEADERS = ()
        self._rows = ()
        self._swatches: dict[str, QIcon] = {}

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self.HEADERS = table.headers
        self._rows = table.rows
        self.endResetModel()

    def key_at(self, row: int) -> Any:
        keys = self.table.keys
        return keys[row] if 0 <= row < len(keys) else None

    def header_role(self, section: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.table.tips):
            return self.table.tips[section] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and \
                self.table.kinds[section] in NUMBER_KINDS:
            return _RIGHT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None or not 0 <= index.column() < len(row):
            return None
        column = index.column()
        value, kind = row[column], self.table.kinds[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(value, kind)
        if role == SORT_ROLE:
            return (-1 if kind in NUMBER_KINDS else "") if value is None else value
        if role == KEY_ROLE:
            return self.key_at(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in NUMBER_KINDS:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str) and len(value) > 30:
            return value
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and self.table.colours:
            colour = self.table.colours[index.row()]
            if colour:
                if colour not in self._swatches:
                    self._swatches[colour] = swatch(colour)
                return self._swatches[colour]
        return None
