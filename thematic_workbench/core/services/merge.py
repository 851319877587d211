"""Merging a project coded apart: bring in what the other holds that this one lacks.

Two copies of a study go their ways (a second coder codes a copy at home; a supervisor
comments on another) and come back together here. Everything is matched by what stays the
same in every copy, never by row ids, which each copy numbers on its own:

- transcripts by the SHA-256 of their text; coders by name; participants by label;
- codes and themes by their GUID first, then by name (case-insensitive; a theme's within
  its level, as emerging and final themes may share a name);
- codings by transcript, code, coder and span; margin notes, readings, diary entries,
  comments and sign-offs by who made them and when (their moments are to the microsecond).

What this project already has is kept as it is: where the other project's version differs
(a code defined otherwise, a diary entry edited), the report lists the conflict; where this
project's value is empty (a definition, a participant's note, an emerging theme's final
theme or extract, a link's label) or a comment still open, the other's completes it, and a
diary entry gets the links it has there. What this project lacks is added with its coder,
its moment and its GUID, so the same merge run again matches all of it and adds nothing.

What was deleted here stays deleted: a code or theme whose GUID this project's trail records
as deleted, and a transcript whose source file's SHA-256 it records as deleted (a
participant who withdrew), are not brought back from a copy made before, nor what hangs on
them there (codings, margin notes, comments, links); the report names them under what was
not brought. Undo the deletion here (an undo keeps a code's or theme's GUID and a
transcript's text) and merge again to have them.

A code merged into another in the other project only stays here beside the one it went into
(a conflict: merge them here too if they are one). The codings that merge moved are the
codings this project holds on the code here, not new ones; codings made there on the code
it went into come onto that code here.

Merging back and forth settles: a project whose trail since the head kept by an earlier
merge records only merges, and that brings nothing new, is nothing new. The other project's
audit trail is kept beside ours (core/trail/kept_trails.py). All of it happens in one
transaction: a merge that fails, or that a team server's role does not allow (only the
project's owner adds coders, only a supervisor signs off), leaves this project as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import PermissionDeniedError, ProjectError
from thematic_workbench.core.guids import new_guid
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.merge_report import MergeReport
from thematic_workbench.core.storage.models import (
    Annotation,
    AttributeDefinition,
    ChecklistItem,
    Code,
    Coder,
    Coding,
    Comment,
    DiaryEntry,
    DiaryLink,
    Document,
    Line,
    MapPosition,
    Participant,
    ParticipantAttribute,
    Project,
    ProjectMerge,
    ReadingMark,
    SignOff,
    Snapshot,
    SpeakerParticipant,
    Theme,
    ThemeLink,
    ThemeMembership,
    Turn,
)
from thematic_workbench.core.storage.server import shown_location
from thematic_workbench.core.storage.server_roles import LoginRights
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.trail.deleted_here import deleted_here
from thematic_workbench.core.trail.kept_trails import (
    MERGE_ACTION,
    chain_head,
    check_kept_trails,
    in_own_trail,
    keep_trail,
    kept_before,
    kept_but_for_merges,
)
from thematic_workbench.core.wording import plural


class _NothingNew(Exception):
    """Raised inside the transaction so that a merge that brings nothing writes nothing."""


def merge_project(project: str | Path, other: str | Path, coder: str,
                  password: str | None = None) -> MergeReport:
    """Open both projects (``other`` read-only), merge, and check the kept trail."""
    if str(project) == str(other):
        raise ProjectError(f"{project}: a project cannot be merged into itself")
    with ProjectStore.open(project, password=password) as store:
        report, _change = merge_into(store, other, coder)
        return report


def merge_into(store: ProjectStore, other: str | Path, coder: str) -> tuple[MergeReport, Change]:
    """Merge the project at ``other`` into the open ``store``; what changed, for the window."""
    with ProjectStore.open(other, readonly=True) as theirs:
        report = MergeReport(store.name, theirs.name)
        change = Change()
        try:
            with theirs.read() as reading, store.transaction(coder) as tx:
                _Merger(tx, reading, report, change, store.rights).run(
                    shown_location(theirs.location))
                if report.merge_id is None:
                    raise _NothingNew
        except _NothingNew:
            change = Change()
    if report.merge_id is not None:
        with store.read() as session:
            check = next(c for c in check_kept_trails(session) if c.merge_id == report.merge_id)
        report.trail, report.intact = check.describe(), check.intact
    return report, change


def text_digest(text: str) -> str:
    """What matches a transcript in two copies: the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Merger:
    """One merge, step by step: each step maps the other project's ids to ours."""

    def __init__(self, tx: Tx, theirs: Session, report: MergeReport, change: Change,
                 rights: LoginRights | None = None) -> None:
        self.tx, self.ours, self.theirs = tx, tx.session, theirs
        self.report, self.change = report, change
        self.rights = rights  # on a team server: what this login may do
        self.deleted = deleted_here(self.ours)
        self.coders: dict[int, int] = {}
        self.participants: dict[int, int] = {}
        self.documents: dict[int, int] = {}
        self.codes: dict[int, int] = {}
        self.themes: dict[int, int] = {}
        self.codings: dict[int, int] = {}
        self.added_ids: dict[str, list[int]] = defaultdict(list)
        # What was deleted here, by kind and their id: its name there, and what of theirs
        # hangs on it (codings, margin notes), which stays there with it.
        self.gone: dict[str, dict[int, str]] = {"document": {}, "code": {}, "theme": {}}
        self.left_behind: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
        self.codings_left: set[int] = set()  # their codings on what was deleted here
        # Our code -> our codes merged into it there only: a coding that merge moved onto
        # the code is the coding here on the code it came from.
        self.kept_apart: dict[int, set[int]] = defaultdict(set)

    def run(self, location: str) -> None:
        for step in (self._coders, self._participants, self._documents, self._codes,
                     self._themes, self._memberships, self._codings, self._theme_extracts,
                     self._margin_notes, self._readings, self._diary, self._comments,
                     self._sign_offs, self._report_deleted):
            step()
        self.ours.flush()
        head = chain_head(self.theirs)
        already_kept = kept_before(self.ours, head)
        self._not_brought()
        if not (self.report.added or self.report.filled) and (
                already_kept or kept_but_for_merges(self.ours, self.theirs)):
            return  # nothing new: the caller rolls back
        self._record(location, head, already_kept)

    # -- bookkeeping -----------------------------------------------------------------------
    def _added(self, kind: str, entity: Kind | None, new_id: int) -> None:
        self.report.count(self.report.added, kind)
        self.added_ids[kind].append(new_id)
        if entity is not None:
            self.change.add(entity, new_id)

    def _insert(self, model: type[Any], values: dict[str, Any]) -> int:
        row = model(**values)
        self.ours.add(row)
        self.ours.flush()
        return int(row.id)

    def _held(self, *columns: Any) -> set[tuple[Any, ...]]:
        """What this project has, as the tuples the other project's rows are matched by."""
        return {tuple(row) for row in self.ours.execute(select(*columns))}

    def _filled(self, line: str, kind: Kind, entity_id: int) -> None:
        """Something empty or open here that the other project completes."""
        self.report.filled.append(line)
        self.change.change(kind, entity_id)

    def _conflict(self, line: str) -> None:
        self.report.conflicts.append(line)

    def _complete(self, row: Any, field: str, theirs: str, conflict: str,
                  filled: tuple[str, Kind] | None = None) -> bool:
        """One value of a thing both projects hold: theirs fills ours where ours is empty
        (the ``filled`` line says so), and two values are a conflict (ours kept). True when
        ours was filled."""
        mine = getattr(row, field)
        if not theirs or theirs == mine:
            return False
        if mine:
            self._conflict(conflict)
            return False
        setattr(row, field, theirs)
        if filled is not None:
            self._filled(filled[0], filled[1], row.id)
        return True

    def _refused(self, line: str) -> None:
        """A change this login may not make on the team server: refused before anything is
        written, in words, rather than as the server's error halfway through."""
        raise PermissionDeniedError(f"{line}; nothing was changed")

    def _left_behind(self, kind: str, their_id: int, what: str) -> None:
        """Count something of theirs that stays there with a thing deleted here."""
        counts = self.left_behind[(kind, their_id)]
        counts[what] = counts.get(what, 0) + 1

    def _report_deleted(self) -> None:
        """Name what was deleted here and not brought back, with what hangs on it there."""
        for kind, word in (("document", "transcript"), ("code", "code"), ("theme", "theme")):
            for their_id, name in self.gone[kind].items():
                counts = self.left_behind.get((kind, their_id), {})
                parts = [plural(counts[what], singular) for what, singular in
                         (("codings", "coding"), ("margin_notes", "margin note"))
                         if counts.get(what)]
                self.report.left_out.append(
                    f"{word} '{name}', deleted here"
                    + (f", and its {' and '.join(parts)} there" if parts else ""))

    # -- people ----------------------------------------------------------------------------
    def _coders(self) -> None:
        ours = {name: cid for cid, name in self.ours.execute(select(Coder.id, Coder.name))}
        folded = {name_key(name): cid for name, cid in ours.items()}
        new: list[tuple[int, str, str, str]] = []
        for cid, name, role, created in self.theirs.execute(
                select(Coder.id, Coder.name, Coder.role, Coder.created_at)):
            match = ours.get(name) or folded.get(name_key(name))
            if match is not None:
                self.coders[cid] = match
                self.report.count(self.report.matched, "coders")
            else:
                new.append((cid, name, role, created))
        if new and self.rights is not None and not self.rights.owner:
            self._refused(
                f"only the project's owner can add coders on the team server, and this merge "
                f"brings {plural(len(new), 'coder')} it does not have "
                f"({', '.join(name for _cid, name, _role, _at in new)}): ask the owner to "
                "merge it")
        for cid, name, role, created in new:
            new_id = self._insert(Coder, {"name": name, "role": role, "created_at": created})
            self.coders[cid] = new_id
            self._added("coders", Kind.CODER, new_id)

    def _participants(self) -> None:
        ours = {name_key(label): (pid, label, note) for pid, label, note in
                self.ours.execute(select(Participant.id, Participant.label, Participant.note))}
        for pid, label, note in self.theirs.execute(
                select(Participant.id, Participant.label, Participant.note)):
            found = ours.get(name_key(label))
            if found is None:
                match = self._insert(Participant, {"label": label, "note": note})
                self._added("participants", Kind.PARTICIPANT, match)
            else:
                match, held_label, held_note = found
                self.report.count(self.report.matched, "participants")
                if note and note != held_note:
                    self._complete(self.ours.get(Participant, match), "note", note,
                                   f"participant {held_label}'s note reads otherwise there",
                                   (f"participant {held_label}: its note, empty here",
                                    Kind.PARTICIPANT))
            self.participants[pid] = match
        self._attribute_values()

    def _attribute_values(self) -> None:
        ours = {name_key(name): aid for aid, name in
                self.ours.execute(select(AttributeDefinition.id, AttributeDefinition.name))}
        attributes: dict[int, tuple[int, str]] = {}
        for aid, name, kind, choices in self.theirs.execute(select(
                AttributeDefinition.id, AttributeDefinition.name, AttributeDefinition.type,
                AttributeDefinition.choices_json)):
            match = ours.get(name_key(name))
            if match is None:
                match = self._insert(AttributeDefinition,
                                     {"name": name, "type": kind, "choices_json": choices})
                self.change.add(Kind.ATTRIBUTE, match)
            attributes[aid] = (match, name)
        held = {(p, a): v for p, a, v in self.ours.execute(select(
            ParticipantAttribute.participant_id, ParticipantAttribute.attribute_id,
            ParticipantAttribute.value))}
        labels = dict(self.ours.execute(select(Participant.id, Participant.label)).all())
        for pid, aid, value in self.theirs.execute(select(
                ParticipantAttribute.participant_id, ParticipantAttribute.attribute_id,
                ParticipantAttribute.value)):
            key = (self.participants[pid], attributes[aid][0])
            if key not in held:
                self.ours.execute(insert(ParticipantAttribute.__table__), [
                    {"participant_id": key[0], "attribute_id": key[1], "value": value}])
                self.report.count(self.report.added, "attributes")
                self.change.change(Kind.PARTICIPANT, key[0])
            elif held[key] != value:
                self._conflict(f"{labels[key[0]]}'s {attributes[aid][1]}: "
                               f"'{held[key]}' here, '{value}' there")
            else:
                self.report.count(self.report.matched, "attributes")

    # -- transcripts -----------------------------------------------------------------------
    def _documents(self) -> None:
        ours: dict[str, int] = {}
        names = set()
        sources = set()
        for did, name, text, source in self.ours.execute(select(
                Document.id, Document.name, Document.text, Document.source_sha256)):
            ours.setdefault(text_digest(text), did)
            names.add(name)
            sources.add(source)
        for row in self.theirs.execute(select(Document)).scalars():
            match = ours.get(text_digest(row.text))
            if match is not None:
                self.documents[row.id] = match
                self.report.count(self.report.matched, "transcripts")
                continue
            if row.source_sha256 in self.deleted.transcripts and row.source_sha256 not in sources:
                self.gone["document"][row.id] = row.name
                continue
            name = row.name
            number = 2
            while name in names:
                name, number = f"{row.name} ({number})", number + 1
            names.add(name)
            new = self._insert(Document, {
                "name": name, "participant_id": self.participants.get(row.participant_id)
                if row.participant_id is not None else None,
                "source_name": row.source_name, "source_format": row.source_format,
                "source_sha256": row.source_sha256, "text": row.text,
                "char_count": row.char_count, "wrap_width": row.wrap_width,
                "metadata_json": row.metadata_json, "imported_at": row.imported_at,
                "imported_by": self.coders.get(row.imported_by)
                if row.imported_by is not None else None})
            self.documents[row.id] = new
            self._copy_lines_and_turns(row.id, new)
            self._added("transcripts", Kind.DOCUMENT, new)

    def _copy_lines_and_turns(self, theirs: int, ours: int) -> None:
        for model in (Line, Turn, SpeakerParticipant):
            table = model.__table__
            rows = [dict(r) for r in self.theirs.execute(
                select(table).where(table.c.document_id == theirs)).mappings()]
            for row in rows:
                row["document_id"] = ours
                row.pop("id", None)
                if "participant_id" in row:
                    row["participant_id"] = self.participants[row["participant_id"]]
            if rows:
                self.ours.execute(insert(table), rows)

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
                "scope_notes": theme.scope_notes, "level": theme.level, "status": theme.status,
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
        for field, label in (("definition", "defined"), ("scope_notes", "scoped")):
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

    # -- codings and what is written about the text -----------------------------------------
    def _codings(self) -> None:
        held: dict[tuple[int, int, int, int, int], tuple[int, str]] = {}
        for cid, doc, code, coder, start, end, memo in self.ours.execute(select(
                Coding.id, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start,
                Coding.end, Coding.memo)):
            held[(doc, code, coder, start, end)] = (cid, memo)
        names = dict(self.ours.execute(select(Code.id, Code.name)).all())
        # Two codes there can be one code here (a name taken here by a rename): a span they
        # both coded there is one coding here, which both their codings map to.
        fresh: dict[tuple[int, int, int, int, int], tuple[dict[str, Any], list[int]]] = {}
        lost_codes = 0
        for cid, doc, code, coder, start, end, memo, created in self.theirs.execute(select(
                Coding.id, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start,
                Coding.end, Coding.memo, Coding.created_at).order_by(Coding.id)):
            if self._on_something_deleted(doc, code, "codings"):
                self.codings_left.add(cid)
                continue
            if code not in self.codes:
                lost_codes += 1
                continue
            key = self._coding_here((self.documents[doc], self.codes[code], self.coders[coder],
                                     start, end), held)
            if key in held:
                ours, held_memo = held[key]
                self.codings[cid] = ours
                self.report.count(self.report.matched, "codings")
                if memo and memo != held_memo and self._complete(
                        self.ours.get(Coding, ours), "memo", memo,
                        f"a memo on a coding of '{names[key[1]]}' differs there"):
                    held[key] = (ours, memo)
                    self.report.count(self.report.added, "memos")
                    self.change.change(Kind.CODING, ours)
            elif key in fresh:
                values, same = fresh[key]
                same.append(cid)
                if memo and memo != values["memo"]:
                    if values["memo"]:
                        self._conflict(f"a memo on a coding of '{names[key[1]]}' differs there")
                    else:
                        values["memo"] = memo
            else:
                fresh[key] = ({"document_id": key[0], "code_id": key[1], "coder_id": key[2],
                               "start": start, "end": end, "memo": memo,
                               "created_at": created}, [cid])
        if lost_codes:
            self.report.left_out.append(
                f"{lost_codes} codings of codes that were merged away there without a "
                "trace of where they went")
        for values, same in fresh.values():  # ids are needed for comments on codings
            new = self._insert(Coding, values)
            for cid in same:
                self.codings[cid] = new
            self._added("codings", Kind.CODING, new)

    def _on_something_deleted(self, document: int, code: int | None, what: str) -> bool:
        """Whether a coding or a margin note of theirs is on a transcript (or a code)
        deleted here: if so it stays there, counted with that transcript (or code)."""
        if document in self.gone["document"]:
            self._left_behind("document", document, what)
            return True
        if code is not None and code in self.gone["code"]:
            self._left_behind("code", code, what)
            return True
        return False

    def _coding_here(self, key: tuple[int, int, int, int, int],
                     held: dict[tuple[int, int, int, int, int], tuple[int, str]]
                     ) -> tuple[int, int, int, int, int]:
        """The coding here that a coding there is: on its code, or on a code that was
        merged into its code there only (the merge there moved it)."""
        if key in held:
            return key
        for code in sorted(self.kept_apart.get(key[1], ())):
            moved = (key[0], code, *key[2:])
            if moved in held:
                return moved
        return key

    def _theme_extracts(self) -> None:
        """A theme keeps its representative extract as there, if it has none here."""
        for theirs, ours in self.themes.items():
            extract = self.theirs.execute(select(Theme.representative_coding_id)
                                          .where(Theme.id == theirs)).scalar()
            if extract is None or extract not in self.codings:
                continue
            row = self.ours.get(Theme, ours)
            assert row is not None
            if row.representative_coding_id is not None \
                    or not self._shows(ours, self.codings[extract]):
                continue
            row.representative_coding_id = self.codings[extract]
            if ours not in self.added_ids["themes"]:
                self._filled(f"theme '{row.name}': its representative extract, none here",
                             Kind.THEME, ours)

    def _shows(self, theme_id: int, coding_id: int) -> bool:
        """Whether a coding can show a theme here: it is coded with one of the theme's codes
        (or, for a final theme, of its emerging themes'), as picking one by hand requires."""
        return self.ours.execute(
            select(ThemeMembership.code_id)
            .join(Theme, Theme.id == ThemeMembership.theme_id)
            .join(Coding, Coding.code_id == ThemeMembership.code_id)
            .where(Coding.id == coding_id,
                   or_(Theme.id == theme_id,
                       (Theme.parent_id == theme_id) & (Theme.status != "discarded")))
        ).first() is not None

    def _margin_notes(self) -> None:
        """Notes by transcript, coder and moment (a note edited on one side is one note,
        whose other text is a conflict); notes written apart by their span and text."""
        held = self._held(Annotation.document_id, Annotation.coder_id, Annotation.start,
                          Annotation.end, Annotation.body)
        moments = {(doc, coder, at): (start, end, body) for doc, coder, at, start, end, body
                   in self.ours.execute(select(Annotation.document_id, Annotation.coder_id,
                                               Annotation.created_at, Annotation.start,
                                               Annotation.end, Annotation.body))}
        for doc, coder, start, end, body, created in self.theirs.execute(select(
                Annotation.document_id, Annotation.coder_id, Annotation.start, Annotation.end,
                Annotation.body, Annotation.created_at).order_by(Annotation.id)):
            if self._on_something_deleted(doc, None, "margin_notes"):
                continue
            key = (self.documents[doc], self.coders[coder], start, end, body)
            moment = (key[0], key[1], created)
            if key in held or moment in moments:
                self.report.count(self.report.matched, "margin_notes")
                if key not in held:
                    self._conflict(f"the margin note of {created[:16]} "
                                   f"'{moments[moment][2][:40]}' differs there")
                continue
            held.add(key)
            moments[moment] = (start, end, body)
            new = self._insert(Annotation, {"document_id": key[0], "coder_id": key[1],
                                            "start": start, "end": end, "body": body,
                                            "created_at": created})
            self._added("margin_notes", Kind.ANNOTATION, new)

    def _readings(self) -> None:
        held = self._held(ReadingMark.document_id, ReadingMark.coder_id, ReadingMark.read_at)
        for doc, coder, at in self.theirs.execute(select(
                ReadingMark.document_id, ReadingMark.coder_id, ReadingMark.read_at)
                .order_by(ReadingMark.id)):
            if doc not in self.documents:
                continue  # a reading of a transcript deleted here
            key = (self.documents[doc], self.coders[coder], at)
            if key in held:
                self.report.count(self.report.matched, "readings")
                continue
            held.add(key)
            new = self._insert(ReadingMark, {"document_id": key[0], "coder_id": key[1],
                                             "read_at": at})
            self._added("readings", Kind.READING_MARK, new)

    def _diary(self) -> None:
        held = {(coder, created): (eid, title, body) for eid, coder, created, title, body in
                self.ours.execute(select(DiaryEntry.id, DiaryEntry.coder_id,
                                         DiaryEntry.created_at, DiaryEntry.title,
                                         DiaryEntry.body))}
        for entry in self.theirs.execute(select(DiaryEntry).order_by(DiaryEntry.id)).scalars():
            key = (self.coders[entry.coder_id], entry.created_at)
            links = self._diary_links(entry)
            if key in held:
                self.report.count(self.report.matched, "diary_entries")
                ours, title, body = held[key]
                what = f"the diary entry of {entry.created_at[:16]} '{title or body[:40]}'"
                if (title, body) != (entry.title, entry.body):
                    self._conflict(f"{what} reads otherwise there")
                self._compare_links(ours, what, links)
                continue
            row = DiaryEntry(created_at=entry.created_at, updated_at=entry.updated_at,
                             phase=entry.phase, coder_id=key[0], title=entry.title,
                             body=entry.body,
                             links=[DiaryLink(target_kind=kind, target_id=target)
                                    for kind, target in links])
            self.ours.add(row)
            self.ours.flush()
            held[key] = (row.id, entry.title, entry.body)
            self._added("diary_entries", Kind.DIARY_ENTRY, row.id)

    def _diary_links(self, entry: DiaryEntry) -> list[tuple[str, int]]:
        """An entry's links there, to our ids (once each: two things there can be one here);
        links to what is not here (deleted here or there) are left out."""
        targets = {"code": self.codes, "theme": self.themes, "document": self.documents}
        return list(dict.fromkeys(
            (link.target_kind, targets[link.target_kind][link.target_id])
            for link in entry.links
            if link.target_id in targets.get(link.target_kind, {})))

    def _compare_links(self, entry_id: int, what: str, links: list[tuple[str, int]]) -> None:
        """An entry of both projects gets the links it has there and lacks here (as a
        transcript gets codings: a link only ever adds)."""
        row = self.ours.get(DiaryEntry, entry_id)
        assert row is not None
        held = {(link.target_kind, link.target_id) for link in row.links}
        missing = [link for link in links if link not in held]
        if not missing:
            return
        row.links.extend(DiaryLink(target_kind=kind, target_id=target)
                         for kind, target in missing)
        self._filled(f"{what}: {plural(len(missing), 'more link')} from there" if held
                     else f"{what}: its links, none here", Kind.DIARY_ENTRY, entry_id)

    def _comments(self) -> None:
        targets = {"code": self.codes, "theme": self.themes, "document": self.documents,
                   "coding": self.codings}
        held = {(kind, target, coder, at): (cid, status) for cid, kind, target, coder, at,
                status in self.ours.execute(select(
                    Comment.id, Comment.target_kind, Comment.target_id, Comment.coder_id,
                    Comment.created_at, Comment.status))}
        # A comment is kept here when what it is on goes: the same comment by its moment.
        moments = {(coder, at): cid for (_kind, _target, coder, at), (cid, _status)
                   in held.items()}
        mapped: dict[int, int] = {}
        unplaced = {"here": 0, "there": 0}
        where: dict[int, str] = {}
        for comment in self.theirs.execute(select(Comment).order_by(Comment.id)).scalars():
            target = targets[comment.target_kind].get(comment.target_id)
            if target is None or (comment.parent_id is not None
                                  and comment.parent_id not in mapped):
                moment = (self.coders[comment.coder_id], comment.created_at)
                if moment in moments:
                    mapped[comment.id] = moments[moment]
                    self.report.count(self.report.matched, "comments")
                    continue
                if target is None:
                    where[comment.id] = "here" if self._deleted_here_target(comment) else "there"
                else:  # a reply in a thread left out
                    where[comment.id] = where.get(comment.parent_id or 0, "there")
                unplaced[where[comment.id]] += 1
                continue
            key = (comment.target_kind, target, self.coders[comment.coder_id],
                   comment.created_at)
            if key in held:
                ours, status = held[key]
                mapped[comment.id] = ours
                self.report.count(self.report.matched, "comments")
                if status == "open" and comment.status == "resolved":
                    self._resolve(ours, comment)
                continue
            new = self._insert(Comment, {
                "target_kind": comment.target_kind, "target_id": target,
                "parent_id": mapped.get(comment.parent_id)
                if comment.parent_id is not None else None,
                "coder_id": key[2], "body": comment.body, "status": comment.status,
                "created_at": comment.created_at,
                "resolved_by": self.coders.get(comment.resolved_by)
                if comment.resolved_by is not None else None,
                "resolved_at": comment.resolved_at})
            mapped[comment.id] = new
            held[key] = (new, comment.status)
            self._added("comments", Kind.COMMENT, new)
        for side, count in unplaced.items():
            if count:
                self.report.left_out.append(
                    f"{plural(count, 'comment')} on things "
                    f"{'deleted here' if side == 'here' else 'that were deleted there'}")

    def _deleted_here_target(self, comment: Comment) -> bool:
        if comment.target_kind == "coding":
            return comment.target_id in self.codings_left
        return comment.target_id in self.gone.get(comment.target_kind, {})

    def _resolve(self, ours: int, theirs: Comment) -> None:
        """A comment resolved there and still open here is resolved: that is news, not a
        conflict (no one un-resolves a comment by leaving it open in another copy)."""
        row = self.ours.get(Comment, ours)
        assert row is not None
        row.status, row.resolved_at = "resolved", theirs.resolved_at
        row.resolved_by = (self.coders.get(theirs.resolved_by)
                           if theirs.resolved_by is not None else None)
        self._filled(f"a comment of {theirs.created_at[:16]} is resolved there",
                     Kind.COMMENT, ours)

    def _sign_offs(self) -> None:
        held = self._held(SignOff.phase, SignOff.coder_id, SignOff.at)
        new: list[dict[str, Any]] = []
        for phase, coder, note, at in self.theirs.execute(select(
                SignOff.phase, SignOff.coder_id, SignOff.note, SignOff.at).order_by(SignOff.id)):
            key = (phase, self.coders[coder], at)
            if key in held:
                self.report.count(self.report.matched, "sign_offs")
                continue
            held.add(key)
            new.append({"phase": phase, "coder_id": key[1], "note": note, "at": at})
        if new and self.rights is not None and not self.rights.may_sign_off:
            self._refused(
                f"only a supervisor can add sign-offs on the team server, and this merge "
                f"brings {plural(len(new), 'sign-off')} this project does not have: ask a "
                "supervisor or the project's owner to merge it")
        for values in new:
            self._added("sign_offs", Kind.SIGN_OFF, self._insert(SignOff, values))

    def _not_brought(self) -> None:
        """Say what a merge leaves with the other project: its frozen snapshots, its
        checklist and phase (this project's stand), and the trails it kept itself."""
        snapshots = self.theirs.execute(select(func.count()).select_from(Snapshot)).scalar_one()
        if snapshots:
            self.report.left_out.append(
                f"{snapshots} snapshots (frozen frames of that project; its trail, kept here, "
                "records each)")
        theirs_phase = self.theirs.execute(select(Project.current_phase)).scalar_one()
        if theirs_phase != self.tx.phase:
            self._conflict(f"that project is in phase {theirs_phase}, this one in phase "
                           f"{self.tx.phase}")
        ticked = set(self.theirs.execute(select(ChecklistItem.key)
                                         .where(ChecklistItem.done)).scalars())
        undone = ticked - set(self.ours.execute(select(ChecklistItem.key)
                                                .where(ChecklistItem.done)).scalars())
        if undone:
            self._conflict(f"{len(undone)} checklist points are ticked there, not here")
        kept = sum(1 for head in self.theirs.execute(select(ProjectMerge.head_seq,
                                                             ProjectMerge.head_hash))
                   if not (in_own_trail(self.ours, (head[0], head[1]))
                           or kept_before(self.ours, (head[0], head[1]))))
        if kept:  # merges of this project there, or of trails kept here too, go without saying
            self.report.left_out.append(
                f"the trails of {plural(kept, 'project')} merged into that one (merge it "
                "after verifying them there, or merge those projects here too)")

    # -- the record ------------------------------------------------------------------------
    def _record(self, location: str, head: tuple[int, str], already_kept: bool) -> None:
        title, created = self.theirs.execute(select(Project.title, Project.created_at)).one()
        report = self.report
        summary = {"added": report.added, "matched": report.matched,
                   "conflicts": report.conflicts, "left_out": report.left_out,
                   "filled": report.filled}
        merge = ProjectMerge(coder_id=self.tx.coder_id, other_title=title,
                             other_location=location, other_created_at=created,
                             head_seq=head[0], head_hash=head[1],
                             report_json=json.dumps(summary, ensure_ascii=False,
                                                    sort_keys=True))
        self.ours.add(merge)
        self.ours.flush()
        report.merge_id = merge.id
        report.other_events = head[0]
        if not already_kept:
            report.trail_kept = keep_trail(self.ours, merge.id, self.theirs)
        self.tx.audit(MERGE_ACTION, "project_merge", merge.id, after={
            "from": location, "title": title, "other_head": list(head),
            "kept_events": report.trail_kept, **summary,
            "added_ids": dict(self.added_ids)})
        self.change.change(Kind.PROJECT, 1)


def report_fields(report: MergeReport) -> dict[str, Any]:
    """The report as the command line's JSON gives it."""
    fields = asdict(report)
    fields["nothing_new"] = report.nothing_new
    return fields
