"""Merge steps for the coding frame: codes and themes by GUID and then by name, codes merged
away on one side, themes' parents and places on the map, memberships and the map's links."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.guids import new_guid
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.merging.state import MergeState
from thematic_workbench.core.storage.models import (
    Code,
    MapPosition,
    Theme,
    ThemeLink,
    ThemeMembership,
)


class FrameSteps(MergeState):
    # -- the coding frame ------------------------------------------------------------------
    def _codes(self) -> None:
        by_guid: dict[str, int] = {}
        active: dict[str, int] = {}
        details: dict[int, tuple[str, str]] = {}
        for cid, guid, name, key, status, definition in self.ours.execute(select(
                Code.id, Code.guid, Code.name, Code.name_key, Code.status, Code.definition)):
            if guid:
                by_guid[guid] = cid
            if status == "active":
                active[key] = cid
            details[cid] = (name, definition)
        theirs = self.theirs.execute(select(Code).order_by(Code.id)).scalars().all()
        merged_away: list[Code] = []
        for code in theirs:
            found = by_guid.get(code.guid) if code.guid else None
            match = self._live(found) if found is not None else None
            if match is None and (found is not None or code.guid in self.deleted.codes):
                # deleted here (or merged here into a code deleted since): it stays deleted
                if code.status == "active":
                    self.gone["code"][code.id] = (details[found][0] if found is not None
                                                  else code.name)
                continue
            if match is None and code.status == "active":
                match = active.get(code.name_key)
            if match is not None:
                self.codes[code.id] = match
                self.report.count(self.report.matched, "codes")
                if code.status == "active" and found in (None, match):  # not merged here
                    self._compare_code(match, details[match], code)
            elif code.status == "active":
                new = self._insert(Code, {
                    "guid": code.guid, "name": code.name, "name_key": code.name_key,
                    "definition": code.definition, "colour": code.colour,
                    "origin": code.origin, "created_at": code.created_at,
                    "created_by": self.coders.get(code.created_by)
                    if code.created_by is not None else None})
                self.codes[code.id] = new
                active[code.name_key] = new
                self._added("codes", Kind.CODE, new)
                self._place_on_map("code", code.id, new)
            else:
                merged_away.append(code)
        by_id = {c.id: c for c in theirs}
        for code in merged_away:  # what the other project merged away goes where it went
            target = self._their_live_code(code.id, by_id)
            if target is not None:
                self.codes[code.id] = target
        self._merged_there_only(theirs, by_id, by_guid)

    def _merged_there_only(self, theirs: Sequence[Code], by_id: dict[int, Code],
                           by_guid: dict[str, int]) -> None:
        """A code merged into another there and not (or elsewhere) here: both stay here, and
        the codings that merge moved are matched on the code they came from."""
        names = dict(self.ours.execute(select(Code.id, Code.name)).all())
        for code in theirs:
            if code.status == "active" or code.id not in self.codes \
                    or code.merged_into_id is None:
                continue
            ours, target = self.codes[code.id], self._their_live_code(code.merged_into_id, by_id)
            if target is None or target == ours:
                continue
            self.kept_apart[target].add(ours)
            found = by_guid[code.guid]
            if found == ours:
                self._conflict(f"code '{names[ours]}' was merged into '{names[target]}' "
                               "there; both are kept here")
            else:
                self._conflict(f"code '{names[found]}' was merged into '{names[ours]}' here, "
                               f"into '{names[target]}' there")

    def _live(self, code_id: int) -> int | None:
        """Our active code that ``code_id`` is, or was merged into."""
        seen = set()
        current: int | None = code_id
        while current is not None and current not in seen:
            seen.add(current)
            status, into = self.ours.execute(select(Code.status, Code.merged_into_id)
                                             .where(Code.id == current)).one()
            if status == "active":
                return current
            current = into
        return None

    def _their_live_code(self, code_id: int, theirs: dict[int, Code]) -> int | None:
        seen = set()
        current: int | None = code_id
        while current is not None and current not in seen:
            seen.add(current)
            if current in self.codes:
                return self.codes[current]
            current = theirs[current].merged_into_id if current in theirs else None
        return None

    def _compare_code(self, ours: int, held: tuple[str, str], code: Code) -> None:
        name, definition = held
        if name != code.name and name_key(name) != code.name_key:
            self._conflict(f"code '{name}' is called '{code.name}' there")
        if code.definition and definition != code.definition:
            self._complete(self.ours.get(Code, ours), "definition", code.definition,
                           f"code '{name}' is defined otherwise there",
                           (f"code '{name}': its definition, empty here", Kind.CODE))

    def _themes(self) -> None:
        by_guid: dict[str, int] = {}
        by_name: dict[tuple[str, str], int] = {}  # names are unique within a level
        held: dict[int, Theme] = {}
        for theme in self.ours.execute(select(Theme).order_by(Theme.id)).scalars():
            held[theme.id] = theme
            if theme.guid:
                by_guid[theme.guid] = theme.id
            key = (theme.level, name_key(theme.name))
            if theme.status != "discarded" or key not in by_name:
                by_name[key] = theme.id
        position = (self.ours.execute(select(func.max(Theme.position))).scalar() or 0) + 1
        theirs = self.theirs.execute(select(Theme).order_by(Theme.position, Theme.id)
                                     ).scalars().all()
        added: set[int] = set()
        for theme in theirs:
            match = by_guid.get(theme.guid) if theme.guid else None
            if match is None and theme.guid in self.deleted.themes:
                if theme.status != "discarded":  # deleted here: it stays deleted
                    self.gone["theme"][theme.id] = theme.name
                continue
            if match is None:
                match = by_name.get((theme.level, name_key(theme.name)))
            if match is not None:
                self.themes[theme.id] = match
                self.report.count(self.report.matched, "themes")
                self._compare_theme(held[match], theme)
                continue
            new = self._insert(Theme, {
                "guid": theme.guid if theme.guid not in by_guid else new_guid(),
                "name": theme.name, "definition": theme.definition,
                "central_concept": theme.central_concept, "scope_notes": theme.scope_notes,
                "level": theme.level, "status": theme.status,
                "position": position, "created_at": theme.created_at})
            position += 1
            self.themes[theme.id] = new
            by_name[(theme.level, name_key(theme.name))] = new
            added.add(theme.id)
            self._added("themes", Kind.THEME, new)
            self._place_on_map("theme", theme.id, new)
        for theme in theirs:  # final themes once every theme is known
            if theme.id in self.themes and theme.parent_id in self.themes:
                self._group(theme.id in added, self.themes[theme.id],
                            self.themes[theme.parent_id])

    def _group(self, added: bool, theme_id: int, parent_id: int) -> None:
        """Group a theme under its final theme as there; one of ours only if it has none."""
        row, parent = self.ours.get(Theme, theme_id), self.ours.get(Theme, parent_id)
        assert row is not None and parent is not None
        if row.parent_id == parent_id or theme_id == parent_id:
            return
        if row.parent_id is not None:
            held = self.ours.get(Theme, row.parent_id)
            self._conflict(f"theme '{row.name}' is grouped under "
                           f"'{held.name if held else row.parent_id}' here, under "
                           f"'{parent.name}' there")
        elif row.level == "emerging" and parent.level == "final" \
                and parent.status != "discarded":
            row.parent_id = parent_id
            if not added:
                self._filled(f"theme '{row.name}': its final theme, none here", Kind.THEME,
                             theme_id)

    def _compare_theme(self, ours: Theme, theirs: Theme) -> None:
        if name_key(ours.name) != name_key(theirs.name):
            self._conflict(f"theme '{ours.name}' is called '{theirs.name}' there")
        for field, label in (("definition", "defined"), ("central_concept", "conceived"),
                             ("scope_notes", "scoped")):
            self._complete(ours, field, getattr(theirs, field),
                           f"theme '{ours.name}' is {label} otherwise there",
                           (f"theme '{ours.name}': its {field.replace('_', ' ')}, empty here",
                            Kind.THEME))
        if (ours.level, ours.status) != (theirs.level, theirs.status):
            self._conflict(f"theme '{ours.name}' is {ours.level} and {ours.status} here, "
                           f"{theirs.level} and {theirs.status} there")

    def _place_on_map(self, kind: str, theirs: int, ours: int) -> None:
        """Where a node added from there sits there; never where a deleted node of ours
        with the same id sat (SQLite gives a new row the highest id again)."""
        self.ours.execute(delete(MapPosition).where(MapPosition.node_kind == kind,
                                                    MapPosition.node_id == ours))
        where = self.theirs.execute(select(MapPosition.x, MapPosition.y).where(
            MapPosition.node_kind == kind, MapPosition.node_id == theirs)).first()
        if where is not None:
            self.ours.add(MapPosition(node_kind=kind, node_id=ours, x=where.x, y=where.y))

    def _memberships(self) -> None:
        held = self._held(ThemeMembership.theme_id, ThemeMembership.code_id)
        last = dict(self.ours.execute(select(ThemeMembership.theme_id,
                                             func.max(ThemeMembership.position))
                                      .group_by(ThemeMembership.theme_id)).all())
        for theme_id, code_id in self.theirs.execute(select(
                ThemeMembership.theme_id, ThemeMembership.code_id)
                .order_by(ThemeMembership.theme_id, ThemeMembership.position)):
            key = (self.themes.get(theme_id), self.codes.get(code_id))
            if key[0] is None or key[1] is None:
                continue
            if key in held:
                self.report.count(self.report.matched, "memberships")
                continue
            position = last.get(key[0], -1) + 1
            last[key[0]] = position
            self.ours.add(ThemeMembership(theme_id=key[0], code_id=key[1], position=position))
            held.add(key)
            self.report.count(self.report.added, "memberships")
            self.change.add(Kind.THEME_MEMBERSHIP, key[0])
        self._links()

    def _links(self) -> None:
        """Links on the map: one per pair of ends (as drawing one allows), its label kept."""
        links = {(source, theme, code): (lid, label) for lid, source, theme, code, label in
                 self.ours.execute(select(ThemeLink.id, ThemeLink.source_theme_id,
                                          ThemeLink.target_theme_id, ThemeLink.target_code_id,
                                          ThemeLink.label))}
        for source, target_theme, target_code, label in self.theirs.execute(select(
                ThemeLink.source_theme_id, ThemeLink.target_theme_id, ThemeLink.target_code_id,
                ThemeLink.label).order_by(ThemeLink.id)):
            ours = self.themes.get(source)
            to_theme = self.themes.get(target_theme) if target_theme is not None else None
            to_code = self.codes.get(target_code) if target_code is not None else None
            if ours is None or (to_theme is None and to_code is None) or ours == to_theme:
                continue
            ends = (ours, to_theme, to_code)
            if ends in links:
                self.report.count(self.report.matched, "links")
                held_id, held_label = links[ends]
                if label and label != held_label:
                    self._link_label(held_id, held_label, label)
                continue
            new = self._insert(ThemeLink, {"source_theme_id": ends[0],
                                           "target_theme_id": ends[1],
                                           "target_code_id": ends[2], "label": label})
            links[ends] = (new, label)
            self._added("links", Kind.THEME_LINK, new)

    def _link_label(self, link_id: int, held: str, label: str) -> None:
        """A link both projects hold, labelled there: its label, if it has none here."""
        row = self.ours.get(ThemeLink, link_id)
        assert row is not None
        source = self.ours.get(Theme, row.source_theme_id)
        target = (self.ours.get(Theme, row.target_theme_id) if row.target_theme_id is not None
                  else self.ours.get(Code, row.target_code_id))
        what = f"the link from '{source.name if source else '?'}' to " \
               f"'{target.name if target else '?'}'"
        self._complete(row, "label", label, f"{what} is labelled '{held}' here, '{label}' there",
                       (f"{what}: its label, none here", Kind.THEME_LINK))

