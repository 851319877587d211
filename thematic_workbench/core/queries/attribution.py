"""Who said a passage: the participant a count, a filter or a citation should credit.

A transcript belongs to its participant. In a focus group the speaker labels of one
transcript can be mapped to participants (``speaker_participant``); a passage then counts
for the participant mapped to the speaker of the turn where the passage *starts*, and for
the transcript's participant when that speaker is not mapped (the moderator, say). Taking the
start keeps the rule simple and total: every passage has exactly one such participant.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, aliased

from thematic_workbench.core.storage.models import (
    Coding,
    Document,
    Participant,
    SpeakerParticipant,
    Turn,
)


def said_by(document_id: Any, start: Any, owner: Any = None) -> ColumnElement[Any]:
    """SQL for the participant id of the passage of ``document_id`` starting at ``start``.

    ``owner`` is the transcript's own participant column when the query already joins the
    document; without it the expression looks the document up itself. Transcripts without
    mapped speakers cost one set lookup, so counts over interviews stay as fast as before.
    """
    turn = aliased(Turn)
    mapping = aliased(SpeakerParticipant)
    mapped_documents = aliased(SpeakerParticipant)
    if owner is None:
        document = aliased(Document)
        owner = (select(document.participant_id).where(document.id == document_id)
                 .correlate_except(document).scalar_subquery())
    speaker = (select(turn.speaker)
               .where(turn.document_id == document_id, turn.start <= start)
               .order_by(turn.start.desc()).limit(1).correlate_except(turn).scalar_subquery())
    mapped = (select(mapping.participant_id)
              .where(mapping.document_id == document_id, mapping.speaker == speaker)
              .correlate_except(mapping).scalar_subquery())
    return case((document_id.in_(select(mapped_documents.document_id)),
                 func.coalesce(mapped, owner)), else_=owner)


class SpeakerMap:
    """The mappings of the transcripts that have any, with their turns, for bulk lookups."""

    def __init__(self, session: Session, document_ids: Iterable[int] | None = None) -> None:
        query = select(SpeakerParticipant.document_id, SpeakerParticipant.speaker,
                       SpeakerParticipant.participant_id)
        if document_ids is not None:
            query = query.where(SpeakerParticipant.document_id.in_(list(document_ids)))
        self.mapped: dict[int, dict[str, int]] = defaultdict(dict)
        for document_id, speaker, participant_id in session.execute(query):
            self.mapped[document_id][speaker] = participant_id
        self._starts: dict[int, list[int]] = {}
        self._speakers: dict[int, list[str]] = {}
        if self.mapped:
            for document_id, start, speaker in session.execute(
                    select(Turn.document_id, Turn.start, Turn.speaker)
                    .where(Turn.document_id.in_(list(self.mapped)))
                    .order_by(Turn.document_id, Turn.start)):
                self._starts.setdefault(document_id, []).append(start)
                self._speakers.setdefault(document_id, []).append(speaker)

    def participant(self, document_id: int, start: int, owner: int | None) -> int | None:
        """Who said the passage starting at ``start``; ``owner`` is the transcript's own."""
        mapping = self.mapped.get(document_id)
        if not mapping:
            return owner
        index = bisect_right(self._starts.get(document_id, []), start) - 1
        if index < 0:
            return owner
        return mapping.get(self._speakers[document_id][index], owner)

    def speaker_participant(self, document_id: int, speaker: str | None,
                            owner: int | None) -> int | None:
        """Who a speaker label of a transcript is: its mapping, else the transcript's own."""
        if speaker is None:
            return owner
        return self.mapped.get(document_id, {}).get(speaker, owner)


def document_owners(session: Session) -> dict[int, int | None]:
    """Each transcript's own participant id (None for a transcript of nobody)."""
    return dict(session.execute(select(Document.id, Document.participant_id)).all())


def passage_participants(session: Session, passages: Iterable[tuple[int, int]]
                         ) -> dict[tuple[int, int], int | None]:
    """Who said each passage, keyed ``(document id, start)``, in two or three queries."""
    wanted = list(dict.fromkeys(passages))
    owners = document_owners(session)
    speakers = SpeakerMap(session, {document_id for document_id, _ in wanted})
    return {(document_id, start): speakers.participant(document_id, start,
                                                       owners.get(document_id))
            for document_id, start in wanted}


def participant_label_map(session: Session) -> dict[int, str]:
    """Participant id → label."""
    return dict(session.execute(select(Participant.id, Participant.label)).all())


def coding_said_by() -> ColumnElement[Any]:
    """``said_by`` for a query over codings that joins each coding's document."""
    return said_by(Coding.document_id, Coding.start, Document.participant_id)
