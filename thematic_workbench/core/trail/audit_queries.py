"""Reading the audit trail: filtered pages of plain rows, the filter choices, readable changes.

The trail can hold 100,000+ events, so every filter is a SQL condition and rows come a page
at a time, newest first. Paging by sequence number (``before_seq``) keeps a page stable
while new events arrive at the top; ``offset`` is there for callers that want numbered pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from thematic_workbench.core.storage.audit import REDACT_ACTION, TOMBSTONE
from thematic_workbench.core.storage.models import AuditEvent
from thematic_workbench.core.wording import plural

_Ts = TypeVarTuple("_Ts")

_COLUMNS = (AuditEvent.seq, AuditEvent.at, AuditEvent.coder, AuditEvent.phase,
            AuditEvent.action, AuditEvent.entity_kind, AuditEvent.entity_id,
            AuditEvent.before_json, AuditEvent.after_json, AuditEvent.hash,
            AuditEvent.payload_sha256)
_TEXT_COLUMNS = (AuditEvent.coder, AuditEvent.action, AuditEvent.entity_kind,
                 AuditEvent.before_json, AuditEvent.after_json)
_LABEL_KEYS = ("name", "label", "title", "key")
_ERASED = json.loads(TOMBSTONE)  # what a redaction leaves of a payload
_CODE_KEYS = ("code", "code_name")


def stored_time(moment: datetime) -> str:
    """A moment in the trail's own format (ISO 8601 UTC, ``Z``), so strings compare in order.

    A naive datetime is taken to be UTC already.
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show; every field left empty matches everything.

    ``since`` is inclusive and ``until`` exclusive. ``action`` ending in ``.`` is a prefix
    (``"coding."`` is every coding action), otherwise an exact action. ``text`` is looked for,
    case-insensitively for ASCII, in the coder, the action, the entity kind and before/after.
    """

    since: datetime | None = None
    until: datetime | None = None
    coder: str | None = None
    phase: int | None = None
    action: str | None = None
    entity_kind: str | None = None
    entity_id: int | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return self == AuditFilter()

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.since is not None:
            found.append(AuditEvent.at >= stored_time(self.since))
        if self.until is not None:
            found.append(AuditEvent.at < stored_time(self.until))
        if self.coder:
            found.append(AuditEvent.coder == self.coder)
        if self.phase is not None:
            found.append(AuditEvent.phase == self.phase)
        if self.action and self.action.endswith("."):
            # A range on the indexed column: every action from "coding." up to "coding/".
            found.append(AuditEvent.action >= self.action)
            found.append(AuditEvent.action < self.action[:-1] + "/")
        elif self.action:
            found.append(AuditEvent.action == self.action)
        if self.entity_kind:
            found.append(AuditEvent.entity_kind == self.entity_kind)
        if self.entity_id is not None:
            found.append(AuditEvent.entity_id == self.entity_id)
        words = self.text.strip()
        if words:
            found.append(or_(*(column.contains(words, autoescape=True)
                               for column in _TEXT_COLUMNS)))
        return found


@dataclass(frozen=True)
class AuditRow:
    """One event as plain values; ``before_json``/``after_json`` exactly as stored, and the
    digest a version-2 hash covers in their place (None for a version-1 event)."""

    seq: int
    at: str
    coder: str
    phase: int
    action: str
    entity_kind: str
    entity_id: int | None
    summary: str
    before_json: str | None
    after_json: str | None
    hash: str
    payload_sha256: str | None = None

    @property
    def entity(self) -> str:
        """The entity as a person would say it: ``code 3``, ``diary entry 2``."""
        kind = self.entity_kind.replace("_", " ")
        return kind if self.entity_id is None else f"{kind} {self.entity_id}"

    @property
    def before(self) -> Any:
        return None if self.before_json is None else json.loads(self.before_json)

    @property
    def after(self) -> Any:
        return None if self.after_json is None else json.loads(self.after_json)


def _row(values: Any, summaries: bool = True) -> AuditRow:
    seq, at, coder, phase, action, kind, entity_id, before, after, digest, payload = values
    summary = summarize(action, kind, entity_id, _loads(before), _loads(after)) \
        if summaries else ""
    return AuditRow(seq, at, coder, phase, action, kind, entity_id, summary, before, after,
                    digest, payload)


def _loads(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:  # an edited row: show it, verification will say what is wrong
        return text


def _filtered(query: Select[*_Ts], audit_filter: AuditFilter | None) -> Select[*_Ts]:
    return query.where(*audit_filter.conditions()) if audit_filter else query


def audit_rows(session: Session, audit_filter: AuditFilter | None = None, *, limit: int = 200,
               offset: int = 0, before_seq: int | None = None,
               after_seq: int | None = None) -> list[AuditRow]:
    """Matching events, newest first: at most ``limit``, older than ``before_seq`` and newer
    than ``after_seq`` when given, skipping ``offset``."""
    query = _filtered(select(*_COLUMNS), audit_filter)
    if before_seq is not None:
        query = query.where(AuditEvent.seq < before_seq)
    if after_seq is not None:
        query = query.where(AuditEvent.seq > after_seq)
    query = query.order_by(AuditEvent.seq.desc()).limit(limit).offset(offset)
    return [_row(values) for values in session.connection().execute(query)]


def iter_audit_rows(session: Session, audit_filter: AuditFilter | None = None,
                    batch: int = 2000, summaries: bool = True) -> Iterator[AuditRow]:
    """Every matching event, oldest first (the chain's order), read in batches.

    Without ``summaries`` the rows' ``summary`` is empty: an export does not need them.
    """
    last = 0
    while True:
        query = _filtered(select(*_COLUMNS), audit_filter).where(AuditEvent.seq > last)
        rows = [_row(values, summaries) for values in
                session.connection().execute(query.order_by(AuditEvent.seq).limit(batch))]
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].seq


def count_audit_rows(session: Session, audit_filter: AuditFilter | None = None) -> int:
    query = _filtered(select(func.count()).select_from(AuditEvent), audit_filter)
    return session.execute(query).scalar_one()


def last_seq(session: Session) -> int:
    """The newest event's sequence number (0 for an empty trail)."""
    return session.execute(select(func.max(AuditEvent.seq))).scalar_one() or 0


@dataclass(frozen=True)
class AuditChoices:
    """The values the filter lists offer, each sorted."""

    coders: tuple[str, ...]
    actions: tuple[str, ...]
    entity_kinds: tuple[str, ...]

    def action_options(self) -> list[tuple[str, str]]:
        """(label, filter value) for a list: each group of actions ("coding.") as a whole,
        then its actions indented; a group of one is just its action."""
        groups: dict[str, list[str]] = {}
        for action in self.actions:
            groups.setdefault(action.partition(".")[0], []).append(action)
        options: list[tuple[str, str]] = []
        for group, members in sorted(groups.items()):
            if len(members) == 1:
                options.append((members[0], members[0]))
                continue
            options.append((f"{group.replace('_', ' ')} (all)", f"{group}."))
            options.extend((f"    {action}", action) for action in members)
        return options

    def merged(self, other: AuditChoices) -> AuditChoices:
        return AuditChoices(*(tuple(sorted(set(mine) | set(theirs)))
                              for mine, theirs in ((self.coders, other.coders),
                                                   (self.actions, other.actions),
                                                   (self.entity_kinds, other.entity_kinds))))


def audit_choices(session: Session, after_seq: int = 0) -> AuditChoices:
    """Distinct coders, actions and entity kinds (of events newer than ``after_seq``)."""
    if after_seq:  # a few new events: read them by primary key, SQLite would scan an index
        query = select(AuditEvent.coder, AuditEvent.action, AuditEvent.entity_kind) \
            .where(AuditEvent.seq > after_seq)
        columns = list(zip(*session.connection().execute(query), strict=True)) or [(), (), ()]
        return AuditChoices(*(tuple(sorted(set(values))) for values in columns))

    def values(column: Any) -> tuple[str, ...]:
        query = select(column).distinct().order_by(column)
        return tuple(session.execute(query).scalars())

    return AuditChoices(values(AuditEvent.coder), values(AuditEvent.action),
                        values(AuditEvent.entity_kind))


# -- reading an event ---------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One key of an event's before/after: ``None`` on a side where the key is absent."""

    key: str
    before: Any
    after: Any
    in_before: bool
    in_after: bool

    @property
    def changed(self) -> bool:
        return (self.in_before != self.in_after) or self.before != self.after


def field_changes(before: Any, after: Any) -> list[FieldChange]:
    """Before and after side by side, key by key (for objects; one ``value`` key otherwise)."""
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return [FieldChange("value", before, after, before is not None, after is not None)]
    old, new = before or {}, after or {}
    keys = list(old) + [key for key in new if key not in old]
    return [FieldChange(key, old.get(key), new.get(key), key in old, key in new)
            for key in keys]


def shown_value(value: Any, most: int = 0) -> str:
    """A value as a person reads it: text without JSON quotes, ``—`` for nothing."""
    if value is None:
        text = "—"
    elif isinstance(value, str):
        text = value if value else "(empty)"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = " ".join(text.split()) if most else text
    if most and len(text) > most:
        return text[:most - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    return text


_VERBS = {
    "create": "Created", "add": "Added", "import": "Imported", "apply": "Coded",
    "remove": "Removed", "delete": "Deleted", "rename": "Renamed", "define": "Defined",
    "merge": "Merged", "unmerge": "Unmerged", "restore": "Restored", "move": "Moved",
    "edit": "Edited", "tick": "Ticked", "untick": "Unticked", "resolve": "Resolved",
    "reopen": "Reopened", "sign_off": "Signed off", "reorder": "Reordered",
    "set_attribute": "Set an attribute of", "set_participant": "Set the participant of",
    "memo": "Edited the memo of", "uncode": "Uncoded", "role": "Changed the role of",
    "links": "Changed the links of", "recolour": "Recoloured", "set_parent": "Moved",
}
_CODING_VERBS = {  # a coding is known by its code: "Applied code “Running” to document 3"
    "apply": ("Applied code", "to"), "remove": ("Removed code", "from"),
    "restore": ("Restored code", "to"), "uncode": ("Uncoded", "from"),
    "memo": ("Edited the memo of code", "in"),
}
_CODE_IN_THEME = {
    "assign_code": ("Added code", "to"), "unassign_code": ("Took code", "out of"),
    "move_code": ("Moved code", "within"),
}


def _label(values: Any, keys: tuple[str, ...] = _LABEL_KEYS) -> str:
    if isinstance(values, dict):
        for key in keys:
            if isinstance(values.get(key), str) and values[key]:
                name = shown_value(values[key], 50)
                return name if name[0] in "\"“'‘" else f"“{name}”"
    return ""


def summarize(action: str, entity_kind: str, entity_id: int | None, before: Any,
              after: Any) -> str:
    """One line saying what an event did, e.g. ``Renamed code “A” → “B”``."""
    head, detail = describe_event(action, entity_kind, entity_id, before, after)
    return f"{head}: {detail}" if detail else head


def describe_event(action: str, entity_kind: str, entity_id: int | None, before: Any,
                   after: Any) -> tuple[str, str]:
    """What an event did (``Defined code 3``) and, apart, what it changed, shortened."""
    tail = action.partition(".")[2]
    verb = _VERBS.get(tail) or tail.replace("_", " ").capitalize() or action
    noun = entity_kind.replace("_", " ")
    number = "" if entity_id is None else str(entity_id)
    if before == _ERASED and after == _ERASED:
        return f"{verb} {noun} {number}".rstrip(), "payload erased by a redaction"
    if action == REDACT_ACTION and isinstance(after, dict):
        kept = after.get("kept_events")
        erased = len(after.get("events") or ()) + sum(
            len(seqs) for seqs in (kept.values() if isinstance(kept, dict) else ()))
        return (f"Erased the payloads of {plural(erased, 'event')}",
                shown_value(after.get("reason"), 80))
    values = after if isinstance(after, dict) else before if isinstance(before, dict) else {}
    if action == "phase.move" and "phase" in values:
        return f"Moved to phase {values['phase']}", shown_value(values.get("note"), 80)
    if entity_kind == "coding" and tail in _CODING_VERBS:
        verb, preposition = _CODING_VERBS[tail]
        where = f" {preposition} document {values['document_id']}" \
            if "document_id" in values else ""
        return f"{verb} {_label(values, _CODE_KEYS)}{where}".replace("  ", " "), ""
    if tail in _CODE_IN_THEME:
        verb, preposition = _CODE_IN_THEME[tail]
        code = _label(values, _CODE_KEYS) or f"{values.get('code_id', '')}"
        return f"{verb} {code} {preposition} {noun} {number}".strip(), ""
    label = _label(after) or _label(before) or number
    if "merged_into_name" in values:
        return f"{verb} {noun} {label} into {_label(values, ('merged_into_name',))}", ""
    head = f"{verb} {noun} {label}".rstrip()
    if not isinstance(before, dict) or not isinstance(after, dict):
        return head, ""
    changes = [c for c in field_changes(before, after) if c.changed and c.in_before]
    if _label(before) and _label(after) and _label(before) != _label(after):
        head = f"{verb} {noun} {_label(before)} → {_label(after)}"
        changes = [c for c in changes if c.key not in _LABEL_KEYS]
    parts = [f"{c.key.replace('_', ' ')} {shown_value(c.before, 30)} → "
             f"{shown_value(c.after, 30)}" for c in changes[:2]]
    more = f" (+{len(changes) - 2} more)" if len(changes) > 2 else ""
    return head, f"{'; '.join(parts)}{more}" if parts else ""
