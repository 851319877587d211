"""Who the speakers of a focus group are: one transcript, several participants.

The dialog lists the transcript's speaker labels with their numbers of turns and lets the
researcher pick (or type) a participant for each. What a mapped speaker says then counts
for that participant everywhere: the matrix, the statistics, Table 1, filters, citations.
A speaker left on the first choice counts for the transcript's own participant.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.finding.scope import speaker_turns
from thematic_workbench.core.services.documents import document_facts, participant_choices
from thematic_workbench.core.services.speakers import speaker_mappings
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.documents.commands import MapSpeakersCommand
from thematic_workbench.gui.session import ProjectSession

SPEAKER, TURNS, PARTICIPANT = range(3)


class SpeakersDialog(QDialog):
    """Speaker label → participant for one transcript; ``wanted()`` holds the changes."""

    def __init__(self, session: ProjectSession, document_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("speakersDialog")
        with session.read() as s:
            facts = document_facts(s, document_id)
            turns = speaker_turns(s, document_id)
            mapped = speaker_mappings(s, document_id)
            labels = {pid: label for pid, label in participant_choices(s)}
        self.document_id, self.document_name = document_id, facts.name
        self.setWindowTitle(f"Speakers of '{facts.name}'")
        owner = facts.participant
        self.default_text = (f"(the transcript's participant, {owner})" if owner
                             else "(nobody in particular)")
        intro = QLabel(
            "In a focus group, say who each speaker is: what a speaker says then counts for "
            "that participant in every count, filter and citation. Choose a participant or "
            f"type a new label. Speakers left on {self.default_text} count for the "
            "transcript as a whole.")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(turns), 3, self)
        self.table.setObjectName("speakersTable")
        self.table.setHorizontalHeaderLabels(["Speaker", "Turns", "Participant"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SPEAKER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TURNS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PARTICIPANT, QHeaderView.ResizeMode.Stretch)
        self.current: dict[str, str | None] = {}
        for row, (speaker, count) in enumerate(turns):
            self.table.setItem(row, SPEAKER, QTableWidgetItem(speaker))
            self.table.setItem(row, TURNS, QTableWidgetItem(f"{count:,}"))
            combo = QComboBox(self.table)
            combo.setEditable(True)
            combo.setAccessibleName(f"Participant of {speaker}")
            combo.addItem(self.default_text)
            combo.addItems(sorted(labels.values(), key=str.casefold))
            now = labels.get(mapped[speaker]) if speaker in mapped else None
            self.current[speaker] = now
            combo.setCurrentText(now if now is not None else self.default_text)
            self.table.setCellWidget(row, PARTICIPANT, combo)
        if not turns:
            intro.setText(f"'{facts.name}' has no speaker turns: there is nobody to map. "
                          "Speaker labels such as 'Anna:' at the start of a paragraph are "
                          "found when a transcript is imported.")
            self.table.hide()
        self.summary = QLabel(plural(len(turns), "speaker"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(560, min(520, 200 + 32 * len(turns)))

    def combo(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, PARTICIPANT)
        assert isinstance(widget, QComboBox)
        return widget

    def wanted(self) -> dict[str, str | None]:
        """The speakers whose participant the researcher changed, and to what."""
        changes: dict[str, str | None] = {}
        for row in range(self.table.rowCount()):
            item = self.table.item(row, SPEAKER)
            if item is None:
                continue
            speaker = item.text()
            text = " ".join(self.combo(row).currentText().split())
            chosen = None if text in ("", self.default_text) else text
            if chosen != self.current.get(speaker):
                changes[speaker] = chosen
        return changes


def ask_speakers(session: ProjectSession, parent: QWidget, document_id: int) -> None:
    """Show the speakers of a transcript; apply what changed as one undoable step."""
    dialog = SpeakersDialog(session, document_id, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or session.readonly:
        return
    wanted = dialog.wanted()
    if wanted:
        session.push(MapSpeakersCommand(session, document_id, dialog.document_name, wanted))
