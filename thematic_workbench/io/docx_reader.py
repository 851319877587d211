"""Word .docx: the body's paragraphs in document order, table cells in their place.

The main part is read straight from the (checked) ZIP and parsed once with defusedxml;
python-docx is not needed to read, and skipping its object model keeps large imports fast.
Text follows what Word shows in the body: runs, hyperlinks, tracked insertions, field
results; hard breaks become ``\\n`` and tabs ``\\t``. Deleted text, field codes, text boxes
and drawings, headers, footers, footnotes and comments are left out.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.building import Extraction
from thematic_workbench.io.safety import open_zip, parse_xml, read_member

KIND = "a Word document"
_MAIN_DEFAULT = "word/document.xml"
_CORE_DEFAULT = "docProps/core.xml"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DC = "{http://purl.org/dc/elements/1.1/}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Transitional and Strict OOXML name the same elements in different namespaces.
_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)


class _Tags:
    """Fully qualified tag names for one WordprocessingML namespace."""

    def __init__(self, ns: str) -> None:
        w = "{" + ns + "}"
        self.body = w + "body"
        self.p = w + "p"
        self.t = w + "t"
        self.tabs = frozenset({w + "tab", w + "ptab"})
        self.breaks = frozenset({w + "br", w + "cr"})
        self.hyphen = w + "noBreakHyphen"
        # Subtrees whose text Word does not show as body text (or shows twice).
        self.skip = frozenset(
            {
                w + name
                for name in (
                    "pPr",
                    "rPr",
                    "del",
                    "moveFrom",
                    "instrText",
                    "delText",
                    "delInstrText",
                    "drawing",
                    "pict",
                    "object",
                    "txbxContent",
                    "sectPr",
                    "tblPr",
                    "tblGrid",
                    "trPr",
                    "tcPr",
                    "sdtPr",
                    "sdtEndPr",
                    "footnoteReference",
                    "endnoteReference",
                    "commentReference",
                    "altChunk",
                )
            }
            | {_MC + "AlternateContent"}
        )


def _inline(element: Element, tags: _Tags, out: list[str]) -> None:
    """Append the visible text below a paragraph element to ``out``."""
    for child in element:
        tag = child.tag
        if tag == tags.t:
            if child.text:
                out.append(child.text)
        elif tag in tags.skip:
            continue
        elif tag in tags.tabs:
            out.append("\t")
        elif tag in tags.breaks:
            out.append("\n")
        elif tag == tags.hyphen:
            out.append("-")
        else:
            _inline(child, tags, out)


def _blocks(container: Element, tags: _Tags, paragraphs: list[str]) -> None:
    """Paragraphs below ``container`` in document order; tables row by row, cell by cell."""
    for child in container:
        tag = child.tag
        if tag == tags.p:
            parts: list[str] = []
            _inline(child, tags, parts)
            paragraphs.append("".join(parts))
        elif tag not in tags.skip:
            _blocks(child, tags, paragraphs)


def _part_names(archive_rels: Element | None) -> tuple[str, str]:
    """Names of the main document part and the core properties part, from _rels/.rels."""
    main, core = _MAIN_DEFAULT, _CORE_DEFAULT
    if archive_rels is None:
        return main, core
    for rel in archive_rels.iter(_RELS):
        kind = rel.get("Type", "")
        raw_target = rel.get("Target", "").lstrip("/")
        target = str(PurePosixPath(raw_target)) if raw_target else ""
        if kind.endswith("/officeDocument") and target:
            main = target
        elif kind.endswith("/core-properties") and target:
            core = target
    return main, core


def _core_metadata(raw: bytes | None, path: Path, member: str) -> dict[str, str]:
    """Title and author from the core properties, when the document has them."""
    if raw is None:
        return {}
    root = parse_xml(raw, path, member)
    found = {
        "title": root.findtext(_DC + "title") or "",
        "author": root.findtext(_DC + "creator") or "",
    }
    return {key: value.strip() for key, value in found.items() if value.strip()}


def extract_docx(data: bytes, path: Path) -> Extraction:
    """Paragraphs and core properties of a .docx file."""
    archive = open_zip(data, path, KIND)
    with archive:
        rels_raw = read_member(archive, "_rels/.rels", path)
        rels = parse_xml(rels_raw, path, "_rels/.rels") if rels_raw is not None else None
        main, core = _part_names(rels)
        raw = read_member(archive, main, path)
        if raw is None:
            raise DocumentReadError(path, f"is not {KIND} ({main} is missing)")
        root = parse_xml(raw, path, main)
        metadata = _core_metadata(read_member(archive, core, path), path, core)
    ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if ns not in _W_NAMESPACES:
        raise DocumentReadError(path, f"is not {KIND} ({main} is not WordprocessingML)")
    tags = _Tags(ns)
    body = root.find(tags.body)
    paragraphs: list[str] = []
    if body is not None:
        _blocks(body, tags, paragraphs)
    return Extraction(paragraphs=paragraphs, metadata=metadata)
