"""The audit trail as CSV: an appendix for the write-up, a copy for a supervisor or an auditor.

UTF-8 with a byte-order mark so that Excel reads accents and quotes correctly. Rows are in
the chain's order (oldest first) with before/after exactly as stored, so a full export can
be checked against the hashes elsewhere. It is written whole or not at all (io/atomic.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from thematic_workbench.core.audit_queries import AuditFilter, AuditRow, iter_audit_rows
from thematic_workbench.io.tabular import write_csv

COLUMNS = ("id", "time", "coder", "phase", "action", "entity kind", "entity id", "before",
           "after", "hash")


def _cells(row: AuditRow) -> list[str | int]:
    return [row.seq, row.at, row.coder, row.phase, row.action, row.entity_kind,
            "" if row.entity_id is None else row.entity_id, row.before_json or "",
            row.after_json or "", row.hash]


def write_audit_csv(rows: Iterable[AuditRow], path: str | Path) -> int:
    """Write ``rows`` to ``path`` (replacing it only once complete); return how many."""
    return write_csv(path, COLUMNS, (_cells(row) for row in rows), "the audit trail")


def export_audit_csv(session: Session, path: str | Path,
                     audit_filter: AuditFilter | None = None) -> int:
    """Write the project's audit trail (or the events matching a filter) to ``path``."""
    return write_audit_csv(iter_audit_rows(session, audit_filter, summaries=False), path)
