"""Copying a whole project between a file and a server, audit trail and all.

``copy`` moves a study onto a team server (or back into a file for archiving or mailing):
every row of every table is copied with its id, so the audit trail is the same events with
the same hashes and still verifies, and the signatures of its anchors still match. The new
project then records the copy itself as its next event. The schema and every row are
written in one transaction: a copy that fails leaves no project behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import ProjectError
from thematic_workbench.core.storage.audit import verify_chain
from thematic_workbench.core.storage.models import AuditEvent, Base
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx

BATCH = 5_000  # rows read and written at a time: a large project never sits in memory


@dataclass
class CopyReport:
    """What was copied: rows per table, and the trail's length and verdict at the end."""

    source: str
    destination: str
    rows: dict[str, int] = field(default_factory=dict)
    events: int = 0
    trail: str = ""
    intact: bool = False


def copy_project(source: str | Path, destination: str | Path, coder: str) -> CopyReport:
    """Copy the project at ``source`` into a new project at ``destination`` (a file that
    does not exist yet, or an empty database on a server)."""
    if str(source) == str(destination):
        raise ProjectError(f"{source}: cannot be copied onto itself")
    with ProjectStore.open(source, readonly=True) as origin:
        report = CopyReport(origin.location, str(destination))

        def fill(session: Session) -> None:
            with origin.read() as reading:
                _copy_rows(reading.connection(), session.connection(), report)
            report.events = report.rows.get(AuditEvent.__tablename__, 0)
            Tx.start(session, coder).audit(
                "project.copy", "project", 1,
                after={"from": origin.location, "rows": sum(report.rows.values()),
                       "events_copied": report.events})

        copy = ProjectStore.create(destination, coder=coder, fill=fill)
    with copy, copy.read() as session:
        report.destination = copy.location
        chain = verify_chain(session)
    report.trail, report.intact = chain.describe(), chain.intact
    return report


def _copy_rows(reading: Connection, writing: Connection, report: CopyReport) -> None:
    """Every table, parents first; a column pointing into its own table (a code merged into
    another, a theme's parent, a reply's comment) is filled in once all its rows are there."""
    for table in Base.metadata.sorted_tables:
        own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        later: list[dict[str, Any]] = []
        count = 0
        for rows in _batches(reading, table):
            if own:
                later += [{"_key": row["id"], **{name: row[name] for name in own}}
                          for row in rows if any(row[name] is not None for name in own)]
                rows = [{**row, **dict.fromkeys(own)} for row in rows]
            writing.execute(insert(table), rows)
            count += len(rows)
        if later:
            writing.execute(update(table).where(table.c.id == bindparam("_key"))
                            .values({name: bindparam(name) for name in own}), later)
        report.rows[table.name] = count
    if writing.dialect.name == "postgresql":
        _continue_numbering(writing)


def _batches(reading: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    order = list(table.primary_key.columns)
    result = reading.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    for part in result.mappings().partitions():
        yield [dict(row) for row in part]


def _continue_numbering(writing: Connection) -> None:
    """A server numbers new rows from sequences: start each after the ids copied in."""
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or list(table.primary_key.columns) != [table.c.id]:
            continue
        highest = writing.execute(select(func.max(table.c.id))).scalar()
        if highest is not None:
            writing.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
                            {"table": table.name, "value": highest})
