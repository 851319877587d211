"""Undoing a merge of codes: record what a merge did, and put it back.

:func:`codes.merge_codes` records counts in its audit event, not which codings and theme
places it moved or dropped. :func:`merge_codes_recorded` calls it and also writes a
``code.merge_detail`` event (same transaction) with everything :func:`unmerge_code` needs
to give the source code back its codings, its theme places and its name.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select, update

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.codes import merge_codes
from thematic_workbench.core.services.common import get_or_fail
from thematic_workbench.core.storage.audit import TOMBSTONE
from thematic_workbench.core.storage.models import (
    AuditEvent,
    Code,
    Coding,
    Document,
    Theme,
    ThemeMembership,
)
from thematic_workbench.core.storage.transaction import Tx

DETAIL_ACTION = "code.merge_detail"


@dataclass(frozen=True)
class MergeRecord:
    """What merging one source code into a target did, in plain values.

    Codings are ``[document_id, coder_id, start, end]`` (moved: found again on the target by
    span, which is unique per code) or ``[document_id, coder_id, start, end, memo,
    created_at, [theme ids it represented]]`` (dropped as duplicates of the target's).
    Theme places are ``[theme_id, position]``.
    """

    source_id: int
    target_id: int
    target_name: str
    moved_codings: list[list[Any]] = field(default_factory=list)
    dropped_codings: list[list[Any]] = field(default_factory=list)
    moved_memberships: list[list[int]] = field(default_factory=list)
    dropped_memberships: list[list[int]] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> MergeRecord:
        return cls(**json.loads(text))


def _record_one(tx: Tx, source_id: int, target: Code) -> MergeRecord:
    """Look at the source and the target before the merge and say what it will do."""
    target_spans = {tuple(row) for row in tx.session.execute(
        select(Coding.document_id, Coding.coder_id, Coding.start, Coding.end)
        .where(Coding.code_id == target.id))}
    record = MergeRecord(source_id, target.id, target.name)
    for coding in tx.session.execute(
            select(Coding).where(Coding.code_id == source_id).order_by(Coding.id)).scalars():
        span = [coding.document_id, coding.coder_id, coding.start, coding.end]
        if tuple(span) not in target_spans:
            record.moved_codings.append(span)
            continue
        represented = list(tx.session.execute(
            select(Theme.id).where(Theme.representative_coding_id == coding.id)).scalars())
        record.dropped_codings.append([*span, coding.memo, coding.created_at, represented])
    target_themes = set(tx.session.execute(
        select(ThemeMembership.theme_id).where(ThemeMembership.code_id == target.id)).scalars())
    for theme_id, position in tx.session.execute(
            select(ThemeMembership.theme_id, ThemeMembership.position)
            .where(ThemeMembership.code_id == source_id)):
        places = (record.dropped_memberships if theme_id in target_themes
                  else record.moved_memberships)
        places.append([theme_id, position])
    return record


def merge_codes_recorded(tx: Tx, source_ids: list[int],
                         target_id: int) -> tuple[Change, list[MergeRecord]]:
    """Merge like :func:`merge_codes`, one source at a time, recording how to undo each."""
    change = Change()
    records = []
    for source_id in dict.fromkeys(source_ids):
        target = get_or_fail(tx.session, Code, target_id, "code")
        get_or_fail(tx.session, Code, source_id, "code")
        record = _record_one(tx, source_id, target)
        change.merge(merge_codes(tx, [source_id], target_id))
        tx.audit(DETAIL_ACTION, "code", source_id, after=asdict(record))
        records.append(record)
    return change, records


def last_merge_record(tx: Tx, source_id: int) -> MergeRecord:
    """The record of the latest merge of a code, refused if that merge left no details."""
    def latest(action: str) -> AuditEvent | None:
        return tx.session.execute(
            select(AuditEvent).where(AuditEvent.action == action,
                                     AuditEvent.entity_kind == "code",
                                     AuditEvent.entity_id == source_id)
            .order_by(AuditEvent.seq.desc()).limit(1)).scalar_one_or_none()

    merge, detail = latest("code.merge"), latest(DETAIL_ACTION)
    if merge is None or detail is None or detail.seq < merge.seq or detail.after_json is None:
        raise InvariantError("this merge was made without the details needed to undo it")
    if detail.after_json == TOMBSTONE:
        raise InvariantError("the details of this merge were erased from the audit trail "
                             "(a redaction, after pseudonymisation): it cannot be undone")
    return MergeRecord.from_json(detail.after_json)


def _merged_code(tx: Tx, source_id: int) -> Code:
    source = get_or_fail(tx.session, Code, source_id, "code")
    if source.status != "merged":
        raise InvariantError(f"code '{source.name}' is not merged into another code")
    clash = tx.session.execute(select(Code.name).where(
        Code.name_key == name_key(source.name), Code.status == "active")).scalar_one_or_none()
    if clash is not None:
        raise InvariantError(f"a code named '{clash}' exists now; rename it to bring "
                             f"'{source.name}' back")
    return source


def _target_of(tx: Tx, record: MergeRecord) -> Code:
    """The target as merged, or the active code now carrying its name (a delete's undo
    brings a code back under a new id)."""
    target = tx.session.get(Code, record.target_id)
    if target is None or target.status != "active":
        target = tx.session.execute(select(Code).where(
            Code.name_key == name_key(record.target_name),
            Code.status == "active")).scalar_one_or_none()
    if target is None:
        raise InvariantError(f"code '{record.target_name}', which it was merged into, "
                             "no longer exists")
    return target


def _move_back(tx: Tx, record: MergeRecord, source: Code, target: Code,
               change: Change) -> int:
    """Give the moved codings back to the source; returns how many were gone."""
    missing = 0
    for document_id, coder_id, start, end in record.moved_codings:
        coding = tx.session.execute(select(Coding).where(
            Coding.code_id == target.id, Coding.document_id == document_id,
            Coding.coder_id == coder_id, Coding.start == start, Coding.end == end,
        )).scalar_one_or_none()
        if coding is None:
            missing += 1
            continue
        coding.code_id = source.id
        change.change(Kind.CODING, coding.id)
    return missing


def _restore_dropped(tx: Tx, record: MergeRecord, source: Code, change: Change) -> int:
    """Re-create the codings the merge dropped as duplicates; returns how many were gone."""
    missing = 0
    for document_id, coder_id, start, end, memo, created_at, represented in \
            record.dropped_codings:
        if tx.session.get(Document, document_id) is None:
            missing += 1
            continue
        coding = Coding(document_id=document_id, code_id=source.id, coder_id=coder_id,
                        start=start, end=end, memo=memo, created_at=created_at)
        tx.session.add(coding)
        tx.session.flush()
        change.add(Kind.CODING, coding.id)
        for theme_id in represented:
            theme = tx.session.get(Theme, theme_id)
            if theme is not None and theme.representative_coding_id is None:
                theme.representative_coding_id = coding.id
                change.change(Kind.THEME, theme_id)
    return missing


def _restore_places(tx: Tx, record: MergeRecord, source: Code, target: Code,
                    change: Change) -> None:
    """Put the source back in its themes, where they still exist."""
    for theme_id, _position in record.moved_memberships:
        membership = tx.session.get(ThemeMembership, (theme_id, target.id))
        if membership is not None:
            membership.code_id = source.id
            change.change(Kind.THEME, theme_id)
    tx.session.flush()
    for theme_id, position in record.dropped_memberships:
        if tx.session.get(Theme, theme_id) is None or \
                tx.session.get(ThemeMembership, (theme_id, source.id)) is not None:
            continue
        taken = tx.session.execute(select(ThemeMembership.code_id).where(
            ThemeMembership.theme_id == theme_id, ThemeMembership.position == position)).first()
        if taken is not None:
            tx.session.execute(update(ThemeMembership).where(
                ThemeMembership.theme_id == theme_id, ThemeMembership.position >= position)
                .values(position=ThemeMembership.position + 1))
        tx.session.add(ThemeMembership(theme_id=theme_id, code_id=source.id, position=position))
        change.change(Kind.THEME, theme_id)


def unmerge_code(tx: Tx, source_id: int) -> Change:
    """Undo the latest merge of ``source_id``: it becomes active again with its codings
    (those moved, found on the target by span; those dropped, re-created) and its themes."""
    source = _merged_code(tx, source_id)
    record = last_merge_record(tx, source_id)
    target = _target_of(tx, record)
    change = Change().add(Kind.CODE, source.id).change(Kind.CODE, target.id)
    moved_gone = _move_back(tx, record, source, target, change)
    dropped_gone = _restore_dropped(tx, record, source, change)
    _restore_places(tx, record, source, target, change)
    source.status = "active"
    source.merged_into_id = None
    tx.session.flush()
    tx.audit("code.unmerge", "code", source.id,
             before={"status": "merged", "merged_into": target.id},
             after={"status": "active", "merged_out_of_name": target.name,
                    "codings_moved_back": len(record.moved_codings) - moved_gone,
                    "codings_restored": len(record.dropped_codings) - dropped_gone,
                    "codings_no_longer_there": moved_gone + dropped_gone})
    return change
