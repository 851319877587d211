"""Opening a team project: the server's address and, if need be, the coder's password.

A team project lives in a PostgreSQL database that the team's administrator has made (see
the README). Each coder has a login of their own; the password may come from where
PostgreSQL's tools find it (``~/.pgpass``, ``PGPASSWORD``), else it is typed here and kept
only in memory while the project is open.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.storage.server import is_server_location, shown_location

EXAMPLE = "postgresql://you@server.example:5432/study"


class TeamProjectDialog(QDialog):
    """Asks for the address of a team project and a password (empty: from ~/.pgpass)."""

    def __init__(self, parent: QWidget | None = None, location: str = "",
                 problem: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Open team project")
        self.setMinimumWidth(520)
        intro = QLabel("A team project is kept on a PostgreSQL server that several coders "
                       "and their supervisor use at once. Type its address as your "
                       "administrator gave it to you.")
        intro.setWordWrap(True)
        self.problem = QLabel(problem)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #A33A00;")
        self.problem.setVisible(bool(problem))
        self.address = QLineEdit(shown_location(location) if location else "")
        self.address.setPlaceholderText(EXAMPLE)
        self.address.setAccessibleName("Server address")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("from ~/.pgpass or PGPASSWORD if left empty")
        self.password.setAccessibleName("Password")
        form = QFormLayout()
        form.addRow("&Address:", self.address)
        form.addRow("&Password:", self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.address.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        for widget in (intro, self.problem):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        (self.password if location else self.address).setFocus()
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(
            is_server_location(self.location()))

    def location(self) -> str:
        return self.address.text().strip()

    def typed_password(self) -> str | None:
        """The password typed, or None to let PostgreSQL's own sources supply it."""
        return self.password.text() or None
