"""Column widths without measuring every row (ResizeToContents is slow on large models),
the widths a user gives a column, remembered between runs, and the plain table of records:
for the panels and for the views (review, analysis, agreement) alike."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QObject, QSettings, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView, QWidget

PADDING = 18


def header_of(view: QTreeView | QTableView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def fix_widths(view: QTreeView | QTableView, columns: Iterable[int], sample: str,
               padding: int = PADDING) -> None:
    """Give each column a fixed width wide enough for its header and for ``sample``."""
    header = header_of(view)
    model = view.model()
    for column in columns:
        title = str(model.headerData(column, header.orientation()) or "")
        width = max(header.fontMetrics().horizontalAdvance(title),
                    view.fontMetrics().horizontalAdvance(sample)) + padding
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, width)


def fit_to_texts(view: QTableView, column: int, texts: Iterable[str], extra: int = 0,
                 most: int = 260) -> None:
    """Size a column to the widest of ``texts`` (and its header), at most ``most`` pixels."""
    header = view.horizontalHeader()
    title = str(view.model().headerData(column, header.orientation()) or "")
    width = max(header.fontMetrics().horizontalAdvance(title), widest(view, texts))
    header.resizeSection(column, min(most, width + PADDING + extra))


def widest(view: QAbstractItemView, texts: Iterable[str], bold: bool = False) -> int:
    """The advance of the widest of ``texts`` in the view's font (bold for group rows)."""
    font = QFont(view.font())
    font.setBold(bold)
    metrics = QFontMetrics(font)
    return max((metrics.horizontalAdvance(text) for text in set(texts)), default=0)


class RememberedWidths(QObject):
    """Keeps the widths the user drags a view's ``columns`` to, in ``settings`` under ``key``.

    Widths set by the program go through :meth:`resize`, which does not count as the user's
    choice; a column the user has sized keeps that size at the next start.
    """

    def __init__(self, view: QTreeView | QTableView, settings: QSettings | None, key: str,
                 columns: Iterable[int]) -> None:
        super().__init__(view)
        self.header = header_of(view)
        self.settings = settings
        self.key = key
        self.columns = set(columns)
        self._resizing = False
        self.header.sectionResized.connect(self._on_resized)

    def saved(self, column: int) -> int | None:
        """The width the user last gave this column, if any."""
        if self.settings is None:
            return None
        value = self.settings.value(f"{self.key}/{column}")
        try:
            width = int(value)
        except (TypeError, ValueError):
            return None
        return width if width > 0 else None

    def resize(self, column: int, width: int) -> None:
        """Size a column from the program (not remembered)."""
        self._resizing = True
        try:
            self.header.resizeSection(column, width)
        finally:
            self._resizing = False

    def forget(self) -> None:
        """Back to the sizes the program chooses."""
        if self.settings is not None:
            for column in self.columns:
                self.settings.remove(f"{self.key}/{column}")

    def _on_resized(self, column: int, _old: int, new: int) -> None:
        if self._resizing or column not in self.columns or self.settings is None:
            return
        self.settings.setValue(f"{self.key}/{column}", new)


def row_table(parent: QWidget, model: QAbstractItemModel, name: str,
              selection: QAbstractItemView.SelectionMode =
              QAbstractItemView.SelectionMode.SingleSelection) -> QTableView:
    """A read-only table whose rows are selected whole, with a plain left-aligned header
    and no row numbers: how every list of records in the window looks."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(selection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setTabKeyNavigation(False)  # Tab leaves the list (no trap); the arrows move in it
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view
