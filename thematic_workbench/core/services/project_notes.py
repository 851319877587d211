"""A REFI-QDA project's notes stored as margin notes and diary entries.

A selection's Description is a margin note on its span when the selection is uncoded (as
MAXQDA and QualCoder write an annotation; on a coded selection it is the codings' memo,
stored with the codings); a note a selection refers to is a margin note on that span, and
so is a note marking a span of its own (``RefiNote.place``: QualCoder's and Quirkos's
annotations); a note on a coding is the coding's memo (stored with the codings); every
other note is a diary entry, linked to the transcripts and codes that refer to it. Each
is written with the event its service writes, under the coder who wrote it in the other
tool. A note stored as another kind of thing is said in ``ProjectImport.recast``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.records.refi import RefiNote, RefiProject, excerpt
from thematic_workbench.core.services.common import row_values
from thematic_workbench.core.services.project_result import ProjectImport
from thematic_workbench.core.storage.models import Annotation, DiaryEntry, DiaryLink
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.wording import plural

MAX_TITLE = 300


def _annotate(tx: Tx, document_id: int, start: int, end: int, body: str, coder_id: int,
              created_at: str | None) -> int:
    note = Annotation(document_id=document_id, coder_id=coder_id, start=start, end=end,
                      body=body.strip())
    if created_at:
        note.created_at = created_at
    tx.session.add(note)
    tx.session.flush()
    tx.audit("annotation.add", "annotation", note.id, after=row_values(note))
    return note.id


def _diary(tx: Tx, note: RefiNote, coder_id: int, created_at: str | None,
           links: list[tuple[str, int]]) -> int:
    entry = DiaryEntry(phase=tx.phase, coder_id=coder_id,
                       title=" ".join(note.name.split())[:MAX_TITLE],
                       body=note.text.rstrip().lstrip("\n"))
    if created_at:
        entry.created_at = entry.updated_at = created_at
    entry.links = [DiaryLink(target_kind=kind, target_id=target) for kind, target in links]
    tx.session.add(entry)
    tx.session.flush()
    tx.audit("diary.add", "diary_entry", entry.id, after=row_values(entry) | {
        "links": [[link.target_kind, link.target_id] for link in entry.links]})
    return entry.id


def _label(note: RefiNote) -> str:
    return f"'{note.name}'" if note.name else f"'{excerpt(note.text)}'"


def store_notes(tx: Tx, project: RefiProject, result: ProjectImport,
                document_of: dict[str, int], code_ids: dict[str, int],
                coder: Callable[[str | None], int], memo_notes: set[str]) -> None:
    """Margin notes first (they claim their notes), then the rest as diary entries."""
    notes = {note.guid: note for note in project.notes}
    used = set(memo_notes)
    on_span: set[str] = set()  # notes stored as margin notes

    def annotate(document_id: int, start: int, end: int, body: str, user: str | None,
                 created: str | None) -> None:
        note_id = _annotate(tx, document_id, start, end, body, coder(user), created)
        result.change.add(Kind.ANNOTATION, note_id)
        result.annotations += 1

    for source in project.sources:
        document_id = document_of[source.guid]
        for selection in source.selections:
            if selection.description.strip() and not selection.codings:
                annotate(document_id, selection.start, selection.end, selection.description,
                         selection.user_guid, selection.created_at)
            for guid in selection.note_guids:
                note = notes.get(guid)
                if note is not None:
                    on_span.add(guid)
                    annotate(document_id, selection.start, selection.end, note.text,
                             note.user_guid or selection.user_guid,
                             note.created_at or selection.created_at)
    taken = used | on_span
    for note in project.notes:
        place = note.place
        if note.guid in taken or place is None or place.source_guid not in document_of:
            continue
        on_span.add(note.guid)
        annotate(document_of[place.source_guid], place.start, place.end, note.text,
                 note.user_guid, note.created_at)
    if on_span - used:
        result.recast.append(f"{plural(len(on_span - used), 'note', grouped=False)} on a "
                             "span of a transcript: stored as margin notes there")
    used |= on_span
    links: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for source in project.sources:
        for guid in source.note_guids:
            links[guid].append(("document", document_of[source.guid]))
    on_codes: set[str] = set()
    for code_guid, guids in project.code_note_guids.items():
        if code_guid in code_ids:
            for guid in guids:
                on_codes.add(guid)
                if ("code", code_ids[code_guid]) not in links[guid]:
                    links[guid].append(("code", code_ids[code_guid]))
    for note in project.notes:
        if note.guid in used:
            continue
        entry_id = _diary(tx, note, coder(note.user_guid), note.created_at,
                          links.get(note.guid, []))
        result.change.add(Kind.DIARY_ENTRY, entry_id)
        result.diary_entries += 1
        if note.place is not None or note.unplaced:
            why = note.unplaced or "the transcript it refers to was left out"
            result.recast.append(f"note {_label(note)} marks a span, but {why}: stored as a "
                                 "diary entry")
    on_codes -= used
    if on_codes:
        result.recast.append(f"{plural(len(on_codes), 'note', grouped=False)} on codes: "
                             "stored as diary entries linked to those codes")
