"""OpenDocument text (.odt): paragraphs and headings in order, inside lists and tables too.

ODF collapses runs of white space in paragraph text the way HTML does and spells out the
spaces, tabs and line breaks that count as ``text:s``, ``text:tab`` and
``text:line-break``; following that rule keeps pretty-printed files and LibreOffice's own
output identical. Annotations, footnotes, frames (images, text boxes) and tracked
deletions are not body text and are left out.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.building import Extraction
from thematic_workbench.io.safety import open_zip, parse_xml, read_member

KIND = "an OpenDocument text"
_MIME_PREFIX = b"application/vnd.oasis.opendocument."
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"

_PARAGRAPHS = frozenset({_TEXT + "p", _TEXT + "h"})
_SPACE, _TAB, _LINE_BREAK = _TEXT + "s", _TEXT + "tab", _TEXT + "line-break"
_SKIP_INLINE = frozenset(
    {_OFFICE + "annotation", _TEXT + "note", _DRAW + "frame", _DRAW + "a", _TEXT + "ruby-text"}
)
_SKIP_BLOCK = frozenset(
    {
        _TEXT + name
        for name in (
            "sequence-decls",
            "variable-decls",
            "user-field-decls",
            "dde-connection-decls",
            "tracked-changes",
            "table-of-content-source",
            "alphabetical-index-source",
            "illustration-index-source",
            "table-index-source",
            "object-index-source",
            "user-index-source",
            "bibliography-source",
            "soft-page-break",
        )
    }
    | {
        _OFFICE + "forms",
        _OFFICE + "annotation",
        _TABLE + "table-columns",
        _TABLE + "table-column",
        _DRAW + "frame",
    }
)
_WHITE = re.compile(r"[ \t\r\n]+")
MAX_SPACE_RUN = 1000


def _pieces(element: Element, out: list[tuple[str, bool]]) -> None:
    """``(text, collapsible)`` pieces of a paragraph; spelled-out white space is not collapsible."""
    if element.text:
        out.append((element.text, True))
    for child in element:
        tag = child.tag
        if tag == _SPACE:
            count = child.get(_TEXT + "c", "1")
            # text:c is a count written by the file; cap it so a tiny file cannot expand.
            spaces = min(int(count), MAX_SPACE_RUN) if count.isdigit() else 1
            out.append((" " * spaces, False))
        elif tag == _TAB:
            out.append(("\t", False))
        elif tag == _LINE_BREAK:
            out.append(("\n", False))
        elif tag not in _SKIP_INLINE:
            _pieces(child, out)
        if child.tail:
            out.append((child.tail, True))


def _paragraph_text(element: Element) -> str:
    """The paragraph's text with ODF white-space collapsing applied."""
    pieces: list[tuple[str, bool]] = []
    _pieces(element, pieces)
    out: list[str] = []
    after_space = True  # leading white space of a paragraph is dropped
    for text, collapsible in pieces:
        if collapsible:
            text = _WHITE.sub(" ", text)
            if after_space and text.startswith(" "):
                text = text[1:]
            if text:
                after_space = text.endswith(" ")
        else:
            after_space = text == "\n"
        out.append(text)
    return "".join(out)


def _blocks(container: Element, paragraphs: list[str]) -> None:
    """Paragraphs below ``container`` in document order (lists, tables, sections)."""
    for child in container:
        tag = child.tag
        if tag in _PARAGRAPHS:
            paragraphs.append(_paragraph_text(child))
        elif tag not in _SKIP_BLOCK:
            _blocks(child, paragraphs)


def _metadata(raw: bytes | None, path: Path) -> dict[str, str]:
    """Title, author and page count from meta.xml, when present."""
    if raw is None:
        return {}
    meta = parse_xml(raw, path, "meta.xml").find(_OFFICE + "meta")
    if meta is None:
        return {}
    stats = meta.find(_META + "document-statistic")
    found = {
        "title": meta.findtext(_DC + "title") or "",
        "author": meta.findtext(_DC + "creator") or meta.findtext(_META + "initial-creator") or "",
        "pages": stats.get(_META + "page-count", "") if stats is not None else "",
    }
    return {key: value.strip() for key, value in found.items() if value.strip()}


def _check_mimetype(raw: bytes | None, path: Path) -> None:
    if raw is None:
        return
    mime = raw.strip()
    if mime.startswith(_MIME_PREFIX + b"text"):
        return
    if mime.startswith(_MIME_PREFIX):
        kind = mime[len(_MIME_PREFIX) :].decode("ascii", "replace")
        raise DocumentReadError(path, f"is an OpenDocument {kind}, not a text document")
    raise DocumentReadError(path, f"is not {KIND} (its mimetype is not OpenDocument)")


def extract_odt(data: bytes, path: Path) -> Extraction:
    """Paragraphs and metadata of an .odt file."""
    archive = open_zip(data, path, KIND)
    with archive:
        _check_mimetype(read_member(archive, "mimetype", path), path)
        raw = read_member(archive, "content.xml", path)
        if raw is None:
            raise DocumentReadError(path, f"is not {KIND} (content.xml is missing)")
        root = parse_xml(raw, path, "content.xml")
        metadata = _metadata(read_member(archive, "meta.xml", path), path)
    if root.tag != _OFFICE + "document-content":
        raise DocumentReadError(path, f"is not {KIND} (content.xml is not ODF content)")
    paragraphs: list[str] = []
    for text_body in root.iter(_OFFICE + "text"):
        _blocks(text_body, paragraphs)
    return Extraction(paragraphs=paragraphs, metadata=metadata)
