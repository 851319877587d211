"""REFI-QDA codebooks (.qdc): read one into a plan, write the project's frame as one.

A codebook is how a frame travels between ATLAS.ti, MAXQDA, NVivo, QualCoder, Taguette and
us. What we write validates against Codebook.xsd; what we read is forgiven the usual
variations (ATLAS.ti's ``0:4`` namespace, GUIDs in braces, Taguette's empty ``<Sets/>``)
but not damage: a cut-off file, a DTD or a root that is not ``<CodeBook>`` is refused with
a message naming the file. What breaks the schema but is read anyway is said in one note
each (``codes_tree.off_standard``), as the standard asks.

Taguette (remram44/taguette, ``codebook_xml`` in taguette/export.py) writes
``<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette VERSION">`` with one flat
``<Code guid=... name=TAG isCodable="true"/>`` per tag (GUID: uuid5 of the tag name in
Taguette's own namespace), no ``<Description>``, and always an empty ``<Sets/>``. Its tag
descriptions travel only in its CSV and Excel codebooks, so a Taguette codebook without
a description says so in a note.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from thematic_workbench import __version__
from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.core.queries.refi_records import ExportFrame
from thematic_workbench.core.records.codebook_plan import CodebookPlan
from thematic_workbench.io.atomic import atomic_path
from thematic_workbench.io.refi.codes_tree import (
    frame_tree,
    off_standard,
    plan_codebook,
    read_codes,
    read_sets,
    write_codes,
    write_sets,
    xml_bytes,
)
from thematic_workbench.io.refi.common import (
    CODEBOOK_NS,
    OLD_SPELLINGS,
    ORIGIN,
    child,
    local_name,
    namespace_of,
    parse_refi_xml,
    project_namespace,
)
from thematic_workbench.io.safety import read_limited

MAX_BYTES = 100 * 1024 * 1024
_NAMESPACES = {"", CODEBOOK_NS, *(old for old, new in OLD_SPELLINGS.items()
                                  if new == CODEBOOK_NS)}


def _parse(path: Path) -> Element:
    raw = read_limited(path, MAX_BYTES, "codebook")
    if not raw.strip():
        raise DocumentReadError(path, "is empty")
    try:
        return parse_refi_xml(raw, path, "the codebook")
    except DocumentReadError as error:
        cause = error.__cause__
        if isinstance(cause, ParseError):
            line, column = cause.position if cause.position else ("?", "?")
            raise DocumentReadError(path, f"is damaged or cut off: it is not well-formed XML "
                                          f"(line {line}, column {column}); export the "
                                          "codebook again") from cause
        raise


def read_qdc(path: str | Path) -> CodebookPlan:
    """The codebook in ``path`` in our terms, with notes on what could not be carried."""
    path = Path(path)
    root = _parse(path)
    if local_name(root) != "CodeBook":
        if local_name(root) == "Project":
            raise DocumentReadError(path, "is a REFI-QDA project, not a codebook; import it "
                                          "as a project (.qdpx) instead")
        raise DocumentReadError(path, f"is not a REFI-QDA codebook: its root element is "
                                      f"<{local_name(root)}>, not <CodeBook>")
    if namespace_of(root) not in _NAMESPACES:
        raise DocumentReadError(path, f"is not a REFI-QDA codebook: its namespace is "
                                      f"'{namespace_of(root)}', not '{CODEBOOK_NS}'")
    codes = child(root, "Codes")
    roots = read_codes(codes, path) if codes is not None else []
    if not roots:
        raise DocumentReadError(path, "holds no codes")
    plan = plan_codebook(roots, read_sets(child(root, "Sets"), path), path.name)
    notes = off_standard(root)
    if (root.get("origin") or "").strip().startswith("Taguette") and not any(
            code.definition for code in plan.codes):
        notes.append("Taguette leaves its tag descriptions out of a .qdc; export the "
                     "codebook from Taguette as CSV or Excel to bring them across")
    return replace(plan, notes=(*notes, *plan.notes))


def codebook_xml(frame: ExportFrame) -> bytes:
    """The project's frame as a REFI-QDA codebook document (UTF-8, with declaration)."""
    roots, sets = frame_tree(frame.board, project_namespace(frame.created_at))
    if not roots:
        raise WorkbenchError("the project has no codes or themes yet, so there is no "
                             "codebook to export")
    book = Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": f"{ORIGIN} {__version__}"})
    write_codes(book, CODEBOOK_NS, roots)
    write_sets(book, CODEBOOK_NS, sets)
    return xml_bytes(book, CODEBOOK_NS)


def write_qdc(frame: ExportFrame, path: str | Path) -> None:
    """Write the frame (``core.refi_export.read_frame``) to ``path`` whole or not at all."""
    path = Path(path)
    try:
        data = codebook_xml(frame)
    except WorkbenchError as error:
        raise WorkbenchError(f"{path.name}: {error}") from error
    with atomic_path(path, "the codebook") as partial:
        partial.write_bytes(data)
