"""The map of themes as the researcher arranges it: node positions and labelled links.

Positions are saved in the project, so the map (and the figure drawn from it) looks the
same next time. A drag of several nodes, or a new automatic layout, is one change with one
audit event recording every position before and after, so undo puts them all back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services.common import get_or_fail, row_values
from thematic_workbench.core.storage.models import Code, MapPosition, Theme, ThemeLink
from thematic_workbench.core.storage.transaction import Tx

NodeKey = tuple[str, int]  # ("theme", 3) or ("code", 17)
NODE_KINDS = ("theme", "code")
MAX_LABEL = 200


def node_positions(session: Session) -> dict[NodeKey, tuple[float, float]]:
    """Every saved position, by node."""
    return {(kind, node_id): (x, y) for kind, node_id, x, y in session.execute(
        select(MapPosition.node_kind, MapPosition.node_id, MapPosition.x, MapPosition.y))}


def _check_nodes(tx: Tx, keys: Iterable[NodeKey]) -> None:
    wanted: dict[str, set[int]] = {kind: set() for kind in NODE_KINDS}
    for kind, node_id in keys:
        if kind not in NODE_KINDS:
            raise InvariantError(f"a map node is a theme or a code, not '{kind}'")
        wanted[kind].add(node_id)
    for kind, model in (("theme", Theme), ("code", Code)):
        if wanted[kind]:
            found = set(tx.session.execute(
                select(model.id).where(model.id.in_(wanted[kind]))).scalars())
            missing = wanted[kind] - found
            if missing:
                raise InvariantError(f"no {kind} with id {min(missing)} to place on the map")


def place_nodes(tx: Tx, positions: Mapping[NodeKey, tuple[float, float] | None],
                reason: str = "move") -> Change:
    """Put nodes where given (None: forget the saved position); one audited change.

    ``reason`` says why in the audit trail: "move" (dragged) or "layout" (arranged anew).
    """
    if not positions:
        return Change()
    _check_nodes(tx, positions)
    before_all = node_positions(tx.session)
    before, after = [], []
    for (kind, node_id), where in sorted(positions.items()):
        old = before_all.get((kind, node_id))
        new = None if where is None else (round(float(where[0]), 2), round(float(where[1]), 2))
        if old == new:
            continue
        before.append([kind, node_id, *(old or (None, None))])
        after.append([kind, node_id, *(new or (None, None))])
        tx.session.execute(delete(MapPosition).where(MapPosition.node_kind == kind,
                                                     MapPosition.node_id == node_id))
        if new is not None:
            tx.session.add(MapPosition(node_kind=kind, node_id=node_id, x=new[0], y=new[1]))
    if not after:
        return Change()
    tx.session.flush()
    tx.audit(f"map.{reason}", "map", None, before={"positions": before},
             after={"positions": after})
    change = Change()
    for kind, node_id, *_xy in after:
        change.change(Kind(f"map_{kind}"), node_id)
    return change


def positions_of(event_positions: list[list[Any]]) -> dict[NodeKey, tuple[float, float] | None]:
    """An audit event's position list back as the mapping ``place_nodes`` takes (for undo)."""
    return {(kind, node_id): (None if x is None else (x, y))
            for kind, node_id, x, y in event_positions}


def relabel_link(tx: Tx, link_id: int, label: str) -> Change:
    link = get_or_fail(tx.session, ThemeLink, link_id, "link")
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        raise InvariantError(f"a link's label can have at most {MAX_LABEL} characters")
    if label == link.label:
        return Change()
    before = link.label
    link.label = label
    tx.session.flush()
    tx.audit("theme_link.relabel", "theme_link", link.id, before={"label": before},
             after={"label": label})
    return Change().change(Kind.THEME_LINK, link.id)


def restore_link(tx: Tx, values: Mapping[str, Any]) -> Change:
    """Put a deleted link back under its own id (the inverse of deleting it)."""
    fields = {key: values[key] for key in ("id", "source_theme_id", "target_theme_id",
                                           "target_code_id", "label")}
    if tx.session.get(ThemeLink, fields["id"]) is not None:
        raise InvariantError(f"link {fields['id']} exists already")
    link = ThemeLink(**fields)
    tx.session.add(link)
    tx.session.flush()
    tx.audit("theme_link.restore", "theme_link", link.id, after=row_values(link))
    return Change().add(Kind.THEME_LINK, link.id)
