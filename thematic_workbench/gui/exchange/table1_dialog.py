"""Table 1 before it is written: the options, the caption and the table as the paper will
show it, what is left out, and an Export button (Word, CSV or Excel)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.analysis.table1 import build_table1
from thematic_workbench.core.reports.table1 import (
    CAPTION_LABEL,
    CAPTION_TITLES,
    Table1,
    Table1Options,
    caption_titles,
)
from thematic_workbench.gui.common.level_words import read_theme_words
from thematic_workbench.gui.exchange.table1_model import Table1Model
from thematic_workbench.gui.session import ProjectSession

WARNING_STYLE = "background:#FEF3C7; color:#78350F; padding:6px 10px; border-radius:4px;"


class Table1Dialog(QDialog):
    """The preview is rebuilt from the project whenever an option changes (a few queries)."""

    def __init__(self, session: ProjectSession, export: Callable[[Table1Options], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        words = read_theme_words(session)
        self.titles = caption_titles(words)  # the usual titles, in the project's words
        lower, upper = words.themes("emerging"), words.themes("final")
        self.setWindowTitle(f"Table 1: initial codes, {lower}, {upper}")
        self.setObjectName("table1_dialog")
        self.resize(980, 640)
        self.session = session
        self._export = export  # asks for a file and writes the table with these options
        self.table: Table1 | None = None

        self.three = QRadioButton(f"Three levels: codes | {lower} | {upper}")
        self.two = QRadioButton("Two levels: codes | themes")
        self.three.setChecked(True)
        levels = QButtonGroup(self)
        for button in (self.three, self.two):
            levels.addButton(button)
        self.counts = QCheckBox("Show codings and participants after each code")
        self.landscape = QCheckBox("Landscape page (Word)")
        self.label_edit = QLineEdit(CAPTION_LABEL)
        self.title_edit = QLineEdit(self.titles[3])
        self.title_edit.setMinimumWidth(360)
        columns = QFormLayout()
        columns.addRow("Columns:", self.three)
        columns.addRow("", self.two)
        columns.addRow("Options:", self.counts)
        columns.addRow("", self.landscape)
        caption = QFormLayout()
        caption.addRow("Caption:", self.label_edit)
        caption.addRow("Title:", self.title_edit)

        self.caption_label = QLabel()
        self.caption_label.setTextFormat(Qt.TextFormat.RichText)
        self.model = Table1Model()
        self.view = QTableView()
        self.view.setObjectName("table1_preview")
        self.view.setModel(self.model)
        self.view.setShowGrid(False)
        self.view.setWordWrap(True)
        self.view.verticalHeader().hide()
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setStyleSheet("QTableView { background: white; border: none; "
                                "border-top: 1px solid black; border-bottom: 1px solid black; }"
                                "QHeaderView::section { background: white; font-weight: bold;"
                                " border: none; border-bottom: 1px solid black; padding: 4px; }")
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setObjectName("table1_warnings")

        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setToolTip("Write Table 1 as a Word document, CSV or Excel file")
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(lambda: self._export(self.options()))

        paper = QVBoxLayout()
        paper.addWidget(self.caption_label)
        paper.addWidget(self.view, 1)
        top = QHBoxLayout()
        top.addLayout(columns)
        top.addSpacing(24)
        top.addLayout(caption, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(paper, 1)
        layout.addWidget(self.warnings)
        layout.addWidget(buttons)

        for toggle in (self.three, self.counts, self.landscape):
            toggle.toggled.connect(self.refresh)
        self.three.toggled.connect(self._default_title)
        for edit in (self.label_edit, self.title_edit):
            edit.textChanged.connect(self._show_caption)
        self.refresh()

    def options(self) -> Table1Options:
        return Table1Options(levels=3 if self.three.isChecked() else 2,
                             show_counts=self.counts.isChecked(),
                             landscape=self.landscape.isChecked(),
                             caption_label=self.label_edit.text().strip(),
                             caption_title=self.title_edit.text().strip())

    def _default_title(self) -> None:
        """Switching levels swaps the usual title, unless the researcher wrote their own."""
        usual = {*CAPTION_TITLES.values(), *self.titles.values()}
        if self.title_edit.text().strip() in usual:
            self.title_edit.setText(self.titles[3 if self.three.isChecked() else 2])

    def _show_caption(self) -> None:
        label = self.label_edit.text().strip().replace("<", "&lt;")
        title = self.title_edit.text().strip().replace("<", "&lt;")
        self.caption_label.setText(f"<b>{label}</b><br><i>{title}</i>")

    def refresh(self) -> None:
        with self.session.read() as session:
            self.table = build_table1(session, self.options())
        self.model.set_table(self.table)
        self.view.clearSpans()
        for column, span in self.model.spans:
            if span.last > span.first:
                self.view.setSpan(span.first, column, span.last - span.first + 1, 1)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.resizeRowsToContents()
        self._show_caption()
        self.warnings.setText(" ".join(self.table.warnings))
        self.warnings.setVisible(bool(self.table.warnings))
        if not self.table.rows:
            self.warnings.setText("No code is in a theme yet: group codes into themes on the "
                                  "theme board first.")
            self.warnings.show()
