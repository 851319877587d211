"""The coded transcripts to print, read in one session (``core.reports.printed_transcript``).

Transcripts are named as the command line names them (exact name, any case, or id) or
given by id (the window). The code and coder filters are names too, checked before anything
is read, so a misspelt one fails with its name rather than printing an empty margin. The
coder filter takes that coder's codings, memos and margin notes; the code filter takes the
codings of those codes, and leaves the margin notes, which belong to no code.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.project import find_document
from thematic_workbench.core.queries.transcript_data import TranscriptData, load_transcript
from thematic_workbench.core.reports.appendices import project_title
from thematic_workbench.core.reports.printed_transcript import (
    PrintedCoding,
    PrintedLine,
    PrintedNote,
    PrintedTranscript,
    PrintedTranscripts,
)
from thematic_workbench.core.storage.models import Annotation, Code, Coder


def printed_transcripts(session: Session, documents: Sequence[int | str],
                        codes: Sequence[str] = (), coders: Sequence[str] = (),
                        printed_on: date | None = None) -> PrintedTranscripts:
    """The transcripts chosen (names or ids, in this order), with the codings of ``codes``
    by ``coders`` (empty: any)."""
    code_names = _codes_named(session, codes)
    coder_names = _coders_named(session, coders)
    ids = [_document_id(session, chosen) for chosen in documents]
    transcripts = tuple(
        _printed(session, load_transcript(session, document_id),
                 set(code_names) if codes else None, set(coder_names) if coders else None)
        for document_id in dict.fromkeys(ids))  # a transcript chosen twice prints once
    return PrintedTranscripts(project_title(session), transcripts, tuple(code_names),
                              tuple(coder_names), printed_on)


def _document_id(session: Session, chosen: int | str) -> int:
    if isinstance(chosen, int):
        return chosen  # load_transcript says if it is gone
    return find_document(session, chosen).id


def _codes_named(session: Session, names: Sequence[str]) -> list[str]:
    """The active codes' names as stored, in the order given, each once."""
    stored = {key: name for name, key in session.execute(
        select(Code.name, Code.name_key).where(Code.status == "active"))}
    found: list[str] = []
    for name in names:
        code = stored.get(name_key(" ".join(name.split())))
        if code is None:
            raise NotFoundError(f"no code named '{name}'")
        if code not in found:
            found.append(code)
    return found


def _coders_named(session: Session, names: Sequence[str]) -> list[str]:
    """The coders' names as stored (matched in any case), in the order given, each once."""
    stored = {name.casefold(): name for name in session.execute(select(Coder.name)).scalars()}
    found: list[str] = []
    for name in names:
        coder = stored.get(" ".join(name.split()).casefold())
        if coder is None:
            raise NotFoundError(f"no coder named '{name}'")
        if coder not in found:
            found.append(coder)
    return found


def _printed(session: Session, data: TranscriptData, codes: set[str] | None,
             coders: set[str] | None) -> PrintedTranscript:
    starts = [line.start for line in data.lines]
    numbers = [line.number for line in data.lines]

    def lines_of(start: int, end: int) -> tuple[int, int]:
        first = max(0, bisect_right(starts, start) - 1)
        last = max(first, bisect_right(starts, max(start, end - 1)) - 1)
        return numbers[first], numbers[last]

    shown = [coding for coding in data.codings
             if (codes is None or coding.code_name in codes)
             and (coders is None or coding.coder in coders)]
    note_coders: dict[int, str] = {note: coder for note, coder in session.execute(
        select(Annotation.id, Coder.name).join(Coder, Coder.id == Annotation.coder_id)
        .where(Annotation.document_id == data.id))}
    notes = [note for note in data.annotations
             if coders is None or note_coders.get(note.id) in coders]
    # Notes and memos are numbered together in the order of the text.
    by_note = {note.id: note for note in notes}
    by_coding = {coding.id: coding for coding in shown}
    order = sorted([(note.start, note.end, 0, note.id) for note in notes]
                   + [(coding.start, coding.end, 1, coding.id) for coding in shown
                      if coding.memo.strip()])
    printed_notes: list[PrintedNote] = []
    memo_numbers: dict[int, int] = {}
    for number, (start, end, is_memo, ident) in enumerate(order, start=1):
        first, last = lines_of(start, end)
        if is_memo:
            coding = by_coding[ident]
            memo_numbers[ident] = number
            printed_notes.append(PrintedNote(number, "memo", first, last, coding.memo.strip(),
                                             coding.coder, coding.code_name))
        else:
            printed_notes.append(PrintedNote(number, "note", first, last,
                                             by_note[ident].body.strip(),
                                             note_coders.get(ident, "")))
    printed_codings = tuple(
        PrintedCoding(coding.code_name, coding.colour, coding.coder,
                      *lines_of(coding.start, coding.end), memo_numbers.get(coding.id))
        for coding in shown)
    return PrintedTranscript(data.name, data.participant, _lines(data), printed_codings,
                             tuple(printed_notes))


def _lines(data: TranscriptData) -> tuple[PrintedLine, ...]:
    """Each stable line, a turn's label set apart where the turn starts on it; a new turn
    or paragraph leaves a little space above it, as a blank line does on screen."""
    labels = {turn.start: turn.speech_start for turn in data.turns
              if turn.speech_start > turn.start}
    text = data.text
    printed: list[PrintedLine] = []
    for line in data.lines:
        words = text[line.start:line.end]
        speech = labels.get(line.start)
        split = min(speech, line.end) - line.start if speech is not None else 0
        gap = bool(printed) and (split > 0 or text[max(0, line.start - 2):line.start] == "\n\n")
        printed.append(PrintedLine(line.number, words[:split], words[split:], gap))
    return tuple(printed)
