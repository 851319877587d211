"""Correcting a transcript's text: audited, undoable, and every coding stays on its words.

A correction (a word misheard, checked against the recording) or a pseudonym (a name
replaced) replaces spans of a transcript. Codings, margin notes and speaker turns move with
their words (core/text/text_edit.py) and every line keeps its number
(core/text/line_edit.py); a coding or note whose words were all deleted goes with them and
is listed; two codings of one code by one coder that come to cover the same words become
one. The full-text index follows the text (its triggers). Several replacements in one
transcript are one change: positions are read, moved in memory and written back in bulk,
so a long list of pseudonyms costs one pass per transcript.

The change keeps what the transcript was (its text, every moved row's old place, the rows
removed, the line map), so undo restores it exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import ConflictError, InvariantError
from thematic_workbench.core.services.common import get_or_fail
from thematic_workbench.core.storage.models import (
    Annotation,
    Code,
    Coding,
    Document,
    Line,
    Turn,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.line_edit import Relined, reline
from thematic_workbench.core.text.text_edit import EditSet, TextEdit
from thematic_workbench.core.text.textlayout import LineSpan, canonical_piece, find_exact

EDIT_ACTION = "document.edit_text"
UNDO_ACTION = "document.restore_text"
# What moves with the text, and the kind a change names it by (turns are the document's).
_MOVING: tuple[tuple[Table, Kind | None], ...] = ((Coding.__table__, Kind.CODING),
                                                  (Annotation.__table__, Kind.ANNOTATION),
                                                  (Turn.__table__, None))


@dataclass(frozen=True)
class Replacement:
    """``text[start:end]`` of a transcript becomes ``new``."""

    start: int
    end: int
    new: str


def edit_text(tx: Tx, document_id: int, replacements: Sequence[Replacement],
              seen: str | None = None, record_old: bool = True) -> Change:
    """Replace spans of a transcript's text (positions in the text as it is now; the spans
    must not overlap), moving everything that points into it. ``seen``: the text as the
    person correcting it saw it; if someone changed it since, nothing is saved.
    ``record_old=False`` keeps the replaced words out of the audit trail (pseudonymisation:
    the real names must not be recorded anywhere); undo still has them, in memory."""
    document = get_or_fail(tx.session, Document, document_id, "transcript")
    if seen is not None:
        tx.session.refresh(document, with_for_update=True)
        if document.text != seen:
            raise ConflictError(f"the text of '{document.name}' was changed by someone else "
                                "while you corrected it; your corrections were not saved "
                                "(copy them, then correct the text as it is now)")
    edits = _checked(document.text, replacements)
    if not edits:
        raise InvariantError("the new text is the same as the old; nothing to change")
    old_text = document.text
    together = EditSet(edits)
    text = together.apply(old_text)
    change = Change().change(Kind.DOCUMENT, document_id).change(Kind.TEXT, document_id)
    kept: dict[str, Any] = {"text": old_text, "rows": {}, "removed": {}}
    report: dict[str, Any] = {}
    for table, kind in _MOVING:
        rows = _rows(tx, table, document_id)
        moved, removed = _moved(rows, together, table is Coding.__table__)
        kept["rows"][table.name] = [_position(table.name, row) for row in rows
                                    if row["id"] in moved]  # (only rows that moved are)
        kept["removed"][table.name] = [row for row in rows if row["id"] in removed]
        _write(tx, table, document_id, moved, removed, len(old_text) + len(text))
        if kind is not None:
            for row_id in removed:
                change.remove(kind, row_id)
            for row_id in moved:
                change.change(kind, row_id)
        if removed:
            report[f"{table.name}s_removed"] = sorted(removed)
    relined = _reline(tx, document_id, together, text, kept)
    kept["said"] = _removed_phrases(tx, kept["removed"]) + relined.describe()
    document.text, document.char_count = text, len(text)
    tx.session.flush()
    tx.audit(EDIT_ACTION, "document", document_id,
             before={"edits": [[e.start, e.end, *([old_text[e.start:e.end]] if record_old
                                                   else [])] for e in edits]},
             after={"edits": [[e.start, e.new] for e in edits], **report,
                    "lines": relined.describe()})
    return change.keep_before(Kind.DOCUMENT, document_id, kept)


def span_of(tx: Tx, document_id: int, words: str) -> tuple[int, int]:
    """The span of the one occurrence of ``words`` (exactly as given, spaces and all)."""
    document = get_or_fail(tx.session, Document, document_id, "transcript")
    needle = canonical_piece(words)
    found = find_exact(document.text, needle) if needle else []
    if not found:
        raise InvariantError(f"the text {words!r} is not in '{document.name}'")
    if len(found) > 1:
        raise InvariantError(f"the text {words!r} occurs {len(found)} times in "
                             f"'{document.name}'; give a longer passage so that it is found "
                             "once")
    return found[0], found[0] + len(needle)


def edit_summary(change: Change, document_id: int) -> list[str]:
    """What an edit removed and did to the lines, one phrase each (empty: it only moved
    things), as the window and the command line say it."""
    return list(change.values_before(Kind.DOCUMENT, document_id).get("said", []))


def _removed_phrases(tx: Tx, removed: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The codings and margin notes an edit removed, named."""
    said = []
    codings = removed.get(Coding.__tablename__, [])
    if codings:
        names = dict(tx.session.execute(select(Code.id, Code.name).where(
            Code.id.in_({row["code_id"] for row in codings}))).all())
        said += [f"a coding of '{names.get(row['code_id'], '?')}' removed (its words were "
                 "deleted, or another coding of the code by the same coder now covers them)"
                 for row in codings]
    notes = removed.get(Annotation.__tablename__, [])
    if notes:
        said.append(f"{len(notes)} margin note{'s' if len(notes) > 1 else ''} removed with "
                    "the words they were on")
    return said


def restore_text(tx: Tx, document_id: int, kept: dict[str, Any]) -> Change:
    """Undo :func:`edit_text` from what its change kept: the text, every row where it was,
    the removed rows back under their ids, the line map as it was."""
    document = get_or_fail(tx.session, Document, document_id, "transcript")
    now = document.text
    change = Change().change(Kind.DOCUMENT, document_id).change(Kind.TEXT, document_id)
    for table, kind in _MOVING:
        places = {row[0]: row[1:] for row in kept["rows"].get(table.name, [])}
        current = {row["id"]: row for row in _rows(tx, table, document_id)}
        moved = {row_id: {**current[row_id], **dict(zip(_POSITION_KEYS[table.name], place,
                                                         strict=False))}
                 for row_id, place in places.items() if row_id in current}
        _write(tx, table, document_id, moved, set(), len(now) + len(kept["text"]))
        back = kept["removed"].get(table.name, [])
        if back:
            tx.session.execute(insert(table), back)
        if kind is not None:
            for row_id in moved:
                change.change(kind, row_id)
            for row in back:
                change.add(kind, row["id"])
    tx.session.execute(delete(Line).where(Line.document_id == document_id))
    if kept["lines"]:
        tx.session.execute(insert(Line.__table__), [
            {"document_id": document_id, "number": n, "start": s, "end": e}
            for n, s, e in kept["lines"]])
    document.text, document.char_count = kept["text"], len(kept["text"])
    tx.session.flush()
    tx.audit(UNDO_ACTION, "document", document_id, after={"characters": len(kept["text"])})
    return change


# -- positions in memory --------------------------------------------------------------------
_POSITION_KEYS = {"coding": ("start", "end"), "annotation": ("start", "end"),
                  "turn": ("start", "end", "speech_start")}


def _position(table: str, row: dict[str, Any]) -> list[Any]:
    """A row's id and its place in the text, as an undo puts it back."""
    return [row["id"], *(row[key] for key in _POSITION_KEYS[table])]


def _checked(text: str, replacements: Sequence[Replacement]) -> list[TextEdit]:
    """The replacements as edits, last first; refused if outside the text or overlapping."""
    edits: list[TextEdit] = []
    for replacement in sorted(replacements, key=lambda r: (r.start, r.end), reverse=True):
        if not 0 <= replacement.start <= replacement.end <= len(text):
            raise InvariantError(f"span {replacement.start}-{replacement.end} is not inside "
                                 f"the text (0-{len(text)})")
        new = canonical_piece(replacement.new)
        if text[replacement.start:replacement.end] == new:
            continue
        if edits and (replacement.end > edits[-1].start or
                      replacement.start == replacement.end == edits[-1].start):
            raise InvariantError(f"the spans {replacement.start}-{replacement.end} and "
                                 f"{edits[-1].start}-{edits[-1].end} overlap")
        edits.append(TextEdit(replacement.start, replacement.end, new))
    return edits


def _rows(tx: Tx, table: Table, document_id: int) -> list[dict[str, Any]]:
    return [dict(row) for row in tx.session.execute(
        select(table).where(table.c.document_id == document_id)).mappings()]


def _moved(rows: list[dict[str, Any]], edits: EditSet, unique: bool
           ) -> tuple[dict[int, dict[str, Any]], set[int]]:
    """Each row's place after all the edits (only rows that moved), and the rows removed:
    their words all deleted, or (codings) the same code, coder and words as another."""
    moved: dict[int, dict[str, Any]] = {}
    removed: set[int] = set()
    for row in rows:
        span = edits.span(row["start"], row["end"])
        speech = row.get("speech_start")
        if speech is not None:
            speech = edits.point(speech)
        if span is None:
            removed.add(row["id"])
            continue
        start, end = span
        if (start, end) != (row["start"], row["end"]) or speech != row.get("speech_start"):
            new = {**row, "start": start, "end": end}
            if speech is not None:
                new["speech_start"] = min(max(speech, start), end)
            moved[row["id"]] = new
    if unique:
        seen: dict[tuple[Any, ...], int] = {}
        for row in sorted(rows, key=lambda r: r["id"]):
            if row["id"] in removed:
                continue
            place = moved.get(row["id"], row)
            key = (place["code_id"], place["coder_id"], place["start"], place["end"])
            if key in seen:
                removed.add(row["id"])
                moved.pop(row["id"], None)
            else:
                seen[key] = row["id"]
    return moved, removed


def _write(tx: Tx, table: Table, document_id: int, moved: dict[int, dict[str, Any]],
           removed: set[int], beyond: int) -> None:
    """Delete ``removed``, then move the rest in two bulk steps: first out past the end of
    any text (``beyond``), then to their places, so no two codings meet on the way."""
    if removed:
        tx.session.execute(delete(table).where(table.c.id.in_(removed)))
    if not moved:
        return
    keys = _POSITION_KEYS[table.name]
    far = [{"_id": row_id, **{key: row[key] + beyond + 1 for key in keys}}
           for row_id, row in moved.items()]
    near = [{"_id": row_id, **{key: row[key] for key in keys}} for row_id, row in moved.items()]
    statement = (update(table).where(table.c.id == bindparam("_id"))
                 .values({key: bindparam(key) for key in keys}))
    connection = tx.session.connection()
    connection.execute(statement, far)
    connection.execute(statement, near)


def _reline(tx: Tx, document_id: int, edits: EditSet, text: str,
            kept: dict[str, Any]) -> Relined:
    """Move the line map through the edits and store it; keep the old one for undo."""
    lines = [LineSpan(n, s, e) for n, s, e in tx.session.execute(
        select(Line.number, Line.start, Line.end).where(Line.document_id == document_id)
        .order_by(Line.number))]
    kept["lines"] = [[line.number, line.start, line.end] for line in lines]
    relined = reline(lines, edits, text)
    tx.session.execute(delete(Line).where(Line.document_id == document_id))
    if relined.lines:
        tx.session.execute(insert(Line.__table__), [
            {"document_id": document_id, "number": line.number, "start": line.start,
             "end": line.end} for line in relined.lines])
    return relined
