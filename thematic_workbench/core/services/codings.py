"""Codings: apply and remove by character span, by line range and by exact text match."""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import func, select

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services.common import delete_audited, get_or_fail, row_values
from thematic_workbench.core.storage.models import Code, Coding, Document, Line, Turn
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.quotes import SpeakerLabels, trim_quote
from thematic_workbench.core.text.textlayout import find_exact


def _document_length(tx: Tx, document_id: int) -> int:
    length = tx.session.execute(
        select(Document.char_count).where(Document.id == document_id)).scalar_one_or_none()
    if length is None:
        raise NotFoundError(f"no document with id {document_id}")
    return length


def _active_code_name(tx: Tx, code_id: int) -> str:
    code = get_or_fail(tx.session, Code, code_id, "code")
    if code.status != "active":
        raise InvariantError(f"code '{code.name}' was merged into another code")
    return code.name


def check_span(length: int, start: int, end: int) -> None:
    if not 0 <= start < end <= length:
        raise InvariantError(
            f"span {start}-{end} is not inside the text (0-{length}) or is empty")


def _exists(tx: Tx, document_id: int, code_id: int, start: int, end: int,
            coder_id: int | None = None) -> bool:
    """Whether the acting coder (or ``coder_id``) already has this code on exactly this
    span."""
    coder = tx.coder_id if coder_id is None else coder_id
    return tx.session.execute(select(Coding.id).where(
        Coding.document_id == document_id, Coding.code_id == code_id,
        Coding.coder_id == coder, Coding.start == start, Coding.end == end)).first() \
        is not None


def apply_coding(tx: Tx, document_id: int, code_id: int, start: int, end: int,
                 memo: str = "") -> Change:
    """Code ``text[start:end]`` (code points) of a document with a code, as the acting coder."""
    check_span(_document_length(tx, document_id), start, end)
    code_name = _active_code_name(tx, code_id)
    if _exists(tx, document_id, code_id, start, end):
        raise InvariantError(f"this passage is already coded '{code_name}' by {tx.coder_name}")
    coding = Coding(document_id=document_id, code_id=code_id, coder_id=tx.coder_id,
                    start=start, end=end, memo=memo.strip())
    tx.session.add(coding)
    tx.session.flush()
    tx.audit("coding.apply", "coding", coding.id,
             after=row_values(coding, "created_at") | {"code": code_name})
    return Change().add(Kind.CODING, coding.id)


def lines_span(tx: Tx, document_id: int, first: int, last: int) -> tuple[int, int]:
    """The character span of lines ``first``..``last`` of a document."""
    if first > last:
        first, last = last, first
    rows = dict(tx.session.execute(
        select(Line.number, Line.start).where(Line.document_id == document_id,
                                              Line.number == first)).all())
    end = tx.session.execute(select(Line.end).where(
        Line.document_id == document_id, Line.number == last)).scalar_one_or_none()
    if first not in rows or end is None:
        count = tx.session.execute(select(Line.number).where(Line.document_id == document_id)
                                   .order_by(Line.number.desc()).limit(1)).scalar_one_or_none()
        raise InvariantError(f"lines {first}-{last} are outside the document "
                             f"(it has lines 1-{count or 0})")
    return rows[first], end


def lines_quote_span(tx: Tx, document_id: int, first: int, last: int) -> tuple[int, int]:
    """Lines ``first``..``last`` as coding them takes them: from after the speaker label
    that opens the first line (``core.quotes``: the window's rule too) to the last's end."""
    start, end = lines_span(tx, document_id, first, last)
    piece = tx.session.execute(select(func.substr(Document.text, start + 1, end - start))
                               .where(Document.id == document_id)).scalar_one()
    labels = SpeakerLabels(tx.session.execute(select(Turn.start, Turn.speech_start).where(
        Turn.document_id == document_id, Turn.start < end, Turn.speech_start > start)).all())
    return trim_quote(piece, start, labels)[0], end


def match_span(tx: Tx, document_id: int, text: str) -> tuple[int, int]:
    """The span of the one exact occurrence of ``text`` in a document."""
    document = get_or_fail(tx.session, Document, document_id, "document")
    needle = text.strip()
    positions = find_exact(document.text, needle)
    if not positions:
        raise InvariantError(f"the text {needle!r} is not in '{document.name}'")
    if len(positions) > 1:
        raise InvariantError(
            f"the text {needle!r} occurs {len(positions)} times in '{document.name}'; "
            "give a longer passage so that it is found once")
    return positions[0], positions[0] + len(unicodedata.normalize("NFC", needle))


def code_lines(tx: Tx, document_id: int, code_id: int, first: int, last: int,
               memo: str = "") -> Change:
    """Code whole lines, the speaker label opening the first left out."""
    start, end = lines_quote_span(tx, document_id, first, last)
    return apply_coding(tx, document_id, code_id, start, end, memo)


def code_match(tx: Tx, document_id: int, code_id: int, text: str, memo: str = "") -> Change:
    start, end = match_span(tx, document_id, text)
    return apply_coding(tx, document_id, code_id, start, end, memo)


def remove_coding(tx: Tx, coding_id: int) -> Change:
    """Delete a coding; the change keeps its values before, which :func:`restore_coding`
    takes to put it back."""
    coding = get_or_fail(tx.session, Coding, coding_id, "coding")
    return delete_audited(tx, coding, Kind.CODING, "coding.remove",
                          row_values(coding, "created_at"))


def set_coding_memo(tx: Tx, coding_id: int, memo: str) -> Change:
    """Replace a coding's memo; the change keeps the ``memo`` it had before."""
    coding = get_or_fail(tx.session, Coding, coding_id, "coding")
    before = coding.memo
    memo = memo.strip()
    if before == memo:
        return Change()
    coding.memo = memo
    tx.session.flush()
    tx.audit("coding.memo", "coding", coding_id, before={"memo": before}, after={"memo": memo})
    return Change().change(Kind.CODING, coding_id).keep_before(Kind.CODING, coding_id,
                                                               {"memo": before})


def recode_coding(tx: Tx, coding_id: int, code_id: int) -> Change:
    """Move a coding to another code, keeping its span, coder, memo and id; the change keeps
    the ``code_id`` it had before.

    Recoding back to the previous code is the inverse (the undo); the coding keeps its id
    so comments on it still point at it. A coding is not moved onto a code its coder
    already has on exactly that span (the two would be one passage coded twice).
    """
    coding = get_or_fail(tx.session, Coding, coding_id, "coding")
    new_name = _active_code_name(tx, code_id)
    if coding.code_id == code_id:
        return Change()
    old_name = tx.session.execute(select(Code.name).where(Code.id == coding.code_id)).scalar()
    if _exists(tx, coding.document_id, code_id, coding.start, coding.end, coding.coder_id):
        raise InvariantError(f"this passage is already coded '{new_name}' by the same coder")
    before = {"code_id": coding.code_id, "code": old_name}
    coding.code_id = code_id
    tx.session.flush()
    tx.audit("coding.recode", "coding", coding_id, before=before,
             after={"code_id": code_id, "code": new_name})
    return Change().change(Kind.CODING, coding_id).keep_before(Kind.CODING, coding_id, before)


def uncode_span(tx: Tx, document_id: int, code_id: int, start: int, end: int) -> Change:
    """Remove a code from ``[start, end)``: codings inside go, codings across it are trimmed.

    Only the acting coder's codings change; another coder's work is theirs to change.
    """
    check_span(_document_length(tx, document_id), start, end)
    code_name = _active_code_name(tx, code_id)
    overlapping = list(tx.session.execute(select(Coding).where(
        Coding.document_id == document_id, Coding.code_id == code_id,
        Coding.coder_id == tx.coder_id, Coding.start < end, Coding.end > start)).scalars())
    if not overlapping:
        raise InvariantError(
            f"nothing in {start}-{end} is coded '{code_name}' by {tx.coder_name}")
    change = Change()
    for coding in overlapping:
        before = row_values(coding, "created_at")
        pieces = [(coding.start, start)] if coding.start < start else []
        if coding.end > end:
            pieces.append((end, coding.end))
        tx.session.delete(coding)
        tx.session.flush()
        change.remove(Kind.CODING, coding.id)
        kept = []
        for piece_start, piece_end in pieces:
            if _exists(tx, document_id, code_id, piece_start, piece_end):
                continue  # another coding already covers exactly this piece
            piece = Coding(document_id=document_id, code_id=code_id, coder_id=tx.coder_id,
                           start=piece_start, end=piece_end, memo=coding.memo)
            tx.session.add(piece)
            tx.session.flush()
            change.add(Kind.CODING, piece.id)
            kept.append({"id": piece.id, "start": piece_start, "end": piece_end})
        tx.audit("coding.uncode", "coding", coding.id, before=before,
                 after={"removed": [max(start, coding.start), min(end, coding.end)],
                        "kept": kept})
    return change


def uncode_lines(tx: Tx, document_id: int, code_id: int, first: int, last: int) -> Change:
    start, end = lines_span(tx, document_id, first, last)
    return uncode_span(tx, document_id, code_id, start, end)


def uncode_match(tx: Tx, document_id: int, code_id: int, text: str) -> Change:
    start, end = match_span(tx, document_id, text)
    return uncode_span(tx, document_id, code_id, start, end)


def restore_coding(tx: Tx, values: dict[str, Any]) -> Change:
    """Put back a removed coding as it was, under its original coder (the undo of a removal).

    ``values`` are the coding's columns as :func:`remove_coding` recorded them.
    """
    document_id = int(values["document_id"])
    code_id = int(values["code_id"])
    start, end = int(values["start"]), int(values["end"])
    check_span(_document_length(tx, document_id), start, end)
    code_name = _active_code_name(tx, code_id)
    coding = Coding(document_id=document_id, code_id=code_id,
                    coder_id=int(values["coder_id"]),
                    start=start, end=end, memo=str(values.get("memo", "")))
    tx.session.add(coding)
    tx.session.flush()
    tx.audit("coding.restore", "coding", coding.id,
             after=row_values(coding, "created_at") | {"code": code_name})
    return Change().add(Kind.CODING, coding.id)
