"""The tamper-evident audit trail: a hash chain over append-only events.

Each event stores the SHA-256 of the previous event and its own SHA-256 computed over its
fields. Editing an event breaks its own hash; deleting or inserting one breaks the chain.
Database triggers refuse UPDATE and DELETE, so tampering needs deliberate effort, and
:func:`verify_chain` shows where it happened.

Two versions of the event hash live side by side. Version 1 (every event written before
schema 0008) covers the payloads (``before_json``, ``after_json``) themselves. Version 2 (every
event since) covers ``payload_sha256``, the digest of the payloads, and the payloads are
checked against that digest. So a payload that must not stay (a real name, after
pseudonymisation) can give way to :data:`TOMBSTONE` through a recorded redaction, and the
event still verifies in full. An erased version-1 event cannot have its hash recomputed: its
links are checked, and the digest of its other fields kept by the redaction
(:func:`fields_digest`). A payload changed without a redaction is tampering, as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.storage.catalog import triggers_on
from thematic_workbench.core.storage.models import AuditEvent, Redaction
from thematic_workbench.core.storage.server import AUDIT_LOCK
from thematic_workbench.core.timestamps import utc_now
from thematic_workbench.core.wording import plural

GENESIS_HASH = "0" * 64
HASH_VERSION = 2  # the version new events are hashed with
VERSION_2_MARK = "thematic-workbench-event/2"  # leads what a version-2 hash covers


def to_json(value: Any) -> str | None:
    """Canonical JSON (sorted keys, no spaces) so the same content always hashes the same."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(
    seq: int,
    at: str,
    coder: str,
    phase: int,
    action: str,
    entity_kind: str,
    entity_id: int | None,
    before_json: str | None,
    after_json: str | None,
    prev_hash: str,
) -> str:
    payload = [seq, at, coder, phase, action, entity_kind, entity_id, before_json, after_json,
               prev_hash]
    return _sha256(payload)


TOMBSTONE = '{"redacted":true}'  # what an erased payload becomes (to_json of that value)
REDACT_ACTION = "audit.redact"  # the event recording erasures (core/trail/redaction.py)


def _sha256(values: list[Any]) -> str:
    data = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def payload_digest(before_json: str | None, after_json: str | None) -> str:
    """The SHA-256 of an event's two payloads, which a version-2 hash covers."""
    return _sha256([before_json, after_json])


def event_hash_v2(
    seq: int,
    at: str,
    coder: str,
    phase: int,
    action: str,
    entity_kind: str,
    entity_id: int | None,
    payload_sha256: str | None,
    prev_hash: str,
) -> str:
    """A version-2 hash: the fields, the payloads' digest in place of the payloads, led by a
    mark no version-1 list can begin with (a sequence number)."""
    return _sha256([VERSION_2_MARK, seq, at, coder, phase, action, entity_kind, entity_id,
                    payload_sha256, prev_hash])


class ChainedEvent(Protocol):
    """An event of a hash chain: ours, or another project's trail kept by a merge."""

    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> str: ...
    @property
    def coder(self) -> str: ...
    @property
    def phase(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def entity_kind(self) -> str: ...
    @property
    def entity_id(self) -> int | None: ...
    @property
    def before_json(self) -> str | None: ...
    @property
    def after_json(self) -> str | None: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def hash_version(self) -> int: ...
    @property
    def payload_sha256(self) -> str | None: ...


def hash_of(event: ChainedEvent) -> str:
    """What the event's hash must be, by its version (an unknown version has none)."""
    if event.hash_version == 1:
        return event_hash(
            event.seq, event.at, event.coder, event.phase, event.action, event.entity_kind,
            event.entity_id, event.before_json, event.after_json, event.prev_hash,
        )
    if event.hash_version == HASH_VERSION:
        return event_hash_v2(
            event.seq, event.at, event.coder, event.phase, event.action, event.entity_kind,
            event.entity_id, event.payload_sha256, event.prev_hash,
        )
    return ""


def fields_digest(event: ChainedEvent) -> str:
    """The SHA-256 of everything of an event but its payloads (its own hash included): kept
    when a version-1 event's payloads are erased, as its hash can no longer be recomputed."""
    return _sha256([event.seq, event.at, event.coder, event.phase, event.action,
                    event.entity_kind, event.entity_id, event.prev_hash, event.hash,
                    event.hash_version])


def is_tombstone(event: ChainedEvent) -> bool:
    """Whether both payloads have been erased."""
    return event.before_json == TOMBSTONE and event.after_json == TOMBSTONE


class AuditWriter:
    """Appends events inside the caller's transaction, continuing the chain."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._last: tuple[int, str] | None = None
        self.appended: list[int] = []  # the sequence numbers this transaction wrote

    @property
    def head(self) -> tuple[int, str]:
        """The chain head as this transaction sees it: (sequence, hash), (0, genesis) empty."""
        return self._tail()

    def _tail(self) -> tuple[int, str]:
        if self._last is None:
            if self._session.get_bind().dialect.name != "sqlite":
                # Coders on one server append one after another: the head is read only
                # once the previous appender has committed (a file has one writer anyway).
                self._session.execute(select(func.pg_advisory_xact_lock(AUDIT_LOCK)))
            row = self._session.execute(
                select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
            ).first()
            self._last = (row[0], row[1]) if row else (0, GENESIS_HASH)
        return self._last

    def append(
        self,
        *,
        coder: str,
        phase: int,
        action: str,
        entity_kind: str,
        entity_id: int | None,
        before: Any = None,
        after: Any = None,
    ) -> AuditEvent:
        last_seq, prev = self._tail()
        before_json, after_json = to_json(before), to_json(after)
        event = AuditEvent(
            seq=last_seq + 1, at=utc_now(), coder=coder, phase=phase, action=action,
            entity_kind=entity_kind, entity_id=entity_id, before_json=before_json,
            after_json=after_json, prev_hash=prev, hash_version=HASH_VERSION,
            payload_sha256=payload_digest(before_json, after_json),
        )
        event.hash = hash_of(event)
        self._session.add(event)
        self._last = (event.seq, event.hash)
        self.appended.append(event.seq)
        return event


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of re-computing the chain; ``first_bad_seq`` is None when it is intact.

    ``redacted`` holds the events whose payloads were erased by a recorded redaction and
    that verified as far as an erased event can (see the module's docstring).
    """

    events: int
    first_bad_seq: int | None = None
    problem: str = ""
    unprotected: bool = False
    redacted: tuple[int, ...] = ()

    @property
    def intact(self) -> bool:
        return self.first_bad_seq is None and not self.unprotected

    def describe(self) -> str:
        if self.first_bad_seq is not None:
            return f"audit trail BROKEN at event {self.first_bad_seq}: {self.problem}"
        if self.unprotected:
            events = plural(self.events, "event", grouped=False)
            return (f"audit trail NOT PROTECTED: its {events} chain correctly, but "
                    "the database triggers that keep it append-only have been removed")
        erased = (f" ({plural(len(self.redacted), 'payload', grouped=False)} erased by "
                  "recorded redactions)" if self.redacted else "")
        return (f"audit trail intact: {plural(self.events, 'event', grouped=False)}, "
                f"hash chain verified{erased}")


def _event_problem(event: ChainedEvent, erased: Mapping[int, str | None]) -> str | None:
    """What is wrong with one event on its own (its links are checked by the caller)."""
    what = f"{event.action} on {event.entity_kind} {event.entity_id}"
    if event.hash_version not in (1, HASH_VERSION):
        return f"its hash version ({event.hash_version}) is not one this app writes"
    if event.seq in erased:
        if not is_tombstone(event):
            return (f"a recorded redaction erased its payload, yet it holds one again "
                    f"({what} was un-redacted or edited)")
        if event.hash_version == 1:  # its hash covers what was erased: check what was kept
            if fields_digest(event) != erased[event.seq]:
                return f"it was changed after its payload was erased ({what} was edited)"
            return None
    elif event.hash_version == HASH_VERSION and \
            payload_digest(event.before_json, event.after_json) != event.payload_sha256:
        how = "erased without a recorded redaction" if is_tombstone(event) else "edited"
        return f"its payload no longer matches its digest ({what} was {how})"
    if hash_of(event) != event.hash:
        return f"its content no longer matches its hash ({what} was edited)"
    return None


def verify_events(events: Iterable[ChainedEvent],
                  erased: Mapping[int, str | None] | None = None) -> VerifyResult:
    """Walk the events in sequence order and report the first one that does not match.

    ``erased`` maps the sequence of each event a redaction recorded to the digest of its
    other fields kept then (None for a version-2 event, whose hash covers them).
    """
    erased = erased or {}
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    redacted: list[int] = []
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return VerifyResult(count, event.seq,
                                f"sequence jumps from {expected_seq - 1} to {event.seq} "
                                "(events were removed)")
        if event.prev_hash != prev_hash:
            return VerifyResult(count, event.seq,
                                "its link to the previous event does not match "
                                "(an earlier event was changed or removed)")
        problem = _event_problem(event, erased)
        if problem:
            return VerifyResult(count, event.seq, problem)
        if event.seq in erased:
            redacted.append(event.seq)
        prev_hash = event.hash
        expected_seq += 1
    return VerifyResult(count, redacted=tuple(redacted))


def erased_events(session: Session, merge_id: int | None = None) -> dict[int, str | None]:
    """The events of a trail (ours, or the one a merge kept) whose payloads a redaction
    erased: sequence -> the digest of the other fields kept for a version-1 event."""
    trail = Redaction.merge_id.is_(None) if merge_id is None else \
        Redaction.merge_id == merge_id
    return dict(iter(session.execute(select(Redaction.seq, Redaction.fields_sha256)
                                     .where(trail))))


PROTECTING_TRIGGERS = {"audit_event_no_update", "audit_event_no_delete"}


def verify_chain(session: Session) -> VerifyResult:
    """Recompute the chain, and check that the triggers guarding it are still in place."""
    events = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000)
    ).scalars()
    result = verify_events(events, erased_events(session))
    triggers = triggers_on(session, "audit_event")
    if result.first_bad_seq is None and not triggers >= PROTECTING_TRIGGERS:
        return replace(result, unprotected=True)
    return result


def latest_before(session: Session, action: str, entity_id: int) -> Any:
    """What the newest ``action`` event on ``entity_id`` recorded as ``before``: undoing a
    deletion rebuilds the row from it."""
    recorded = session.execute(
        select(AuditEvent.before_json).where(AuditEvent.action == action,
                                             AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
    if recorded == TOMBSTONE:
        raise InvariantError("what was deleted has been erased from the audit trail (a "
                             "redaction, after pseudonymisation): it cannot be restored")
    return json.loads(recorded) if recorded is not None else None
