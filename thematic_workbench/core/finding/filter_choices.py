"""What the search's filter choosers offer: transcripts, participants, attribute values and
speaker labels, read in one go off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from thematic_workbench.core.finding.scope import speaker_labels
from thematic_workbench.core.queries.participant_sheet import natural_key, participant_sheet


@dataclass(frozen=True)
class Choices:
    """Each chooser's entries, in the order a researcher reads them (natural order)."""

    documents: list[tuple[str, int]]
    participants: list[str]
    attributes: list[tuple[str, str]]
    speakers: list[str]


def read_choices(session: Session) -> Choices:
    sheet = participant_sheet(session)
    documents = [(ref.name, ref.id) for row in sheet.participants for ref in row.documents]
    documents += [(ref.name, ref.id) for ref in sheet.unassigned]
    values = {(name, value) for row in sheet.participants
              for name, value in row.values.items() if value.strip()}
    return Choices(
        sorted(documents, key=lambda item: natural_key(item[0])),
        [row.label for row in sheet.participants],
        sorted(values, key=lambda item: (item[0].casefold(), natural_key(item[1]))),
        speaker_labels(session))
