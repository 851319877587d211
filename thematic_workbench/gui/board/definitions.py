"""Theme definitions (phase 5): each theme's name, definition, scope and telling extract.

The preview shows the theme as a paper would name it — the name and a participant's
words, e.g. ``Dynamics of forced work: 'it can never be wholly collaborative'`` — and the
theme's earlier names come from the audit trail, which is where renames are recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.queries.theme_board import (
    name_history,
    theme_details,
    themes_to_define,
)
from thematic_workbench.core.queries.theme_extracts import CodedExtract, extracts_for_theme
from thematic_workbench.core.services import themes
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.board.commands import ThemeEditCommand, ThemeValues
from thematic_workbench.gui.common.change_follower import ChangeFollower
from thematic_workbench.gui.common.changes import kinds_of
from thematic_workbench.gui.session import ProjectSession, ServiceCommand

QUOTE_WORDS = 14


class RepresentativeExtractCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, theme_id: int, coding_id: int | None) -> None:
        super().__init__(session, "Choose a theme's representative extract")
        self.theme_id, self.coding_id = theme_id, coding_id
        self.old: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = themes.set_representative_extract(tx, self.theme_id, self.coding_id)
        self.old = self.coding_id if change.empty else \
            change.values_before(Kind.THEME, self.theme_id)["representative_coding_id"]
        return change

    def revert(self, tx: Tx) -> Change:
        return themes.set_representative_extract(tx, self.theme_id, self.old)


def short_quote(text: str, words: int = QUOTE_WORDS) -> str:
    """A participant's words, cut to a title-sized quote."""
    parts = " ".join(text.split()).split(" ")
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def passages(extracts: Iterable[CodedExtract],
             chosen: int | None = None) -> list[list[CodedExtract]]:
    """The theme's extracts once per passage (document, start, end), in the order given,
    however many of its codes (or coders) cover it. The first coding stands for the
    passage, unless it is the one already chosen."""
    found: dict[tuple[int, int, int], list[CodedExtract]] = {}
    for item in extracts:
        extract = item.extract
        found.setdefault((extract.document_id, extract.start, extract.end), []).append(item)
    return [sorted(group, key=lambda item: item.extract.coding_id != chosen)
            for group in found.values()]


class CentralConceptCommand(ServiceCommand):
    """Set a theme's central organising concept; ``seen`` is the concept the coder saw, so a
    change someone else made meanwhile is refused rather than overwritten."""

    def __init__(self, session: ProjectSession, theme_id: int, concept: str, seen: str) -> None:
        super().__init__(session, "Set a theme's central organising concept")
        self.theme_id, self.concept, self.seen = theme_id, concept, seen

    def apply(self, tx: Tx) -> Change:
        change = themes.set_central_concept(tx, self.theme_id, self.concept, self.seen)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        return themes.set_central_concept(tx, self.theme_id, self.seen, self.concept.strip())


class ThemeDefinitions(QWidget):
    """A list of themes; the chosen one's name, definition, scope notes and extract."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.theme_id: int | None = None
        self.themes = QListWidget()
        self.themes.setMinimumWidth(170)
        self.themes.setWordWrap(True)  # a long theme name takes more lines, never gets cut
        self.themes.setResizeMode(QListView.ResizeMode.Adjust)
        self.themes.setSpacing(2)
        self.themes.currentItemChanged.connect(lambda item, _old: self._choose(item))
        self.name = QLineEdit()
        self.concept = QLineEdit()
        self.concept.setPlaceholderText("The one idea that holds the theme together, in a "
                                        "phrase.")
        self.concept.setToolTip("The central organising concept: the core idea every code "
                                "of the theme speaks to (Braun and Clarke)")
        self.definition = QPlainTextEdit()
        self.definition.setPlaceholderText("What the theme says about the data, in a few "
                                           "sentences.")
        self.scope = QPlainTextEdit()
        self.scope.setPlaceholderText("What belongs to this theme, and what does not.")
        self.scope.setMaximumHeight(90)
        self.extract = QComboBox()
        self.extract.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.extract.setMinimumContentsLength(24)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setStyleSheet("background:#F8FAFC; border:1px solid #E1E4E8;"
                                   " border-radius:6px; padding:10px;")
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setStyleSheet("color:#4B5563;")
        self.save = QPushButton("Save")
        self.save.setToolTip("Save the theme's name, central concept, definition, scope notes "
                             "and extract (Ctrl+S)")
        self.save.clicked.connect(self.save_theme)
        self.save.setEnabled(not session.readonly)
        # Ctrl+S saves from the text boxes too, where Tab types a tab rather than moving on.
        self.save_action = QAction("Save theme definition", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.setEnabled(not session.readonly)
        self.save_action.triggered.connect(self.save_theme)
        self.addAction(self.save_action)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Central concept", self.concept)
        form.addRow("Definition", self.definition)
        form.addRow("Scope notes", self.scope)
        form.addRow("Representative extract", self.extract)
        right = QWidget()
        column = QVBoxLayout(right)
        column.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        column.addLayout(buttons)
        column.addWidget(QLabel("<b>As the paper would name it</b>"))
        column.addWidget(self.preview)
        column.addWidget(self.history)
        column.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.themes)
        splitter.addWidget(right)
        splitter.setSizes([260, 740])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self.name.textChanged.connect(self._show_preview)
        self.extract.currentIndexChanged.connect(self._show_preview)
        session.changed.connect(self._on_changed)
        # A coding may add an extract to choose from: catch up later, when seen.
        self.extracts_follow = ChangeFollower(self, session, self.refresh, frozenset({Kind.CODING}))
        self.refresh()

    def refresh(self) -> None:
        self.extracts_follow.stale = False
        keep = self.theme_id
        with self.session.read() as s:
            rows = themes_to_define(s)
            words = project_theme_words(s)
        self.themes.blockSignals(True)
        self.themes.clear()
        for row in rows:  # final themes first ("final" > "emerging"), then emerging
            mark = "" if row.definition else "  \u25cb"
            level = words.word(row.level)
            item = QListWidgetItem(f"{level[:1].upper()}{level[1:]} · {row.name}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(f"{row.name}\n\n"
                            f"{row.definition if row.definition else 'Not yet defined'}")
            self.themes.addItem(item)
        self.themes.blockSignals(False)
        ids = [row.id for row in rows]
        if ids:
            self.show_theme(keep if keep is not None and keep in ids else ids[0])

    def show_theme(self, theme_id: int) -> None:
        for index in range(self.themes.count()):
            if self.themes.item(index).data(Qt.ItemDataRole.UserRole) == theme_id:
                self.themes.setCurrentRow(index)
                self._choose(self.themes.item(index))
                return

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.theme_id = int(item.data(Qt.ItemDataRole.UserRole))
        with self.session.read() as s:
            theme = theme_details(s, self.theme_id)
            shown = extracts_for_theme(s, self.theme_id)
            history = name_history(s, self.theme_id)
            if theme is None:
                return
            name, definition, scope = theme.name, theme.definition, theme.scope_notes
            concept = theme.central_concept
            chosen = theme.representative_coding_id
        self.name.setText(name)
        self.name.setCursorPosition(0)  # a long name shows its beginning
        self.concept.setText(concept)
        self.concept.setCursorPosition(0)
        self.definition.setPlainText(definition)
        self.scope.setPlainText(scope)
        self.extract.blockSignals(True)
        self.extract.clear()
        self.extract.addItem("(none chosen)", None)
        for passage in passages(shown.extracts if shown else (), chosen):
            extract = passage[0].extract
            codes = ", ".join(item.code for item in passage)
            self.extract.addItem(f"{extract.citation} {short_quote(extract.text, 12)}",
                                 (extract.coding_id, extract.text))
            self.extract.setItemData(self.extract.count() - 1,
                                     f"{extract.citation} coded {codes}\n\n{extract.text}",
                                     Qt.ItemDataRole.ToolTipRole)
            if extract.coding_id == chosen:
                self.extract.setCurrentIndex(self.extract.count() - 1)
        self.extract.blockSignals(False)
        names = " → ".join(escape(name) for _at, _coder, name in history)
        self.history.setText(f"Name history: {names}" if len(history) > 1
                             else "Not renamed since it was created.")
        self._show_preview()

    def _show_preview(self) -> None:
        data = self.extract.currentData()
        quote = f": <i>'{escape(short_quote(data[1]))}'</i>" if data else ""
        self.preview.setText(f"<span style='font-size:12pt'><b>{escape(self.name.text())}</b>"
                             f"{quote}</span>")

    def save_theme(self) -> bool:
        """Push what changed as undoable edits (name and definition, extract)."""
        if self.theme_id is None:
            return False
        with self.session.read() as s:
            theme = theme_details(s, self.theme_id)
            if theme is None:
                return False
            old = (theme.name, theme.definition, theme.scope_notes,
                   theme.representative_coding_id)
            old_concept = theme.central_concept
        name = self.name.text().strip()
        texts = (self.definition.toPlainText().strip(), self.scope.toPlainText().strip())
        data = self.extract.currentData()
        coding = data[0] if data else None
        concept = self.concept.text().strip()
        self.session.undo_stack.beginMacro("Define theme")
        try:
            if name != old[0] or texts != old[1:3]:
                self.session.push(ThemeEditCommand(
                    self.session, self.theme_id, "Define theme",
                    name=name if name != old[0] else None,
                    definition=texts if texts != old[1:3] else None,
                    seen=ThemeValues(name=old[0], definition=(old[1], old[2]))))
            if concept != old_concept:
                self.session.push(CentralConceptCommand(self.session, self.theme_id, concept,
                                                        old_concept))
            if coding != old[3]:
                self.session.push(RepresentativeExtractCommand(self.session, self.theme_id,
                                                               coding))
        finally:
            self.session.undo_stack.endMacro()
        return True

    def _on_changed(self, change: Change) -> None:
        if kinds_of(change) & {"theme", "code", "project"}:  # project: the level words
            self.refresh()
