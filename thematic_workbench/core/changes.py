"""What a service changed, so that views refresh only what they must."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Change:
    """Ids of the entities added, changed and removed, by kind (``"code"``, ``"coding"``...)."""

    added: dict[str, list[int]] = field(default_factory=dict)
    changed: dict[str, list[int]] = field(default_factory=dict)
    removed: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, entity_id: int) -> Change:
        self.added.setdefault(kind, []).append(entity_id)
        return self

    def change(self, kind: str, entity_id: int) -> Change:
        ids = self.changed.setdefault(kind, [])
        if entity_id not in ids:
            ids.append(entity_id)
        return self

    def remove(self, kind: str, entity_id: int) -> Change:
        self.removed.setdefault(kind, []).append(entity_id)
        return self

    def merge(self, other: Change) -> Change:
        for mine, theirs in (
            (self.added, other.added),
            (self.changed, other.changed),
            (self.removed, other.removed),
        ):
            for kind, ids in theirs.items():
                mine.setdefault(kind, []).extend(i for i in ids if i not in mine.get(kind, []))
        return self

    def new_id(self, kind: str) -> int:
        """The id of the one entity of ``kind`` this change added."""
        ids = self.added.get(kind, [])
        if len(ids) != 1:
            raise LookupError(f"expected one new {kind}, found {len(ids)}")
        return ids[0]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)
