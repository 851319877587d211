"""Inverses of the theme board's bigger changes, for undo: a deleted theme, a merge.

A deleted theme comes back under its old id when that id is still free, so the undo
commands recorded after its creation still find it; its codes, emerging themes and map
links come back as :func:`~thematic_workbench.core.services.themes.delete_theme`
recorded them. A merge is taken apart from what the merge itself changed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services.common import kept_guid, row_values
from thematic_workbench.core.services.themes import (
    _board,
    _check_name_free,
    _live_theme,
    _members,
    _renumber,
    reorder_theme,
    set_theme_parent,
    set_theme_status,
    unassign_code,
)
from thematic_workbench.core.storage.models import Code, Theme, ThemeLink, ThemeMembership
from thematic_workbench.core.storage.transaction import Tx


def restore_theme(tx: Tx, before: dict[str, Any]) -> Change:
    """Re-create a theme deleted by ``delete_theme`` from its recorded ``before`` values."""
    if before.get("status") != "discarded":
        _check_name_free(tx, str(before["name"]), str(before["level"]))
    old_id = int(before["id"])
    free = tx.session.get(Theme, old_id) is None
    theme = Theme(id=old_id if free else None, name=before["name"], level=before["level"],
                  definition=before.get("definition", ""),
                  central_concept=before.get("central_concept", ""),
                  scope_notes=before.get("scope_notes", ""), status=before["status"],
                  parent_id=before.get("parent_id") if before.get("parent_id") is not None
                  and tx.session.get(Theme, before["parent_id"]) is not None else None,
                  position=before.get("position", 0),
                  representative_coding_id=None, guid=kept_guid(tx, Theme, before.get("guid")))
    tx.session.add(theme)
    tx.session.flush()
    change = Change().add(Kind.THEME, theme.id)
    if theme.status != "discarded":
        board = [t for t in _board(tx, theme.level) if t.id != theme.id]
        board.insert(min(int(before.get("position", len(board))), len(board)), theme)
        _renumber(board)
    for code_id, position in before.get("memberships", []):
        if tx.session.get(Code, code_id) is None:
            continue
        tx.session.add(ThemeMembership(theme_id=theme.id, code_id=code_id, position=position))
        change.change(Kind.CODE, code_id)
    for child_id in before.get("children", []):
        tx.session.execute(update(Theme).where(Theme.id == child_id, Theme.parent_id.is_(None))
                           .values(parent_id=theme.id))
        change.change(Kind.THEME, child_id)
    for link in before.get("links", []):
        ends = [link.get("source_theme_id"), link.get("target_theme_id")]
        if all(end is None or end == old_id or tx.session.get(Theme, end) is not None
               for end in ends):
            tx.session.add(ThemeLink(
                source_theme_id=theme.id if ends[0] == old_id else ends[0],
                target_theme_id=theme.id if ends[1] == old_id else ends[1],
                target_code_id=link.get("target_code_id"), label=link.get("label", "")))
    tx.session.flush()
    tx.audit("theme.restore", "theme", theme.id,
             after=row_values(theme) | {"replaces": old_id})
    return change


def unmerge_themes(tx: Tx, source_id: int, target_id: int, codes_added: list[int],
                   children_moved: list[int], old_status: str, old_position: int) -> Change:
    """Undo ``merge_themes``: the codes and emerging themes it moved go back to the source,
    which returns to the board at its old place."""
    target = _live_theme(tx, target_id)
    source = tx.session.get(Theme, source_id)
    if source is None or source.status != "discarded":
        raise InvariantError("the merged theme is no longer there to take apart")
    change = Change()
    target_codes = {m.code_id for m in _members(tx, target.id)}
    for code_id in codes_added:
        if code_id in target_codes:
            change.merge(unassign_code(tx, code_id, target.id))
    change.merge(set_theme_status(tx, source_id, old_status))
    for child_id in children_moved:
        child = tx.session.get(Theme, child_id)
        if child is not None and child.parent_id == target.id:
            change.merge(set_theme_parent(tx, child_id, source_id))
    board = _board(tx, source.level)
    if source in board:
        change.merge(reorder_theme(tx, source_id, min(old_position, len(board) - 1)))
    return change.change(Kind.THEME, source_id)
