"""Erasing real strings from the audit trail in a way the trail survives.

A real name can reach the trail before a study is pseudonymised: an in-vivo code's name, a
memo, a deleted passage. :func:`redact_strings` finds every event (of this project's trail
and of the trails merges kept) whose payloads hold one of the strings, as a whole word in
any case, and puts :data:`~thematic_workbench.core.storage.audit.TOMBSTONE` in place of both
payloads. A version-2 event is hashed over the digest of its payloads, which stays, so it
still verifies in full; a version-1 event (written before schema 0008) keeps the digest of
its other fields in its redaction record, and verify checks its links and those fields.

Each erased event gets a row in the append-only ``redaction`` table, and one ``audit.redact``
event in our trail records them all: the sequences erased, the reason, and the digests of the
records (:func:`records_digest`; our trail's and the kept trails' apart), and restates the
other trail's head for each ``project.merge`` event erased, which vouches for a kept trail. No
real string goes into either. A merge keeps, with another project's trail, the records of
what that project erased from it, which its own ``audit.redact`` events (now in the kept
trail) state.
:func:`redaction_problems` holds every record against the event that states it, so an
erasure made without its event, or a record removed or altered, shows in ``audit --verify``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.storage.audit import (
    HASH_VERSION,
    REDACT_ACTION,
    TOMBSTONE,
    ChainedEvent,
    fields_digest,
    hash_of,
    payload_digest,
    to_json,
)
from thematic_workbench.core.storage.catalog import has_table, triggers_on
from thematic_workbench.core.storage.models import AuditEvent, KeptEvent, Redaction
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.whole_words import whole_words
from thematic_workbench.core.trail.kept_trails import MERGE_ACTION, recorded_head

REDACTION_TRIGGERS = {"redaction_no_update", "redaction_no_delete"}
BATCH = 500

Record = tuple[int | None, int, str | None]  # (merge id or None for ours, seq, fields digest)


@dataclass
class RedactionReport:
    """What was erased: our events' sequences, each kept trail's (by merge), and the event
    that records it (None when nothing held a string)."""

    events: list[int] = field(default_factory=list)
    kept: dict[int, list[int]] = field(default_factory=dict)
    recorded_seq: int | None = None

    @property
    def total(self) -> int:
        return len(self.events) + sum(len(seqs) for seqs in self.kept.values())


def records_digest(records: Iterable[Record]) -> str:
    """The SHA-256 of a redaction's records, in a fixed order, which its event states."""
    rows = sorted([merge or 0, seq, fields] for merge, seq, fields in records)
    return hashlib.sha256((to_json(rows) or "").encode("utf-8")).hexdigest()


def _texts(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included (and numbers, as written)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield str(value)


class _Finder:
    """Whether a payload holds one of the strings, as a whole word in any case. Looked for
    in the decoded values, where a name is not hidden behind a JSON escape ("\\nAnn")."""

    def __init__(self, strings: Iterable[str]) -> None:
        self._pattern = whole_words(" ".join(string.split()) for string in strings)

    @property
    def empty(self) -> bool:
        return self._pattern is None

    def holds(self, payload: str | None) -> bool:
        if self._pattern is None or not payload or payload == TOMBSTONE:
            return False
        try:
            value = json.loads(payload)
        except ValueError:
            return self._pattern.search(payload) is not None
        return any(self._pattern.search(text) for text in _texts(value))


def _checked(event: ChainedEvent, where: str) -> str | None:
    """Refuse to erase an event that no longer verifies (erasing would hide the evidence);
    returns the digest of its other fields for a version-1 event."""
    if event.hash_version == HASH_VERSION:
        whole = payload_digest(event.before_json, event.after_json) == event.payload_sha256
    else:
        whole = event.hash_version == 1
    if not whole or hash_of(event) != event.hash:
        raise InvariantError(f"event {event.seq} of {where} no longer matches its hash: "
                             "verify the audit trail (audit --verify) before erasing from it")
    return fields_digest(event) if event.hash_version == 1 else None


def _found(session: Session, finder: _Finder) -> tuple[list[int], dict[int, list[int]]]:
    ours = [seq for seq, before, after in session.execute(
        select(AuditEvent.seq, AuditEvent.before_json, AuditEvent.after_json)
        .where(AuditEvent.action != REDACT_ACTION).order_by(AuditEvent.seq)
        .execution_options(yield_per=2000)) if finder.holds(before) or finder.holds(after)]
    kept: dict[int, list[int]] = {}
    for merge_id, seq, before, after in session.execute(
            select(KeptEvent.merge_id, KeptEvent.seq, KeptEvent.before_json,
                   KeptEvent.after_json).order_by(KeptEvent.merge_id, KeptEvent.seq)
            .execution_options(yield_per=2000)):
        if finder.holds(before) or finder.holds(after):
            kept.setdefault(merge_id, []).append(seq)
    return ours, kept


def _chunks(seqs: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(seqs), BATCH):
        yield list(seqs[start:start + BATCH])


def redact_strings(tx: Tx, strings: Iterable[str], reason: str
                   ) -> tuple[RedactionReport, Change]:
    """Erase the payloads of every event that holds one of ``strings`` (as a whole word, in
    any case), record each erasure and the whole as one ``audit.redact`` event giving
    ``reason``, which must hold none of them."""
    finder = _Finder(strings)
    report = RedactionReport()
    if finder.empty:
        return report, Change()
    if finder.holds(to_json(reason)):
        raise InvariantError("the reason for erasing holds one of the strings it erases; "
                             "say why without it")
    session = tx.session
    report.events, report.kept = _found(session, finder)
    if not report.total:
        return report, Change()
    records: list[Record] = []
    for seqs in _chunks(report.events):
        records += [(None, event.seq, _checked(event, "the audit trail")) for event in
                    session.execute(select(AuditEvent).where(AuditEvent.seq.in_(seqs)))
                    .scalars()]
    for merge_id, kept_seqs in report.kept.items():
        for seqs in _chunks(kept_seqs):
            records += [(merge_id, event.seq, _checked(event, f"the trail kept by merge "
                                                               f"{merge_id}"))
                        for event in session.execute(select(KeptEvent).where(
                            KeptEvent.merge_id == merge_id, KeptEvent.seq.in_(seqs))).scalars()]
    after: dict[str, Any] = {"reason": reason, "events": report.events,
                             "records_sha256": records_digest(r for r in records if r[0] is None)}
    heads = _merge_heads(session, report.events)
    if heads:
        after["merge_heads"] = heads
    if report.kept:
        after["kept_events"] = {str(merge): seqs for merge, seqs in report.kept.items()}
        after["kept_records_sha256"] = records_digest(r for r in records if r[0] is not None)
    tx.audit(REDACT_ACTION, "audit_event", None, after=after)
    recorded = session.get(AuditEvent, tx.audit_writer.head[0])
    assert recorded is not None
    report.recorded_seq = recorded.seq
    session.add_all(Redaction(merge_id=merge, seq=seq, at=recorded.at, coder=recorded.coder,
                              reason=reason, recorded_seq=recorded.seq, fields_sha256=fields)
                    for merge, seq, fields in records)
    session.flush()  # the triggers let a tombstone in only for a recorded event
    erased = {"before_json": TOMBSTONE, "after_json": TOMBSTONE}
    for seqs in _chunks(report.events):
        session.execute(update(AuditEvent).where(AuditEvent.seq.in_(seqs)).values(erased))
    for merge_id, kept_seqs in report.kept.items():
        for seqs in _chunks(kept_seqs):
            session.execute(update(KeptEvent).where(KeptEvent.merge_id == merge_id,
                                                    KeptEvent.seq.in_(seqs)).values(erased))
    change = Change()
    for seq in report.events:
        change.change(Kind.AUDIT_EVENT, seq)
    return report, change


def _merge_heads(session: Session, seqs: Sequence[int]) -> dict[str, list[Any]]:
    """The other trail's head each erased ``project.merge`` event recorded, by merge id:
    restated in the ``audit.redact`` event so that the kept trail is still vouched for by our
    chain once the merge event's payload (which names the other project) is gone."""
    heads: dict[str, list[Any]] = {}
    for chunk in _chunks(seqs):
        for merge_id, after in session.execute(
                select(AuditEvent.entity_id, AuditEvent.after_json).where(
                    AuditEvent.seq.in_(chunk), AuditEvent.action == MERGE_ACTION)):
            head = recorded_head(after)
            if merge_id is not None and head is not None:
                heads[str(merge_id)] = head
    return heads


# -- verifying ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RedactedEvent:
    """One erased event as verify lists it. ``older``: written before payload digests were
    kept (version 1), so checked by its links and the digest of its other fields."""

    seq: int
    merge_id: int | None  # the trail holding the event: None ours, or a merge's kept trail
    at: str
    coder: str
    reason: str
    recorded_seq: int
    recorded_in: int | None  # the trail holding the audit.redact event, likewise
    older: bool


def redacted_events(session: Session) -> list[RedactedEvent]:
    """Every erasure recorded, in the order of the events that record them."""
    if not has_table(session, Redaction.__tablename__):
        return []
    return [RedactedEvent(row.seq, row.merge_id, row.at, row.coder, row.reason,
                          row.recorded_seq, row.recorded_in, row.fields_sha256 is not None)
            for row in session.execute(select(Redaction).order_by(
                Redaction.recorded_in.is_not(None), Redaction.recorded_in,
                Redaction.recorded_seq, Redaction.merge_id.is_not(None), Redaction.merge_id,
                Redaction.seq)).scalars()]


def _stated(after: str | None) -> dict[str, Any] | None:
    try:
        values = json.loads(after or "")
    except ValueError:
        return None
    return values if isinstance(values, dict) else None


def _seqs_by_trail(rows: Iterable[RedactedEvent]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for row in rows:
        found.setdefault(str(row.merge_id), []).append(row.seq)
    return {merge: sorted(seqs) for merge, seqs in found.items()}


def _matches(stated: dict[str, Any] | None, rows: list[RedactedEvent], coder: str, at: str,
             digests: dict[tuple[int | None, int], str | None]) -> bool:
    """Whether the records are exactly the ones the event states. The event's own trail is
    the trail the rows' ``recorded_in`` names; the kept trails it names are ours only for
    an event of ours (a kept project's trails of its own merges are not kept here)."""
    if stated is None or not rows:
        return False
    home = rows[0].recorded_in
    own = [row for row in rows if row.merge_id == home]
    kept = [row for row in rows if row.merge_id != home]

    def digest(part: list[RedactedEvent]) -> str:  # as the home trail numbered them
        return records_digest((None if row.merge_id == home else row.merge_id, row.seq,
                               digests[(row.merge_id, row.seq)]) for row in part)

    return (stated.get("events") == sorted(row.seq for row in own)
            and stated.get("records_sha256") == digest(own)
            and (home is not None or (stated.get("kept_events", {}) == _seqs_by_trail(kept)
                                      and (not kept or stated.get("kept_records_sha256")
                                           == digest(kept))))
            and all((row.reason, row.coder, row.at) == (stated.get("reason"), coder, at)
                    for row in rows)
            and all(row.seq < row.recorded_seq for row in own))


def _statements(session: Session) -> Iterator[tuple[int | None, int, str, str, str | None]]:
    """Every ``audit.redact`` event, ours and kept ones: (trail, seq, coder, time, after)."""
    for seq, coder, at, after in session.execute(
            select(AuditEvent.seq, AuditEvent.coder, AuditEvent.at, AuditEvent.after_json)
            .where(AuditEvent.action == REDACT_ACTION).order_by(AuditEvent.seq)):
        yield None, seq, coder, at, after
    for merge_id, seq, coder, at, after in session.execute(
            select(KeptEvent.merge_id, KeptEvent.seq, KeptEvent.coder, KeptEvent.at,
                   KeptEvent.after_json).where(KeptEvent.action == REDACT_ACTION)
            .order_by(KeptEvent.merge_id, KeptEvent.seq)):
        yield merge_id, seq, coder, at, after


def redaction_problems(session: Session, redacted: list[RedactedEvent], last_seq: int
                       ) -> list[tuple[int, str]]:
    """(first bad event, what is wrong) for each redaction whose records and event disagree,
    and for erasures no event records. A kept trail's problem is placed at the end of ours
    (its events are numbered in the other project)."""
    problems: list[tuple[int, str]] = []
    if not has_table(session, Redaction.__tablename__):
        return problems
    if not triggers_on(session, Redaction.__tablename__) >= REDACTION_TRIGGERS:
        problems.append((last_seq + 1, "the database triggers that keep the redaction records "
                                       "append-only have been removed"))
    digests = dict(((merge, seq), fields) for merge, seq, fields in session.execute(
        select(Redaction.merge_id, Redaction.seq, Redaction.fields_sha256)))
    groups: dict[tuple[int | None, int], list[RedactedEvent]] = {}
    for row in redacted:
        groups.setdefault((row.recorded_in, row.recorded_seq), []).append(row)
    for trail, seq, coder, at, after in _statements(session):
        if not _matches(_stated(after), groups.pop((trail, seq), []), coder, at, digests):
            where = (f"event {seq}" if trail is None else
                     f"event {seq} of the trail kept by merge {trail}")
            problems.append((seq if trail is None else last_seq + 1,
                             f"the redaction recorded at {where} does not match the "
                             "redaction records kept with the trail (records were added, "
                             "removed or changed)"))
    for (trail, recorded_seq), rows in groups.items():
        ours = [row.seq for row in rows if row.merge_id is None]
        where = "" if trail is None else f" of the trail kept by merge {trail}"
        problems.append((min(ours, default=last_seq + 1),
                         f"{len(rows)} payload{'s' if len(rows) != 1 else ''} erased with no "
                         f"redaction event to record it (event {recorded_seq}{where} "
                         "records none)"))
    return problems
