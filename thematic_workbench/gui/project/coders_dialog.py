"""Who works on the project and in what role: analyst, second coder or supervisor.

Roles matter for what the app lets a coder do (only a supervisor signs off a phase), so
each change of role is an undoable, audited command like any other.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change
from thematic_workbench.core.roles import ROLES
from thematic_workbench.core.services.coders import list_coders, set_coder_role
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand

ROLE_LABELS = {"analyst": "Analyst", "second_coder": "Second coder", "supervisor": "Supervisor"}


class SetRoleCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, name: str, role: str) -> None:
        super().__init__(session, f"Make {name} {ROLE_LABELS.get(role, role).lower()}")
        self.name, self.role = name, role
        self.before: str | None = None

    def apply(self, tx: Tx) -> Change:
        known = {c.name: c.role for c in list_coders(tx.session)}
        self.before = known.get(self.name)
        return set_coder_role(tx, self.name, self.role)

    def revert(self, tx: Tx) -> Change:
        # A coder added here stays in the project (as an analyst): coders are never deleted.
        return set_coder_role(tx, self.name, self.before or "analyst")


class CodersDialog(QDialog):
    """A table of coders with a role each, and a line to add a coder."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Coders and roles")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(f"You are working as <b>{session.coder}</b>. A supervisor can sign "
                       "off phases; every change of role is recorded in the audit trail.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Coder", "Role"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        add = QHBoxLayout()
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("Name of a coder to add")
        self.new_role = self._role_box("analyst")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add_coder)
        add.addWidget(self.new_name, 1)
        add.addWidget(self.new_role)
        add.addWidget(self.add_button)
        layout.addLayout(add)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    def _role_box(self, role: str) -> QComboBox:
        box = QComboBox()
        for key in ROLES:
            box.addItem(ROLE_LABELS.get(key, key), key)
        box.setCurrentIndex(list(ROLES).index(role))
        box.setEnabled(not self.session.readonly)
        return box

    def refresh(self) -> None:
        with self.session.read() as s:
            coders = list_coders(s)
        self.table.setRowCount(len(coders))
        for row, coder in enumerate(coders):
            self.table.setItem(row, 0, QTableWidgetItem(coder.name))
            box = self._role_box(coder.role)
            box.currentIndexChanged.connect(
                lambda _index, name=coder.name, b=box: self.set_role(name, b.currentData()))
            self.table.setCellWidget(row, 1, box)

    def set_role(self, name: str, role: str) -> bool:
        done = self.session.push(SetRoleCommand(self.session, name, role))
        self.refresh()
        return done

    def add_coder(self) -> bool:
        name = self.new_name.text().strip()
        if not name:
            return False
        self.new_name.clear()
        return self.set_role(name, self.new_role.currentData())
