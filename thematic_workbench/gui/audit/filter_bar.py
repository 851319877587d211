"""The audit viewer's filter bar: time, coder, phase, action, entity and words.

One row of lists that say "Any …" until something is chosen, and a second row with two
dates that shows only for "Between dates…". It emits ``changed`` with the new
:class:`AuditFilter`; typing waits for a pause so every key does not start a query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thematic_workbench.core.phases import PHASES
from thematic_workbench.core.trail.audit_queries import AuditChoices, AuditFilter

TYPING_PAUSE_MS = 250
TIMES = ("Any time", "Today", "Last 7 days", "Last 30 days", "Between dates…")
BETWEEN = len(TIMES) - 1


def _day(edit: QDateEdit) -> date:
    shown = edit.date()
    return date(shown.year(), shown.month(), shown.day())


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()  # naive local time, made aware


def _combo(parent: QWidget, tip: str, width: int) -> QComboBox:
    """A list as wide as ``width`` characters; its popup shows entries in full."""
    combo = QComboBox(parent)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(width)
    return combo


def _refill(combo: QComboBox, anything: str, items: Sequence[tuple[str, object]]) -> None:
    """Replace a list's entries, keeping the chosen value (added back if it is gone)."""
    chosen, label = combo.currentData(), combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(anything, None)
    for text, value in items:
        combo.addItem(text, value)
    if chosen is not None and combo.findData(chosen) < 0:
        combo.addItem(label.strip(), chosen)
    combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
    combo.blockSignals(False)


class AuditFilterBar(QWidget):
    """The filter widgets; :meth:`current_filter` reads them as an :class:`AuditFilter`."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.time_combo = _combo(self, "When the events happened", 11)
        self.time_combo.addItems(TIMES)
        self.coder_combo = _combo(self, "Who made the change", 8)
        self.phase_combo = _combo(self, "The project's phase at the time", 9)
        self.phase_combo.addItem("Any phase", None)
        for info in PHASES:
            self.phase_combo.addItem(f"{info.number} · {info.name}", info.number)
        self.action_combo = _combo(self, "What kind of change", 12)
        self.kind_combo = _combo(self, "What was changed", 8)
        self.entity_id_edit = QLineEdit(self)
        self.entity_id_edit.setPlaceholderText("id")
        self.entity_id_edit.setToolTip("Only this one: the number after the kind, as in "
                                       "“code 12”")
        self.entity_id_edit.setValidator(QIntValidator(1, 2**31 - 1, self))
        self.entity_id_edit.setFixedWidth(self.fontMetrics().horizontalAdvance("0000000") + 16)
        self.entity_id_edit.setEnabled(False)
        self.text_edit = QLineEdit(self)
        self.text_edit.setPlaceholderText("Search names, values, notes…")
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("Search names…"))
        self.clear_button = QPushButton("Clear filters", self)
        self.set_choices(AuditChoices((), (), ()))
        today = QDate.currentDate()
        self.since_edit, self.until_edit = QDateEdit(today.addDays(-6), self), \
            QDateEdit(today, self)
        self.dates = self._dates_row()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.time_combo, self.coder_combo, self.phase_combo, self.action_combo,
                       self.kind_combo, self.entity_id_edit):
            row.addWidget(widget)
        row.addWidget(self.text_edit, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.dates)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._emit)
        self.time_combo.currentIndexChanged.connect(self._time_changed)
        for combo in (self.coder_combo, self.phase_combo, self.action_combo):
            combo.currentIndexChanged.connect(self._emit)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        for edit in (self.entity_id_edit, self.text_edit):
            edit.textEdited.connect(self._typed)
            edit.returnPressed.connect(self._emit)
        self.clear_button.clicked.connect(self.clear)

    def _dates_row(self) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("From", row))
        layout.addWidget(self.since_edit)
        layout.addWidget(QLabel("to", row))
        layout.addWidget(self.until_edit)
        layout.addStretch(1)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._emit)
        row.setVisible(False)
        return row

    @property
    def pending(self) -> bool:
        """True while typed text waits for the pause that applies it."""
        return self._typing.isActive()

    def current_filter(self) -> AuditFilter:
        since, until = self._time_range()
        entity_id = self.entity_id_edit.text().strip()
        return AuditFilter(
            since=since, until=until, coder=self.coder_combo.currentData(),
            phase=self.phase_combo.currentData(), action=self.action_combo.currentData(),
            entity_kind=self.kind_combo.currentData(),
            entity_id=int(entity_id) if entity_id and self.entity_id_edit.isEnabled() else None,
            text=self.text_edit.text().strip())

    def _time_range(self) -> tuple[datetime | None, datetime | None]:
        """Whole days on the user's clock, from midnight to midnight."""
        choice = self.time_combo.currentIndex()
        if choice == BETWEEN:
            first, last = _day(self.since_edit), _day(self.until_edit)
            first, last = min(first, last), max(first, last)
            return _local_midnight(first), _local_midnight(last + timedelta(days=1))
        if choice > 0:
            back = (0, 6, 29)[choice - 1]
            return _local_midnight(date.today() - timedelta(days=back)), None
        return None, None

    def set_choices(self, choices: AuditChoices) -> None:
        """Offer these coders, actions and kinds, keeping what is chosen."""
        _refill(self.coder_combo, "Any coder", [(coder, coder) for coder in choices.coders])
        _refill(self.action_combo, "Any action", choices.action_options())
        _refill(self.kind_combo, "Any entity",
                [(kind.replace("_", " "), kind) for kind in choices.entity_kinds])

    def clear(self) -> None:
        """Back to everything, with one ``changed``."""
        self._reset()
        self._emit()

    def _reset(self) -> None:
        for combo in (self.time_combo, self.coder_combo, self.phase_combo, self.action_combo,
                      self.kind_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.entity_id_edit.clear()
        self.entity_id_edit.setEnabled(False)
        self.text_edit.clear()
        self.dates.setVisible(False)

    def show_entity(self, kind: str, entity_id: int) -> None:
        """Only the events about one thing (code 12, say), every other filter cleared."""
        self._reset()
        if self.kind_combo.findData(kind) < 0:
            self.kind_combo.addItem(kind.replace("_", " "), kind)
        self.kind_combo.blockSignals(True)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self.kind_combo.blockSignals(False)
        self.entity_id_edit.setText(str(entity_id))
        self._kind_changed()

    def _typed(self, _text: str) -> None:
        self._typing.start()

    def _time_changed(self) -> None:
        self.dates.setVisible(self.time_combo.currentIndex() == BETWEEN)
        self._emit()

    def _kind_changed(self) -> None:
        self.entity_id_edit.setEnabled(self.kind_combo.currentData() is not None)
        self._emit()

    def _emit(self) -> None:
        self._typing.stop()
        self.changed.emit(self.current_filter())
