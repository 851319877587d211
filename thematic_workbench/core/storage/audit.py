"""The tamper-evident audit trail: a hash chain over append-only events.

Each event stores the SHA-256 of the previous event and its own SHA-256 computed over its
fields. Editing an event breaks its own hash; deleting or inserting one breaks the chain.
Database triggers refuse UPDATE and DELETE, so tampering needs deliberate effort, and
:func:`verify_chain` shows where it happened.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from thematic_workbench.core.storage.catalog import triggers_on
from thematic_workbench.core.storage.models import AuditEvent
from thematic_workbench.core.storage.server import AUDIT_LOCK
from thematic_workbench.core.timestamps import utc_now
from thematic_workbench.core.wording import plural

GENESIS_HASH = "0" * 64

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
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


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


def hash_of(event: ChainedEvent) -> str:
    return event_hash(
        event.seq, event.at, event.coder, event.phase, event.action, event.entity_kind,
        event.entity_id, event.before_json, event.after_json, event.prev_hash,
    )


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
        event = AuditEvent(
            seq=last_seq + 1, at=utc_now(), coder=coder, phase=phase, action=action,
            entity_kind=entity_kind, entity_id=entity_id, before_json=to_json(before),
            after_json=to_json(after), prev_hash=prev,
        )
        event.hash = hash_of(event)
        self._session.add(event)
        self._last = (event.seq, event.hash)
        self.appended.append(event.seq)
        return event


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of re-computing the chain; ``first_bad_seq`` is None when it is intact."""

    events: int
    first_bad_seq: int | None = None
    problem: str = ""
    unprotected: bool = False

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
        return (f"audit trail intact: {plural(self.events, 'event', grouped=False)}, "
                "hash chain verified")


def verify_events(events: Iterable[ChainedEvent]) -> VerifyResult:
    """Walk the events in sequence order and report the first one that does not match."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
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
        if hash_of(event) != event.hash:
            return VerifyResult(count, event.seq,
                                f"its content no longer matches its hash "
                                f"({event.action} on {event.entity_kind} {event.entity_id} "
                                "was edited)")
        prev_hash = event.hash
        expected_seq += 1
    return VerifyResult(count)


PROTECTING_TRIGGERS = {"audit_event_no_update", "audit_event_no_delete"}


def verify_chain(session: Session) -> VerifyResult:
    """Recompute the chain, and check that the triggers guarding it are still in place."""
    events = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000)
    ).scalars()
    result = verify_events(events)
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
    return json.loads(recorded) if recorded is not None else None
