"""The "Word frequencies" tab: the words the participants use most, and where they use them.

Above, the choices (how many words, word forms, stop words, whose turns to leave out,
columns by participant or attribute); then the top words as a bar chart beside the table;
below, the keyword-in-context lines of the word picked in the table, each opening the
transcript there on a double-click or Enter. Counting and finding the lines run on worker
threads: on the large project (2 M words) a count takes about a second.

Counts are descriptive: a frequent word is a place to look, not a theme.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.analysis.stats import attribute_names
from thematic_workbench.analysis.word_frequency import (
    BY_PARTICIPANT,
    NO_GROUP,
    WordCount,
    WordFrequencies,
    word_frequencies,
)
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.finding.scope import Scope, speaker_key, speaker_labels
from thematic_workbench.core.finding.search import SearchHit, search_project
from thematic_workbench.core.storage.store import ReadSession
from thematic_workbench.core.text.speaker_roles import names_the_interviewer
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.analysis import plots
from thematic_workbench.gui.analysis.models import KEY_ROLE, NOT_SET_TEXT, Table
from thematic_workbench.gui.analysis.page import AnalysisPage
from thematic_workbench.gui.common.choices import QUIET
from thematic_workbench.gui.common.columns import row_table
from thematic_workbench.gui.common.table import RowsTableModel
from thematic_workbench.gui.common.workers import Job, JobControl
from thematic_workbench.gui.session import ProjectSession

AnyIndex = QModelIndex | QPersistentModelIndex
DEFAULT_TOP = 100
TOP_CHART = 25  # bars that stay legible beside the table
TOP_CHART_GROUPS = 15  # words with a bar per participant or value
MAX_GROUP_BARS = 6  # more columns than this read better as a heat map
MAX_LINES = 500  # keyword-in-context lines shown for one word
PICK_A_WORD = "Click a word in the table to read the lines that use it."
NOBODY = ""  # the speaker chooser's "leave out nobody"
TOTAL_ONLY = ""  # the columns chooser's "no columns"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class WordChoices:
    """What the controls ask for, captured on the GUI thread for a worker."""

    top: int = DEFAULT_TOP
    forms: bool = False
    stop_words: bool = True
    leave_out: str = NOBODY  # a speaker label
    by: str = TOTAL_ONLY  # BY_PARTICIPANT or an attribute name

    @property
    def scope(self) -> Scope:
        return Scope(not_speakers=frozenset({self.leave_out}) if self.leave_out else
                     frozenset())


@dataclass(frozen=True)
class WordsData:
    """A count and what the choosers offer."""

    result: WordFrequencies
    speakers: tuple[str, ...]  # one label per speaker (case variants as one)
    attributes: tuple[str, ...]
    choices: WordChoices


def column_name(name: str, by: str) -> str:
    if name != NO_GROUP:
        return name
    return "No participant" if by == BY_PARTICIPANT else NOT_SET_TEXT


def word_table(result: WordFrequencies) -> Table:
    """One row per word: its count, a column per participant or value (next to the count,
    where they are compared), how many transcripts and participants use it, its forms."""
    by = result.by or ""
    columns = [column_name(name, by) for name in result.columns]
    headers = ("Word", "Count", *columns, "Transcripts", "Participants",
               *(("Forms counted",) if result.forms else ()))
    kinds = ("text", "count", *("count" for _ in columns), "count", "count",
             *(("text",) if result.forms else ()))
    rows = tuple((word.word, word.count, *(word.by[name] for name in result.columns),
                  word.documents, word.participants,
                  *((", ".join(word.forms),) if result.forms else ()))
                 for word in result.words)
    per = "participant's" if by == BY_PARTICIPANT else f"{by} value's"
    tips = ("The spelling used most; click to read its lines", "Occurrences counted",
            *(f"Occurrences in this {per} words" for _ in columns),
            "Transcripts that use it", "Participants who use it",
            *(("Every spelling counted as this word",) if result.forms else ()))
    return Table(headers, kinds, rows, tuple(word.forms for word in result.words), (), tips)


def lines_query(forms: Sequence[str]) -> str:
    """A search for exactly the spellings counted: each as a quoted word, ORed."""
    return " OR ".join(f'"{form}"' for form in forms)


def where(hit: SearchHit) -> str:
    """Who said a line and where, briefly: "PA, line 12"; "P1 (Anna), line 3" in a
    focus group; the transcript's name when it belongs to nobody."""
    who = hit.participant or hit.document_name
    if hit.speaker and speaker_key(hit.speaker) != speaker_key(who):
        who = f"{who} ({hit.speaker})"
    return who if hit.line is None else f"{who}, line {hit.line}"


class LinesModel(RowsTableModel):
    """Keyword-in-context lines: who and where, the words before, the word, the words after.
    The tooltip of "Where" names the transcript, participant and speaker in full."""

    HEADERS = ("Where", "Before", "Word", "After")
    WHERE, BEFORE, WORD, AFTER = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._rows = list(hits)
        self.endResetModel()

    def hit_at(self, row: int) -> SearchHit | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.row_at(index)
        if hit is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (where(hit), _without_label(hit.before, hit.speaker), hit.match,
                    hit.after)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.WHERE:
                return "\n".join(f"{name}: {value}" for name, value in (
                    ("Transcript", hit.document_name), ("Participant", hit.participant),
                    ("Speaker", hit.speaker), ("Line", hit.line)) if value is not None)
            return f"{_without_label(hit.before, hit.speaker)} {hit.match} {hit.after}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column == self.BEFORE else _CENTRE if column == self.WORD \
                else None
        if role == Qt.ItemDataRole.FontRole and column == self.WORD:
            font = QGuiApplication.font()
            font.setBold(True)
            return font
        if role == KEY_ROLE:
            return (hit.document_id, hit.start, hit.end)
        return None


class _ElideLeft(QStyledItemDelegate):
    """The words before a match are cut at their start, keeping those next to the word."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class _Views(QTabWidget):
    """The chart and the lines, asking for little room: their natural size (a 640 × 480
    figure) would make the whole tab scroll in the window's 480 pixels of height."""

    def sizeHint(self) -> QSize:
        return QSize(480, 260)


def _without_label(before: str, speaker: str | None) -> str:
    """The words before a match, without the speaker label a turn's first words follow."""
    if speaker and before.startswith(speaker):
        rest = before[len(speaker):].lstrip()
        if rest.startswith(":"):
            return rest[1:].lstrip()
    return before


class WordsPage(AnalysisPage):
    NAME, TITLE = "words", "Word frequencies"
    KINDS = frozenset({Kind.DOCUMENT, Kind.PARTICIPANT, Kind.ATTRIBUTE, Kind.PROJECT})
    SPLIT = (45, 55)  # the table's and the chart's (or lines') shares
    passage_activated = Signal(int, int, int)  # document id, start, end (code points)
    lines_loaded = Signal()  # the keyword-in-context lines of the picked word are shown

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._lines_generation = 0
        self._lines_jobs: set[Job] = set()
        self._word: tuple[str, ...] | None = None  # the forms whose lines are shown
        self._speaker_chosen = False  # until the user picks, the interviewer is left out
        self._fitted: tuple[str, ...] = ()  # the columns the table's width was fitted to
        self._raise_lines = True  # picking a word brings its lines to the front
        self._build_controls()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._word_menu)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_lines(current.row()))
        self.lines.activated.connect(self._open)
        self.lines.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.lines.customContextMenuRequested.connect(self._line_menu)

    # -- building --------------------------------------------------------------------------
    def _build_layout(self) -> None:
        """The table of words beside a chart and the picked word's lines, as two tabs:
        the view gets about 770 × 480 pixels on a 1366 × 768 screen with the default
        panels, too little for the three at once. The export buttons sit by the summary,
        so the choices fit one row."""
        self.export_chart_button = QPushButton("Export chart\N{HORIZONTAL ELLIPSIS}", self)
        self.export_chart_button.setToolTip("Save the chart as a PNG image or an SVG drawing")
        self.export_chart_button.clicked.connect(self.export_chart)
        self.export_table_button = QPushButton("Export table\N{HORIZONTAL ELLIPSIS}", self)
        self.export_table_button.setToolTip("Save the table of words as a CSV file")
        self.export_table_button.clicked.connect(self.export_table)
        bar = QHBoxLayout()
        bar.addLayout(self.controls)
        bar.addStretch(1)
        notes = QHBoxLayout()
        notes.addWidget(self.summary, 1)
        notes.addWidget(self.export_chart_button, 0, Qt.AlignmentFlag.AlignTop)
        notes.addWidget(self.export_table_button, 0, Qt.AlignmentFlag.AlignTop)
        self.lines_title = QLabel(PICK_A_WORD, self)
        self.lines_title.setObjectName("wordLinesTitle")
        self.lines_title.setStyleSheet(QUIET)
        self.lines_title.setWordWrap(True)
        self.lines_model = LinesModel(self)
        self.lines = row_table(self, self.lines_model, "wordLines")
        self.lines.setWordWrap(False)
        self.lines.horizontalHeader().setStretchLastSection(True)
        self.lines.setItemDelegateForColumn(LinesModel.BEFORE, _ElideLeft(self.lines))
        self.lines.setToolTip("Double-click a line, or press Enter, to open the transcript "
                              "there")
        lines_page = QWidget(self)
        below = QVBoxLayout(lines_page)
        below.setContentsMargins(4, 4, 4, 4)
        below.setSpacing(4)
        below.addWidget(self.lines_title)
        below.addWidget(self.lines, 1)
        self.views = _Views(self)
        self.views.setObjectName("wordsViews")
        self.views.setDocumentMode(True)
        self.chart.setMinimumSize(300, 180)  # below the table's height at 1366 × 768
        self.views.addTab(self.chart, "Chart")
        self.views.addTab(lines_page, "Lines")
        self.lines_page = lines_page
        splitter = QSplitter(self.ORIENTATION, self)
        splitter.setObjectName(f"{self.NAME}Splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.views)
        splitter.setStretchFactor(0, self.SPLIT[0])
        splitter.setStretchFactor(1, self.SPLIT[1])
        splitter.setSizes([10 * share for share in self.SPLIT])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addLayout(notes)
        layout.addWidget(splitter, 1)

    def _build_controls(self) -> None:
        row = self.controls

        def caption(text: str, buddy: QWidget) -> None:
            label = QLabel(text, self)
            label.setStyleSheet(QUIET)
            label.setBuddy(buddy)
            row.addWidget(label)
            row.addWidget(buddy)
            row.addSpacing(10)

        self.top_box = QSpinBox(self)
        self.top_box.setObjectName("wordsTop")
        self.top_box.setRange(10, 5000)
        self.top_box.setSingleStep(50)
        self.top_box.setValue(DEFAULT_TOP)
        self.top_box.setToolTip("How many of the most frequent words to list")
        self.top_box.setKeyboardTracking(False)  # count once the number is typed
        caption("&Top", self.top_box)
        self.forms_box = QCheckBox("Word &forms", self)
        self.forms_box.setObjectName("wordsForms")
        self.forms_box.setToolTip("Count the forms of a word as one (risk, risks, risky), "
                                  "shown as the form used most")
        row.addWidget(self.forms_box)
        self.stop_box = QCheckBox("Leave out &stop words", self)
        self.stop_box.setObjectName("wordsStopWords")
        self.stop_box.setChecked(True)
        self.stop_box.setToolTip("Leave out the function words and fillers (the, and, um, "
                                 "yeah) of the project's language")
        row.addWidget(self.stop_box)
        row.addSpacing(10)
        self.speaker_box = QComboBox(self)
        self.speaker_box.setObjectName("wordsLeaveOut")
        self.speaker_box.setMinimumContentsLength(8)
        self.speaker_box.setToolTip("Leave out one speaker's turns, such as the interviewer's")
        self.speaker_box.addItem("Nobody", NOBODY)
        caption("&Leave out", self.speaker_box)
        self.by_box = QComboBox(self)
        self.by_box.setObjectName("wordsBy")
        self.by_box.setMinimumContentsLength(8)
        self.by_box.setToolTip("Also count the words of each participant, or of each value "
                               "of a participant attribute")
        self.by_box.addItem("Total only", TOTAL_ONLY)
        self.by_box.addItem("Participant", BY_PARTICIPANT)
        caption("&Columns", self.by_box)
        self.top_box.valueChanged.connect(lambda _value: self.reload())
        self.forms_box.toggled.connect(lambda _on: self.reload())
        self.stop_box.toggled.connect(lambda _on: self.reload())
        self.speaker_box.activated.connect(self._speaker_picked)
        self.by_box.activated.connect(lambda _index: self.reload())

    # -- choices ---------------------------------------------------------------------------
    def choices(self) -> WordChoices:
        return WordChoices(self.top_box.value(), self.forms_box.isChecked(),
                           self.stop_box.isChecked(), self.speaker_box.currentData() or NOBODY,
                           self.by_box.currentData() or TOTAL_ONLY)

    def set_choices(self, *, top: int | None = None, forms: bool | None = None,
                    stop_words: bool | None = None, leave_out: str | None = None,
                    by: str | None = None) -> None:
        """Set some choices at once and count again (for tests and the menu)."""
        widgets = (self.top_box, self.forms_box, self.stop_box, self.speaker_box, self.by_box)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            if top is not None:
                self.top_box.setValue(top)
            if forms is not None:
                self.forms_box.setChecked(forms)
            if stop_words is not None:
                self.stop_box.setChecked(stop_words)
            if leave_out is not None:
                self._select(self.speaker_box, leave_out, "Nobody")
                self._speaker_chosen = True
            if by is not None:
                self._select(self.by_box, by, "Total only")
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.reload()

    @staticmethod
    def _select(box: QComboBox, key: str, fallback: str) -> None:
        index = box.findData(key)
        if index < 0 and key:
            box.addItem(key, key)
            index = box.count() - 1
        box.setCurrentIndex(max(index, 0) if key else box.findText(fallback))

    def _speaker_picked(self, _index: int = 0) -> None:
        self._speaker_chosen = True
        self.reload()

    def reader(self) -> Callable[[ReadSession], Any]:
        chosen = self.choices()
        default_speaker = not self._speaker_chosen

        def read(session: ReadSession) -> WordsData:
            speakers: dict[str, str] = {}
            for label in speaker_labels(session):  # most frequent spelling first
                speakers.setdefault(speaker_key(label), label)
            choices = chosen
            if default_speaker:
                interviewer = next((label for label in speakers.values()
                                    if names_the_interviewer(label)), NOBODY)
                choices = WordChoices(chosen.top, chosen.forms, chosen.stop_words,
                                      interviewer, chosen.by)
            names = attribute_names(session)
            by = choices.by if choices.by in (BY_PARTICIPANT, *names) else TOTAL_ONLY
            if by != choices.by:
                choices = WordChoices(choices.top, choices.forms, choices.stop_words,
                                      choices.leave_out, by)
            result = word_frequencies(session, choices.scope, top=choices.top,
                                      forms=choices.forms,
                                      leave_out_stop_words=choices.stop_words, by=by or None)
            return WordsData(result, tuple(speakers.values()), tuple(names), choices)
        return read

    def _fill_choosers(self, data: WordsData) -> None:
        for box, items, chosen, first in (
                (self.speaker_box, [(label, label) for label in data.speakers],
                 data.choices.leave_out, [("Nobody", NOBODY)]),
                (self.by_box, [(name, name) for name in data.attributes],
                 data.choices.by, [("Total only", TOTAL_ONLY),
                                   ("Participant", BY_PARTICIPANT)])):
            box.blockSignals(True)
            box.clear()
            for text, key in (*first, *items):
                box.addItem(text, key)
            self._select(box, chosen, first[0][0])
            box.blockSignals(False)

    # -- showing ---------------------------------------------------------------------------
    def present(self, data: Any) -> None:
        words: WordsData = data
        self._fill_choosers(words)
        result = words.result
        table = word_table(result)
        self.show_table(table)
        if table.headers != self._fitted:  # new columns; else the user's split stays
            self._fitted = table.headers
            self._fit_table()
        self.summary.setText(self._summary(words))
        title = "Most frequent words"
        if not result.words:
            self.chart.show_chart(lambda f: plots.message(
                f, title, "No words to count: import a transcript, or count stop words too."))
        else:
            self._draw(result, title, words.choices.leave_out)
        self._show_word_lines_again()

    def _fit_table(self) -> None:
        """Room for the table's columns, up to half the width (60% with columns per group or
        forms, more if the counts need it; the rest then scrolls), the rest for the chart."""
        splitter = self.findChild(QSplitter, f"{self.NAME}Splitter")
        total = sum(splitter.sizes()) if splitter is not None else 0
        if splitter is None or total <= 0:
            return
        header = self.table.horizontalHeader()
        edges = self.table.verticalScrollBar().sizeHint().width() + \
            2 * self.table.frameWidth()
        every = sum(header.sectionSize(n) for n in range(header.count())) + edges
        counts = sum(header.sectionSize(n) for n in range(4)) + edges  # the first four
        share = 0.6 if header.count() > 4 else 0.5  # columns per group, or the forms
        wanted = min(every, max(int(total * share), counts),
                     total - self.views.minimumSizeHint().width())
        splitter.setSizes([wanted, total - wanted])

    def _summary(self, data: WordsData) -> str:
        result = data.result
        language = result.language.capitalize()
        different = plural(result.distinct, "different word")
        joined = " (word forms joined)" if result.forms else ""
        parts = [f"{plural(result.total, 'word')} counted, {different}{joined}, in "
                 f"{plural(result.documents, 'transcript')}"]
        if data.choices.stop_words and result.stop_words:
            parts.append(f"{plural(result.stop_words_left_out, 'stop word')} of {language} "
                         "left out")
        elif data.choices.stop_words:
            parts.append(f"no stop word list for {language}: every word is counted")
        if data.choices.leave_out:
            parts.append(f"{data.choices.leave_out}'s turns left out")
        return "; ".join(parts) + ". Click a word to read its lines below. A frequent word " \
                                  "is a place to look, not a theme."

    def _draw(self, result: WordFrequencies, title: str, leave_out: str) -> None:
        shown = list(result.words[:TOP_CHART_GROUPS if result.columns else TOP_CHART])
        names = [word.word for word in shown]
        cut = (f"The {len(shown)} most frequent of the {len(result.words):,} words listed; "
               "the table lists them all." if len(result.words) > len(shown) else "")
        note = " ".join(filter(None, (f"{leave_out}'s turns left out." if leave_out else "",
                                      cut)))
        if result.by and result.columns:
            by = result.by
            columns = [column_name(name, by) for name in result.columns]
            header = "participant" if by == BY_PARTICIPANT else by
            title = f"{title}, by {header}"
            if len(columns) <= MAX_GROUP_BARS:
                groups = [(column, [word.by[name] for word in shown])
                          for column, name in zip(columns, result.columns, strict=True)]
                self.chart.show_chart(lambda f: plots.grouped_bars(
                    f, names, groups, title, "Occurrences", note))
            else:
                cells = [[word.by[name] for name in result.columns] for word in shown]
                self.chart.show_chart(lambda f: plots.heat_map(
                    f, names, columns, cells, title, "Occurrences", note))
            return
        people = max((word.participants for word in result.words), default=0)
        panels = [("Occurrences", [word.count for word in shown], plots.BLUE, None),
                  ("Participants who use it", [word.participants for word in shown],
                   plots.LIGHT_BLUE, people or None)]
        self.chart.show_chart(lambda f: plots.bar_panels(f, names, panels, title, note))

    # -- keyword in context ----------------------------------------------------------------
    def word_at(self, row: int) -> WordCount | None:
        """The word in a row of the table as shown (sorted or not)."""
        if self.data is None or not 0 <= row < self.proxy.rowCount():
            return None
        source = self.proxy.mapToSource(self.proxy.index(row, 0)).row()
        words = self.data.result.words
        return words[source] if 0 <= source < len(words) else None

    def pick_word(self, row: int) -> None:
        """Select a row of the table (as shown) and show its word's lines."""
        if self.table.currentIndex().row() == row:
            self.show_lines(row)
        else:
            self.table.setCurrentIndex(self.proxy.index(row, 0))  # finds the lines

    def show_lines(self, row: int) -> None:
        """Find the lines of the word in a row of the table, on a worker thread."""
        word = self.word_at(row)
        if word is None:
            return
        self._find_lines(word.word, word.forms, self.data.choices.scope)

    def _show_word_lines_again(self) -> None:
        """After a recount, the lines of the same word if it is still listed, else none."""
        forms = self._word
        self._word = None
        self.lines_model.set_hits([])
        if forms is None or self.data is None:
            self.lines_title.setText(PICK_A_WORD)
            return
        for row in range(self.proxy.rowCount()):
            word = self.word_at(row)
            if word is not None and set(forms) & set(word.forms):
                self._raise_lines = False  # a recount leaves the chart in front
                try:
                    self.pick_word(row)
                finally:
                    self._raise_lines = True
                return
        self.lines_title.setText(PICK_A_WORD)

    def _find_lines(self, word: str, forms: Sequence[str], scope: Scope) -> None:
        self._word = tuple(forms)
        if self._raise_lines:
            self.views.setCurrentWidget(self.lines_page)
        self._lines_generation += 1
        generation, store, query = self._lines_generation, self.session.store, lines_query(forms)
        self.lines_title.setText(f"Finding the lines with \N{LEFT DOUBLE QUOTATION MARK}{word}"
                                 f"\N{RIGHT DOUBLE QUOTATION MARK}\N{HORIZONTAL ELLIPSIS}")

        def work(_control: JobControl) -> list[SearchHit]:
            with store.read() as session:
                return search_project(session, query, MAX_LINES + 1, scope=scope)

        job = Job(work, self)
        self._lines_jobs.add(job)
        job.finished.connect(lambda hits, job=job: self._lines_done(job, generation, word, hits))
        job.failed.connect(lambda message, job=job: self._lines_failed(job, generation, message))
        job.start(QThreadPool.globalInstance())

    def _lines_done(self, job: Job, generation: int, word: str, hits: list[SearchHit]) -> None:
        self._lines_forget(job)
        if generation != self._lines_generation:
            return
        more = len(hits) > MAX_LINES
        hits = hits[:MAX_LINES]
        self.lines_model.set_hits(hits)
        self.views.setTabText(self.views.indexOf(self.lines_page),
                              f"Lines with \N{LEFT DOUBLE QUOTATION MARK}{word}"
                              "\N{RIGHT DOUBLE QUOTATION MARK}")
        self._fit_lines()
        quoted = f"\N{LEFT DOUBLE QUOTATION MARK}{word}\N{RIGHT DOUBLE QUOTATION MARK}"
        documents = len({hit.document_id for hit in hits})
        found = f"{plural(len(hits), 'line')} in {plural(documents, 'transcript')}"
        self.lines_title.setText(
            f"The first {found} with {quoted}; double-click one to open the transcript there."
            if more else f"{found[0].upper()}{found[1:]} with {quoted}; double-click one, or "
                         "press Enter, to open the transcript there." if hits else
            f"No lines with {quoted} were found.")
        self.lines_loaded.emit()

    def _fit_lines(self) -> None:
        """Who and where as narrow as they can be; the word in the middle of the rest."""
        self.lines.resizeColumnsToContents()
        header = self.lines.horizontalHeader()
        where_width = min(header.sectionSize(LinesModel.WHERE), 170)
        word_width = min(header.sectionSize(LinesModel.WORD), 130)
        header.resizeSection(LinesModel.WHERE, where_width)
        header.resizeSection(LinesModel.WORD, word_width)
        room = self.lines.viewport().width() - where_width - word_width
        header.resizeSection(LinesModel.BEFORE, max(100, room // 2))

    def _lines_failed(self, job: Job, generation: int, message: str) -> None:
        self._lines_forget(job)
        if generation == self._lines_generation:
            self.lines_title.setText(f"The lines could not be found: {message}")
            self.lines_loaded.emit()

    def _lines_forget(self, job: Job) -> None:
        self._lines_jobs.discard(job)
        job.deleteLater()

    @property
    def busy(self) -> bool:
        return super().busy or bool(self._lines_jobs)

    def wait(self, timeout_s: float = 10.0) -> bool:
        return super().wait(timeout_s) and all(
            job.wait(timeout_s) for job in list(self._lines_jobs))

    def _open(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key is not None:
            self.passage_activated.emit(*key)

    # -- menus -----------------------------------------------------------------------------
    def _word_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        word = self.word_at(index.row()) if index.isValid() else None
        menu = QMenu(self)
        if word is not None:
            menu.addAction(f"Show the lines with \N{LEFT DOUBLE QUOTATION MARK}{word.word}"
                           "\N{RIGHT DOUBLE QUOTATION MARK}", lambda: self.pick_word(index.row()))
            menu.addAction("Copy the word", lambda: QGuiApplication.clipboard().setText(
                word.word))
            menu.addSeparator()
        menu.addAction("Export table\N{HORIZONTAL ELLIPSIS}", self.export_table)
        menu.addAction("Export chart\N{HORIZONTAL ELLIPSIS}", self.export_chart)
        menu.popup(self.table.viewport().mapToGlobal(point))

    def _line_menu(self, point: QPoint) -> None:
        index = self.lines.indexAt(point)
        hit = self.lines_model.hit_at(index.row()) if index.isValid() else None
        if hit is None:
            return
        menu = QMenu(self)
        menu.addAction("Open in the transcript", lambda: self._open(index))
        menu.addAction("Copy the line", lambda: QGuiApplication.clipboard().setText(
            f"{hit.before} {hit.match} {hit.after}".strip()))
        menu.popup(self.lines.viewport().mapToGlobal(point))
