"""Snapshots: named, frozen copies of the coding frame at key stages, and their comparison.

The frame is plain JSON (``format`` 1) holding the active ``codes`` (id, name, definition,
colour), the ``merged_codes`` by then (id, name, merged_into_id), every theme, discarded ones
included (id, name, level, status, parent_id, position, definition) and the ``memberships``
(theme_id, code_id, position). Merges are recorded in the frame rather than read from the
database when comparing, so a comparison says what was true when each snapshot was taken, and
still works after rows have been deleted. The audit event keeps the frame's SHA-256.
Deleting a snapshot (the undo of saving it) keeps the whole frame in its audit event.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.common import (
    delete_audited,
    get_or_fail,
    tidy_name,
)
from thematic_workbench.core.storage.models import Code, Coder, Snapshot, Theme, ThemeMembership
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.trail.anchors import anchor_head, signing_key_fingerprint

FRAME_FORMAT = 1
Frame = dict[str, Any]


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    name: str
    note: str
    phase: int
    coder: str
    created_at: str
    codes: int
    themes: int


@dataclass(frozen=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True)
class Renamed:
    id: int
    old_name: str
    new_name: str


@dataclass(frozen=True)
class Merged:
    id: int
    name: str
    into_id: int | None
    into_name: str | None


@dataclass(frozen=True)
class MembershipChange:
    """A code that left some themes and/or joined others (theme names, alphabetical)."""

    code_id: int
    code_name: str
    left: tuple[str, ...]
    joined: tuple[str, ...]


@dataclass(frozen=True)
class ThemeMove:
    """A theme whose final theme (parent) changed; None means ungrouped."""

    theme_id: int
    name: str
    old_parent: str | None
    new_parent: str | None


@dataclass(frozen=True)
class StatusChange:
    theme_id: int
    name: str
    old_status: str
    new_status: str


@dataclass(frozen=True)
class FrameDiff:
    """What changed from frame A to frame B. Codes that were removed or merged are reported
    as such, not again under ``codes_moved``."""

    codes_added: tuple[Named, ...] = ()
    codes_removed: tuple[Named, ...] = ()
    codes_renamed: tuple[Renamed, ...] = ()
    codes_redefined: tuple[Named, ...] = ()
    codes_merged: tuple[Merged, ...] = ()
    codes_moved: tuple[MembershipChange, ...] = ()
    themes_added: tuple[Named, ...] = ()
    themes_removed: tuple[Named, ...] = ()
    themes_renamed: tuple[Renamed, ...] = ()
    themes_redefined: tuple[Named, ...] = ()
    themes_status: tuple[StatusChange, ...] = ()
    themes_moved: tuple[ThemeMove, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def current_frame(session: Session) -> Frame:
    """The coding frame as it is now, in the snapshot format."""
    codes = session.execute(select(Code).order_by(Code.id)).scalars().all()
    themes = session.execute(select(Theme).order_by(Theme.id)).scalars().all()
    members = session.execute(select(ThemeMembership).order_by(
        ThemeMembership.theme_id, ThemeMembership.position, ThemeMembership.code_id)).scalars()
    return {
        "format": FRAME_FORMAT,
        "codes": [{"id": c.id, "name": c.name, "definition": c.definition, "colour": c.colour}
                  for c in codes if c.status == "active"],
        "merged_codes": [{"id": c.id, "name": c.name, "merged_into_id": c.merged_into_id}
                         for c in codes if c.status == "merged"],
        "themes": [{"id": t.id, "name": t.name, "level": t.level, "status": t.status,
                    "parent_id": t.parent_id, "position": t.position,
                    "definition": t.definition} for t in themes],
        "memberships": [{"theme_id": m.theme_id, "code_id": m.code_id, "position": m.position}
                        for m in members],
    }


def _frame_json(frame: Frame) -> str:
    return json.dumps(frame, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _check_name_free(tx: Tx, name: str) -> None:
    for existing in tx.session.execute(select(Snapshot.name)).scalars():
        if name_key(existing) == name_key(name):
            raise InvariantError(f"a snapshot named '{existing}' already exists")


def create_snapshot(tx: Tx, name: str, note: str = "") -> Change:
    """Freeze the coding frame under a name (unique, case-insensitively)."""
    name = tidy_name(name, "snapshot")
    _check_name_free(tx, name)
    fingerprint = signing_key_fingerprint(tx)
    frame = current_frame(tx.session)
    frame_json = _frame_json(frame)
    snapshot = Snapshot(name=name, note=note.strip(), phase=tx.phase, coder_id=tx.coder_id,
                        frame_json=frame_json)
    tx.session.add(snapshot)
    tx.session.flush()
    tx.audit("snapshot.create", "snapshot", snapshot.id, after={
        "name": name, "note": snapshot.note, "phase": snapshot.phase,
        "codes": len(frame["codes"]), "themes": len(frame["themes"]),
        "memberships": len(frame["memberships"]),
        "frame_sha256": hashlib.sha256(frame_json.encode("utf-8")).hexdigest(),
        "signed_with": fingerprint,
    })
    anchor_head(tx, "snapshot", snapshot.id)  # the signed head is this snapshot's event
    return Change().add(Kind.SNAPSHOT, snapshot.id)


def load_frame(session: Session, snapshot_id: int) -> Frame:
    snapshot = get_or_fail(session, Snapshot, snapshot_id, "snapshot")
    frame: Frame = json.loads(snapshot.frame_json)
    if frame.get("format", 0) > FRAME_FORMAT:
        raise InvariantError(f"snapshot '{snapshot.name}' was made by a newer version of "
                             "Thematic Workbench")
    return frame


def list_snapshots(session: Session) -> list[SnapshotInfo]:
    """Every snapshot, oldest first."""
    rows = session.execute(select(Snapshot, Coder.name).join(Coder, Coder.id == Snapshot.coder_id)
                           .order_by(Snapshot.created_at, Snapshot.id))
    infos = []
    for snapshot, coder_name in rows:
        frame = json.loads(snapshot.frame_json)
        infos.append(SnapshotInfo(snapshot.id, snapshot.name, snapshot.note, snapshot.phase,
                                  coder_name, snapshot.created_at, len(frame["codes"]),
                                  len(frame["themes"])))
    return infos


def _by_id(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in rows}


def _placements(frame: Frame) -> dict[int, set[int]]:
    placed: dict[int, set[int]] = defaultdict(set)
    for member in frame["memberships"]:
        placed[member["code_id"]].add(member["theme_id"])
    return placed


def compare_frames(a: Frame, b: Frame) -> FrameDiff:
    """What changed from frame ``a`` (older) to frame ``b`` (newer); entities match by id."""
    a_codes, b_codes = _by_id(a["codes"]), _by_id(b["codes"])
    b_merged = _by_id(b.get("merged_codes", []))
    a_themes, b_themes = _by_id(a["themes"]), _by_id(b["themes"])

    def code_name(code_id: int | None) -> str | None:
        for table in (b_codes, b_merged, a_codes):
            if code_id in table:
                name: str = table[code_id]["name"]
                return name
        return None

    def theme_name(table: dict[int, dict[str, Any]], theme_id: int | None) -> str | None:
        return table[theme_id]["name"] if theme_id in table else None

    gone = [i for i in a_codes if i not in b_codes]
    both = [i for i in a_codes if i in b_codes]
    themes_both = [i for i in a_themes if i in b_themes]
    a_placed, b_placed = _placements(a), _placements(b)
    names = {i: t["name"] for table in (a_themes, b_themes) for i, t in table.items()}
    moved = []
    for code_id in sorted(set(a_placed) | set(b_placed)):
        if code_id not in b_codes:
            continue  # removed or merged: reported as such
        left = sorted(names[i] for i in a_placed[code_id] - b_placed[code_id])
        joined = sorted(names[i] for i in b_placed[code_id] - a_placed[code_id])
        if left or joined:
            moved.append(MembershipChange(code_id, b_codes[code_id]["name"], tuple(left),
                                          tuple(joined)))
    return FrameDiff(
        codes_added=tuple(Named(i, c["name"]) for i, c in b_codes.items() if i not in a_codes),
        codes_removed=tuple(Named(i, a_codes[i]["name"]) for i in gone if i not in b_merged),
        codes_renamed=tuple(Renamed(i, a_codes[i]["name"], b_codes[i]["name"]) for i in both
                            if a_codes[i]["name"] != b_codes[i]["name"]),
        codes_redefined=tuple(Named(i, b_codes[i]["name"]) for i in both
                              if a_codes[i]["definition"] != b_codes[i]["definition"]),
        codes_merged=tuple(
            Merged(i, a_codes[i]["name"], b_merged[i]["merged_into_id"],
                   code_name(b_merged[i]["merged_into_id"]))
            for i in gone if i in b_merged),
        codes_moved=tuple(moved),
        themes_added=tuple(Named(i, t["name"]) for i, t in b_themes.items()
                           if i not in a_themes),
        themes_removed=tuple(Named(i, t["name"]) for i, t in a_themes.items()
                             if i not in b_themes),
        themes_renamed=tuple(Renamed(i, a_themes[i]["name"], b_themes[i]["name"])
                             for i in themes_both
                             if a_themes[i]["name"] != b_themes[i]["name"]),
        themes_redefined=tuple(Named(i, b_themes[i]["name"]) for i in themes_both
                               if a_themes[i]["definition"] != b_themes[i]["definition"]),
        themes_status=tuple(
            StatusChange(i, b_themes[i]["name"], a_themes[i]["status"], b_themes[i]["status"])
            for i in themes_both if a_themes[i]["status"] != b_themes[i]["status"]),
        themes_moved=tuple(
            ThemeMove(i, b_themes[i]["name"], theme_name(a_themes, a_themes[i]["parent_id"]),
                      theme_name(b_themes, b_themes[i]["parent_id"]))
            for i in themes_both if a_themes[i]["parent_id"] != b_themes[i]["parent_id"]),
    )


def compare_snapshots(session: Session, a_id: int, b_id: int) -> FrameDiff:
    """What changed from snapshot ``a_id`` to snapshot ``b_id``."""
    return compare_frames(load_frame(session, a_id), load_frame(session, b_id))


def compare_snapshot_to_current(session: Session, snapshot_id: int) -> FrameDiff:
    """What changed since the snapshot was taken."""
    return compare_frames(load_frame(session, snapshot_id), current_frame(session))


# -- inverses, for undo: each audited like the change it takes back ---------------------------
def delete_snapshot(tx: Tx, snapshot_id: int) -> Change:
    """Remove a snapshot (the undo of taking it). The audit event keeps the whole frame, so
    the snapshot can be put back exactly, and history still shows what it held."""
    snapshot = get_or_fail(tx.session, Snapshot, snapshot_id, "snapshot")
    return delete_audited(tx, snapshot, Kind.SNAPSHOT, "snapshot.delete")


def restore_snapshot(tx: Tx, values: dict[str, Any]) -> Change:
    """Put back a deleted snapshot with the frame it froze then, not the frame of now."""
    name = tidy_name(str(values["name"]), "snapshot")
    _check_name_free(tx, name)
    frame_json = str(values["frame_json"])
    frame = json.loads(frame_json)
    get_or_fail(tx.session, Coder, int(values["coder_id"]), "coder")
    wanted = None if values.get("id") is None else int(values["id"])
    free = wanted is not None and tx.session.get(Snapshot, wanted) is None
    snapshot = Snapshot(id=wanted if free else None, name=name,
                        note=str(values.get("note", "")), phase=int(values["phase"]),
                        coder_id=int(values["coder_id"]), created_at=str(values["created_at"]),
                        frame_json=frame_json)
    tx.session.add(snapshot)
    tx.session.flush()
    tx.audit("snapshot.restore", "snapshot", snapshot.id, after={
        "name": name, "note": snapshot.note, "phase": snapshot.phase,
        "codes": len(frame["codes"]), "themes": len(frame["themes"]),
        "frame_sha256": hashlib.sha256(frame_json.encode("utf-8")).hexdigest(),
    })
    return Change().add(Kind.SNAPSHOT, snapshot.id)
