"""Importing a table of participants' attributes: the plain record a file is read into,
what importing it would do, and doing it (and undoing it) in one transaction.

The first column names the participant, the header row the attributes. A blank cell sets
nothing: an import adds and changes values, it never clears one. A new attribute's type
follows its column, predictably: number when every value is a number, date when every
value is a date written YYYY-MM-DD, else text (a category is never guessed; change the type
afterwards). A value that does not fit an existing attribute refuses the whole file with
one line naming the file, the row and the column.

Audit: every participant and attribute the import adds is its own event (written by the
same services the sheet uses), and each participant whose values it sets or changes one
``participant.set_attributes`` event holding that row's values before and after; all in
one transaction, followed by one ``participant.import_table`` event naming the file and
what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.participant_sheet import TYPE_LABELS, participant_sheet
from thematic_workbench.core.services.participants import (
    create_participant,
    define_attribute,
    delete_attribute,
    delete_participant,
    find_attribute,
    find_participant,
    fitting_value,
    set_participant_attributes,
    value_problem,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.wording import plural

MAX_NAME = 100


@dataclass(frozen=True)
class TableRow:
    row: int  # its row number in the file (as a spreadsheet numbers it)
    label: str
    values: tuple[str | None, ...]  # one per attribute column; None for a blank cell


@dataclass(frozen=True)
class AttributeTable:
    """A file's table as read: nothing checked against the project yet."""

    source: str  # the file's name, for messages
    attributes: tuple[str, ...]
    rows: tuple[TableRow, ...]
    header_row: int = 1  # the header's row number in the file


@dataclass(frozen=True)
class PlannedAttribute:
    name: str
    type: str  # as stored (choice for a category)
    new: bool

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)


@dataclass(frozen=True)
class PlannedValue:
    label: str
    attribute: str
    before: str | None
    after: str


@dataclass(frozen=True)
class TablePlan:
    """What importing a table would do, for the preview and for the command line."""

    source: str
    participants: tuple[str, ...]  # every label in the file, in its order
    new_participants: tuple[str, ...]
    attributes: tuple[PlannedAttribute, ...]
    values: tuple[PlannedValue, ...]  # the values it sets or changes
    unchanged: int  # values the file holds that are already so

    @property
    def empty(self) -> bool:
        return not (self.new_participants or self.values
                    or any(a.new for a in self.attributes))

    def summary(self) -> str:
        """One line: what the import adds and changes."""
        new_attributes = [a for a in self.attributes if a.new]
        changed = sum(1 for v in self.values if v.before is not None)
        parts = [plural(len(self.new_participants), "new participant"),
                 plural(len(new_attributes), "new attribute"),
                 plural(len(self.values) - changed, "value") + " to set",
                 plural(changed, "value") + " to change"]
        return f"{self.source}: " + ", ".join(parts)


def _refuse(table: AttributeTable, row: int, column: str | None, reason: str) -> DocumentReadError:
    where = f"row {row}" + (f", column '{column}'" if column else "")
    return DocumentReadError(table.source, f"{where}: {reason}")


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _is_number(value: str) -> bool:
    return value_problem("", "number", [], value) is None


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def inferred_type(values: list[str]) -> str:
    """A new attribute's type from its column's values (never a category: predictable)."""
    if values and all(_is_number(v) for v in values):
        return "number"
    if values and all(_is_date(v) for v in values):
        return "date"
    return "text"


def _check_shape(table: AttributeTable) -> None:
    seen: dict[str, str] = {}
    header = table.header_row
    for name in table.attributes:
        tidy = _tidy(name)
        if not tidy:
            raise _refuse(table, header, None, "a column holding values has no name in the "
                                               "header row")
        if len(tidy) > MAX_NAME:
            raise _refuse(table, header, tidy[:40] + "…",
                          f"an attribute name can have at most {MAX_NAME} characters")
        if name_key(tidy) in seen:
            raise _refuse(table, header, tidy, f"the header names '{seen[name_key(tidy)]}' twice")
        seen[name_key(tidy)] = tidy
    rows_of: dict[str, int] = {}
    for row in table.rows:
        label = _tidy(row.label)
        if not label:
            raise _refuse(table, row.row, None, "values but no participant label in the "
                                                "first column")
        if len(label) > MAX_NAME:
            raise _refuse(table, row.row, None,
                          f"a participant label can have at most {MAX_NAME} characters")
        if label in rows_of:
            raise _refuse(table, row.row, None, f"participant '{label}' again (first in row "
                                                f"{rows_of[label]})")
        rows_of[label] = row.row


def plan_attribute_table(session: Session, table: AttributeTable) -> TablePlan:
    """What importing ``table`` would add and change; refuses a table that does not fit."""
    _check_shape(table)
    sheet = participant_sheet(session)
    rows_by_label = {row.label: row for row in sheet.participants}
    planned: list[PlannedAttribute] = []
    choices: dict[str, list[str]] = {}
    for index, header in enumerate(table.attributes):
        existing = find_attribute(session, header)
        if existing is not None:
            planned.append(PlannedAttribute(existing.name, existing.type, False))
            info = sheet.attribute(existing.name)
            choices[existing.name] = list(info.choices) if info else []
        else:
            column = [v.strip() for row in table.rows
                      if index < len(row.values) and (v := row.values[index]) is not None
                      and v.strip()]
            planned.append(PlannedAttribute(_tidy(header), inferred_type(column), True))
    values: list[PlannedValue] = []
    unchanged = 0
    for row in table.rows:
        label = _tidy(row.label)
        current = rows_by_label.get(label)
        for attribute, raw in zip(planned, row.values, strict=False):
            if raw is None or not raw.strip():
                continue
            value = fitting_value(attribute.type, choices.get(attribute.name, []), raw)
            problem = value_problem(attribute.name, attribute.type,
                                    choices.get(attribute.name, []), value)
            if problem:
                raise _refuse(table, row.row, attribute.name, problem)
            before = current.values.get(attribute.name) if current else None
            if before == value:
                unchanged += 1
            else:
                values.append(PlannedValue(label, attribute.name, before, value))
    labels = tuple(_tidy(row.label) for row in table.rows)
    return TablePlan(table.source, labels,
                     tuple(label for label in labels if label not in rows_by_label),
                     tuple(planned), tuple(values), unchanged)


@dataclass
class TableImport:
    """What an import did, and what its undo needs."""

    plan: TablePlan
    change: Change = field(default_factory=Change)
    created_participants: list[int] = field(default_factory=list)
    created_attributes: list[int] = field(default_factory=list)
    # (participant id, attribute name, the value before) of values on existing attributes
    previous: list[tuple[int, str, str | None]] = field(default_factory=list)

    def describe(self) -> list[str]:
        """Lines for the command line: a summary, then each thing added or changed."""
        plan = self.plan
        lines = [plan.summary().replace(" to set", " set").replace(" to change", " changed")]
        lines += [f"new participant {label}" for label in plan.new_participants]
        lines += [f"new attribute {a.name} ({a.type_label})" for a in plan.attributes if a.new]
        for value in plan.values:
            was = f" (was {value.before})" if value.before is not None else ""
            lines.append(f"{value.label}: {value.attribute} = {value.after}{was}")
        return lines


def apply_attribute_table(tx: Tx, table: AttributeTable) -> TableImport:
    """Import ``table`` whole, or (on any misfit) nothing."""
    plan = plan_attribute_table(tx.session, table)
    done = TableImport(plan)
    new_attributes = {a.name for a in plan.attributes if a.new}
    for attribute in plan.attributes:
        if attribute.new:
            change = define_attribute(tx, attribute.name, attribute.type)
            done.created_attributes.append(change.new_id(Kind.ATTRIBUTE))
            done.change.merge(change)
    ids: dict[str, int] = {}
    for label in plan.participants:
        found = find_participant(tx, label)
        if found is None:
            change = create_participant(tx, label)
            ids[label] = change.new_id(Kind.PARTICIPANT)
            done.created_participants.append(ids[label])
            done.change.merge(change)
        else:
            ids[label] = found.id
    created = set(done.created_participants)
    by_participant: dict[int, dict[str, str | None]] = {}
    for value in plan.values:
        participant_id = ids[value.label]
        if value.attribute not in new_attributes and participant_id not in created:
            done.previous.append((participant_id, value.attribute, value.before))
        by_participant.setdefault(participant_id, {})[value.attribute] = value.after
    for participant_id, values in by_participant.items():
        done.change.merge(set_participant_attributes(tx, participant_id, values))
    tx.audit("participant.import_table", "participant", None, after={
        "file": plan.source, "participants": list(plan.new_participants),
        "attributes": [a.name for a in plan.attributes if a.new],
        "values": len(plan.values)})
    return done


def revert_attribute_table(tx: Tx, done: TableImport) -> Change:
    """Undo an import: values back as they were, what it created deleted again."""
    change = Change()
    by_participant: dict[int, dict[str, str | None]] = {}
    for participant_id, name, before in done.previous:
        by_participant.setdefault(participant_id, {})[name] = before
    for participant_id, values in by_participant.items():
        change.merge(set_participant_attributes(tx, participant_id, values))
    for attribute_id in done.created_attributes:
        change.merge(delete_attribute(tx, attribute_id))
    for participant_id in done.created_participants:
        change.merge(delete_participant(tx, participant_id))
    return change
