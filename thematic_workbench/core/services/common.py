"""Small helpers shared by the services: lookups that fail with a clear message, tidy names."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypeVar

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import ConflictError, InvariantError, NotFoundError
from thematic_workbench.core.guids import new_guid
from thematic_workbench.core.storage.models import MapPosition
from thematic_workbench.core.storage.transaction import Tx

T = TypeVar("T")

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def get_or_fail(session: Session, model: type[T], entity_id: int, what: str) -> T:
    """The row with this id, or a NotFoundError saying which kind of thing is missing."""
    row = session.get(model, entity_id)
    if row is None:
        raise NotFoundError(f"no {what} with id {entity_id}")
    return row


def session_of(tx_or_session: Tx | Session) -> Session:
    """The session a lookup reads: a transaction's, or the session given."""
    return tx_or_session.session if isinstance(tx_or_session, Tx) else tx_or_session


def kept_guid(tx: Tx, model: Any, guid: object) -> str:
    """A GUID to keep (a deleted code's or theme's, for its undo; an exchange file's) unless
    something in the project holds it; otherwise a new one."""
    if isinstance(guid, str) and guid and tx.session.execute(
            select(model.id).where(model.guid == guid)).first() is None:
        return guid
    return new_guid()


def tidy_name(name: str, what: str, max_length: int = 300) -> str:
    """Collapse runs of whitespace; refuse empty or over-long names."""
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise InvariantError(f"a {what} needs a name")
    if len(cleaned) > max_length:
        raise InvariantError(f"a {what} name can have at most {max_length} characters")
    return cleaned


def check_colour(colour: str) -> str:
    if not _COLOUR.match(colour):
        raise InvariantError(f"{colour!r} is not a colour; use the form #RRGGBB")
    return colour.upper()


def row_values(row: Any, *exclude: str) -> dict[str, Any]:
    """A row's column values as a plain dict, for before/after in audit events."""
    mapper = inspect(row).mapper
    return {
        attr.key: getattr(row, attr.key)
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def update_audited(tx: Tx, row: Any, entity_kind: Kind, action: str,
                   seen: dict[str, Any] | None = None, **values: Any) -> Change:
    """Set column values on ``row`` and audit what changed; nothing to change, no event.

    ``seen`` is what the person changing it last saw of those values: if someone else has
    changed them since (another coder on a team server), nothing is saved and
    :class:`~thematic_workbench.core.errors.ConflictError` says what they are now.
    """
    if seen:
        tx.session.refresh(row, with_for_update=True)  # no one changes it meanwhile
        moved = {key: getattr(row, key) for key, value in seen.items()
                 if getattr(row, key) != value}
        if moved:
            raise ConflictError(_conflict(entity_kind, seen, moved))
    before = {key: getattr(row, key) for key in values}
    if before == values:
        return Change()
    for key, value in values.items():
        setattr(row, key, value)
    tx.session.flush()
    tx.audit(action, entity_kind, row.id, before=before, after=values)
    return Change().change(entity_kind, row.id).keep_before(entity_kind, row.id, before)


def _conflict(kind: Kind, seen: dict[str, Any], moved: dict[str, Any]) -> str:
    what = kind.replace("_", " ")
    parts = "; ".join(f"its {key} is now {value!r}, not {seen[key]!r} as you saw it"
                      for key, value in moved.items())
    return (f"someone else changed this {what} while you were editing it ({parts}); your "
            "change was not saved: look at it again and redo it if it still applies")


def delete_audited(tx: Tx, row: Any, entity_kind: Kind, action: str,
                   before: dict[str, Any] | None = None) -> Change:
    """Delete ``row``, recording its values (or ``before``) so the deletion can be undone."""
    row_id = row.id
    before = row_values(row) if before is None else before
    tx.session.delete(row)
    tx.session.flush()
    tx.audit(action, entity_kind, row_id, before=before)
    return Change().remove(entity_kind, row_id).keep_before(entity_kind, row_id, before)


def clear_stale_position(tx: Tx, kind: str, node_id: int) -> None:
    """A new theme or code may get the id of a deleted one (SQLite reuses the highest id):
    it must not inherit that one's place on the map."""
    tx.session.execute(delete(MapPosition).where(MapPosition.node_kind == kind,
                                                 MapPosition.node_id == node_id))
