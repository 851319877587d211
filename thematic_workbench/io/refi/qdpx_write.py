"""Writing the project as a REFI-QDA project (.qdpx): project.qde plus sources/*.txt.

Every coding becomes its own PlainTextSelection holding one Coding (our codings are
independent spans, each by one coder), with the coding's memo as the selection's
Description; a margin note is a selection without a coding, its text the Description.
That is how QualCoder reads a coding memo and an annotation (and how MAXQDA writes them).
A diary entry is a Note whose text is a file in sources/ (``plainTextPath``, the form
QualCoder reads journal entries in), referenced from the project and from the documents
it links to. GUIDs are derived from the project's
creation time and each row's id, so exporting twice gives the same GUIDs, and another
tool can recognise what it imported before. What the standard has no place for is told
to the user before writing (:func:`export_losses`).
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

from thematic_workbench import __version__
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.queries.refi_records import (
    ExportAnnotation,
    ExportCoding,
    ExportDocument,
    ProjectExport,
)
from thematic_workbench.core.records.refi import excerpt, xml_text
from thematic_workbench.core.text.quotes import SpeakerLabels, quote_span
from thematic_workbench.core.wording import plural
from thematic_workbench.io.atomic import atomic_path
from thematic_workbench.io.refi.codes_tree import (
    board_code_guids,
    frame_tree,
    write_codes,
    write_sets,
    xml_bytes,
)
from thematic_workbench.io.refi.common import ORIGIN, PROJECT_NS, project_namespace
from thematic_workbench.io.refi.qdpx_losses import export_losses
from thematic_workbench.io.refi.qdpx_people import write_cases, write_variables
from thematic_workbench.io.refi.qdpx_xml import Guids

__all__ = ["ExportSummary", "export_losses", "project_xml", "write_qdpx"]

XSI = "http://www.w3.org/2001/XMLSchema-instance"
MAX_MEMBER_BYTES = 2**31 - 1
SCHEMA_LOCATION = (f"{PROJECT_NS} "
                   "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd")


@dataclass
class ExportSummary:
    """What was written, for the message after an export."""

    path: Path
    documents: int = 0
    codes: int = 0
    themes: int = 0
    codings: int = 0
    notes: int = 0
    losses: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return ", ".join(plural(count, word, grouped=False) for count, word in (
            (self.documents, "transcript"), (self.codings, "coding"), (self.codes, "code"),
            (self.themes, "theme"), (self.notes, "note")))

    def __str__(self) -> str:
        return self.describe()


def _tag(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


class _Writer:
    """One pass over the project's records, building the XML and the source files."""

    def __init__(self, project: ProjectExport) -> None:
        self.project = project
        self.guid = Guids(project_namespace(project.frame.created_at))
        self.code_guids = board_code_guids(project.frame.board, self.guid.namespace)
        self.coders = {user.id: user.name for user in project.users}
        self.root = Element(_tag("Project"), {
            "name": xml_text(project.title) or "Thematic Workbench project",
            "origin": f"{ORIGIN} {__version__}",
            "creationDateTime": project.frame.created_at,
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
        if self.coders:
            self.root.set("creatingUserGUID", self.guid("coder", min(self.coders)))
        self.notes = Element(_tag("Notes"))
        self.files: dict[str, bytes] = {}
        self.summary = ExportSummary(Path())
        # A selection's name is how other tools list the quotation: without the speaker's
        # label (core.quotes). Its positions are the coding's, label and all.
        self.labels = project.speaker_labels

    def user(self, coder_id: int | None) -> dict[str, str]:
        return {"creatingUser": self.guid("coder", coder_id)} \
            if coder_id in self.coders else {}

    def note(self, kind: str, row_id: int, name: str, text: str, coder_id: int | None,
             created_at: str, modified_at: str | None = None) -> str:
        """A Note whose text is sources/GUID.txt; returns its GUID for the NoteRefs."""
        guid = self.guid(kind, row_id)
        attrs = {"guid": guid, **({"name": xml_text(name)} if name else {}),
                 "plainTextPath": f"internal://{guid}.txt", **self.user(coder_id),
                 "creationDateTime": created_at}
        if modified_at and modified_at != created_at:
            attrs["modifiedDateTime"] = modified_at
        SubElement(self.notes, _tag("Note"), attrs)
        self.files[f"sources/{guid}.txt"] = text.encode("utf-8")
        self.summary.notes += 1
        return guid

    def build(self) -> Element:
        users = SubElement(self.root, _tag("Users"))
        for coder_id, name in self.coders.items():
            SubElement(users, _tag("User"), {"guid": self.guid("coder", coder_id),
                                             "name": xml_text(name)})
        project = self.project
        roots, sets = frame_tree(project.frame.board, self.guid.namespace)
        if roots:
            write_codes(SubElement(self.root, _tag("CodeBook")), PROJECT_NS, roots)
        self.summary.codes = project.facts.active_codes
        self.summary.themes = project.facts.live_themes
        write_variables(self.root, project.attributes, project.participants, self.guid)
        write_cases(self.root, project.attributes, project.participants, self.guid,
                    project.documents)
        diary_refs = self.diary()
        self.sources(diary_refs)
        if len(self.notes):
            self.root.append(self.notes)
        write_sets(self.root, PROJECT_NS, sets)
        if project.description.strip():
            SubElement(self.root, _tag("Description")).text = xml_text(project.description)
        for guid in diary_refs.get(None, []):
            SubElement(self.root, _tag("NoteRef"), {"targetGUID": guid})
        return self.root

    def diary(self) -> dict[int | None, list[str]]:
        """Diary entries as Notes; their GUIDs by linked document (None: the project)."""
        refs: dict[int | None, list[str]] = defaultdict(list)
        for entry in self.project.diary:
            # An untitled entry stays untitled: a made-up name would come back as a title.
            guid = self.note("diary", entry.id, entry.title, entry.body, entry.coder_id,
                             entry.created_at, entry.updated_at)
            refs[None].append(guid)
            for document_id in entry.document_ids:
                refs[document_id].append(guid)
        return refs

    def sources(self, diary_refs: dict[int | None, list[str]]) -> None:
        codings: dict[int, list[ExportCoding]] = defaultdict(list)
        for coding in self.project.codings:
            codings[coding.document_id].append(coding)
        notes: dict[int, list[ExportAnnotation]] = defaultdict(list)
        for note in self.project.annotations:
            notes[note.document_id].append(note)
        if not self.project.documents:
            return
        container = SubElement(self.root, _tag("Sources"))
        for document in self.project.documents:
            guid = self.guid("document", document.id)
            self.files[f"sources/{guid}.txt"] = document.text.encode("utf-8")
            source = SubElement(container, _tag("TextSource"), {
                "guid": guid, "name": xml_text(document.name),
                "plainTextPath": f"internal://{guid}.txt", **self.user(document.imported_by),
                "creationDateTime": document.imported_at})
            spans: list[tuple[int, int, int, int, ExportCoding | ExportAnnotation]] = [
                (c.start, c.end, 0, c.id, c) for c in codings[document.id]]
            spans += [(a.start, a.end, 1, a.id, a) for a in notes[document.id]]
            for *_, row in sorted(spans, key=lambda item: item[:4]):
                if isinstance(row, ExportCoding):
                    self.coding(source, document, row)
                else:
                    self.annotation(source, document, row)
            for note_guid in diary_refs.get(document.id, []):
                SubElement(source, _tag("NoteRef"), {"targetGUID": note_guid})
            self.summary.documents += 1

    def selection(self, source: Element, kind: str, row_id: int, text: str, start: int,
                  end: int, coder_id: int, created_at: str, note: str,
                  labels: SpeakerLabels | None = None) -> Element:
        """A PlainTextSelection; ``note`` (a memo or margin note) is its Description."""
        first, last = quote_span(text, labels, start, end) if labels else (start, end)
        element = SubElement(source, _tag("PlainTextSelection"), {
            "guid": self.guid(kind, row_id), "name": excerpt(text[first:last]),
            "startPosition": str(start), "endPosition": str(end), **self.user(coder_id),
            "creationDateTime": created_at})
        if note.strip():
            SubElement(element, _tag("Description")).text = xml_text(note)
            self.summary.notes += 1
        return element

    def coding(self, source: Element, document: ExportDocument, coding: ExportCoding) -> None:
        selection = self.selection(source, "coding", coding.id, document.text, coding.start,
                                   coding.end, coding.coder_id, coding.created_at,
                                   coding.memo, self.labels.get(document.id))
        element = SubElement(selection, _tag("Coding"), {
            "guid": self.guid("coding-ref", coding.id), **self.user(coding.coder_id),
            "creationDateTime": coding.created_at})
        SubElement(element, _tag("CodeRef"), {
            "targetGUID": self.code_guids.get(coding.code_id) or self.guid("code", coding.code_id)})
        self.summary.codings += 1

    def annotation(self, source: Element, document: ExportDocument,
                   note: ExportAnnotation) -> None:
        self.selection(source, "annotation-selection", note.id, document.text, note.start,
                       note.end, note.coder_id, note.created_at, note.body)


def project_xml(project: ProjectExport) -> tuple[bytes, dict[str, bytes], ExportSummary]:
    """project.qde's bytes, the source files by member name, and what they hold."""
    writer = _Writer(project)
    root = writer.build()
    return xml_bytes(root, PROJECT_NS), writer.files, writer.summary


def write_qdpx(project: ProjectExport, path: str | Path) -> ExportSummary:
    """Write the project (``core.refi_export.read_project_export``) to ``path`` whole or
    not at all; the losses are in the summary."""
    path = Path(path)
    qde, files, summary = project_xml(project)
    too_big = [name for name, data in (("project.qde", qde), *files.items())
               if len(data) > MAX_MEMBER_BYTES]
    if too_big:  # the standard's limit for a file inside a .qdpx
        raise WorkbenchError(f"{path.name}: {too_big[0]} would exceed the 2 GB that a file "
                             "inside a .qdpx may hold; nothing was written")
    summary.path = path
    summary.losses = export_losses(project.facts)
    with atomic_path(path, "the REFI-QDA project") as partial, \
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, data in files.items():
            archive.writestr(name, data)
    return summary
