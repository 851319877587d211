"""Column widths without measuring every row (ResizeToContents is slow on large models)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView, QWidget

PADDING = 18


def header_of(view: QAbstractItemView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else \
        view.header()  # type: ignore[attr-defined]


def fix_widths(view: QTreeView | QTableView, columns: Iterable[int], sample: str) -> None:
    """Give each column a fixed width wide enough for its header and for ``sample``."""
    header = header_of(view)
    model = view.model()
    for column in columns:
        title = str(model.headerData(column, header.orientation()) or "")
        width = max(header.fontMetrics().horizontalAdvance(title),
                    view.fontMetrics().horizontalAdvance(sample)) + PADDING
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, width)


def fit_to_texts(view: QTableView, column: int, texts: Iterable[str], extra: int = 0,
                 most: int = 260) -> None:
    """Size a column to the widest of ``texts`` (and its header), at most ``most`` pixels."""
    header = view.horizontalHeader()
    metrics = view.fontMetrics()
    title = str(view.model().headerData(column, header.orientation()) or "")
    width = max([header.fontMetrics().horizontalAdvance(title),
                 *(metrics.horizontalAdvance(text) for text in set(texts))])
    header.resizeSection(column, min(most, width + PADDING + extra))


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
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view
