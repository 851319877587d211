"""Storing a REFI-QDA project read from a .qdpx, in the caller's one transaction.

Users become coders by name, the codebook goes through ``import_codebook``, each text
source through ``import_document`` (lines and speaker turns computed here, as for any
transcript), cases become participants. Codings are inserted in bulk (a project may hold
tens of thousands) with one ``coding.import`` event per document; a coded selection's
Description (and any note its coding links to) is each of its codings' memo; notes become
margin notes on their selection's span, or diary entries. What is stored as another kind
of thing than the file holds is said, one line each, in ``recast``. Any error propagates,
so the caller's transaction stores nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import InvariantError, WorkbenchError
from thematic_workbench.core.records.imported import ImportedDocument
from thematic_workbench.core.records.refi import RefiProject, RefiSource
from thematic_workbench.core.services.codebook_import import import_codebook
from thematic_workbench.core.services.common import tidy_name
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.project_notes import store_notes
from thematic_workbench.core.services.project_people import store_cases
from thematic_workbench.core.services.project_result import ProjectImport
from thematic_workbench.core.storage.models import Code, Coder, Coding, Project
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.core.text.textlayout import DEFAULT_WRAP, compute_lines
from thematic_workbench.core.wording import plural

SOURCE_FORMAT = "qdpx"
MAX_CODER_NAME = 200


def ensure_coder(tx: Tx, name: str) -> tuple[int, bool]:
    """The coder with this name, created the way ``Tx.start`` creates one if new."""
    name = tidy_name(" ".join(name.split())[:MAX_CODER_NAME], "coder",
                     max_length=MAX_CODER_NAME)
    known = tx.session.execute(select(Coder.id).where(Coder.name == name)).scalar_one_or_none()
    if known is not None:
        return known, False
    coder = Coder(name=name, role="analyst")
    tx.session.add(coder)
    tx.session.flush()
    tx.audit("coder.create", "coder", coder.id, after={"name": name, "role": coder.role})
    return coder.id, True


class _Importer:
    def __init__(self, tx: Tx, project: RefiProject) -> None:
        self.tx = tx
        self.project = project
        self.result = ProjectImport(project.path.name, notes=list(project.losses),
                                    recast=list(project.recast),
                                    off_standard=list(project.off_standard),
                                    position_unit=project.position_unit)
        self.coder_of: dict[str, int] = {}
        self.document_of: dict[str, int] = {}
        self.memo_of: dict[str, str] = {note.guid: note.text for note in project.notes}
        self.memo_notes: set[str] = set()  # notes stored as coding memos

    def coder(self, user_guid: str | None) -> int:
        return self.coder_of.get(user_guid or "", self.tx.coder_id)

    def coders(self) -> None:
        for user in self.project.users:
            coder_id, created = ensure_coder(self.tx, user.name)
            self.coder_of[user.guid] = coder_id
            if created:
                self.result.coders += 1
                self.result.change.add(Kind.CODER, coder_id)

    def document(self, source: RefiSource, participant: str | None) -> int:
        metadata = {"refi_guid": source.guid, "refi_project": self.project.path.name,
                    **({"refi_origin": self.project.origin} if self.project.origin else {}),
                    **source.variables}
        if source.description:
            metadata["description"] = source.description
        imported = ImportedDocument(
            name=source.name, source_name=source.name, source_format=SOURCE_FORMAT,
            sha256=source.sha256, text=source.text, wrap_width=DEFAULT_WRAP,
            lines=tuple(compute_lines(source.text, DEFAULT_WRAP)),
            turns=tuple(detect_turns(source.text)), metadata=metadata)
        change = import_document(self.tx, imported, participant, force=True)
        self.result.change.merge(change)
        self.result.documents += 1
        return change.new_id(Kind.DOCUMENT)

    def codings(self, source: RefiSource, document_id: int, code_ids: dict[str, int],
                code_names: dict[int, str]) -> None:
        """All of a source's codings in one insert, and one event saying how many."""
        rows: dict[tuple[int, int, int, int], dict[str, object]] = {}
        duplicates = 0
        now = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        for selection in source.selections:
            for coding in selection.codings:
                code_id = code_ids.get(coding.code_guid)
                if code_id is None:
                    raise InvariantError(f"a coding in '{source.name}' refers to a code that "
                                         "the codebook did not create")
                coder_id = self.coder(coding.user_guid or selection.user_guid)
                key = (code_id, coder_id, selection.start, selection.end)
                linked = [g for g in coding.note_guids if g in self.memo_of]
                memo = "\n\n".join([selection.description] * bool(selection.description)
                                   + [self.memo_of[g] for g in linked])
                self.memo_notes.update(linked)
                if key in rows:
                    duplicates += 1
                    kept = rows[key]
                    if memo and memo not in str(kept["memo"]):
                        kept["memo"] = f"{kept['memo']}\n\n{memo}".strip()
                    continue
                rows[key] = {
                    "document_id": document_id, "code_id": code_id, "coder_id": coder_id,
                    "start": selection.start, "end": selection.end, "memo": memo,
                    "created_at": coding.created_at or selection.created_at or now}
        if duplicates:
            repeated = plural(duplicates, "coding", grouped=False)
            self.result.notes.append(f"'{source.name}': {repeated} repeated the "
                                     "same code on the same span by the same coder; kept once")
        if not rows:
            return
        connection = self.tx.session.connection()
        connection.execute(insert(Coding.__table__), list(rows.values()))
        for coding_id in connection.execute(
                select(Coding.id).where(Coding.document_id == document_id)).scalars():
            self.result.change.add(Kind.CODING, coding_id)
        used = sorted({code_names[key[0]] for key in rows})
        self.tx.audit("coding.import", "document", document_id, after={
            "document": source.name, "codings": len(rows), "codes": used,
            "source": self.project.path.name})
        self.result.codings += len(rows)

    def run(self) -> ProjectImport:
        self.coders()
        self.result.codebook = import_codebook(self.tx, self.project.codebook)
        self.result.change.merge(self.result.codebook.change)
        self.result.notes += [note for note in self.result.codebook.notes
                              if note not in self.result.notes]
        code_ids = self.result.codebook.code_ids
        code_names = dict(self.tx.session.execute(
            select(Code.id, Code.name).where(Code.id.in_(set(code_ids.values())))).all())
        participant_of = store_cases(self.tx, self.project, self.result)
        for source in self.project.sources:
            document_id = self.document(source, participant_of.get(source.guid))
            self.document_of[source.guid] = document_id
            self.codings(source, document_id, code_ids, code_names)
        if self.memo_notes:
            self.result.recast.append(
                f"{plural(len(self.memo_notes), 'note', grouped=False)} linked from codings: "
                "stored as those codings' memos, without their titles")
        store_notes(self.tx, self.project, self.result, self.document_of, code_ids,
                    self.coder, self.memo_notes)
        if self.project.description:
            self.result.notes.append("the project's description was not carried across")
        self.result.notes += [loss for loss in self.project.losses
                              if loss not in self.result.notes]
        self.result.notes += [f"{found.what}: its text was read from {found.path}, outside "
                              "the archive, as you allowed"
                              for found in self.project.outside_read]
        project_id = self.tx.session.execute(select(Project.id)).scalar_one()
        self.tx.audit("project.import", "project", project_id, after=self.result.summary())
        return self.result


def import_project(tx: Tx, project: RefiProject) -> ProjectImport:
    """Store ``project`` in the caller's transaction; a refused change names the file."""
    prefix = f"{project.path.name}: nothing was imported"
    try:
        return _Importer(tx, project).run()
    except WorkbenchError as error:
        if str(error).startswith(prefix):  # the codebook import says so already
            raise
        raise InvariantError(f"{prefix}: {error}") from error
