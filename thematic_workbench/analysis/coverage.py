"""How much of each transcript is coded, and where the longest uncoded stretches are.

Braun and Clarke's checklist asks that "each data item has been given equal attention in
the coding process". The share of characters coded (overlapping codings counted once) and
the longest stretches nobody coded, by line number, let the researcher check that and go
back to what was passed over. Only a few line numbers are needed, so they are looked up
for the stretches' ends instead of reading every transcript's line map.

Whose words count is a choice (``core.speaker_roles.SpeakerChoice``): by default every
speaker but the interviewer, so the share is of the participant's words and the longest
uncoded stretches are what the participant said, not the interviewer's questions. Only the
chosen speakers' words count, without their labels; "everyone" counts the whole text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.analysis.agreement import minus
from thematic_workbench.analysis.theme_matrix import label_order
from thematic_workbench.core.queries.project import line_numbers, merged_spans
from thematic_workbench.core.queries.transcript_data import TurnSpan
from thematic_workbench.core.storage.models import Code, Coding, Document, Participant, Turn
from thematic_workbench.core.text.speaker_roles import DEFAULT, SpeakerChoice

PREVIEW = 90  # characters of an uncoded stretch shown to recognise it
MIN_STRETCH = 15  # shorter uncoded bits are speaker labels or stray words between codings
# What may open an uncoded stretch but belongs to the coded sentence before it.
_LEAD = re.compile(r"[\s.,;:!?)\]}\u00bb\u201d\u2019\u2026\u2013\u2014-]+")


@dataclass(frozen=True)
class Stretch:
    """An uncoded stretch, trimmed of white space: where it is and how long."""

    first_line: int
    last_line: int
    characters: int
    start: int
    end: int
    preview: str

    @property
    def lines(self) -> str:
        if self.first_line == self.last_line:
            return str(self.first_line)
        return f"{self.first_line}\N{EN DASH}{self.last_line}"


@dataclass(frozen=True)
class Coverage:
    """How much of one transcript is coded; its longest uncoded stretches, longest first.

    ``characters`` are those that count (the chosen speakers' words), ``speakers`` whose
    turns they are, ``transcript_characters`` the whole text's."""

    document_id: int
    document: str
    participant: str | None
    characters: int
    coded_characters: int
    stretches: tuple[Stretch, ...]
    speakers: tuple[str, ...] = ()
    transcript_characters: int = 0

    @property
    def share(self) -> float:
        return self.coded_characters / self.characters if self.characters else 0.0


def _longest_gaps(text: str, uncoded: list[tuple[int, int]],
                  longest: int) -> list[tuple[int, int]]:
    """The ``longest`` of the ``uncoded`` parts of what counts, trimmed. Blank lines,
    punctuation or a speaker's label between two coded passages are no stretch of data left
    unread. Only the longest raw gaps are trimmed: trimming never lengthens a gap."""
    raw = sorted(uncoded, key=lambda gap: (gap[0] - gap[1], gap[0]))
    found: list[tuple[int, int]] = []
    for start, end in raw:
        if len(found) >= longest and end - start < found[-1][1] - found[-1][0]:
            break
        piece = text[start:end].rstrip()
        lead = _LEAD.match(piece)
        first, last = start + (lead.end() if lead else 0), start + len(piece)
        if last - first >= MIN_STRETCH and any(ch.isalnum() for ch in text[first:last]):
            found.append((first, last))
            found.sort(key=lambda gap: (gap[0] - gap[1], gap[0]))
            del found[longest:]
    return found


def _turns(session: Session) -> dict[int, list[TurnSpan]]:
    """Every transcript's speaker turns, in text order."""
    found: dict[int, list[TurnSpan]] = defaultdict(list)
    for document_id, speaker, start, end, speech_start in session.connection().execute(
            select(Turn.document_id, Turn.speaker, Turn.start, Turn.end, Turn.speech_start)
            .order_by(Turn.document_id, Turn.start)):
        found[document_id].append(TurnSpan(speaker, start, end, speech_start))
    return found


def coverage_of(session: Session, coded: Iterable[tuple[int, int, int]],
                longest: int = 3, speakers: SpeakerChoice = DEFAULT) -> list[Coverage]:
    """Coverage given the coded spans as (document id, start, end): for callers that have
    read them already. ``speakers`` chooses whose words count."""
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for document_id, start, end in coded:
        spans[document_id].append((start, end))
    documents = sorted(
        session.connection().execute(
            select(Document.id, Document.name, Participant.label, Document.char_count,
                   Document.text)
            .outerjoin(Participant, Participant.id == Document.participant_id)),
        key=lambda row: (row.label is None, label_order(row.label or ""),
                         label_order(row.name)))
    turns = _turns(session)
    covered, gaps, counted, voices = {}, {}, {}, {}
    for row in documents:
        merged = merged_spans(spans.get(row.id, []))
        found = turns.get(row.id, [])
        chosen = speakers.counted_speakers({turn.speaker for turn in found}, row.label)
        parts = speakers.spans(found, row.char_count, row.label, chosen)
        uncoded = minus(parts, merged)  # both sorted and disjoint
        counted[row.id] = sum(end - start for start, end in parts)
        covered[row.id] = counted[row.id] - sum(end - start for start, end in uncoded)
        gaps[row.id] = _longest_gaps(row.text, uncoded, longest)
        voices[row.id] = tuple(dict.fromkeys(t.speaker for t in found if t.speaker in chosen))
    lines = line_numbers(session, [(row.id, position) for row in documents
                                    for start, end in gaps[row.id]
                                    for position in (start, end - 1)])
    result = []
    for row in documents:
        stretches = []
        for start, end in gaps[row.id]:
            words = " ".join(row.text[start:start + 2 * PREVIEW].split())
            if len(words) > PREVIEW:
                words = words[:PREVIEW - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
            first = lines.get((row.id, start), 0)
            stretches.append(Stretch(first, max(first, lines.get((row.id, end - 1), 0)),
                                     end - start, start, end, words))
        result.append(Coverage(row.id, row.name, row.label, counted[row.id], covered[row.id],
                               tuple(stretches), voices[row.id], row.char_count))
    return result


def coverage(session: Session, longest: int = 3,
             speakers: SpeakerChoice = DEFAULT) -> list[Coverage]:
    """Per transcript (participant order): characters that count (``speakers``' words),
    those coded (overlaps once), and the ``longest`` uncoded stretches, to check each item
    had equal attention."""
    active = set(session.execute(select(Code.id).where(Code.status == "active")).scalars())
    spans = session.connection().execute(select(Coding.code_id, Coding.document_id,
                                                Coding.start, Coding.end)).all()
    return coverage_of(session, ((document_id, start, end)
                                 for code_id, document_id, start, end in spans
                                 if code_id in active), longest, speakers)
