"""Storing a codebook read from a file: codes, themes and memberships, in one transaction.

Everything goes through the code and theme services, so each code, theme and membership
has its own audit event, and one ``codebook.import`` event sums the import up. What the
project already has is reused rather than duplicated (codes by name, themes by name and
level), and never overwritten: a definition is only filled where there was none. Any
error propagates, so the caller's transaction stores nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, WorkbenchError
from thematic_workbench.core.guids import as_guid
from thematic_workbench.core.names import name_key
from thematic_workbench.core.records.codebook_plan import CodebookPlan, PlannedCode, PlannedTheme
from thematic_workbench.core.services.codes import create_code, define_code
from thematic_workbench.core.services.common import get_or_fail, tidy_name
from thematic_workbench.core.services.themes import (
    assign_code,
    create_theme,
    define_theme,
    set_theme_parent,
)
from thematic_workbench.core.storage.models import Code, Project, Theme, ThemeMembership
from thematic_workbench.core.storage.transaction import Tx

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass
class CodebookImport:
    """What an import did: ids by plan key, counts for the message, notes to show."""

    source: str
    code_ids: dict[str, int] = field(default_factory=dict)
    theme_ids: dict[str, int] = field(default_factory=dict)
    codes_created: int = 0
    codes_reused: int = 0
    themes_created: int = 0
    themes_reused: int = 0
    memberships_added: int = 0
    notes: list[str] = field(default_factory=list)
    change: Change = field(default_factory=Change)

    def describe(self) -> str:
        """One line for the user: what was added, what was there already."""
        def count(number: int, what: str) -> str:
            return f"{number} {what}{'' if number == 1 else 's'}"

        return (f"imported {self.source}: {count(self.codes_created, 'new code')} "
                f"({self.codes_reused} already there), "
                f"{count(self.themes_created, 'new theme')} ({self.themes_reused} already "
                f"there), {count(self.memberships_added, 'new code-theme link')}")

    def summary(self) -> dict[str, object]:
        return {"source": self.source, "codes_created": self.codes_created,
                "codes_reused": self.codes_reused, "themes_created": self.themes_created,
                "themes_reused": self.themes_reused,
                "memberships_added": self.memberships_added, "notes": list(self.notes)}


class _Importer:
    def __init__(self, tx: Tx, plan: CodebookPlan) -> None:
        self.tx = tx
        self.plan = plan
        self.result = CodebookImport(plan.source, notes=list(plan.notes))
        self.codes = {row.name_key: row for row in tx.session.execute(
            select(Code).where(Code.status == "active")).scalars()}
        self.themes = {(row.level, name_key(row.name)): row for row in tx.session.execute(
            select(Theme).where(Theme.status != "discarded")).scalars()}
        self.new_codes: set[int] = set()
        self.new_themes: set[int] = set()

    def note(self, text: str) -> None:
        self.result.notes.append(text)

    def code(self, planned: PlannedCode) -> None:
        name = tidy_name(planned.name, "code")
        existing = self.codes.get(name_key(name))
        definition = planned.definition.strip()
        if existing is None:
            colour = planned.colour if planned.colour and _COLOUR.match(planned.colour) \
                else None
            if planned.colour and colour is None:
                self.note(f"code '{name}': {planned.colour!r} is not a colour; one was picked")
            change = create_code(self.tx, name, definition=definition, colour=colour,
                                 guid=as_guid(planned.key))
            existing = self.codes[name_key(name)] = get_or_fail(
                self.tx.session, Code, change.new_id(Kind.CODE), "code")
            self.new_codes.add(existing.id)
            self.result.codes_created += 1
            self.result.change.merge(change)
        elif existing.id not in self.new_codes:
            self.result.codes_reused += 1
            if definition and not existing.definition.strip():
                self.result.change.merge(define_code(self.tx, existing.id, definition))
            elif definition and definition != existing.definition.strip():
                self.note(f"code '{existing.name}' already exists with another definition; "
                          "its definition was kept")
        self.result.code_ids[planned.key] = existing.id

    def theme(self, planned: PlannedTheme) -> None:
        name = tidy_name(planned.name, "theme")
        parent_id = None
        if planned.level == "emerging" and planned.parent_key is not None:
            parent_id = self.result.theme_ids.get(planned.parent_key)
            if parent_id is None:
                raise InvariantError(f"emerging theme '{name}' belongs to a final theme that "
                                     "is not in the file")
        existing = self.themes.get((planned.level, name_key(name)))
        definition = planned.definition.strip()
        if existing is None:
            change = create_theme(self.tx, name, planned.level, definition, parent_id,
                                  guid=as_guid(planned.key))
            existing = self.themes[(planned.level, name_key(name))] = get_or_fail(
                self.tx.session, Theme, change.new_id(Kind.THEME), "theme")
            self.new_themes.add(existing.id)
            self.result.themes_created += 1
            self.result.change.merge(change)
        else:
            if existing.id not in self.new_themes:
                self.result.themes_reused += 1
            self._update_theme(existing, definition, parent_id)
        self.result.theme_ids[planned.key] = existing.id

    def _update_theme(self, theme: Theme, definition: str, parent_id: int | None) -> None:
        if definition and not theme.definition.strip():
            self.result.change.merge(define_theme(self.tx, theme.id, definition))
        elif definition and definition != theme.definition.strip():
            self.note(f"{theme.level} theme '{theme.name}' already exists with another "
                      "definition; its definition was kept")
        if parent_id is None or theme.parent_id == parent_id:
            return
        parent = self.tx.session.get(Theme, theme.parent_id) if theme.parent_id else None
        if parent is None or parent.status == "discarded":
            self.result.change.merge(set_theme_parent(self.tx, theme.id, parent_id))
        else:
            self.note(f"emerging theme '{theme.name}' stays under final theme "
                      f"'{parent.name}'")

    def memberships(self) -> None:
        have = {(theme_id, code_id) for theme_id, code_id in self.tx.session.execute(
            select(ThemeMembership.theme_id, ThemeMembership.code_id))}
        for planned in self.plan.themes:
            theme_id = self.result.theme_ids[planned.key]
            for key in planned.code_keys:
                code_id = self.result.code_ids.get(key)
                if code_id is None:
                    raise InvariantError(f"theme '{planned.name}' lists a code ({key}) that "
                                         "is not in the file")
                if (theme_id, code_id) in have:
                    continue
                self.result.change.merge(assign_code(self.tx, code_id, theme_id))
                have.add((theme_id, code_id))
                self.result.memberships_added += 1

    def run(self) -> CodebookImport:
        for planned_code in self.plan.codes:
            self.code(planned_code)
        for level in ("final", "emerging"):  # a final theme before the emerging ones in it
            for planned in self.plan.themes:
                if planned.level not in ("final", "emerging"):
                    raise InvariantError(f"theme '{planned.name}' has no level")
                if planned.level == level:
                    self.theme(planned)
        self.memberships()
        project_id = self.tx.session.execute(select(Project.id)).scalar_one()
        self.tx.audit("codebook.import", "project", project_id, after=self.result.summary())
        return self.result


def import_codebook(tx: Tx, plan: CodebookPlan) -> CodebookImport:
    """Store ``plan`` in the caller's transaction; a refused change names the file."""
    try:
        return _Importer(tx, plan).run()
    except WorkbenchError as error:
        raise InvariantError(f"{plan.source}: nothing was imported: {error}") from error
