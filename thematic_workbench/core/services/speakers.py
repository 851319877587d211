"""Who the speakers of a focus group are, and the project's language.

Mapping a speaker label of one transcript to a participant makes every count, filter and
citation credit that person for what the speaker said (core/queries/attribution.py). Mapping to
``None`` removes the mapping: the turns count for the transcript's participant again.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.finding.scope import speaker_key
from thematic_workbench.core.finding.wordforms import check_language, project_language
from thematic_workbench.core.services.common import get_or_fail, session_of
from thematic_workbench.core.storage.models import (
    Document,
    Participant,
    Project,
    SpeakerParticipant,
    Turn,
)
from thematic_workbench.core.storage.transaction import Tx


def document_speaker(tx: Tx, document_id: int, speaker: str) -> str:
    """The speaker label as the transcript has it (matched without case or colon)."""
    document = get_or_fail(tx.session, Document, document_id, "document")
    labels = tx.session.execute(select(Turn.speaker).where(Turn.document_id == document_id)
                                .distinct()).scalars().all()
    for label in labels:
        if speaker_key(label) == speaker_key(speaker):
            return label
    known = ", ".join(sorted(labels)) or "it has no speaker turns"
    raise NotFoundError(f"no speaker '{speaker}' in '{document.name}' (speakers: {known})")


def map_speaker(tx: Tx, document_id: int, speaker: str, participant_id: int | None) -> Change:
    """Credit a speaker's turns in one transcript to a participant (``None``: to nobody
    in particular, i.e. back to the transcript's own participant)."""
    label = document_speaker(tx, document_id, speaker)
    if participant_id is not None:
        get_or_fail(tx.session, Participant, participant_id, "participant")
    row = tx.session.get(SpeakerParticipant, (document_id, label))
    before = row.participant_id if row is not None else None
    if before == participant_id:
        return Change()
    if participant_id is None:
        tx.session.delete(row)
    elif row is None:
        tx.session.add(SpeakerParticipant(document_id=document_id, speaker=label,
                                          participant_id=participant_id))
    else:
        row.participant_id = participant_id
    tx.session.flush()
    tx.audit("document.map_speaker", "document", document_id,
             before={"speaker": label, "participant_id": before},
             after={"speaker": label, "participant_id": participant_id})
    return Change().change(Kind.DOCUMENT, document_id)


def speaker_mappings(tx_or_session: Tx | Session, document_id: int) -> dict[str, int]:
    """The mapped speaker labels of one transcript and their participant ids."""
    return dict(session_of(tx_or_session).execute(
        select(SpeakerParticipant.speaker, SpeakerParticipant.participant_id)
        .where(SpeakerParticipant.document_id == document_id)).all())


def set_project_language(tx: Tx, language: str) -> Change:
    """The language of word forms and stop words in search and word frequencies."""
    name = check_language(language)
    before = project_language(tx.session)
    if before == name:
        return Change()
    tx.session.execute(update(Project).where(Project.id == 1).values(language=name))
    tx.audit("project.set_language", "project", 1, before={"language": before},
             after={"language": name})
    return Change().change(Kind.PROJECT, 1)
