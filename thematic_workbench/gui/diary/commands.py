"""Undo commands for the reflective diary: each ``apply`` calls a diary service, each
``revert`` its inverse, so the audit trail records both directions.

An entry taken away by an undo comes back through :func:`diary.restore_entry`, with its id,
dates, phase stamp and links, rather than as a new entry stamped with today's phase.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.services import diary
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand

Link = tuple[str, int]


def _delete(tx: Tx, entry_id: int) -> tuple[Change, dict[str, Any]]:
    """Delete an entry; with the change, its values as :func:`diary.delete_entry` kept
    them, from which :func:`diary.restore_entry` puts it back."""
    change = diary.delete_entry(tx, entry_id)
    return change, change.values_before(Kind.DIARY_ENTRY, entry_id)


def _named(what: str, title: str) -> str:
    return f"{what} '{title}'" if title.strip() else what


class AddEntryCommand(ServiceCommand):
    """A new entry, stamped by the service with the current phase and coder."""

    def __init__(self, session: ProjectSession, body: str, title: str = "",
                 links: Iterable[Link] = ()) -> None:
        super().__init__(session, _named("Add diary entry", title))
        self.body, self.title, self.links = body, title, list(links)
        self.entry_id: int | None = None
        self._values: dict[str, Any] | None = None  # set once an undo has taken it away

    def apply(self, tx: Tx) -> Change:
        if self._values is None:
            change = diary.add_entry(tx, self.body, self.title, self.links)
        else:
            change = diary.restore_entry(tx, self._values)
        self.entry_id = change.new_id(Kind.DIARY_ENTRY)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.entry_id is not None
        change, self._values = _delete(tx, self.entry_id)
        return change


class EditEntryCommand(ServiceCommand):
    """New text and/or title (None leaves one as it is); undo puts the old ones back.

    ``name`` is the entry's title as the user knows it, for the Edit menu's "Undo ...".
    """

    def __init__(self, session: ProjectSession, entry_id: int, body: str | None = None,
                 title: str | None = None, name: str = "") -> None:
        super().__init__(session, _named("Edit diary entry", title or name))
        self.entry_id, self.body, self.title = entry_id, body, title
        self._previous: tuple[str | None, str | None] = (None, None)

    def apply(self, tx: Tx) -> Change:
        change = diary.edit_entry(tx, self.entry_id, body=self.body, title=self.title)
        if change.empty:
            self.setObsolete(True)  # nothing changed: nothing to undo
            return change
        before = change.values_before(Kind.DIARY_ENTRY, self.entry_id)  # what it replaced
        self._previous = (before.get("body"), before.get("title"))
        return change

    def revert(self, tx: Tx) -> Change:
        body, title = self._previous
        return diary.edit_entry(tx, self.entry_id, body=body, title=title)


class SetEntryLinksCommand(ServiceCommand):
    """Replace what an entry links to; undo sets the previous links back."""

    def __init__(self, session: ProjectSession, entry_id: int, links: Iterable[Link],
                 text: str = "Change diary entry links") -> None:
        super().__init__(session, text)
        self.entry_id, self.links = entry_id, list(links)
        self._previous: list[Link] = []

    def apply(self, tx: Tx) -> Change:
        change = diary.set_entry_links(tx, self.entry_id, self.links)
        if change.empty:
            self.setObsolete(True)
            return change
        before = change.values_before(Kind.DIARY_ENTRY, self.entry_id)["links"]
        self._previous = [(kind, target_id) for kind, target_id in before]
        return change

    def revert(self, tx: Tx) -> Change:
        return diary.set_entry_links(tx, self.entry_id, self._previous)


class DeleteEntryCommand(ServiceCommand):
    """Delete an entry with its links; undo restores it whole, under its own id if free."""

    def __init__(self, session: ProjectSession, entry_id: int, title: str = "") -> None:
        super().__init__(session, _named("Delete diary entry", title))
        self.entry_id = entry_id
        self._values: dict[str, Any] = {}

    def apply(self, tx: Tx) -> Change:
        change, self._values = _delete(tx, self.entry_id)
        return change

    def revert(self, tx: Tx) -> Change:
        change = diary.restore_entry(tx, self._values)
        self.entry_id = change.new_id(Kind.DIARY_ENTRY)
        return change


class IncludeInAppendixCommand(ServiceCommand):
    """Choose an entry for the methods appendix, or take it out; undo does the opposite."""

    def __init__(self, session: ProjectSession, entry_id: int, included: bool,
                 name: str = "") -> None:
        what = "Include diary entry in the appendix" if included \
            else "Leave diary entry out of the appendix"
        super().__init__(session, _named(what, name))
        self.entry_id, self.included = entry_id, included

    def apply(self, tx: Tx) -> Change:
        change = diary.include_in_appendix(tx, self.entry_id, self.included)
        if change.empty:
            self.setObsolete(True)
        return change

    def revert(self, tx: Tx) -> Change:
        return diary.include_in_appendix(tx, self.entry_id, not self.included)
