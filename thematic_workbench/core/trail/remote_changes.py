"""What other coders changed, read back from the audit trail.

On a team server every commit announces the newest event's number; a window that hears it
reads the events after the last one it has seen and turns them into one :class:`Change`,
the same kind of value its own edits produce, so its views refresh exactly as they do for
an edit of its own. Every change has its event, so nothing another coder does is missed.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.storage.models import AuditEvent

ADDING = ("create", "apply", "add", "import", "restore", "create_from_query", "define")
REMOVING = ("delete", "uncode", "remove")
# Kinds of the trail that name the same things under another word.
SAME_AS = {"diary": Kind.DIARY_ENTRY, "link": Kind.THEME_LINK}


@dataclass
class RemoteChanges:
    """Other coders' changes after event ``since``, up to ``last``; ``broad`` when some
    event names no one entity (a bulk import): then everything is to be read again."""

    change: Change
    last: int
    coders: set[str] = field(default_factory=set)
    broad: bool = False

    @property
    def empty(self) -> bool:
        return self.change.empty and not self.broad


def head(session: Session) -> int:
    """The newest event's number (0 for an empty trail)."""
    return int(session.execute(select(func.max(AuditEvent.seq))).scalar() or 0)


def changes_since(session: Session, since: int, own: Container[int] = ()) -> RemoteChanges:
    """The changes of the events after ``since``, leaving out the numbers in ``own``."""
    found = RemoteChanges(Change(), since)
    rows = session.execute(
        select(AuditEvent.seq, AuditEvent.coder, AuditEvent.action, AuditEvent.entity_kind,
               AuditEvent.entity_id).where(AuditEvent.seq > since).order_by(AuditEvent.seq))
    for seq, coder, action, entity_kind, entity_id in rows:
        found.last = seq
        if seq in own:
            continue
        found.coders.add(coder)
        kind = _kind(entity_kind)
        if kind is None or entity_id is None:
            found.broad = True
            continue
        verb = action.rpartition(".")[2]
        if verb in ADDING:
            found.change.add(kind, entity_id)
        elif verb in REMOVING:
            found.change.remove(kind, entity_id)
        else:
            found.change.change(kind, entity_id)
    return found


def _kind(entity_kind: str) -> Kind | None:
    if entity_kind in SAME_AS:
        return SAME_AS[entity_kind]
    try:
        return Kind(entity_kind)
    except ValueError:
        return None
