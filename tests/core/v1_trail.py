"""Events as the app wrote them before schema 0008: hash version 1, over the payloads
themselves, with only the columns schema 0001 had. For projects made at an older schema by
the tests, and for trails whose older events are erased."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from thematic_workbench.core.storage.audit import AuditWriter, event_hash, to_json
from thematic_workbench.core.storage.models import Coder
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.timestamps import utc_now

_INSERT = text(
    "INSERT INTO audit_event (seq, at, coder, phase, action, entity_kind, entity_id, "
    "before_json, after_json, prev_hash, hash) VALUES (:seq, :at, :coder, :phase, :action, "
    ":entity_kind, :entity_id, :before_json, :after_json, :prev_hash, :hash)")


class V1Writer(AuditWriter):
    """Appends version-1 events through plain SQL (the ORM would name newer columns)."""

    def append(self, *, coder: str, phase: int, action: str, entity_kind: str,
               entity_id: int | None, before: Any = None, after: Any = None) -> Any:
        last_seq, prev = self._tail()
        row = {"seq": last_seq + 1, "at": utc_now(), "coder": coder, "phase": phase,
               "action": action, "entity_kind": entity_kind, "entity_id": entity_id,
               "before_json": to_json(before), "after_json": to_json(after),
               "prev_hash": prev}
        row["hash"] = event_hash(**row)
        self._session.execute(_INSERT, row)
        self._last = (row["seq"], row["hash"])
        self.appended.append(row["seq"])
        return None


def v1_tx(session: Session, coder_name: str) -> Tx:
    """A transaction whose events are version 1 (the coder made first, as Tx.start would)."""
    known = session.query(Coder).filter_by(name=coder_name).first()
    if known is None:
        session.add(Coder(name=coder_name, role="analyst"))
        session.flush()
    tx = Tx.start(session, coder_name)
    tx.audit_writer = V1Writer(session)
    if known is None:
        coder = session.query(Coder).filter_by(name=coder_name).one()
        tx.audit_writer.append(coder=coder_name, phase=tx.phase, action="coder.create",
                               entity_kind="coder", entity_id=coder.id,
                               after={"name": coder_name, "role": coder.role})
    return tx
