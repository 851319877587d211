"""The transcripts read in this session, kept current by the changes that touch them.

Coding moves between transcripts all the time (one participant, then the next, then back),
and a transcript's text, stable lines and turns never change once imported. So the open
project keeps the last few transcripts it has read and, instead of reading one again on
every opening, applies each saved change to them: a coding added, changed or removed is
read alone, a margin note or a renamed code re-reads that part, a renamed document its
heading. The work is done lazily, when a transcript is asked for, so a burst of changes
costs one small read of the transcript in view and none of the others.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.queries.transcript_data import (
    TranscriptData,
    annotations_of,
    codings_of,
    heading_of,
    load_transcript,
)

Reader = Callable[[], AbstractContextManager[Session]]


@dataclass
class _Pending:
    """What the changes since a transcript was last brought up to date have touched."""

    codings: set[int] = field(default_factory=set)  # added or changed: read again
    gone: set[int] = field(default_factory=set)  # removed
    all_codings: bool = False  # a code or coder changed: every coding's name may differ
    notes: bool = False
    heading: bool = False

    @property
    def empty(self) -> bool:
        return not (self.codings or self.gone or self.all_codings or self.notes
                    or self.heading)


class TranscriptCache:
    """Up to ``size`` transcripts as plain data, current as of the last change followed."""

    def __init__(self, read: Reader, size: int = 8) -> None:
        self._read = read
        self._size = size
        self._entries: OrderedDict[int, tuple[TranscriptData, _Pending]] = OrderedDict()

    def __contains__(self, document_id: int) -> bool:
        return document_id in self._entries

    def get(self, document_id: int) -> TranscriptData:
        """The transcript as stored now (``NotFoundError`` if it is gone)."""
        entry = self._entries.get(document_id)
        if entry is None:
            with self._read() as session:
                data = load_transcript(session, document_id)
        else:
            data, pending = entry
            if not pending.empty:
                with self._read() as session:
                    data = _brought_up_to_date(session, data, pending)
        self._entries[document_id] = (data, _Pending())
        self._entries.move_to_end(document_id)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return data

    def follow(self, change: Change) -> None:
        """Note what a saved change did to the transcripts kept (read nothing yet)."""
        if not self._entries:
            return
        for gone in (*change.removed.get(Kind.DOCUMENT, ()), *change.changed.get(Kind.TEXT, ())):
            self._entries.pop(gone, None)  # a corrected text is read again, whole
        kinds = change.kinds()
        touched = set(change.added.get(Kind.CODING, ())) | set(change.changed.get(Kind.CODING, ()))
        removed = set(change.removed.get(Kind.CODING, ()))
        renamed = set(change.changed.get(Kind.DOCUMENT, ()))
        for document_id, (_data, pending) in self._entries.items():
            pending.codings |= touched
            pending.gone |= removed
            pending.all_codings |= bool(kinds & {Kind.CODE, Kind.CODER})
            pending.notes |= Kind.ANNOTATION in kinds
            pending.heading |= Kind.PARTICIPANT in kinds or document_id in renamed

    def forget(self) -> None:
        """Read everything again on the next request (the project changed behind us)."""
        self._entries.clear()


def _brought_up_to_date(session: Session, data: TranscriptData,
                        pending: _Pending) -> TranscriptData:
    codings, notes = data.codings, data.annotations
    name, participant = data.name, data.participant
    if pending.heading:
        heading = heading_of(session, data.id)
        if heading is None:
            raise NotFoundError(f"no document with id {data.id}")
        name, participant = heading
    if pending.all_codings:
        codings = codings_of(session, data.id)
    elif pending.codings or pending.gone:
        gone = pending.codings | pending.gone
        kept = [c for c in codings if c.id not in gone]
        fresh = codings_of(session, data.id, pending.codings) if pending.codings else ()
        codings = tuple(sorted((*kept, *fresh), key=lambda c: (c.start, c.end, c.id)))
    if pending.notes:
        notes = annotations_of(session, data.id)
    return replace(data, name=name, participant=participant, codings=codings,
                   annotations=notes)
