"""A REFI-QDA project's notes stored as margin notes and diary entries.

A note on a selection (or a selection's description, as ATLAS.ti writes a quotation's
comment) is a margin note on that span; a note on a coding is the coding's memo (stored
with the codings); every other note is a diary entry, linked to the transcripts and codes
that refer to it. Each is written with the event its service writes, under the coder who
wrote it in the other tool.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from thematic_workbench.core.models import Annotation, DiaryEntry, DiaryLink
from thematic_workbench.core.services.common import row_values
from thematic_workbench.core.transaction import Tx
from thematic_workbench.io.refi.qdpx_data import RefiNote, RefiProject

if TYPE_CHECKING:
    from thematic_workbench.core.services.project_import import ProjectImport

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


def store_notes(tx: Tx, project: RefiProject, result: ProjectImport,
                document_of: dict[str, int], code_ids: dict[str, int],
                coder: Callable[[str | None], int], memo_notes: set[str]) -> None:
    """Margin notes first (they claim their notes), then the rest as diary entries."""
    notes = {note.guid: note for note in project.notes}
    used = set(memo_notes)
    for source in project.sources:
        document_id = document_of[source.guid]
        for selection in source.selections:
            bodies = [(selection.description, selection.user_guid, selection.created_at)]
            for guid in selection.note_guids:
                note = notes.get(guid)
                if note is not None:
                    used.add(guid)
                    bodies.append((note.text, note.user_guid or selection.user_guid,
                                   note.created_at or selection.created_at))
            for body, user, created in bodies:
                if body.strip():
                    note_id = _annotate(tx, document_id, selection.start, selection.end,
                                        body, coder(user), created)
                    result.change.add("annotation", note_id)
                    result.annotations += 1
    links: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for source in project.sources:
        for guid in source.note_guids:
            links[guid].append(("document", document_of[source.guid]))
    for code_guid, guids in project.code_note_guids.items():
        if code_guid in code_ids:
            for guid in guids:
                if ("code", code_ids[code_guid]) not in links[guid]:
                    links[guid].append(("code", code_ids[code_guid]))
    for note in project.notes:
        if note.guid in used:
            continue
        entry_id = _diary(tx, note, coder(note.user_guid), note.created_at,
                          links.get(note.guid, []))
        result.change.add("diary_entry", entry_id)
        result.diary_entries += 1
