"""What REFI-QDA codebooks and projects share: namespaces, GUIDs, colours, safe parsing.

Tools differ in small ways that a reader must forgive: ATLAS.ti writes ``0:4`` where the
standard says ``1.0`` (in ``xsi:schemaLocation``, and in a damaged file even in the
namespace), GUIDs come with or without braces and in either case. Files come from outside,
so XML with a DTD or entity declarations is refused (see io/safety.py).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from xml.etree.ElementTree import Element

from thematic_workbench.io.safety import parse_xml

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
OLD_SPELLINGS = {"urn:QDA-XML:codebook:0:4": CODEBOOK_NS,
                 "urn:QDA-XML:project:0:4": PROJECT_NS}
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12})\}?$")
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
ORIGIN = "Thematic Workbench"


def normal_guid(value: str | None) -> str | None:
    """A GUID without braces, in upper case; None when ``value`` is not a GUID."""
    found = _GUID.match((value or "").strip())
    return found.group(1).upper() if found else None


def project_namespace(created_at: str) -> uuid.UUID:
    """A project's own GUID namespace, from the moment it was created (never changes)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"thematic-workbench:project:{created_at}")


def stable_guid(namespace: uuid.UUID, kind: str, entity_id: int | str) -> str:
    """The same GUID for the same entity of the same project in every export."""
    return str(uuid.uuid5(namespace, f"{kind}:{entity_id}")).upper()


def normal_colour(value: str | None) -> str | None:
    """``#RRGGBB`` in upper case (``#RGB`` doubled out); None when not a colour."""
    text = (value or "").strip()
    if not _COLOUR.match(text):
        return None
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits.upper()}"


def local_name(element: Element) -> str:
    """The tag without its namespace: ``{urn:...}Code`` gives ``Code``."""
    return element.tag.rsplit("}", 1)[-1]


def namespace_of(element: Element) -> str:
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


_INLINE_TEXT = re.compile(rb"(<(?:[\w.-]+:)?PlainTextContent\b[^>]*>)(.*?)"
                          rb"(</(?:[\w.-]+:)?PlainTextContent>)", re.DOTALL)


def _keep_carriage_returns(found: re.Match[bytes]) -> bytes:
    return found.group(1) + found.group(2).replace(b"\r", b"&#13;") + found.group(3)


def parse_refi_xml(raw: bytes, path: Path, member: str) -> Element:
    """Parse REFI-QDA XML safely (reading ignores the namespace spelling, so ATLAS.ti's
    ``0:4`` reads as ``1.0``). An XML parser turns CRLF into LF, but positions into a
    source's inline text count its CRs: they are kept, as character references."""
    if b"\r" in raw:
        raw = _INLINE_TEXT.sub(_keep_carriage_returns, raw)
    return parse_xml(raw, path, member)


def children(element: Element, name: str) -> list[Element]:
    """Direct children called ``name``, whatever namespace spelling the file uses."""
    return [child for child in element if local_name(child) == name]


def child(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def child_text(element: Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "").strip() if found is not None else ""
