"""Keeps a tree view's collapsed rows and current row across model resets and filtering.

Rows start expanded; the rows the user collapses are remembered by their model key, so a
reload (which resets the model) or a cleared filter puts the tree back as the user left it.
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel
from PySide6.QtWidgets import QTreeView

from thematic_workbench.gui.common.tree import KEY_ROLE, TreeModel


class TreeState(QObject):
    """Watches ``view`` (showing ``source``, possibly through a filter proxy)."""

    def __init__(self, view: QTreeView, source: TreeModel) -> None:
        super().__init__(view)
        self.view = view
        self.source = source
        self.collapsed: set[Hashable] = set()
        self._current: Hashable | None = None
        shown = view.model()
        shown.modelAboutToBeReset.connect(self._remember_current)
        shown.modelReset.connect(self.apply)
        view.collapsed.connect(lambda index: self.collapsed.add(index.data(KEY_ROLE)))
        view.expanded.connect(lambda index: self.collapsed.discard(index.data(KEY_ROLE)))
        self.apply()

    def view_index(self, key: Hashable) -> QModelIndex:
        """The index in the view's model of the source row with this key."""
        index = self.source.index_of_key(key)
        shown = self.view.model()
        if isinstance(shown, QSortFilterProxyModel):
            index = shown.mapFromSource(index)
        return index

    def apply(self) -> None:
        """Expand everything but the rows the user collapsed; bring back the current row."""
        self.view.expandAll()
        for key in list(self.collapsed):
            index = self.view_index(key)
            if index.isValid():
                self.view.collapse(index)
        if self._current is not None:
            index = self.view_index(self._current)
            if index.isValid():
                self.view.setCurrentIndex(index)
            self._current = None

    def _remember_current(self) -> None:
        index = self.view.currentIndex()
        self._current = index.data(KEY_ROLE) if index.isValid() else None
