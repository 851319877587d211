"""The participants' real names, entered for de-identifying and never stored in the project.

A participant's own name is the first thing a transcript must lose, and the interviewer says
it ("Thanks, Sarah"). The researcher types each participant's real name beside their label;
the names become key entries (the whole name and each part, replaced by the label in
brackets) that live in the pseudonym key's file, apart from the project, like every other
real string.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.queries.participant_sheet import ParticipantRow

COLUMNS = ("Participant", "Their transcripts", "Real name")


class ParticipantNamesDialog(QDialog):
    """A table of participants with a real name to type beside each."""

    def __init__(self, participants: tuple[ParticipantRow, ...], names: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Participants' real names")
        self.resize(640, 420)
        intro = QLabel("Type each participant's real name as the transcripts might say it "
                       "(\"Sarah Jones\"). The whole name and each part of it are looked "
                       "for and replaced by the participant's label. The names go into the "
                       "key file only, never into the project.", self)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(participants), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, participant in enumerate(participants):
            for column, text in enumerate((participant.label, participant.transcripts_text())):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            self.table.setItem(row, 2, QTableWidgetItem(names.get(participant.label, "")))
        self.table.resizeColumnToContents(0)
        empty = QLabel("This project has no participants yet: add them on the Participants "
                       "page, or add the names to look for one by one.", self)
        empty.setWordWrap(True)
        empty.setVisible(not participants)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(empty)
        layout.addWidget(buttons)
        if participants:
            self.table.setCurrentCell(0, 2)

    def names(self) -> dict[str, str]:
        """Participant label -> the real name typed (participants left blank are left out)."""
        found = {}
        for row in range(self.table.rowCount()):
            label, real = self.table.item(row, 0), self.table.item(row, 2)
            if label is not None and real is not None and real.text().strip():
                found[label.text()] = " ".join(real.text().split())
        return found
