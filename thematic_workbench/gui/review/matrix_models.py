"""Table models of the review views: the theme × participant matrix and the code × theme
table. Both hold plain data built by ``analysis.theme_matrix``; the views load it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from thematic_workbench.analysis.theme_matrix import (
    NO_PARTICIPANT,
    NONE,
    CodeThemeRow,
    Support,
    ThemeParticipantMatrix,
)
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.common.colours import blend, swatch
from thematic_workbench.gui.common.table import RowsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
THEME_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PARTICIPANT_ROLE = Qt.ItemDataRole.UserRole + 2
SUPPORT_ROLE = Qt.ItemDataRole.UserRole + 3
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 4
SORT_ROLE = Qt.ItemDataRole.UserRole + 5
GROUP_ROLE = Qt.ItemDataRole.UserRole + 6  # vertical header: an emerging theme's final theme
MEASURES = ("segments", "characters", "both")
NO_PARTICIPANT_HEADER = "No participant"
EMPTY_CELL = "\N{EN DASH}"
HEAT = QColor("#2F5D8A")  # the house blue, laid lightly over the paper
UNTHEMED = QColor("#F2C14E")  # amber, laid lightly: "look at this one"
_ROOT = QModelIndex()
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def describe(support: Support, measure: str) -> str:
    """A cell as text: ``12``, ``3,400`` or ``12 · 3,400 chars``; a dash for nothing."""
    if not support.segments:
        return EMPTY_CELL
    if measure == "segments":
        return f"{support.segments:,}"
    if measure == "characters":
        return f"{support.characters:,}"
    return f"{support.segments:,} · {support.characters:,} chars"


class ThemeMatrixModel(QAbstractTableModel):
    """Rows: themes in board order, then "All themes"; columns: participants, then
    "Total". Theme cells are shaded by the value shown (characters when both are)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matrix = ThemeParticipantMatrix("emerging", (), (), {}, {})
        self.words: ThemeWords = EMERGING_FINAL
        self.measure = "segments"
        self._peak = 0
        self._theme_totals: dict[int, Support] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._colours = self._palette_colours()

    @staticmethod
    def _palette_colours() -> dict[str, QColor]:
        palette = QApplication.palette()
        return {"paper": palette.color(QPalette.ColorRole.Base),
                "total": palette.color(QPalette.ColorRole.AlternateBase),
                "quiet": palette.color(QPalette.ColorRole.PlaceholderText)}

    def set_matrix(self, matrix: ThemeParticipantMatrix,
                   words: ThemeWords = EMERGING_FINAL) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.words = words  # the project's words for the theme levels
        self._theme_totals = {theme.id: matrix.theme_total(theme.id) for theme in matrix.themes}
        self._peak = self._highest()
        self._colours = self._palette_colours()
        self.endResetModel()

    def set_measure(self, measure: str) -> None:
        if measure not in MEASURES:
            raise ValueError(f"measure is one of {', '.join(MEASURES)}, not {measure!r}")
        self.measure = measure
        self._peak = self._highest()
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))

    def _amount(self, support: Support) -> int:
        return support.segments if self.measure == "segments" else support.characters

    def _highest(self) -> int:
        return max((self._amount(support) for support in self.matrix.cells.values()), default=0)

    # -- what a cell stands for ------------------------------------------------------------
    def theme_at(self, row: int) -> int | None:
        themes = self.matrix.themes
        return themes[row].id if 0 <= row < len(themes) else None

    def participant_at(self, column: int) -> str | None:
        labels = self.matrix.participants
        return labels[column] if 0 <= column < len(labels) else None

    def support_at(self, row: int, column: int) -> Support:
        theme_id, who = self.theme_at(row), self.participant_at(column)
        if theme_id is not None and who is not None:
            return self.matrix.cell(theme_id, who)
        if theme_id is not None:
            return self._theme_totals.get(theme_id, NONE)
        if who is not None:
            return self.matrix.participant_total(who)
        return self.matrix.total

    def is_total(self, row: int, column: int) -> bool:
        return self.theme_at(row) is None or self.participant_at(column) is None

    # -- the table -------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() or not self.matrix.themes else len(self.matrix.themes) + 1

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() or not self.matrix.themes else \
            len(self.matrix.participants) + 1

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if section < 0:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section >= self.columnCount():
                return None
            who = self.participant_at(section)
            if role == Qt.ItemDataRole.DisplayRole:
                if who is None:
                    return "Total"
                return who if who != NO_PARTICIPANT else NO_PARTICIPANT_HEADER
            if role == Qt.ItemDataRole.ToolTipRole and who is None:
                return "All participants: the theme's segments and text across the data set"
            return None
        if section >= self.rowCount():
            return None
        themes = self.matrix.themes
        theme = themes[section] if section < len(themes) else None
        if role == Qt.ItemDataRole.DisplayRole:
            return theme.name if theme is not None else "All themes"
        if role == GROUP_ROLE:
            return f"in {theme.group}" if theme is not None and theme.group else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if theme is None:
                return ("Segments that support any theme shown, each counted once even "
                        "where it supports several themes")
            if theme.group:
                return (f"{theme.name}\n{self.words.theme('emerging', True)}, grouped under "
                        f"“{theme.group}”")
            return f"{theme.name}\n{self.words.theme(theme.level, True)}"
        if role == Qt.ItemDataRole.FontRole and theme is None:
            return self._bold
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()
                                       and 0 <= index.column() < self.columnCount()):
            return None
        row, column = index.row(), index.column()
        support = self.support_at(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return describe(support, self.measure)
        if role == SUPPORT_ROLE:
            return support
        if role == THEME_ID_ROLE:
            return self.theme_at(row)
        if role == PARTICIPANT_ROLE:
            return self.participant_at(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRE
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row, column, support)
        if role == Qt.ItemDataRole.ForegroundRole and not support.segments:
            return self._colours["quiet"]
        if role == Qt.ItemDataRole.FontRole and self.is_total(row, column):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, support)
        return None

    def _background(self, row: int, column: int, support: Support) -> QColor | None:
        if self.is_total(row, column):
            return self._colours["total"]
        amount = self._amount(support)
        if not amount or not self._peak:
            return None
        return blend(HEAT, self._colours["paper"], 0.08 + 0.42 * amount / self._peak)

    def _tooltip(self, row: int, column: int, support: Support) -> str:
        theme = self.headerData(row, Qt.Orientation.Vertical)
        who = self.headerData(column, Qt.Orientation.Horizontal)
        found = (f"{plural(support.segments, 'coded segment')}, "
                 f"{plural(support.characters, 'character')} of text")
        if self.theme_at(row) is not None and self.participant_at(column) is not None:
            return f"{theme} · {who}\n{found}\nClick to see the extracts."
        return f"{theme} · {who}\n{found}"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CodeThemeModel(RowsTableModel):
    """One row per code: its reach and the themes it is in; codes in no theme are tinted."""

    HEADERS = ("Code", "Codings", "Participants", "Emerging themes", "Final themes")
    CODE, CODINGS, PARTICIPANTS, EMERGING, FINAL = range(5)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CodeThemeRow] = []
        self._icons: dict[str, QIcon] = {}

    def set_rows(self, rows: list[CodeThemeRow], words: ThemeWords = EMERGING_FINAL) -> None:
        self.beginResetModel()
        self.HEADERS = (*CodeThemeModel.HEADERS[:3], words.themes("emerging", True),
                        words.themes("final", True))
        self._rows = list(rows)
        self.endResetModel()

    def row_values(self, row: int) -> CodeThemeRow:
        return self._rows[row]

    def unthemed_count(self) -> int:
        return sum(row.unthemed for row in self._rows)

    def header_role(self, section: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section)
        return None

    def _alignment(self, column: int) -> int:
        numeric = column in (self.CODINGS, self.PARTICIPANTS)
        return int((Qt.AlignmentFlag.AlignHCenter if numeric else Qt.AlignmentFlag.AlignLeft)
                   | Qt.AlignmentFlag.AlignVCenter)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = self.row_at(index), index.column()
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.code, f"{row.codings:,}", f"{row.participants:,}",
                    "; ".join(row.emerging), "; ".join(row.final))[column]
        if role == SORT_ROLE:
            return (row.code.casefold(), row.codings, row.participants,
                    "; ".join(row.emerging).casefold() or "\uffff",
                    "; ".join(row.final).casefold() or "\uffff")[column]
        if role == CODE_ID_ROLE:
            return row.code_id
        if role == Qt.ItemDataRole.DecorationRole and column == self.CODE:
            if row.colour not in self._icons:
                self._icons[row.colour] = swatch(row.colour)
            return self._icons[row.colour]
        if role == Qt.ItemDataRole.BackgroundRole and row.unthemed:
            paper = QApplication.palette().color(QPalette.ColorRole.Base)
            return blend(UNTHEMED, paper, 0.25)
        if role == Qt.ItemDataRole.ToolTipRole and row.unthemed:
            return f"“{row.code}” is in no theme yet"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
