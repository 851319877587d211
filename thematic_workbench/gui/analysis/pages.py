"""The five analysis tabs: codes, by participant, by attribute, co-occurrence, coverage.

Each chart shows what fits legibly (the most-used codes, the least-coded transcripts) and
says so in its note; the table beside it always lists everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from thematic_workbench.analysis.stats import (
    CodeAttributeTable,
    CodeParticipantTable,
    CodeRef,
    CooccurrenceMatrix,
    Coverage,
    attribute_names,
    code_by_attribute,
    code_by_participant,
    code_frequencies,
    cooccurrence_matrix,
    coverage,
    participant_labels,
)
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.services.design import project_theme_words
from thematic_workbench.core.storage.store import ReadSession
from thematic_workbench.core.text.speaker_roles import (
    EVERYONE,
    INTERVIEWER,
    PARTICIPANTS,
    SpeakerChoice,
)
from thematic_workbench.core.wording import plural
from thematic_workbench.gui.analysis import plots
from thematic_workbench.gui.analysis.models import (
    KEY_ROLE,
    Table,
    attribute_table,
    frequency_table,
    group_name,
    pairs_table,
    participant_table,
    stretch_table,
    who,
)
from thematic_workbench.gui.analysis.page import AnalysisPage
from thematic_workbench.gui.common.change_follower import REVIEW_KINDS
from thematic_workbench.gui.common.choices import QUIET, choices_row
from thematic_workbench.gui.common.level_words import REVIEW_KINDS_AND_WORDS
from thematic_workbench.gui.session import ProjectSession

TOP_CODES = 25  # bars or heat-map rows that stay legible in a chart beside its table
TOP_COLUMNS = 30
TOP_PAIR_CODES = 20
TOP_TRANSCRIPTS = 20
MAX_GROUP_BARS = 6  # more attribute values than this read better as a heat map


def _most(codes: Sequence[CodeRef], total: Callable[[int], int], limit: int) -> list[CodeRef]:
    """The ``limit`` codes with the highest non-zero totals, most first (ties: board order)."""
    used = [code for code in codes if total(code.id)]
    return sorted(used, key=lambda code: -total(code.id))[:limit]


def _cut_note(*cuts: tuple[int, int, str]) -> str:
    """"Showing the 25 most-used codes of 500; …" for each (shown, total, what) cut short."""
    parts = [f"the {shown:,} {what} of {total:,}" for shown, total, what in cuts
             if shown < total]
    return f"Showing {' and '.join(parts)}; the table lists them all." if parts else ""


class CodesPage(AnalysisPage):
    NAME, TITLE = "codes", "Codes"
    CHART_TITLE = "Codings and participants per code"
    KINDS = REVIEW_KINDS_AND_WORDS  # the table names the level in the project's words

    def reader(self) -> Callable[[ReadSession], Any]:
        return lambda s: (code_frequencies(s), len(participant_labels(s)),
                          project_theme_words(s))

    def present(self, data: Any) -> None:
        codes, people, words = data
        self.show_table(frequency_table(codes, words))
        codings = sum(code.codings for code in codes)
        if not codes:
            self.summary.setText("No codes yet: code a passage and its code is counted here.")
            self.chart.show_chart(lambda f: plots.message(f, self.CHART_TITLE, "No codes yet."))
            return
        used = sorted((c for c in codes if c.codings), key=lambda c: -c.codings)
        shown = used[:TOP_CODES]
        unused = len(codes) - len(used)
        note = _cut_note((len(shown), len(used), "most-used codes"))
        if unused:
            note += f" {plural(unused, 'code')} not used yet."
        panels = [("Codings", [c.codings for c in shown], plots.BLUE, None),
                  (f"Participants (of {people:,})", [c.participants for c in shown],
                   plots.LIGHT_BLUE, people)]
        self.chart.show_chart(lambda f: plots.bar_panels(
            f, [c.name for c in shown], panels, self.CHART_TITLE, note.strip()))
        self.summary.setText(
            f"{plural(len(codes), 'code')}, {plural(codings, 'coding')}. The table lists "
            "every code in Table 1 order; click a column title to sort by it.")


class ParticipantsPage(AnalysisPage):
    NAME, TITLE = "participants", "By participant"
    CHART_TITLE = "Codings per code in each participant's transcripts"

    def reader(self) -> Callable[[ReadSession], Any]:
        return code_by_participant

    def present(self, data: Any) -> None:
        table: CodeParticipantTable = data
        self.show_table(participant_table(table))
        codes = _most(table.codes, table.code_total, TOP_CODES)
        labels = list(table.participants)
        if len(labels) > TOP_COLUMNS:
            busiest = set(sorted(labels, key=lambda label: -table.participant_total(label))
                          [:TOP_COLUMNS])
            labels = [label for label in labels if label in busiest]
        if not codes:
            self.summary.setText("No codings yet.")
            self.chart.show_chart(lambda f: plots.message(
                f, self.CHART_TITLE, "No codings yet: code some passages first."))
            return
        used = sum(1 for code in table.codes if table.code_total(code.id))
        note = " ".join(filter(None, (
            "Darker cells: more codings.",
            _cut_note((len(codes), used, "most-used codes"),
                      (len(labels), len(table.participants), "participants with most codings")))))
        cells = [[table.count(code.id, label) for label in labels] for code in codes]
        self.chart.show_chart(lambda f: plots.heat_map(
            f, [c.name for c in codes], [who(label) for label in labels], cells,
            self.CHART_TITLE, "Codings", note))
        self.summary.setText(
            f"{plural(len(table.participants), 'participant')}. A code used by many "
            "participants is carried by the data set, not by one voice.")


class AttributePage(AnalysisPage):
    NAME, TITLE = "attribute", "By attribute"
    KINDS = REVIEW_KINDS | {Kind.ATTRIBUTE}  # a newly defined attribute joins the chooser
    MEASURES = (("codings", "Codings"), ("participants", "Participants"))

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        label = QLabel("Attribute", self)
        label.setStyleSheet(QUIET)
        self.controls.addWidget(label)
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("attributeChooser")
        self.chooser.setMinimumContentsLength(14)
        self.controls.addWidget(self.chooser)
        self.controls.addSpacing(12)
        self.measures = choices_row(self, "Count", self.MEASURES, self.controls)
        self.chooser.currentTextChanged.connect(lambda _name: self.reload())
        self.measures.idClicked.connect(self._measure_picked)

    def _measure_picked(self, _id: int = 0) -> None:
        if self.data is not None and self.data[1] is not None:
            self._draw(self.data[1])

    def set_measure(self, measure: str) -> None:
        keys = [key for key, _text in self.MEASURES]
        self.measures.button(keys.index(measure)).setChecked(True)
        self._measure_picked()

    def measure(self) -> str:
        return self.MEASURES[max(0, self.measures.checkedId())][0]

    def set_attribute(self, name: str) -> None:
        self.chooser.setCurrentText(name)

    def reader(self) -> Callable[[ReadSession], Any]:
        chosen = self.chooser.currentText()

        def read(session: ReadSession) -> tuple[list[str], CodeAttributeTable | None]:
            names = attribute_names(session)
            name = chosen if chosen in names else (names[0] if names else None)
            return names, code_by_attribute(session, name) if name else None
        return read

    def present(self, data: Any) -> None:
        names, table = data
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItems(names)
        if table is not None:
            self.chooser.setCurrentText(table.attribute)
        self.chooser.blockSignals(False)
        if table is None:
            self.show_table(Table())
            text = ("No participant attributes yet: give participants attributes such as "
                    "gender or profession to compare codes between groups.")
            self.summary.setText(text)
            self.chart.show_chart(lambda f: plots.message(f, "Codes by attribute", text))
            return
        self.show_table(attribute_table(table))
        self._draw(table)

    def _draw(self, table: CodeAttributeTable) -> None:
        measure = self.measure()

        def amount(code_id: int, value: str) -> int:
            reach = table.cell(code_id, value)
            return reach.codings if measure == "codings" else reach.participants

        codes = _most(table.codes, lambda code_id: sum(
            amount(code_id, g.value) for g in table.groups), TOP_CODES)
        title = f"{'Codings' if measure == 'codings' else 'Participants'} per code by " \
                f"{table.attribute}"
        groups = [(f"{group_name(g.value)} ({plural(g.participants, 'participant')})",
                   [amount(code.id, g.value) for code in codes]) for g in table.groups]
        used = sum(1 for c in table.codes if any(table.cell(c.id, g.value).codings
                                                 for g in table.groups))
        note = _cut_note((len(codes), used, "most-used codes"))
        self.summary.setText(
            f"{table.attribute}: " + ", ".join(
                f"{group_name(g.value)} {plural(g.participants, 'participant')}"
                for g in table.groups) + ". Compare groups of unequal size by participants.")
        if not codes:
            self.chart.show_chart(lambda f: plots.message(f, title, "No codings yet."))
        elif len(groups) <= MAX_GROUP_BARS:
            axis = "Codings" if measure == "codings" else "Participants who have the code"
            self.chart.show_chart(lambda f: plots.grouped_bars(
                f, [c.name for c in codes], groups, title, axis, note))
        else:
            cells = [[amount(code.id, g.value) for g in table.groups] for code in codes]
            self.chart.show_chart(lambda f: plots.heat_map(
                f, [c.name for c in codes], [group_name(g.value) for g in table.groups],
                cells, title, measure.capitalize(), note))


class CooccurrencePage(AnalysisPage):
    NAME, TITLE = "cooccurrence", "Co-occurrence"
    MODES = (("overlap", "Overlapping text"), ("turn", "Same speaker turn"))
    TITLES: ClassVar[dict[str, str]] = {"overlap": "Codes applied to overlapping text",
                                        "turn": "Codes applied in the same speaker turn"}

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.modes = choices_row(self, "Together in", self.MODES, self.controls)
        self.modes.idClicked.connect(lambda _id: self.reload())

    def mode(self) -> str:
        return self.MODES[max(0, self.modes.checkedId())][0]

    def set_mode(self, mode: str) -> None:
        keys = [key for key, _text in self.MODES]
        self.modes.button(keys.index(mode)).setChecked(True)
        self.reload()

    def reader(self) -> Callable[[ReadSession], Any]:
        mode = self.mode()
        return lambda s: cooccurrence_matrix(s, mode)

    def present(self, data: Any) -> None:
        matrix: CooccurrenceMatrix = data
        self.show_table(pairs_table(matrix))
        title = self.TITLES[matrix.mode]
        totals: dict[int, int] = {}
        for (a, b), count in matrix.pairs.items():
            totals[a] = totals.get(a, 0) + count
            totals[b] = totals.get(b, 0) + count
        chosen = {c.id for c in _most(matrix.codes, lambda i: totals.get(i, 0), TOP_PAIR_CODES)}
        codes = [code for code in matrix.codes if code.id in chosen]  # board order
        self.summary.setText(
            f"{plural(len(matrix.pairs), 'pair')} of codes meet. Codes that often meet may "
            "belong to one theme, or one may be a facet of the other." if matrix.pairs else
            "No two codes meet yet." if matrix.mode == "overlap" else
            "No two codes share a speaker turn yet (transcripts without speaker turns "
            "have none).")
        if not codes:
            self.chart.show_chart(lambda f: plots.message(f, title, "No two codes meet yet."))
            return
        cells: list[list[int | None]] = [
            [None if a.id == b.id else matrix.count(a.id, b.id) for b in codes] for a in codes]
        note = "Darker cells: more often together. " + _cut_note(
            (len(codes), len(totals), "codes that meet most"))
        self.chart.show_chart(lambda f: plots.heat_map(
            f, [c.name for c in codes], [c.name for c in codes], cells, title,
            "Times together", note.strip()))


class CoveragePage(AnalysisPage):
    NAME, TITLE = "coverage", "Coverage"
    CHART_TITLE = "How much of each transcript is coded"
    SPLIT = (42, 58)  # the stretches table needs the width
    passage_activated = Signal(int, int, int)  # document id, start, end
    # Whose words count: the participants' by default, so that the interviewer's questions
    # are never the "longest uncoded stretches".
    SPEAKERS = ((PARTICIPANTS, "All but the interviewer"), (INTERVIEWER, "Interviewer"),
                (EVERYONE, "Everyone"))
    SPEAKER_TIPS: ClassVar[dict[str, str]] = {
        PARTICIPANTS: "Count every speaker's turns but the interviewer's (labels left out)",
        INTERVIEWER: "Count only the interviewer's turns",
        EVERYONE: "Count the whole text: every speaker, their labels and any heading"}

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.speakers = choices_row(self, "Whose words", self.SPEAKERS, self.controls)
        for button in self.speakers.buttons():
            button.setToolTip(self.SPEAKER_TIPS[button.objectName()])
        self.speakers.idClicked.connect(lambda _id: self.reload())
        self.table.doubleClicked.connect(self._open)

    def speaker_choice(self) -> SpeakerChoice:
        """Whose turns count, as chosen above the chart."""
        return SpeakerChoice(self.SPEAKERS[max(0, self.speakers.checkedId())][0])

    def set_speakers(self, kind: str) -> None:
        """Choose whose turns count (``participants``, ``interviewer``, ``everyone``)."""
        keys = [key for key, _text in self.SPEAKERS]
        self.speakers.button(keys.index(kind)).setChecked(True)
        self.reload()

    def reader(self) -> Callable[[ReadSession], Any]:
        chosen = self.speaker_choice()
        return lambda s: coverage(s, speakers=chosen)

    def present(self, data: Any) -> None:
        items: list[Coverage] = data
        self.show_table(stretch_table(items))
        if not items:
            self.summary.setText("No transcripts yet.")
            self.chart.show_chart(lambda f: plots.message(f, self.CHART_TITLE,
                                                          "No transcripts yet."))
            return
        shown = items
        if len(items) > TOP_TRANSCRIPTS:
            least = {id(item) for item in sorted(items, key=lambda i: i.share)[:TOP_TRANSCRIPTS]}
            shown = [item for item in items if id(item) in least]
        note = _cut_note((len(shown), len(items), "least-coded transcripts"))
        names = [self.label(item) for item in shown]
        mean = sum(item.share for item in items) / len(items)
        title = {PARTICIPANTS: "How much of the participants' words is coded",
                 INTERVIEWER: "How much of the interviewer's words is coded"}.get(
            self.speaker_choice().kind, self.CHART_TITLE)
        self.chart.show_chart(lambda f: plots.share_bars(
            f, names, [item.share for item in shown], mean, title, note))
        coded = sum(i.coded_characters for i in items)
        total = sum(i.characters for i in items)
        whose = {PARTICIPANTS: "of the participants' words",
                 INTERVIEWER: "of the interviewer's words",
                 EVERYONE: "of their whole text"}[self.speaker_choice().kind]
        self.summary.setText(
            f"{plural(len(items), 'transcript')}, {coded / max(total, 1):.0%} {whose} "
            "coded. The table lists each one's longest uncoded stretches: double-click one to "
            "read it in the transcript. Was every data item given equal attention?")

    @staticmethod
    def label(item: Coverage) -> str:
        if item.participant and item.participant.casefold() not in item.document.casefold():
            return f"{item.participant} \N{MIDDLE DOT} {item.document}"
        return item.document

    def _open(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key is not None:
            self.passage_activated.emit(*key)
