"""What a service changed, so that views refresh only what they must and undo can restore."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """Every kind of entity a change can name: the one list views and services share.

    A ``StrEnum`` so that a change's keys read as the table names they are in the audit
    trail and in messages, while a misspelt kind is an error the type checker catches.
    """

    PROJECT = "project"
    CODER = "coder"
    DOCUMENT = "document"
    TEXT = "text"  # a transcript's text itself (a correction), not only its name
    PARTICIPANT = "participant"
    ATTRIBUTE = "attribute"
    CODE = "code"
    CODING = "coding"
    THEME = "theme"
    THEME_MEMBERSHIP = "theme_membership"
    THEME_LINK = "theme_link"
    MAP_THEME = "map_theme"
    MAP_CODE = "map_code"
    ANNOTATION = "annotation"
    DIARY_ENTRY = "diary_entry"
    LINK = "link"
    READING_MARK = "reading_mark"
    COMMENT = "comment"
    SNAPSHOT = "snapshot"
    SIGN_OFF = "sign_off"
    PHASE_TRANSITION = "phase_transition"
    CHECKLIST_ITEM = "checklist_item"
    AUDIT_EVENT = "audit_event"  # an event of the trail itself: its payload erased


@dataclass
class Change:
    """Ids of the entities added, changed and removed, by kind.

    ``before`` keeps, for an entity this change removed or edited, the stored values it had
    before, so that an undo command restores them without reading the database itself.
    ``initiator`` says who made the change (the window's undo stack, an import, an
    exchange job...); the one announcing path fills it in.
    """

    added: dict[Kind, list[int]] = field(default_factory=dict)
    changed: dict[Kind, list[int]] = field(default_factory=dict)
    removed: dict[Kind, list[int]] = field(default_factory=dict)
    before: dict[tuple[Kind, int], dict[str, Any]] = field(default_factory=dict)
    initiator: str = ""

    def add(self, kind: Kind, entity_id: int) -> Change:
        self.added.setdefault(kind, []).append(entity_id)
        return self

    def change(self, kind: Kind, entity_id: int) -> Change:
        ids = self.changed.setdefault(kind, [])
        if entity_id not in ids:
            ids.append(entity_id)
        return self

    def remove(self, kind: Kind, entity_id: int) -> Change:
        self.removed.setdefault(kind, []).append(entity_id)
        return self

    def keep_before(self, kind: Kind, entity_id: int, values: dict[str, Any]) -> Change:
        """Remember what an entity held before this change (the first values win)."""
        self.before.setdefault((kind, entity_id), values)
        return self

    def values_before(self, kind: Kind, entity_id: int) -> dict[str, Any]:
        """The stored values of an entity before this change, for its undo."""
        try:
            return self.before[(kind, entity_id)]
        except KeyError:
            raise LookupError(f"the change kept no earlier values of {kind} {entity_id}") from None

    def merge(self, other: Change) -> Change:
        for mine, theirs in (
            (self.added, other.added),
            (self.changed, other.changed),
            (self.removed, other.removed),
        ):
            for kind, ids in theirs.items():
                mine_ids = mine.setdefault(kind, [])
                known = set(mine_ids)  # a merge of large changes stays linear
                for i in ids:
                    if i not in known:
                        known.add(i)
                        mine_ids.append(i)
        for key, values in other.before.items():
            self.before.setdefault(key, values)
        return self

    def new_id(self, kind: Kind) -> int:
        """The id of the one entity of ``kind`` this change added."""
        ids = self.added.get(kind, [])
        if len(ids) != 1:
            raise LookupError(f"expected one new {kind}, found {len(ids)}")
        return ids[0]

    def kinds(self) -> set[Kind]:
        """The kinds of entity this change added, changed or removed."""
        return {Kind(kind) for part in (self.added, self.changed, self.removed) for kind in part}

    def ids(self, kind: Kind) -> set[int]:
        """Every entity of ``kind`` this change added, changed or removed."""
        return {i for part in (self.added, self.changed, self.removed) for i in part.get(kind, ())}

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)
