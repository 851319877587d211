"""The "Coding query" tab: passages coded with A AND B, A OR B, A NOT B, A NEAR/N B.

Above, the expression (``core.coding_query``), typed or built with the chooser, which
inserts a code's or a theme's quoted name at the cursor, and the operator buttons; then
who said the passages (participants, attribute values). Enter or Run runs the query on a
worker thread (on the large project, 50,000 codings, it takes under a second); a mistake
in the expression is shown under the box, the cursor put where it is. The passages are
listed as extracts with their citations: a double-click or Enter opens the transcript
there; the context menu copies a passage with its citation; "Save as code…" codes every
passage with a new code in one undoable step. The list follows the project's changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.finding.coding_query import (
    FilterChoices,
    Passage,
    QueryError,
    QueryName,
    QueryResult,
    filter_choices,
    name_for_query,
    query_names,
    run_query,
)
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.services import codes
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.services.query_codes import code_passages_as_new_code
from thematic_workbench.core.storage.store import ReadSession
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.core.wording import lines_phrase, plural, quoted
from thematic_workbench.gui.analysis.models import KEY_ROLE, Table
from thematic_workbench.gui.analysis.page import AnalysisPage
from thematic_workbench.gui.common.choices import QUIET
from thematic_workbench.gui.common.wrapped_delegate import WrappedTextDelegate
from thematic_workbench.gui.session import ProjectSession, ServiceCommand

ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
CHOOSE = f"Insert a code or theme{ELLIPSIS}"
PROMPT = ("Type an expression such as \"Trust\" AND \"Risk\", or build one with the chooser "
          "and the buttons, then press Enter.")
ERROR_STYLE = "color: #9A3412;"  # a calm dark orange, readable on white
LINES_PER_ROW = 2
EXTRACT = 3  # the column of the words


@dataclass(frozen=True)
class QueryData:
    """What one read gives the page: the choosers' contents and the result (or why not)."""

    names: tuple[QueryName, ...]
    choices: FilterChoices
    result: QueryResult | None = None
    error: QueryError | None = None
    expression: str = ""
    words: ThemeWords = EMERGING_FINAL  # the project's words for the theme levels


def passages_table(result: QueryResult) -> Table:
    """The passages as rows; each row's key is its passage."""
    return Table(
        ("Participant", "Transcript", "Lines", "Extract"), ("text",) * 4,
        tuple((p.participant or "\N{EN DASH}", p.document,
               lines_phrase(p.start_line, p.end_line), " ".join(p.text.split()))
              for p in result.passages),
        keys=result.passages)


def with_citation(passage: Passage) -> str:
    """A passage's words on one line, then its citation, as the extracts lists copy them."""
    return f"{' '.join(passage.text.split())} {passage.citation}"


class SaveQueryAsCodeCommand(ServiceCommand):
    """Code every passage of a result with a new code; the undo deletes the code."""

    def __init__(self, session: ProjectSession, name: str, result: QueryResult) -> None:
        super().__init__(session, f"Save query as code {quoted(name)}")
        self.name = name
        self.expression = result.expression
        self.passages = tuple((p.document_id, p.start, p.end) for p in result.passages)
        self.code_id: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = code_passages_as_new_code(tx, self.name, self.passages, self.expression)
        self.code_id = change.new_id(Kind.CODE)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.code_id is not None
        return codes.delete_code(tx, self.code_id)


class QueryPage(AnalysisPage):
    NAME, TITLE = "query", "Coding query"
    KINDS = frozenset({Kind.CODING, Kind.CODE, Kind.THEME, Kind.DOCUMENT, Kind.PARTICIPANT,
                       Kind.ATTRIBUTE, Kind.PROJECT})  # PROJECT: the level words
    passage_activated = Signal(int, int, int)  # document id, start, end (code points)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        self.expression = ""  # the expression last run ("" before the first)
        self.names: tuple[QueryName, ...] = ()
        self.chooser_words = EMERGING_FINAL
        self.result: QueryResult | None = None
        self.participants: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()
        super().__init__(session, parent)
        self.summary.setText(PROMPT)
        self.table.activated.connect(self._open)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        copy = QAction("Copy with citation", self.table)
        copy.setShortcut(QKeySequence("Ctrl+Shift+C"))
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(lambda: self.copy_passage(self.table.currentIndex().row()))
        self.table.addAction(copy)

    # -- building --------------------------------------------------------------------------
    def _build_layout(self) -> None:
        """Three rows of choices, the error or the count, then the passages; the chart of
        the other tabs has no place here (extracts are read, not counted)."""
        self.chart.hide()
        self.editor = QLineEdit(self)
        self.editor.setObjectName("queryExpression")
        self.editor.setPlaceholderText("\"Trust\" AND \"Risk\"   \N{EM DASH}   codes or themes "
                                       "in double quotes")
        self.editor.setClearButtonEnabled(True)
        self.editor.setToolTip("Codes or themes in double quotes, joined by AND, OR, NOT, "
                               "NEAR/N and parentheses. NOT and NEAR bind tightest, then "
                               "AND, then OR. A NOT B keeps the whole passages of A that "
                               "share nothing with B; A NEAR/3 B the passages of either "
                               "within 3 numbered lines of the other.")
        self.editor.returnPressed.connect(self.run)
        self.editor.textEdited.connect(lambda _text: self._show_error(None))
        self.run_button = QPushButton("&Run", self)
        self.run_button.setObjectName("queryRun")
        self.run_button.setToolTip("Run the query (Enter)")
        self.run_button.clicked.connect(self.run)
        caption = QLabel("E&xpression", self)  # Alt+E opens the Edit menu
        caption.setBuddy(self.editor)
        first = QHBoxLayout()
        first.addWidget(caption)
        first.addWidget(self.editor, 1)
        first.addWidget(self.run_button)
        self.error = QLabel(self)
        self.error.setObjectName("queryError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(first)
        layout.addWidget(self.error)
        layout.addLayout(self._operator_row())
        layout.addLayout(self._filter_row())
        layout.addWidget(self.summary)
        self._set_up_table()
        layout.addWidget(self.table, 1)

    def _operator_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("queryChooser")
        self.chooser.setMinimumContentsLength(24)
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setToolTip("Insert a code's or theme's name, in quotes, at the cursor")
        self.chooser.addItem(CHOOSE)
        self.chooser.activated.connect(self._chosen)
        label = QLabel("&Name", self)
        label.setBuddy(self.chooser)
        row.addWidget(label)
        row.addWidget(self.chooser)
        row.addSpacing(8)
        self.operator_buttons: dict[str, QPushButton] = {}
        for word, tip in (("AND", "Passages coded with both: where they overlap"),
                          ("OR", "Passages coded with either"),
                          ("NOT", "Passages of the first that share nothing with the second"),
                          ("NEAR", "Passages of either within N numbered lines of the other"),
                          ("(", "Open a group"), (")", "Close a group")):
            button = QPushButton(word, self)
            button.setObjectName(f"queryOperator{word}")
            button.setToolTip(tip)
            button.setAutoDefault(False)
            width = button.fontMetrics().horizontalAdvance(f"  {word}  ") + 12
            button.setMaximumWidth(max(width, 32))
            button.clicked.connect(partial(self._insert_operator, word))
            self.operator_buttons[word] = button
            row.addWidget(button)
            if word == "NEAR":
                self.near_box = QSpinBox(self)
                self.near_box.setObjectName("queryNearLines")
                self.near_box.setRange(0, 999)
                self.near_box.setValue(3)
                self.near_box.setPrefix("/")
                self.near_box.setToolTip("N of NEAR/N: how many numbered lines apart the "
                                         "passages may be")
                row.addWidget(self.near_box)
        row.addStretch(1)
        return row

    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel("Said by", self)
        label.setStyleSheet(QUIET)
        row.addWidget(label)
        self.participant_button = self._filter_button("queryParticipants",
                                                      "Only passages said by these "
                                                      "participants")
        self.attribute_button = self._filter_button("queryAttributes",
                                                    "Only passages said by participants "
                                                    "with these attribute values")
        row.addWidget(self.participant_button)
        row.addWidget(self.attribute_button)
        row.addStretch(1)
        self.save_button = QPushButton(f"&Save as code{ELLIPSIS}", self)
        self.save_button.setObjectName("querySaveAsCode")
        self.save_button.setToolTip("Code every passage listed with a new code, in one "
                                    "undoable step")
        self.save_button.clicked.connect(self.save_as_code)
        self.save_button.setEnabled(False)
        self.export_table_button = QPushButton(f"Export{ELLIPSIS}", self)
        self.export_table_button.setObjectName("queryExport")
        self.export_table_button.setToolTip("Save the passages with their citations as a "
                                            "CSV file")
        self.export_table_button.clicked.connect(self.export_table)
        self.export_table_button.setEnabled(False)
        row.addWidget(self.save_button)
        row.addWidget(self.export_table_button)
        self._describe_filters()
        return row

    def _filter_button(self, name: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMenu(QMenu(button))
        return button

    def _set_up_table(self) -> None:
        table = self.table
        table.setObjectName("queryPassages")
        table.setSortingEnabled(False)  # the documents panel's order, then the text's
        table.setWordWrap(True)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setToolTip("Double-click a passage, or press Enter, to open the transcript "
                         "there")
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().lineSpacing() * LINES_PER_ROW + 10)
        table.horizontalHeader().setStretchLastSection(True)
        table.setItemDelegateForColumn(EXTRACT, WrappedTextDelegate(table))

    # -- the expression --------------------------------------------------------------------
    def _insert(self, text: str) -> None:
        """Put ``text`` at the cursor (replacing a selection), spaced from its neighbours:
        a name or an operator gets a space on either side, "(" only before, ")" only
        after."""
        editor = self.editor
        if editor.hasSelectedText():
            editor.del_()
        if text == ")" and editor.cursorPosition() and \
                editor.text()[editor.cursorPosition() - 1] == " ":
            editor.backspace()  # "(... "B" )" reads better as "(... "B")"
        position, current = editor.cursorPosition(), editor.text()
        spaced_before = position == 0 or current[position - 1] in " ("
        spaced_after = position < len(current) and current[position] in " )"
        before = "" if spaced_before or text == ")" else " "
        after = "" if spaced_after or text == "(" else " "
        editor.insert(f"{before}{text}{after}")
        editor.setFocus()
        self._show_error(None)

    def _insert_operator(self, word: str) -> None:
        self._insert(f"NEAR/{self.near_box.value()}" if word == "NEAR" else word)

    def _chosen(self, index: int) -> None:
        item = self.chooser.itemData(index)
        self.chooser.setCurrentIndex(0)
        if isinstance(item, QueryName):
            self._insert(name_for_query(item, self.names))

    def insert_name(self, name: str, kind: str | None = None) -> None:
        """Insert the code or theme (``kind``: "code", "final theme"...) called ``name`` as
        the chooser would."""
        for index in range(self.chooser.count()):
            item = self.chooser.itemData(index)
            if isinstance(item, QueryName) and item.name == name and kind in (None, item.kind):
                self._chosen(index)
                return
        raise LookupError(f"no code or theme named {name!r} in the chooser")

    def _disable_last_entry(self) -> None:
        """A heading in the chooser: shown, not choosable."""
        model = self.chooser.model()  # a combo box's own model is a QStandardItemModel
        item = model.item(self.chooser.count() - 1) \
            if isinstance(model, QStandardItemModel) else None
        if item is not None:
            item.setEnabled(False)

    def _fill_chooser(self, names: tuple[QueryName, ...],
                      words: ThemeWords = EMERGING_FINAL) -> None:
        if (names, words) == (self.names, self.chooser_words):
            return
        self.names, self.chooser_words = names, words
        self.chooser.clear()
        self.chooser.addItem(CHOOSE)
        heading = None
        for item in names:
            kind = {"code": "Codes", "final theme": words.themes("final", True),
                    "emerging theme": words.themes("emerging", True)}[item.kind]
            if kind != heading:
                self.chooser.insertSeparator(self.chooser.count())
                self.chooser.addItem(kind)
                self._disable_last_entry()
                heading = kind
            self.chooser.addItem(f"    {item.name}", item)
            self.chooser.setItemData(self.chooser.count() - 1,
                                     f"{item.kind}: {item.name}", Qt.ItemDataRole.ToolTipRole)

    # -- who said it -----------------------------------------------------------------------
    def scope(self) -> Scope:
        return Scope(participants=frozenset(self.participants) if self.participants else None,
                     attributes=tuple(sorted(self.attributes)))

    def set_filters(self, participants: set[str] | None = None,
                    attributes: set[tuple[str, str]] | None = None) -> None:
        """Choose who said the passages (tests and the menus) and run again."""
        if participants is not None:
            self.participants = set(participants)
        if attributes is not None:
            self.attributes = set(attributes)
        self._describe_filters()
        if self.expression.strip():
            self.reload()

    def _toggle_participant(self, label: str, on: bool) -> None:
        self.set_filters(participants=self.participants | {label} if on
                         else self.participants - {label})

    def _toggle_attribute(self, pair: tuple[str, str], on: bool) -> None:
        self.set_filters(attributes=self.attributes | {pair} if on
                         else self.attributes - {pair})

    def _fill_filters(self, choices: FilterChoices) -> None:
        self.participants &= set(choices.participants)
        known = {(name, value) for name, values in choices.attributes for value in values}
        self.attributes &= known
        menu = self.participant_button.menu()
        menu.clear()
        everyone = menu.addAction("Everyone")
        everyone.triggered.connect(lambda: self.set_filters(participants=set()))
        menu.addSeparator()
        for label in choices.participants:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(label in self.participants)
            action.toggled.connect(partial(self._toggle_participant, label))
        menu = self.attribute_button.menu()
        menu.clear()
        anyone = menu.addAction("Any attribute value")
        anyone.triggered.connect(lambda: self.set_filters(attributes=set()))
        if not choices.attributes:
            none = menu.addAction("No participant attributes yet")
            none.setEnabled(False)
        else:
            menu.addSeparator()
        for name, values in choices.attributes:
            sub = menu.addMenu(name)
            for value in values:
                action = sub.addAction(value)
                action.setCheckable(True)
                action.setChecked((name, value) in self.attributes)
                action.toggled.connect(partial(self._toggle_attribute, (name, value)))
        self._describe_filters()

    def _describe_filters(self) -> None:
        chosen = sorted(self.participants, key=str.casefold)
        text = ("Everyone" if not chosen else ", ".join(chosen) if len(chosen) <= 3
                else plural(len(chosen), "participant"))
        self.participant_button.setText(f"Participants: {text}")
        values = sorted(self.attributes)
        words = ("any attribute" if not values else
                 ", ".join(f"{name} {value}" for name, value in values) if len(values) <= 2
                 else plural(len(values), "attribute value"))
        self.attribute_button.setText(f"Attributes: {words}")

    # -- running ---------------------------------------------------------------------------
    def run(self) -> None:
        """Run the expression in the box (Enter, Run)."""
        self.expression = self.editor.text()  # as typed: messages count its characters
        self.reload()

    def reader(self) -> Callable[[ReadSession], Any]:
        expression, scope = self.expression, self.scope()

        def read(session: ReadSession) -> QueryData:
            names = tuple(query_names(session))
            choices = filter_choices(session)
            words = project_theme_words(session)
            if not expression.strip():
                return QueryData(names, choices, words=words)
            try:
                return QueryData(names, choices, run_query(session, expression, scope),
                                 expression=expression, words=words)
            except QueryError as error:
                return QueryData(names, choices, error=error, expression=expression,
                                 words=words)

        return read

    def present(self, data: Any) -> None:
        assert isinstance(data, QueryData)
        self._fill_chooser(data.names, data.words)
        self._fill_filters(data.choices)
        if data.error is not None:
            self._show_error(data.error)
            self.save_button.setEnabled(False)  # what is listed is not what the box says
            return
        self._show_error(None)
        self.result = data.result
        self.model.set_table(passages_table(data.result) if data.result else Table())
        self._fit_columns()
        found = bool(data.result and data.result.passages)
        self.save_button.setEnabled(found and not self.session.readonly)
        self.export_table_button.setEnabled(found)
        self.summary.setText(self._describe(data.result))

    def _describe(self, result: QueryResult | None) -> str:
        if result is None:
            return PROMPT
        who = "" if self.scope().everything else ", said by the participants chosen"
        if not result.passages:
            return f"No passage matches {result.expression}{who}."
        return (f"{plural(len(result.passages), 'passage')} in "
                f"{plural(result.documents, 'transcript')} match {result.expression}{who}.")

    def _show_error(self, error: QueryError | None) -> None:
        if error is None:
            self.error.hide()
            self.error.clear()
            return
        self.error.setText(str(error)[:1].upper() + str(error)[1:])
        self.error.show()
        if error.position is not None and self.editor.text() == self.expression:
            self.editor.setCursorPosition(error.position)
        self.editor.setFocus()

    def _failed(self, job: Any, generation: int, message: str) -> None:
        current = generation == self._generation
        super()._failed(job, generation, message)
        if current:
            self.summary.setText("")
            self.error.setText(f"The query could not be run: {message}")
            self.error.show()

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        for column in range(EXTRACT):
            self.table.resizeColumnToContents(column)
            header.resizeSection(column, min(header.sectionSize(column), 200))

    # -- the passages ----------------------------------------------------------------------
    def passage_at(self, row: int) -> Passage | None:
        index = self.proxy.index(row, 0)
        key = index.data(KEY_ROLE) if index.isValid() else None
        return key if isinstance(key, Passage) else None

    def _open(self, index: QModelIndex) -> None:
        passage = self.passage_at(index.row())
        if passage is not None:
            self.passage_activated.emit(passage.document_id, passage.start, passage.end)

    def copy_passage(self, row: int) -> None:
        passage = self.passage_at(row)
        if passage is not None:
            QGuiApplication.clipboard().setText(with_citation(passage))

    def _menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        menu = QMenu(self)
        menu.setObjectName("queryPassageMenu")
        if index.isValid():
            self.table.setCurrentIndex(index)
            open_action = menu.addAction("Open in transcript")
            open_action.setShortcut(QKeySequence("Return"))
            open_action.triggered.connect(lambda: self._open(index))
            copy = menu.addAction("Copy with citation")
            copy.setShortcut(QKeySequence("Ctrl+Shift+C"))
            copy.triggered.connect(lambda: self.copy_passage(index.row()))
            menu.addSeparator()
        save = menu.addAction(f"Save all as code{ELLIPSIS}")
        save.setEnabled(self.save_button.isEnabled())
        save.triggered.connect(self.save_as_code)
        menu.popup(self.table.viewport().mapToGlobal(point))

    def ask_code_name(self) -> str | None:
        """The new code's name, or None if the user cancels."""
        name, ok = QInputDialog.getText(self, "Save as code",
                                        "Code every passage listed with a new code named:")
        return name if ok and name.strip() else None

    def save_as_code(self) -> bool:
        """Code every passage shown with a new code (one undo step)."""
        if self.result is None or not self.result.passages:
            return False
        name = self.ask_code_name()
        if name is None:
            return False
        command = SaveQueryAsCodeCommand(self.session, name, self.result)
        if not self.session.push(command):
            return False
        count = len(self.result.passages)
        self.notice.emit(f"Coded {plural(count, 'passage')} as {quoted(' '.join(name.split()))}.")
        return True
