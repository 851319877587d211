"""The audit trail as CSV: an appendix for the write-up, a copy for a supervisor or an auditor.

UTF-8 with a byte-order mark so that Excel reads accents and quotes correctly. Rows are in
the chain's order (oldest first) with before/after exactly as stored, so a full export can
be checked against the hashes elsewhere. The file is written beside its target under a
temporary name and renamed at the end: a failure leaves the old file, or none, never half.
"""

from __future__ import annotations

import csv
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from thematic_workbench.core.audit_queries import AuditFilter, AuditRow, iter_audit_rows
from thematic_workbench.core.errors import WorkbenchError

COLUMNS = ("id", "time", "coder", "phase", "action", "entity kind", "entity id", "before",
           "after", "hash")
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str) -> str:
    """Free text (a coder's name) that a spreadsheet will show, not run."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _cells(row: AuditRow) -> list[str | int]:
    return [row.seq, row.at, _safe_text(row.coder), row.phase, row.action, row.entity_kind,
            "" if row.entity_id is None else row.entity_id, row.before_json or "",
            row.after_json or "", row.hash]


def write_audit_csv(rows: Iterable[AuditRow], path: str | Path) -> int:
    """Write ``rows`` to ``path`` (replacing it only once complete); return how many."""
    target = Path(path)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    count = 0
    try:
        # O_EXCL: never write through someone else's file or link; 0o666 minus the umask,
        # so the export gets the permissions of any file the user saves.
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(handle, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow(_cells(row))
                count += 1
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise WorkbenchError(f"{target.name}: the audit trail could not be written "
                             f"({reason})") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def export_audit_csv(session: Session, path: str | Path,
                     audit_filter: AuditFilter | None = None) -> int:
    """Write the project's audit trail (or the events matching a filter) to ``path``."""
    return write_audit_csv(iter_audit_rows(session, audit_filter, summaries=False), path)
