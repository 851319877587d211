"""Table models of the agreement view: the per-code summary, the per code × document rows
and the passages where two coders differ. Plain values from ``analysis.agreement``.

Kappa cells are shaded by Fleiss's bands, the ones NVivo's help offers for reading kappa:
below 0.40 poor, 0.40 to 0.75 fair to good, above 0.75 excellent (Fleiss, *Statistical
Methods for Rates and Proportions*, 1981; quoted as "values greater than 0.75 or so may be
taken to represent excellent agreement beyond chance ... values between 0.40 and 0.75 ...
fair to good" in Banerjee et al. 1999, p. 604).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from thematic_workbench.analysis.agreement import AgreementRow, CodeSummary, Passage
from thematic_workbench.gui.common.colours import blend, swatch
from thematic_workbench.gui.common.table import RowsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
BAND_ROLE = Qt.ItemDataRole.UserRole + 3
SPAN_ROLE = Qt.ItemDataRole.UserRole + 4
_NUMERIC = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TEXT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)
DEGENERATE_TIP = ("Both coders coded every character of the document: chance agreement is "
                  "100%, so kappa and alpha are 0/0; shown as 1, as NVivo reports it.")


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    colour: str


BANDS = (Band("poor", "poor (below 0.40)", "#D9534F"),
         Band("fair", "fair to good (0.40–0.75)", "#E8A93B"),
         Band("excellent", "excellent (above 0.75)", "#3C9D5D"))


def band_of(kappa: float) -> Band:
    if kappa < 0.40:
        return BANDS[0]
    return BANDS[1] if kappa <= 0.75 else BANDS[2]


def tint(band: Band) -> QColor:
    """A band's colour laid lightly on the table's paper, so the figures stay readable."""
    paper = QApplication.palette().color(QPalette.ColorRole.Base)
    return blend(QColor(band.colour), paper, 0.30)


def percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def figure(value: float) -> str:
    return f"{value:.2f}"


class _Table(RowsTableModel):
    """Rows of plain values; subclasses say what each column shows."""

    NUMERIC: frozenset[int] = frozenset()
    CENTRED: frozenset[int] = frozenset()
    KAPPA: frozenset[int] = frozenset()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._icons: dict[str, QIcon] = {}

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def header_role(self, section: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tip(section)
        return None

    def header_tip(self, section: int) -> str | None:
        return None

    def _alignment(self, column: int) -> int:
        if column in self.CENTRED:
            return _CENTRED
        return _NUMERIC if column in self.NUMERIC else _TEXT

    def texts(self, row: Any) -> tuple[str, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    def kappa_of(self, row: Any) -> float:
        return float(row.kappa)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = self.row_at(index), index.column()
        if row is None or not 0 <= column < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(row)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == BAND_ROLE and self.KAPPA:
            return band_of(self.kappa_of(row)).key
        if role == Qt.ItemDataRole.BackgroundRole and column in self.KAPPA:
            return tint(band_of(self.kappa_of(row)))
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and hasattr(row, "colour"):
            if row.colour not in self._icons:
                self._icons[row.colour] = swatch(row.colour)
            return self._icons[row.colour]
        if role == CODE_ID_ROLE and hasattr(row, "code_id"):
            return row.code_id
        if role == DOCUMENT_ID_ROLE and hasattr(row, "document_id"):
            return row.document_id
        return self.extra(row, column, role)

    def extra(self, row: Any, column: int, role: int) -> Any:
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class SummaryModel(_Table):
    """One row per code, over the compared documents where either coder applied it."""

    HEADERS = ("Code", "Documents", "Agreement", "Kappa (pooled)", "Kappa (NVivo average)",
               "Alpha (pooled)")
    NUMERIC = frozenset({1, 2, 3, 4, 5})
    KAPPA = frozenset({3})
    TIPS: ClassVar[dict[int, str]] = {
        1: "Compared documents where at least one of the two applied the code",
        2: "Characters both coded or both left uncoded, of all characters",
        3: "Cohen's kappa from the characters of all those documents taken together",
        4: "NVivo's summary: each document's kappa weighted by the document's length",
        5: "Krippendorff's alpha from the characters of all those documents together"}

    def header_tip(self, section: int) -> str | None:
        return self.TIPS.get(section)

    def texts(self, row: CodeSummary) -> tuple[str, ...]:
        return (row.code, f"{row.documents:,}", percent(row.agreement), figure(row.kappa),
                figure(row.kappa_average), figure(row.alpha))

    def extra(self, row: CodeSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and row.absent_documents:
            return (f"Left out: {row.absent_documents:,} compared document(s) where neither "
                    "coder applied the code")
        return None


class RowsModel(_Table):
    """One row per code and document; the columns name the two coders."""

    NUMERIC = frozenset({2, 3, 4, 5, 6, 7, 8, 9})
    KAPPA = frozenset({8})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.set_coders("A", "B")

    def set_coders(self, coder_a: str, coder_b: str) -> None:
        self.HEADERS = ("Code", "Document", "Characters", "Both", f"{coder_a} only",
                        f"{coder_b} only", "Neither", "Agreement", "Kappa", "Alpha")
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)

    def header_tip(self, section: int) -> str | None:
        return {3: "Characters both coders coded with the code",
                6: "Characters neither coder coded with the code",
                7: "(both + neither) ÷ characters, as NVivo defines it"}.get(section)

    def texts(self, row: AgreementRow) -> tuple[str, ...]:
        c = row.counts
        document = f"{row.document} ({row.participant})" if row.participant else row.document
        mark = "*" if row.degenerate else ""
        return (row.code, document, f"{c.units:,}", f"{c.both:,}", f"{c.only_a:,}",
                f"{c.only_b:,}", f"{c.neither:,}", percent(row.agreement),
                figure(row.kappa) + mark, figure(row.alpha) + mark)

    def extra(self, row: AgreementRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (8, 9):
            if row.degenerate:
                return DEGENERATE_TIP
            return f"Kappa {row.kappa:.4f}: {band_of(row.kappa).label}. Alpha {row.alpha:.4f}."
        return None


class PassagesModel(_Table):
    """Where the two coders differ on one code in one document."""

    HEADERS = ("Coded by", "Lines", "Characters", "Passage")
    CENTRED = frozenset({1, 2})

    def texts(self, row: Passage) -> tuple[str, ...]:
        lines = str(row.first_line) if row.first_line == row.last_line else \
            f"{row.first_line}–{row.last_line}"
        return (f"{row.coder} only", lines, f"{row.characters:,}", row.excerpt)

    def extra(self, row: Passage, column: int, role: int) -> Any:
        if role == SPAN_ROLE:
            return (row.document_id, row.start, row.end)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return "Double-click to see the passage in its transcript"
        return None
