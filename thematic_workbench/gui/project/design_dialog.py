"""Project → Study design…: the choices a reflexive TA write-up states (which kind of
thematic analysis, inductive or deductive, semantic or latent, theoretical assumptions,
research question, positionality), saved as one undoable step."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change
from thematic_workbench.core.services.design import (
    CHOICE_LABELS,
    FIELDS,
    design_sheet,
    set_design,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand

NOT_STATED = "Not stated"
CHOICES = ("approach", "orientation", "meaning", "theme_words")
TEXTS = ("theoretical_assumptions", "research_question", "positionality")
# A line under each field saying what a reader of the write-up wants from it.
GUIDANCE: dict[str, str] = {
    "approach": "Reflexive TA treats the researcher's subjectivity as a resource; codebook "
                "and coding-reliability TA fix codes in advance.",
    "orientation": "Whether codes came from the data or from existing theory (or both).",
    "meaning": "Whether codes capture what was said, or the ideas and assumptions under it.",
    "theme_words": "What this project calls its two levels of themes, across the window.",
    "theoretical_assumptions": "The view of language, experience and reality the analysis "
                               "rests on, e.g. critical realist or constructionist.",
    "research_question": "The question the analysis answers; it may have sharpened as "
                         "the analysis went on.",
    "positionality": "Who you are in relation to the participants and the topic, and how "
                     "it shaped the analysis.",
}


class SetDesignCommand(ServiceCommand):
    """Change some fields of the design sheet; undo puts the values they replaced back."""

    def __init__(self, session: ProjectSession, values: dict[str, str]) -> None:
        super().__init__(session, "Edit the study design")
        self.values = values
        self.previous: dict[str, str] = {}

    def apply(self, tx: Tx) -> Change:
        current = design_sheet(tx).values()
        self.previous = {name: current[name] for name in self.values}
        change = set_design(tx, self.values)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        return set_design(tx, self.previous)


def _guidance(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color:#4B5563;")
    return label


class DesignDialog(QDialog):
    """The design sheet as a form; Save pushes what changed as one undoable command."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Study design")
        with session.read() as s:
            self.sheet = design_sheet(s).values()
        self.combos: dict[str, QComboBox] = {}
        self.texts: dict[str, QPlainTextEdit] = {}
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        for name in FIELDS:
            if name in CHOICES:
                combo = QComboBox()
                combo.setObjectName(f"design_{name}")
                if name != "theme_words":
                    combo.addItem(NOT_STATED, "")
                for value, label in CHOICE_LABELS[name].items():
                    combo.addItem(label, value)
                combo.setCurrentIndex(max(combo.findData(self.sheet[name]), 0))
                self.combos[name] = combo
                field: QWidget = combo
            else:
                edit = QPlainTextEdit(self.sheet[name])
                edit.setObjectName(f"design_{name}")
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(72)
                self.texts[name] = edit
                field = edit
            column = QWidget()
            rows = QVBoxLayout(column)
            rows.setContentsMargins(0, 0, 0, 0)
            rows.setSpacing(2)
            rows.addWidget(field)
            rows.addWidget(_guidance(GUIDANCE[name]))
            title = QLabel(FIELDS[name])
            title.setWordWrap(True)
            title.setMinimumWidth(200)
            title.setBuddy(field)
            form.addRow(title, column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not session.readonly)
        layout = QVBoxLayout(self)
        layout.addWidget(_guidance("What a reader of the write-up needs to know about how the "
                                   "analysis was done. The methods appendix lists what is "
                                   "still not stated."))
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(760, 620)

    def chosen(self) -> dict[str, str]:
        """The values the form shows now, by field name."""
        values = {name: str(combo.currentData()) for name, combo in self.combos.items()}
        values |= {name: edit.toPlainText().strip() for name, edit in self.texts.items()}
        return values

    def changed(self) -> dict[str, str]:
        return {name: value for name, value in self.chosen().items()
                if value != self.sheet[name]}

    def save(self) -> None:
        values = self.changed()
        if values and not self.session.push(SetDesignCommand(self.session, values)):
            return  # the session has said why
        self.accept()


def edit_design(session: ProjectSession, parent: QWidget) -> None:
    DesignDialog(session, parent).exec()
