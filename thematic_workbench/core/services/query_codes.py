"""A coding query's result saved as a new code: the code and all its codings in one step.

A query over a large project can find tens of thousands of passages; coding them one
``apply_coding`` at a time would write as many audit events and take minutes. Here the
code is created and every passage coded in the caller's one transaction, the codings
inserted in bulk, and a single ``code.create_from_query`` event records the code, the
expression and the passages. The inverse (the undo) is ``codes.delete_code``, which takes
the code away with its codings and records them in its own event.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.codes import next_colour
from thematic_workbench.core.services.common import (
    check_colour,
    clear_stale_position,
    row_values,
    tidy_name,
)
from thematic_workbench.core.storage.models import Code, Coding, Document
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.timestamps import utc_now
from thematic_workbench.core.wording import plural


def code_passages_as_new_code(tx: Tx, name: str, passages: Iterable[tuple[int, int, int]],
                              expression: str, *, definition: str = "",
                              colour: str | None = None) -> Change:
    """Create the code ``name`` and code each ``(document id, start, end)`` with it as the
    acting coder; one audit event records the expression and the passages."""
    name = tidy_name(name, "code")
    spans = sorted(set(passages))
    if not spans:
        raise InvariantError(f"the query {expression} found no passage to code "
                             f"'{name}' with")
    clash = tx.session.execute(select(Code.name).where(
        Code.name_key == name_key(name), Code.status == "active")).scalar_one_or_none()
    if clash is not None:
        raise InvariantError(f"a code named '{clash}' already exists")
    lengths = dict(tx.session.execute(select(Document.id, Document.char_count).where(
        Document.id.in_(sorted({span[0] for span in spans})))).all())
    for document_id, start, end in spans:
        if document_id not in lengths:
            raise InvariantError(f"no document with id {document_id}")
        if not 0 <= start < end <= lengths[document_id]:
            raise InvariantError(f"span {start}-{end} is not inside the text "
                                 f"(0-{lengths[document_id]}) or is empty")
    code = Code(name=name, name_key=name_key(name),
                definition=definition.strip() or f"Passages found by the query {expression}",
                colour=check_colour(colour) if colour else next_colour(tx),
                origin="inductive", created_by=tx.coder_id)
    tx.session.add(code)
    tx.session.flush()
    clear_stale_position(tx, "code", code.id)
    stamp = utc_now()
    connection = tx.session.connection()
    connection.execute(insert(Coding.__table__), [
        {"document_id": document_id, "code_id": code.id, "coder_id": tx.coder_id,
         "start": start, "end": end, "memo": "", "created_at": stamp}
        for document_id, start, end in spans])
    change = Change().add(Kind.CODE, code.id)
    for coding_id in connection.execute(
            select(Coding.id).where(Coding.code_id == code.id).order_by(Coding.id)).scalars():
        change.add(Kind.CODING, coding_id)
    tx.audit("code.create_from_query", "code", code.id,
             after=row_values(code, "name_key") | {
                 "expression": expression, "codings": len(spans),
                 "passages": [list(span) for span in spans]})
    return change


def describe_saved(name: str, count: int) -> str:
    """``Coded 12 passages as 'Risk near trust'.``"""
    return f"Coded {plural(count, 'passage')} as '{name}'."
