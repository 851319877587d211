"""Participants' attributes in and out of a project as whole jobs, shared by the command
line and the window (``export attributes``, ``import-attributes``, the sheet's buttons).

An import reads and checks the whole file before anything is stored, then stores it in one
transaction; an export reads the sheet in one read session and writes the file whole or not
at all. No Qt here.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from thematic_workbench.core.queries.participant_sheet import attribute_records, participant_sheet
from thematic_workbench.core.services.attribute_table import (
    AttributeTable,
    TableImport,
    apply_attribute_table,
)
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural
from thematic_workbench.io.attribute_table import read_attribute_table, write_attribute_table

FORMATS = (".csv", ".xlsx")


def export_attributes(session: Session, target: str | Path) -> str:
    """Write the attributes table; say briefly what it holds."""
    sheet = participant_sheet(session)
    headers, rows = attribute_records(sheet)
    write_attribute_table(target, headers, rows)
    return f"{plural(len(rows), 'participant')}, {plural(len(sheet.attributes), 'attribute')}"


def write_attributes_file(store: ProjectStore, target: str | Path) -> str:
    """The whole export job: one line saying what was written where."""
    with store.read() as session:
        done = export_attributes(session, target)
    return f"wrote the participants' attributes to {target} ({done})"


def import_attributes_file(store: ProjectStore, coder: str, path: str | Path,
                           table: AttributeTable | None = None) -> TableImport:
    """Read a table (unless ``table`` is the one already read) and import it whole."""
    table = table if table is not None else read_attribute_table(path)
    with store.transaction(coder) as tx:
        return apply_attribute_table(tx, table)
