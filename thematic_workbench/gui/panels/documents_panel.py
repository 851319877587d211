"""The documents panel: transcripts by participant, how far each is coded, which are open."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget

from thematic_workbench.gui.models.documents_model import DocumentsModel
from thematic_workbench.gui.panels.columns import fix_widths
from thematic_workbench.gui.panels.tree_state import TreeState
from thematic_workbench.gui.session import ProjectSession

EMPTY_HINT = ("No transcripts yet.\n"
              "Use File \N{RIGHTWARDS ARROW} Import transcripts\N{HORIZONTAL ELLIPSIS}")


class DocumentsPanel(QWidget):
    """Double-click or Enter on a transcript emits ``document_activated(document_id)``."""

    document_activated = Signal(int)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = DocumentsModel(session, self)
        self.view = QTreeView(self)
        self.view.setObjectName("documentsTree")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DocumentsModel.NAME, QHeaderView.ResizeMode.Stretch)
        fix_widths(self.view, (DocumentsModel.LINES, DocumentsModel.CODED,
                               DocumentsModel.OPENED), "9,999")
        self.view.setIndentation(14)  # room for the transcript names in a narrow panel
        self.state = TreeState(self.view, self.model)
        self.view.activated.connect(self._on_activated)

        self.empty = QLabel(EMPTY_HINT, self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        self.model.modelReset.connect(self._show_empty_hint)
        self._show_empty_hint()

    def refresh(self) -> None:
        self.model.refresh()

    def mark_opened(self, document_id: int) -> None:
        """Mark a transcript as opened in this session (the main window calls this)."""
        self.model.mark_opened(document_id)

    def selected_document_id(self) -> int | None:
        return self.model.document_id(self.view.currentIndex())

    def select_document(self, document_id: int) -> None:
        index = self.model.index_of_key(("document", document_id))
        if index.isValid():
            self.view.setCurrentIndex(index)

    def _on_activated(self, index: QModelIndex) -> None:
        document_id = self.model.document_id(index)
        if document_id is not None:
            self.document_activated.emit(document_id)

    def _show_empty_hint(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)
