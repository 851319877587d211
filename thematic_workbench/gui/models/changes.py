"""Reading a core Change the way the models need it."""

from __future__ import annotations

from thematic_workbench.core.changes import Change


def kinds_of(change: Change) -> set[str]:
    """The kinds of entity a change added, changed or removed."""
    return {kind for part in (change.added, change.changed, change.removed) for kind in part}


def coding_ids(change: Change) -> set[int]:
    """Every coding a change added, changed or removed."""
    return {coding_id for part in (change.added, change.changed, change.removed)
            for coding_id in part.get("coding", ())}
