"""Opening ZIP-based documents (DOCX, ODT) and their XML without trusting them.

Files come from outside, so before anything is decompressed or parsed we check what the
archive declares (member sizes, compression ratios, member count) and refuse XML that
declares a DTD or entities — the door to entity expansion ("billion laughs") and external
entities. The scan for declarations is a byte search, cheap enough to run on every import;
defusedxml is the second line of defence for encodings the byte search cannot see.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from thematic_workbench.core.errors import DocumentReadError

MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 300
RATIO_CHECK_FROM = 10 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_ENTITY_REASON = "contains XML entity declarations, which are refused for safety (in {member})"
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"'>]{0,60})["']""")


def open_zip(data: bytes, path: Path, kind: str) -> zipfile.ZipFile:
    """The archive in ``data``, after checking what it declares; ``kind`` names the format."""
    if data.startswith(_OLE_MAGIC):
        raise DocumentReadError(
            path,
            f"is not {kind}: it is password-protected or in an old binary format; "
            "save it again without a password in the current format",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # BadZipFile, or NotImplementedError for multi-disk archives
        raise DocumentReadError(path, f"is not {kind} (not a ZIP archive)") from exc
    if len(members) > MAX_MEMBERS:
        raise DocumentReadError(path, f"has {len(members)} parts, more than {kind} ever needs")
    total = 0
    for info in members:
        size = info.file_size
        total += size
        too_big = size > MAX_MEMBER_BYTES
        absurd = size > RATIO_CHECK_FROM and size > MAX_RATIO * max(info.compress_size, 1)
        if too_big or absurd:
            raise DocumentReadError(
                path,
                f"declares a member of {size} bytes ({info.filename}); "
                "it is refused as a possible ZIP bomb",
            )
    if total > MAX_TOTAL_BYTES:
        raise DocumentReadError(
            path, f"declares {total} bytes in all; it is refused as a possible ZIP bomb"
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    """The bytes of member ``name``, or ``None`` if the archive has no such member."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.flag_bits & 0x1:
        raise DocumentReadError(path, f"is password-protected ({name} is encrypted)")
    try:
        with archive.open(info) as member:
            return member.read(MAX_MEMBER_BYTES + 1)
    except Exception as exc:  # BadZipFile (CRC), zlib.error, unsupported method: all damage
        raise DocumentReadError(
            path, f"is damaged: its part {name} cannot be decompressed"
        ) from exc


def parse_xml(raw: bytes, path: Path, member: str) -> Element:
    """Parse one XML member, refusing DTDs, entity declarations and external references."""
    if any(marker in raw for marker in _DECLARATIONS):
        raise DocumentReadError(path, _ENTITY_REASON.format(member=member))
    try:
        root: Element = safe_et.fromstring(raw, forbid_dtd=True)  # defusedxml: untyped
    except DefusedXmlException as exc:
        raise DocumentReadError(path, _ENTITY_REASON.format(member=member)) from exc
    except ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        raise DocumentReadError(
            path, f"is damaged: its part {member} is not well-formed XML (line {line})"
        ) from exc
    except (LookupError, ValueError) as exc:  # the parser cannot decode what the file declares
        raise DocumentReadError(path, _encoding_reason(raw, member, exc)) from exc
    return root


def _encoding_reason(raw: bytes, member: str, error: Exception) -> str:
    """Why an XML part's declared encoding cannot be read, naming the part and the encoding."""
    found = _DECLARED_ENCODING.search(raw[:400])
    name = found.group(1).decode("ascii", "replace") if found else ""
    part = member if member.startswith("the ") else f"its part {member}"
    if isinstance(error, LookupError):
        what = f"the unknown encoding '{name}'" if name else "an unknown encoding"
    else:  # pyexpat decodes only single-byte encodings itself ("multi-byte ... not supported")
        what = f"the encoding '{name}', which cannot be read here" if name else (
            "an encoding that cannot be read here")
    return f"{part} declares {what}; save or export it again as UTF-8"


def read_limited(path: Path, max_bytes: int, what: str) -> bytes:
    """A whole file that should never be big (a codebook), read at most one byte past
    ``max_bytes`` so a huge or endless file is refused rather than loaded."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as error:
        raise DocumentReadError(path, f"cannot be read ({error.strerror or error})") from error
    if len(raw) > max_bytes:
        raise DocumentReadError(path, f"is larger than {max_bytes // (1024 * 1024)} MB, "
                                      f"far more than any {what}")
    return raw
