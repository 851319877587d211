"""Undo commands of the map: each calls a map or theme service and, on undo, its inverse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services import themes
from thematic_workbench.core.services.map_layout import (
    NodeKey,
    place_nodes,
    relabel_link,
    restore_link,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand

Positions = Mapping[NodeKey, tuple[float, float] | None]


class PlaceNodesCommand(ServiceCommand):
    """Nodes dragged (or arranged anew): ``before`` is where they were, None if unsaved."""

    def __init__(self, session: ProjectSession, before: Positions, after: Positions,
                 reason: str = "move") -> None:
        count = len(after)
        text = "Arrange the map" if reason == "layout" else \
            f"Move {count} node{'s' if count != 1 else ''} on the map"
        super().__init__(session, text)
        self.before, self.after, self.reason = dict(before), dict(after), reason

    def apply(self, tx: Tx) -> Change:
        return place_nodes(tx, self.after, self.reason)

    def revert(self, tx: Tx) -> Change:
        return place_nodes(tx, self.before, self.reason)


class LinkThemesCommand(ServiceCommand):
    """Draw a labelled link from one theme to another theme (or a code)."""

    def __init__(self, session: ProjectSession, source_theme_id: int,
                 target_theme_id: int | None, target_code_id: int | None, label: str) -> None:
        super().__init__(session, f"Link themes ({label})" if label else "Link themes")
        self.args = (source_theme_id, target_theme_id, target_code_id, label)
        self.link_id: int | None = None
        self.values: dict[str, Any] | None = None  # the link as its undo took it away

    def apply(self, tx: Tx) -> Change:
        source, target_theme, target_code, label = self.args
        if self.values is not None:  # redo: the same link under the same id
            change = restore_link(tx, self.values)
        else:
            change = themes.link_themes(tx, source, target_theme, target_code, label)
        self.link_id = change.new_id(Kind.THEME_LINK)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.link_id is not None
        change = themes.delete_link(tx, self.link_id)
        self.values = change.values_before(Kind.THEME_LINK, self.link_id)
        return change


class DeleteLinkCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, link_id: int) -> None:
        super().__init__(session, "Delete link")
        self.link_id = link_id
        self.values: dict[str, Any] | None = None

    def apply(self, tx: Tx) -> Change:
        change = themes.delete_link(tx, self.link_id)
        self.values = change.values_before(Kind.THEME_LINK, self.link_id)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.values is not None
        return restore_link(tx, self.values)


class RelabelLinkCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, link_id: int, old: str, new: str) -> None:
        super().__init__(session, f"Relabel link ({new})" if new else "Relabel link")
        self.link_id, self.old, self.new = link_id, old, new

    def apply(self, tx: Tx) -> Change:
        return relabel_link(tx, self.link_id, self.new)

    def revert(self, tx: Tx) -> Change:
        return relabel_link(tx, self.link_id, self.old)
