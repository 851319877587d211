"""What this project's audit trail says was deleted here, named by what stays the same in
every copy: the GUIDs of codes and themes, the SHA-256 of transcripts' source files.

A merge asks, so that a copy made before a deletion does not bring the deleted thing back:
a code given up, a theme dropped, the transcript of a participant who withdrew. Row ids
cannot say it (each copy numbers its rows on its own, and SQLite reuses a deleted row's id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.storage.models import AuditEvent


@dataclass(frozen=True)
class DeletedHere:
    """GUIDs of deleted codes and themes, and source hashes of deleted transcripts (some
    may have come back since, by an undo: the caller checks what the project holds)."""

    codes: frozenset[str]
    themes: frozenset[str]
    transcripts: frozenset[str]


def deleted_here(session: Session) -> DeletedHere:
    return DeletedHere(_recorded(session, "code.delete", "guid"),
                       _recorded(session, "theme.delete", "guid"),
                       _recorded(session, "document.delete", "sha256"))


def _recorded(session: Session, action: str, field: str) -> frozenset[str]:
    """The ``field`` of what each ``action`` event recorded before (a redacted or unreadable
    payload names nothing)."""
    found = set()
    for before in session.execute(select(AuditEvent.before_json)
                                  .where(AuditEvent.action == action)).scalars():
        try:
            values = json.loads(before) if before else None
        except ValueError:
            continue
        value = values.get(field) if isinstance(values, dict) else None
        if isinstance(value, str) and value:
            found.add(value)
    return frozenset(found)
