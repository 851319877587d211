"""Merging a project coded apart: bring in what the other holds that this one lacks.

Two copies of a study go their ways (a second coder codes a copy at home; a supervisor
comments on another) and come back together here. Everything is matched by what stays the
same in every copy, never by row ids, which each copy numbers on its own:

- transcripts by the SHA-256 of their text; coders by name; participants by label;
- codes and themes by their GUID first, then by name (case-insensitive);
- codings by transcript, code, coder and span; margin notes, readings, diary entries,
  comments and sign-offs by who made them and when (their moments are to the microsecond).

What this project already has is kept as it is: where the other project's version differs
(a code defined otherwise, a diary entry edited), the report lists the conflict. What this
project lacks is added with its coder, its moment and its GUID, so the same merge run again
matches all of it and adds nothing. The other project's audit trail is kept beside ours
(core/trail/kept_trails.py). All of it happens in one transaction: a merge that fails
leaves this project as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import ProjectError
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
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.trail.kept_trails import (
    MERGE_ACTION,
    chain_head,
    check_kept_trails,
    keep_trail,
    kept_before,
)


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
                _Merger(tx, reading, report, change).run(shown_location(theirs.location))
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

    def __init__(self, tx: Tx, theirs: Session, report: MergeReport, change: Change) -> None:
        self.tx, self.ours, self.theirs = tx, tx.session, theirs
        self.report, self.change = report, change
        self.coders: dict[int, int] = {}
        self.participants: dict[int, int] = {}
        self.documents: dict[int, int] = {}
        self.codes: dict[int, int] = {}
        self.themes: dict[int, int] = {}
        self.codings: dict[int, int] = {}
        self.added_ids: dict[str, list[int]] = defaultdict(list)

    def run(self, location: str) -> None:
        for step in (self._coders, self._participants, self._documents, self._codes,
                     self._themes, self._memberships, self._codings, self._theme_extracts,
                     self._margin_notes, self._readings, self._diary, self._comments,
                     self._sign_offs):
            step()
        self.ours.flush()
        head = chain_head(self.theirs)
        already_kept = kept_before(self.ours, head)
        self._not_brought()
        if not (self.report.added or self.report.filled) and already_kept:
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

    # -- people ----------------------------------------------------------------------------
    def _coders(self) -> None:
        ours = {name: cid for cid, name in self.ours.execute(select(Coder.id, Coder.name))}
        folded = {name_key(name): cid for name, cid in ours.items()}
        for cid, name, role, created in self.theirs.execute(
                select(Coder.id, Coder.name, Coder.role, Coder.created_at)):
            match = ours.get(name) or folded.get(name_key(name))
            if match is not None:
                self.coders[cid] = match
                self.report.count(self.report.matched, "coders")
                continue
            new = self._insert(Coder, {"name": name, "role": role, "created_at": created})
            self.coders[cid] = new
            self._added("coders", Kind.CODER, new)

    def _participants(self) -> None:
        ours = {name_key(label): pid for pid, label in
                self.ours.execute(select(Participant.id, Participant.label))}
        for pid, label, note in self.theirs.execute(
                select(Participant.id, Participant.label, Participant.note)):
            match = ours.get(name_key(label))
            if match is None:
                match = self._insert(Participant, {"label": label, "note": note})
                self._added("participants", Kind.PARTICIPANT, match)
            else:
                self.report.count(self.report.matched, "participants")
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
        for did, name, text in self.ours.execute(select(Document.id, Document.name,
                                                        Document.text)):
            ours.setdefault(text_digest(text), did)
            names.add(name)
        for row in self.theirs.execute(select(Document)).scalars():
            match = ours.get(text_digest(row.text))
            if match is not None:
                self.documents[row.id] = match
                self.report.count(self.report.matched, "transcripts")
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
        by_guid: dict[str, tuple[int, str, int | None]] = {}
        active: dict[str, int] = {}
        details: dict[int, tuple[str, str]] = {}
        for cid, guid, name, key, status, into, definition in self.ours.execute(select(
                Code.id, Code.guid, Code.name, Code.name_key, Code.status, Code.merged_into_id,
                Code.definition)):
            if guid:
                by_guid[guid] = (cid, status, into)
            if status == "active":
                active[key] = cid
            details[cid] = (name, definition)
        theirs = self.theirs.execute(select(Code).order_by(Code.id)).scalars().all()
        merged_away: list[Code] = []
        for code in theirs:
            found = by_guid.get(code.guid) if code.guid else None
            match = self._live(found[0]) if found else None
            if match is None and code.status == "active":
                match = active.get(code.name_key)
            if match is not None:
                self.codes[code.id] = match
                self.report.count(self.report.matched, "codes")
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
        for code in merged_away:  # what the other project merged away goes where it went
            target = self._their_live_code(code.id, {c.id: c for c in theirs})
            if target is not None:
                self.codes[code.id] = target

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
            if definition:
                self._conflict(f"code '{name}' is defined otherwise there")
            else:
                row = self.ours.get(Code, ours)
                assert row is not None
                row.definition = code.definition
                self._filled(f"code '{name}': its definition, empty here", Kind.CODE, ours)

    def _themes(self) -> None:
        by_guid: dict[str, int] = {}
        by_name: dict[str, int] = {}
        held: dict[int, Theme] = {}
        for theme in self.ours.execute(select(Theme).order_by(Theme.id)).scalars():
            held[theme.id] = theme
            if theme.guid:
                by_guid[theme.guid] = theme.id
            if theme.status != "discarded" or name_key(theme.name) not in by_name:
                by_name[name_key(theme.name)] = theme.id
        position = (self.ours.execute(select(func.max(Theme.position))).scalar() or 0) + 1
        theirs = self.theirs.execute(select(Theme).order_by(Theme.position, Theme.id)).scalars()
        added: list[Theme] = []
        for theme in theirs:
            match = by_guid.get(theme.guid) if theme.guid else None
            if match is None:
                match = by_name.get(name_key(theme.name))
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
            by_name[name_key(theme.name)] = new
            added.append(theme)
            self._added("themes", Kind.THEME, new)
            self._place_on_map("theme", theme.id, new)
        for theme in added:  # parents once every theme is known
            if theme.parent_id is not None and theme.parent_id in self.themes:
                row = self.ours.get(Theme, self.themes[theme.id])
                assert row is not None
                row.parent_id = self.themes[theme.parent_id]

    def _compare_theme(self, ours: Theme, theirs: Theme) -> None:
        if name_key(ours.name) != name_key(theirs.name):
            self._conflict(f"theme '{ours.name}' is called '{theirs.name}' there")
        for field, label in (("definition", "defined"), ("scope_notes", "scoped")):
            mine, other = getattr(ours, field), getattr(theirs, field)
            if other and mine != other:
                if mine:
                    self._conflict(f"theme '{ours.name}' is {label} otherwise there")
                else:
                    setattr(ours, field, other)
                    self._filled(f"theme '{ours.name}': its {field.replace('_', ' ')}, "
                                 "empty here", Kind.THEME, ours.id)
        if (ours.level, ours.status) != (theirs.level, theirs.status):
            self._conflict(f"theme '{ours.name}' is {ours.level} and {ours.status} here, "
                           f"{theirs.level} and {theirs.status} there")

    def _place_on_map(self, kind: str, theirs: int, ours: int) -> None:
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
        links = self._held(ThemeLink.source_theme_id, ThemeLink.target_theme_id,
                           ThemeLink.target_code_id, ThemeLink.label)
        for source, target_theme, target_code, label in self.theirs.execute(select(
                ThemeLink.source_theme_id, ThemeLink.target_theme_id, ThemeLink.target_code_id,
                ThemeLink.label)):
            link = (self.themes.get(source),
                    self.themes.get(target_theme) if target_theme is not None else None,
                    self.codes.get(target_code) if target_code is not None else None, label)
            if link[0] is None or (link[1] is None and link[2] is None):
                continue
            if link in links:
                continue
            links.add(link)
            new = self._insert(ThemeLink, {"source_theme_id": link[0],
                                           "target_theme_id": link[1],
                                           "target_code_id": link[2], "label": label})
            self._added("links", Kind.THEME_LINK, new)

    # -- codings and what is written about the text -----------------------------------------
    def _codings(self) -> None:
        held: dict[tuple[int, int, int, int, int], tuple[int, str]] = {}
        for cid, doc, code, coder, start, end, memo in self.ours.execute(select(
                Coding.id, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start,
                Coding.end, Coding.memo)):
            held[(doc, code, coder, start, end)] = (cid, memo)
        names = dict(self.ours.execute(select(Code.id, Code.name)).all())
        fresh: list[tuple[int, dict[str, Any]]] = []
        lost_codes = 0
        for cid, doc, code, coder, start, end, memo, created in self.theirs.execute(select(
                Coding.id, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start,
                Coding.end, Coding.memo, Coding.created_at).order_by(Coding.id)):
            if code not in self.codes:
                lost_codes += 1
                continue
            key = (self.documents[doc], self.codes[code], self.coders[coder], start, end)
            if key in held:
                ours, held_memo = held[key]
                self.codings[cid] = ours
                self.report.count(self.report.matched, "codings")
                if memo and memo != held_memo:
                    if held_memo:
                        self._conflict(f"a memo on a coding of '{names[key[1]]}' differs there")
                    else:
                        row = self.ours.get(Coding, ours)
                        assert row is not None
                        row.memo = memo
                        self.report.count(self.report.added, "memos")
                        self.change.change(Kind.CODING, ours)
                continue
            held[key] = (-1, memo)
            fresh.append((cid, {"document_id": key[0], "code_id": key[1], "coder_id": key[2],
                                "start": start, "end": end, "memo": memo,
                                "created_at": created}))
        if lost_codes:
            self.report.left_out.append(
                f"{lost_codes} codings of codes that were merged away there without a "
                "trace of where they went")
        for cid, values in fresh:  # ids are needed for comments on codings
            new = self._insert(Coding, values)
            self.codings[cid] = new
            self._added("codings", Kind.CODING, new)

    def _theme_extracts(self) -> None:
        """A theme added from the other project keeps its representative extract."""
        for theirs, ours in self.themes.items():
            if ours not in self.added_ids["themes"]:
                continue
            extract = self.theirs.execute(select(Theme.representative_coding_id)
                                          .where(Theme.id == theirs)).scalar()
            if extract is not None and extract in self.codings:
                row = self.ours.get(Theme, ours)
                assert row is not None
                row.representative_coding_id = self.codings[extract]

    def _margin_notes(self) -> None:
        held = self._held(Annotation.document_id, Annotation.coder_id, Annotation.start,
                          Annotation.end, Annotation.body)
        for doc, coder, start, end, body, created in self.theirs.execute(select(
                Annotation.document_id, Annotation.coder_id, Annotation.start, Annotation.end,
                Annotation.body, Annotation.created_at).order_by(Annotation.id)):
            key = (self.documents[doc], self.coders[coder], start, end, body)
            if key in held:
                self.report.count(self.report.matched, "margin_notes")
                continue
            held.add(key)
            new = self._insert(Annotation, {"document_id": key[0], "coder_id": key[1],
                                            "start": start, "end": end, "body": body,
                                            "created_at": created})
            self._added("margin_notes", Kind.ANNOTATION, new)

    def _readings(self) -> None:
        held = self._held(ReadingMark.document_id, ReadingMark.coder_id, ReadingMark.read_at)
        for doc, coder, at in self.theirs.execute(select(
                ReadingMark.document_id, ReadingMark.coder_id, ReadingMark.read_at)
                .order_by(ReadingMark.id)):
            key = (self.documents[doc], self.coders[coder], at)
            if key in held:
                self.report.count(self.report.matched, "readings")
                continue
            held.add(key)
            new = self._insert(ReadingMark, {"document_id": key[0], "coder_id": key[1],
                                             "read_at": at})
            self._added("readings", Kind.READING_MARK, new)

    def _diary(self) -> None:
        held = {(coder, created): (title, body) for coder, created, title, body in
                self.ours.execute(select(DiaryEntry.coder_id, DiaryEntry.created_at,
                                         DiaryEntry.title, DiaryEntry.body))}
        targets = {"code": self.codes, "theme": self.themes, "document": self.documents}
        for entry in self.theirs.execute(select(DiaryEntry).order_by(DiaryEntry.id)).scalars():
            key = (self.coders[entry.coder_id], entry.created_at)
            if key in held:
                self.report.count(self.report.matched, "diary_entries")
                if held[key] != (entry.title, entry.body):
                    self._conflict(f"the diary entry of {entry.created_at[:16]} "
                                   f"'{entry.title or entry.body[:40]}' reads otherwise there")
                continue
            held[key] = (entry.title, entry.body)
            links = [DiaryLink(target_kind=link.target_kind,
                               target_id=targets[link.target_kind][link.target_id])
                     for link in entry.links
                     if link.target_id in targets.get(link.target_kind, {})]
            row = DiaryEntry(created_at=entry.created_at, updated_at=entry.updated_at,
                             phase=entry.phase, coder_id=key[0], title=entry.title,
                             body=entry.body, links=links)
            self.ours.add(row)
            self.ours.flush()
            self._added("diary_entries", Kind.DIARY_ENTRY, row.id)

    def _comments(self) -> None:
        targets = {"code": self.codes, "theme": self.themes, "document": self.documents,
                   "coding": self.codings}
        held = {(kind, target, coder, at): (cid, status) for cid, kind, target, coder, at,
                status in self.ours.execute(select(
                    Comment.id, Comment.target_kind, Comment.target_id, Comment.coder_id,
                    Comment.created_at, Comment.status))}
        mapped: dict[int, int] = {}
        unplaced = 0
        for comment in self.theirs.execute(select(Comment).order_by(Comment.id)).scalars():
            target = targets[comment.target_kind].get(comment.target_id)
            if target is None or (comment.parent_id is not None
                                  and comment.parent_id not in mapped):
                unplaced += 1
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
        if unplaced:
            self.report.left_out.append(
                f"{unplaced} comments on things that were deleted there")

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
        for phase, coder, note, at in self.theirs.execute(select(
                SignOff.phase, SignOff.coder_id, SignOff.note, SignOff.at).order_by(SignOff.id)):
            key = (phase, self.coders[coder], at)
            if key in held:
                self.report.count(self.report.matched, "sign_offs")
                continue
            held.add(key)
            new = self._insert(SignOff, {"phase": phase, "coder_id": key[1], "note": note,
                                         "at": at})
            self._added("sign_offs", Kind.SIGN_OFF, new)

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
        kept = self.theirs.execute(select(func.count()).select_from(ProjectMerge)).scalar_one()
        if kept:
            self.report.left_out.append(
                f"the trails of {kept} projects merged into that one (merge it after "
                "verifying them there, or merge those projects here too)")

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
