"""The context every service runs in: one session, the acting coder, the audit writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.storage.audit import AuditWriter
from thematic_workbench.core.storage.models import Coder, Project

# Built once: every change starts here, and building them cost more than running them.
_PHASE = select(Project.current_phase)
_CODER_BY_NAME = select(Coder.id, Coder.name, Coder.role).where(Coder.name == bindparam("name"))


@dataclass
class Tx:
    """A write transaction on behalf of one coder, in the project's current phase."""

    session: Session
    coder_id: int
    coder_name: str
    coder_role: str
    phase: int
    audit_writer: AuditWriter

    @classmethod
    def start(cls, session: Session, coder_name: str) -> Tx:
        name = " ".join(coder_name.split())
        if not name:
            raise InvariantError("a coder name is needed to record who made a change")
        phase = session.execute(_PHASE).scalar_one()
        writer = AuditWriter(session)
        known = session.execute(_CODER_BY_NAME, {"name": name}).first()
        if known is not None:
            return cls(session, known.id, known.name, known.role, phase, writer)
        coder = Coder(name=name, role="analyst")
        session.add(coder)
        session.flush()
        writer.append(coder=name, phase=phase, action="coder.create", entity_kind="coder",
                      entity_id=coder.id, after={"name": name, "role": coder.role})
        return cls(session, coder.id, coder.name, coder.role, phase, writer)

    def audit(
        self,
        action: str,
        entity_kind: str,
        entity_id: int | None,
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Record one event in this same transaction."""
        self.audit_writer.append(
            coder=self.coder_name, phase=self.phase, action=action, entity_kind=entity_kind,
            entity_id=entity_id, before=before, after=after,
        )
