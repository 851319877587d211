"""Other projects' audit trails, kept beside ours by merges, and their verification.

A merge brings another project's codings into this one, but their history lives in the other
project's trail. That trail is kept verbatim (every field, every hash), so the chain can be
recomputed here as it was there. Each merge records the other trail's head, and our own
``project.merge`` event records it too (or, once that event's payload is erased, the
``audit.redact`` event that erased it restates it): a kept trail edited, cut short or swapped
for another no longer matches what our chain says was merged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from thematic_workbench.core.storage.audit import (
    GENESIS_HASH,
    REDACT_ACTION,
    erased_events,
    verify_events,
)
from thematic_workbench.core.storage.catalog import has_table, triggers_on
from thematic_workbench.core.storage.models import (
    AuditEvent,
    KeptEvent,
    ProjectMerge,
    Redaction,
)

BATCH = 5_000
KEPT_TRIGGERS = {"kept_event_no_update", "kept_event_no_delete",
                 "project_merge_no_update", "project_merge_no_delete"}
MERGE_ACTION = "project.merge"


def chain_head(session: Session) -> tuple[int, str]:
    """A project's chain head as (sequence, hash); (0, genesis) for an empty trail."""
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash)
                          .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def kept_before(session: Session, head: tuple[int, str]) -> bool:
    """Whether an earlier merge already kept a trail with this very head."""
    return session.execute(select(func.count()).select_from(ProjectMerge).where(
        ProjectMerge.head_seq == head[0], ProjectMerge.head_hash == head[1])).scalar_one() > 0


def kept_but_for_merges(session: Session, other: Session) -> bool:
    """Whether an earlier merge kept ``other``'s trail up to an event after which it records
    nothing but merges (of this project, as a rule: two copies merged back and forth).

    Then the other trail has no news of its own: a merge that brings nothing keeps no second
    copy of it, so merging back and forth settles instead of answering each merge with one.
    """
    for seq, digest in session.execute(select(ProjectMerge.head_seq, ProjectMerge.head_hash)
                                       .order_by(ProjectMerge.head_seq.desc())):
        if other.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar() \
                != digest:
            continue
        return other.execute(select(AuditEvent.seq).where(
            AuditEvent.seq > seq, AuditEvent.action != MERGE_ACTION).limit(1)).first() is None
    return False


def in_own_trail(session: Session, head: tuple[int, str]) -> bool:
    """Whether ``head`` is an event of this project's own trail (another project merged a
    copy of this one, up to that event)."""
    return session.execute(select(AuditEvent.seq).where(
        AuditEvent.seq == head[0], AuditEvent.hash == head[1])).first() is not None


def keep_trail(session: Session, merge_id: int, other: Session) -> int:
    """Copy every event of ``other``'s trail, as it is, under ``merge_id``, and the records
    of the payloads erased from it there (without them its erased events would not verify)."""
    columns = [column.name for column in AuditEvent.__table__.columns]
    result = other.connection().execution_options(yield_per=BATCH).execute(
        select(AuditEvent.__table__).order_by(AuditEvent.seq))
    kept = 0
    for part in result.mappings().partitions():
        session.execute(insert(KeptEvent.__table__), [
            {"merge_id": merge_id, **{name: row[name] for name in columns}} for row in part])
        kept += len(part)
    erased = [{"merge_id": merge_id, "seq": row.seq, "at": row.at, "coder": row.coder,
               "reason": row.reason, "recorded_seq": row.recorded_seq,
               "recorded_in": merge_id, "fields_sha256": row.fields_sha256}
              for row in other.execute(select(Redaction).where(
                  Redaction.merge_id.is_(None), Redaction.recorded_in.is_(None))).scalars()]
    if erased:
        session.execute(insert(Redaction.__table__), erased)
    return kept


@dataclass(frozen=True)
class KeptTrailCheck:
    """One merge's kept trail: how many events, and the first thing wrong (if any).

    ``merged_at`` is the sequence of our ``project.merge`` event that vouches for it.
    """

    merge_id: int
    title: str
    merged_at: int
    events: int
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem

    def describe(self) -> str:
        what = f"the trail of '{self.title}' kept by the merge at event {self.merged_at}"
        if self.problem:
            return f"{what} is BROKEN: {self.problem}"
        return f"{what}: {self.events} events, hash chain verified"


def check_kept_trails(session: Session) -> list[KeptTrailCheck]:
    """Recompute every kept trail and hold it against its merge record and our trail."""
    if not has_table(session, ProjectMerge.__tablename__):
        return []
    vouched = _merges_in_our_trail(session)
    guarded = triggers_on(session, "kept_event") | triggers_on(session, "project_merge")
    checks = []
    for merge in session.execute(select(ProjectMerge).order_by(ProjectMerge.id)).scalars():
        merged_at, recorded = vouched.get(merge.id, (0, None))
        events = list(session.execute(select(KeptEvent).where(KeptEvent.merge_id == merge.id)
                                      .order_by(KeptEvent.seq)).scalars())
        problem = ""
        if recorded is None:
            problem = "no merge event in this project's trail records it"
        elif tuple(recorded) != (merge.head_seq, merge.head_hash):
            problem = ("its merge record no longer names the head this project's trail "
                       "recorded for it")
        elif events:
            chain = verify_events(events, erased_events(session, merge.id))
            if chain.first_bad_seq is not None:
                problem = f"at its event {chain.first_bad_seq}: {chain.problem}"
            elif (events[-1].seq, events[-1].hash) != (merge.head_seq, merge.head_hash):
                problem = (f"it ends at event {events[-1].seq}, not at the head "
                           f"{merge.head_seq} the merge recorded (events were removed)")
        elif not kept_elsewhere(session, merge):
            problem = "its events are missing"
        if not problem and not guarded >= KEPT_TRIGGERS:
            problem = "the database triggers that keep it append-only have been removed"
        checks.append(KeptTrailCheck(merge.id, merge.other_title, merged_at, len(events),
                                     problem))
    return checks


def kept_elsewhere(session: Session, merge: ProjectMerge) -> bool:
    """A merge that found its trail already kept points at the earlier merge's copy."""
    return session.execute(select(func.count()).select_from(KeptEvent).join(
        ProjectMerge, ProjectMerge.id == KeptEvent.merge_id).where(
        ProjectMerge.head_hash == merge.head_hash, KeptEvent.seq == merge.head_seq,
        KeptEvent.hash == merge.head_hash)).scalar_one() > 0


def recorded_head(after_json: str | None) -> list[object] | None:
    """The other trail's head a ``project.merge`` event's payload recorded (None when the
    payload holds none, as after an erasure)."""
    return (json.loads(after_json) or {}).get("other_head") if after_json else None


def _merges_in_our_trail(session: Session) -> dict[int, tuple[int, list[object] | None]]:
    """For each merge our trail records: the event's sequence and the head it recorded
    (for a merge event whose payload was erased, the head the erasing event restated)."""
    restated: dict[int, list[object]] = {}
    for (after,) in session.execute(select(AuditEvent.after_json).where(
            AuditEvent.action == REDACT_ACTION).order_by(AuditEvent.seq)):
        for merge_id, head in ((json.loads(after or "null") or {}).get("merge_heads")
                               or {}).items():
            restated.setdefault(int(merge_id), head)
    found: dict[int, tuple[int, list[object] | None]] = {}
    for seq, entity_id, after in session.execute(
            select(AuditEvent.seq, AuditEvent.entity_id, AuditEvent.after_json)
            .where(AuditEvent.action == MERGE_ACTION)):
        head = recorded_head(after)
        if entity_id is not None:
            found[entity_id] = (seq, head if head is not None else restated.get(entity_id))
    return found
