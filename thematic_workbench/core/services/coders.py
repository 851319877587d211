"""Coders and their roles: analyst, second coder, supervisor.

A role decides what a coder may do where the method asks for it (only a supervisor signs off
a phase). Any coder may set roles: this is a desktop tool for a small team that trusts each
other, and the audit trail records who changed whose role.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services.common import tidy_name
from thematic_workbench.core.storage.models import ROLES, Coder
from thematic_workbench.core.storage.server_roles import grant_role
from thematic_workbench.core.storage.transaction import Tx

ROLE_WORDS = {"analyst": "an analyst", "second_coder": "a second coder",
              "supervisor": "a supervisor"}


@dataclass(frozen=True)
class CoderInfo:
    id: int
    name: str
    role: str
    created_at: str


def set_coder_role(tx: Tx, coder_name: str, role: str) -> Change:
    """Give a coder a role, adding the coder to the project if they are new."""
    name = tidy_name(coder_name, "coder", max_length=200)
    if role not in ROLES:
        raise InvariantError(f"a coder's role is one of {', '.join(ROLES)}, not {role!r}")
    coder = tx.session.execute(select(Coder).where(Coder.name == name)).scalar_one_or_none()
    if coder is None:
        coder = Coder(name=name, role=role)
        tx.session.add(coder)
        tx.session.flush()
        tx.audit("coder.create", "coder", coder.id, after={"name": name, "role": role})
        return Change().add(Kind.CODER, coder.id)
    if coder.role == role:
        return Change()
    before = coder.role
    coder.role = role
    tx.session.flush()
    tx.audit("coder.role", "coder", coder.id, before={"name": name, "role": before},
             after={"name": name, "role": role})
    if coder.id == tx.coder_id:
        tx.coder_role = role
    return Change().change(Kind.CODER, coder.id)


def grant_server_role(tx: Tx, database: str, login: str, role: str) -> Change:
    """On a team server: make ``login`` a reader, an analyst, a second coder or a supervisor,
    enforced by the server, and (but for a reader) a coder of the project with that role."""
    grant_role(tx.session.connection(), database, login, role)
    tx.audit("server.grant", "coder", None, after={"login": login, "role": role})
    return set_coder_role(tx, login, role) if role in ROLES else Change()


def list_coders(session: Session) -> list[CoderInfo]:
    """Everyone who has worked on the project, by name."""
    rows = session.execute(select(Coder).order_by(Coder.name)).scalars()
    return [CoderInfo(c.id, c.name, c.role, c.created_at) for c in rows]
