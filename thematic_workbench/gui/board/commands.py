"""Undo commands of the theme board; each calls a theme service and, on undo, its inverse.

What an undo puts back comes from the service's change (its values before) or, where it is
needed before the call, from a theme query; the commands read no rows themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.queries.theme_board import theme_details
from thematic_workbench.core.services import themes
from thematic_workbench.core.services.theme_restore import restore_theme, unmerge_themes
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


def _position(tx: Tx, code_id: int, theme_id: int) -> int | None:
    return themes.code_position(tx, theme_id, code_id)


def _status_and_place(change: Change, theme_id: int) -> tuple[str, int]:
    """What a theme's status and place on the board were before ``change`` (from the
    values the service kept); a theme that was off the board goes back to its first place."""
    before = change.values_before(Kind.THEME, theme_id)
    return str(before["status"]), int(before["place"] or 0)


class PlaceCodeCommand(ServiceCommand):
    """Put a code into a theme at a place; from another theme it moves (one undo step)."""

    def __init__(self, session: ProjectSession, code_id: int, theme_id: int,
                 position: int | None = None, from_theme_id: int | None = None,
                 label: str = "Move code") -> None:
        super().__init__(session, label)
        self.code_id, self.theme_id, self.position = code_id, theme_id, position
        self.from_theme_id = from_theme_id
        self.old_position: int | None = None
        self.old_target_position: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = Change()
        if self.from_theme_id == self.theme_id:  # a new place within the same theme
            self.old_target_position = _position(tx, self.code_id, self.theme_id)
            count = themes.member_count(tx, self.theme_id)
            last = count - 1 if self.position is None else min(self.position, count - 1)
            return themes.move_code_in_theme(tx, self.theme_id, self.code_id, last)
        if self.from_theme_id is not None:
            self.old_position = _position(tx, self.code_id, self.from_theme_id)
            change.merge(themes.unassign_code(tx, self.code_id, self.from_theme_id))
        count = themes.member_count(tx, self.theme_id)
        position = None if self.position is None else min(self.position, count)
        return change.merge(themes.assign_code(tx, self.code_id, self.theme_id, position))

    def revert(self, tx: Tx) -> Change:
        if self.from_theme_id == self.theme_id:
            assert self.old_target_position is not None
            return themes.move_code_in_theme(tx, self.theme_id, self.code_id,
                                             self.old_target_position)
        change = themes.unassign_code(tx, self.code_id, self.theme_id)
        if self.from_theme_id is not None:
            change.merge(themes.assign_code(tx, self.code_id, self.from_theme_id,
                                            self.old_position))
        return change


class TakeCodeOutCommand(ServiceCommand):
    """Take a code out of a theme (it goes to Miscellaneous if it is in no other)."""

    def __init__(self, session: ProjectSession, code_id: int, theme_id: int) -> None:
        super().__init__(session, "Take code out of theme")
        self.code_id, self.theme_id = code_id, theme_id
        self.old_position: int | None = None

    def apply(self, tx: Tx) -> Change:
        self.old_position = _position(tx, self.code_id, self.theme_id)
        return themes.unassign_code(tx, self.code_id, self.theme_id)

    def revert(self, tx: Tx) -> Change:
        return themes.assign_code(tx, self.code_id, self.theme_id, self.old_position)


class CreateThemeCommand(ServiceCommand):
    """A new theme; undo deletes it, redo brings the same theme (same id) back."""

    def __init__(self, session: ProjectSession, name: str, level: str,
                 parent_id: int | None = None, code_ids: tuple[int, ...] = ()) -> None:
        super().__init__(session, f"New {level} theme '{name}'")
        self.name, self.level, self.parent_id, self.code_ids = name, level, parent_id, code_ids
        self.theme_id: int | None = None
        self.deleted: dict[str, Any] | None = None

    def apply(self, tx: Tx) -> Change:
        if self.deleted is not None:
            change = restore_theme(tx, self.deleted)
            self.theme_id = change.new_id(Kind.THEME)
            return change
        change = themes.create_theme(tx, self.name, self.level, parent_id=self.parent_id)
        self.theme_id = change.new_id(Kind.THEME)
        for code_id in self.code_ids:
            change.merge(themes.assign_code(tx, code_id, self.theme_id))
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.theme_id is not None
        change = themes.delete_theme(tx, self.theme_id)
        self.deleted = change.values_before(Kind.THEME, self.theme_id)
        return change


@dataclass(frozen=True)
class ThemeValues:
    """What a theme edit sets; ``None`` leaves that part as it is."""

    name: str | None = None
    parent: tuple[int | None] | None = None  # (the final theme, or None for loose)
    position: int | None = None
    definition: tuple[str, str] | None = None  # (definition, scope notes)


class ThemeEditCommand(ServiceCommand):
    """Rename, define, regroup or re-place a theme: the same service both ways."""

    def __init__(self, session: ProjectSession, theme_id: int, label: str, *,
                 name: str | None = None, parent: tuple[int | None] | None = None,
                 position: int | None = None,
                 definition: tuple[str, str] | None = None,
                 seen: ThemeValues | None = None) -> None:
        """``seen``: the name and definition the coder saw; what someone else changed
        since (on a team server) is not overwritten."""
        super().__init__(session, label)
        self.theme_id = theme_id
        self.new = ThemeValues(name, parent, position, definition)
        self.old = ThemeValues()
        self.seen = seen or ThemeValues()

    def _parts(self, tx: Tx, values: ThemeValues, seen: ThemeValues) -> Iterator[Change]:
        """One service call per part that ``values`` sets, each change as it comes."""
        if values.name is not None:
            yield themes.rename_theme(tx, self.theme_id, values.name, seen.name)
        if values.parent is not None:
            yield themes.set_theme_parent(tx, self.theme_id, values.parent[0])
        if values.definition is not None:
            definition, scope = values.definition
            yield themes.define_theme(tx, self.theme_id, definition, scope,
                                      seen.definition[0] if seen.definition else None)
        if values.position is not None:
            yield themes.reorder_theme(tx, self.theme_id, values.position)

    def apply(self, tx: Tx) -> Change:
        """Set the new values; what each part replaced (kept by its service) is the undo.
        A part that changed nothing has nothing to put back."""
        change = Change()
        old: dict[str, Any] = {}
        for part in self._parts(tx, self.new, self.seen):
            if (Kind.THEME, self.theme_id) in part.before:
                old |= part.values_before(Kind.THEME, self.theme_id)
            change.merge(part)
        self.old = ThemeValues(
            name=old.get("name"),
            parent=(old["parent_id"],) if "parent_id" in old else None,
            position=old.get("place"),
            definition=(old["definition"], old["scope_notes"])
            if "definition" in old and "scope_notes" in old else None)
        return change

    def revert(self, tx: Tx) -> Change:
        change = Change()
        for part in self._parts(tx, self.old, ThemeValues()):
            change.merge(part)
        return change


class DiscardThemeCommand(ServiceCommand):
    """Take a theme off the board; undo puts it back where it was."""

    def __init__(self, session: ProjectSession, theme_id: int) -> None:
        super().__init__(session, "Discard theme")
        self.theme_id = theme_id
        self.old: tuple[str, int] | None = None

    def apply(self, tx: Tx) -> Change:
        change = themes.discard_theme(tx, self.theme_id)
        if change.empty:
            self.setObsolete(True)  # off the board already: nothing to undo
        else:
            self.old = _status_and_place(change, self.theme_id)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.old is not None
        status, place = self.old
        change = themes.set_theme_status(tx, self.theme_id, status)
        return change.merge(themes.reorder_theme(tx, self.theme_id, place))


class MergeThemesCommand(ServiceCommand):
    """Fold one theme into another; undo takes the merge apart."""

    def __init__(self, session: ProjectSession, source_id: int, target_id: int) -> None:
        super().__init__(session, "Merge themes")
        self.source_id, self.target_id = source_id, target_id
        self.undo_with: tuple[list[int], list[int], str, int] | None = None

    def apply(self, tx: Tx) -> Change:
        change = themes.merge_themes(tx, self.source_id, self.target_id)
        status, place = _status_and_place(change, self.source_id)
        moved = [t for t in change.changed.get(Kind.THEME, [])
                 if t not in (self.source_id, self.target_id)]
        self.undo_with = (list(change.changed.get(Kind.CODE, [])), moved, status, place)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.undo_with is not None
        return unmerge_themes(tx, self.source_id, self.target_id, *self.undo_with)


class SplitThemeCommand(ServiceCommand):
    """Move some of a theme's codes into a new theme beside it."""

    def __init__(self, session: ProjectSession, theme_id: int, new_name: str,
                 code_ids: list[int]) -> None:
        super().__init__(session, f"Split '{new_name}' off a theme")
        self.theme_id, self.new_name, self.code_ids = theme_id, new_name, code_ids
        self.create: CreateThemeCommand | None = None
        self.positions: dict[int, int | None] = {}

    def apply(self, tx: Tx) -> Change:
        theme = theme_details(tx.session, self.theme_id)
        assert theme is not None
        change = Change()
        # Every place is noted before any code leaves, so that undo puts each one back
        # where it was (a later code's place shifts once an earlier one is taken out).
        for code_id in self.code_ids:
            self.positions[code_id] = _position(tx, code_id, self.theme_id)
        for code_id in self.code_ids:
            change.merge(themes.unassign_code(tx, code_id, self.theme_id))
        if self.create is None:
            self.create = CreateThemeCommand(self.session, self.new_name, theme.level,
                                             theme.parent_id, tuple(self.code_ids))
        return change.merge(self.create.apply(tx))

    def revert(self, tx: Tx) -> Change:
        assert self.create is not None
        change = self.create.revert(tx)
        for code_id in sorted(self.code_ids, key=lambda c: self.positions[c] or 0):
            change.merge(themes.assign_code(tx, code_id, self.theme_id,
                                            self.positions[code_id]))
        return change


class DeleteThemeCommand(ServiceCommand):
    """Delete a theme; undo brings it back whole, under its id."""

    def __init__(self, session: ProjectSession, theme_id: int) -> None:
        super().__init__(session, "Delete theme")
        self.theme_id = theme_id
        self.deleted: dict[str, Any] | None = None

    def apply(self, tx: Tx) -> Change:
        change = themes.delete_theme(tx, self.theme_id)
        self.deleted = change.values_before(Kind.THEME, self.theme_id)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.deleted is not None
        change = restore_theme(tx, self.deleted)
        self.theme_id = change.new_id(Kind.THEME)
        return change
