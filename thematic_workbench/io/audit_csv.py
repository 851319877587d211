"""The audit trail as CSV: an appendix for the write-up, a copy for a supervisor or an auditor.

UTF-8 with a byte-order mark so that Excel reads accents and quotes correctly. Rows are in
the chain's order (oldest first) with before/after exactly as stored and, for an event
hashed over the digest of its payloads (version 2), that digest, so a full export can be
checked against the hashes elsewhere (an erased payload by its digest alone). It is written
whole or not at all (io/atomic.py). Files exported before the digest column are still read.

After the events come the rows that make the file an anchor: ``head`` (the whole trail's
newest event and its hash when exported, even for a filtered export) and one ``anchor`` row
per signed anchor (its head, key and signature). ``audit PROJECT --verify --against FILE``
reads them back (:func:`read_exported_trail`) to check the project still extends this copy.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from thematic_workbench.core.reports.appendices import AuditExport, TrailAnchors
from thematic_workbench.core.timestamps import utc_now
from thematic_workbench.core.trail.audit_queries import AuditRow
from thematic_workbench.core.trail.keys import fingerprint
from thematic_workbench.core.trail.trail_verify import (
    TRAIL_FORMAT,
    ExportedTrail,
    TrailFileError,
)
from thematic_workbench.io.tabular import write_csv

COLUMNS = ("id", "time", "coder", "phase", "action", "entity kind", "entity id", "before",
           "after", "payload sha256", "hash")
EARLIER_COLUMNS = tuple(name for name in COLUMNS if name != "payload sha256")
HEAD_ID, ANCHOR_ID = "head", "anchor"
Cells = list[str | int]


def _cells(row: AuditRow) -> Cells:
    return [row.seq, row.at, row.coder, row.phase, row.action, row.entity_kind,
            "" if row.entity_id is None else row.entity_id, row.before_json or "",
            row.after_json or "", row.payload_sha256 or "", row.hash]


def anchor_rows(trail: TrailAnchors) -> list[Cells]:
    """The ``head`` row and one ``anchor`` row per signed anchor, as exported."""
    head = trail.head
    if head is None:
        return []
    seq, digest, at = head
    rows: list[Cells] = [[HEAD_ID, at, "", "", "audit.head", "audit_event", seq, "",
                          json.dumps({"format": TRAIL_FORMAT, "exported_at": utc_now()}), "",
                          digest]]
    for anchor in trail.anchors:
        rows.append([ANCHOR_ID, anchor.created_at, anchor.coder, "", f"anchor.{anchor.kind}",
                     anchor.kind, "" if anchor.entity_id is None else anchor.entity_id, "",
                     json.dumps({"seq": anchor.seq, "public_key": anchor.public_key,
                                 "fingerprint": fingerprint(anchor.public_key),
                                 "signature": anchor.signature}, sort_keys=True), "",
                     anchor.head_hash])
    return rows


def write_audit_csv(rows: Iterable[AuditRow], path: str | Path,
                    trailer: Iterable[Cells] = ()) -> int:
    """Write ``rows`` (then the ``trailer`` rows) to ``path``, replacing it only once
    complete; return how many events were written."""
    count = 0

    def cells() -> Iterator[Cells]:
        nonlocal count
        for row in rows:
            count += 1
            yield _cells(row)
        yield from trailer

    write_csv(path, COLUMNS, cells(), "the audit trail")
    return count


def export_audit_csv(trail: AuditExport, path: str | Path) -> int:
    """Write the project's audit trail (or the events matching a filter), as read by
    :func:`~thematic_workbench.core.reports.appendices.audit_export`, to ``path``, with the chain
    head and the signed anchors after them."""
    return write_audit_csv(trail.rows, path, anchor_rows(trail.anchors))


def read_exported_trail(path: Path) -> ExportedTrail:
    """The head, anchors and event hashes an exported CSV holds."""
    rows: list[tuple[int, str]] = []
    anchors: list[tuple[int, str, str]] = []
    head: tuple[int, str] | None = None
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            header = tuple(next(reader, ()))
            if header not in (COLUMNS, EARLIER_COLUMNS):
                raise TrailFileError(f"{path}: is not an audit trail exported by Thematic "
                                     "Workbench (its columns differ)")
            for number, cells in enumerate(reader, start=2):
                if len(cells) != len(header):
                    raise TrailFileError(f"{path}: line {number} has {len(cells)} cells, "
                                         f"not {len(header)}")
                kind, digest = cells[0], cells[-1]
                if kind == HEAD_ID:
                    head = (int(cells[6]), digest)
                elif kind == ANCHOR_ID:
                    values = json.loads(cells[8])
                    anchors.append((int(values["seq"]), digest, str(values["signature"])))
                else:
                    rows.append((int(kind), digest))
    except (OSError, UnicodeDecodeError) as exc:
        raise TrailFileError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})"
                             ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise TrailFileError(f"{path}: is not an audit trail exported by Thematic Workbench "
                             f"({exc})") from exc
    if head is None:
        raise TrailFileError(f"{path}: holds no chain head (exported by an older version); "
                             "export the audit trail again to use it as an anchor")
    return ExportedTrail(path.name, head[0], head[1], tuple(rows), tuple(anchors))
