"""Build small input files for the importer tests: hand-made ZIPs, PDFs and friends."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.reader import read_document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.'
    b'org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)

ODT_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def zip_bytes(members: dict[str, bytes], stored: bool = False) -> bytes:
    """A ZIP archive holding ``members`` in the given order."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_xml(body: str, prolog: str = "") -> bytes:
    """A word/document.xml with ``body`` (WordprocessingML) inside w:body."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def docx_bytes(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx: package relationships and the main document part."""
    members = {"_rels/.rels": ROOT_RELS, "word/document.xml": document_xml}
    members.update(extra or {})
    return zip_bytes(members)


def odt_bytes(
    office_text: str,
    meta: str | None = None,
    mimetype: bytes = b"application/vnd.oasis.opendocument.text",
    content_prolog: str = "",
) -> bytes:
    """A minimal .odt: mimetype, content.xml with ``office_text`` inside office:text, meta."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{content_prolog}'
        f'<office:document-content {ODT_NAMESPACES} office:version="1.3">'
        f"<office:body><office:text>{office_text}</office:text></office:body>"
        f"</office:document-content>"
    ).encode()
    members = {"mimetype": mimetype, "content.xml": content}
    if meta is not None:
        members["meta.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODT_NAMESPACES}>'
            f"<office:meta>{meta}</office:meta></office:document-meta>"
        ).encode()
    return zip_bytes(members)


def patch_central_sizes(
    data: bytes, member: str, *, file_size: int | None = None, crc: int | None = None
) -> bytes:
    """``data`` with the central-directory record of ``member`` claiming other values.

    zipfile trusts the central directory, so a forged size there is what a ZIP bomb shows.
    """
    raw = bytearray(data)
    name = member.encode()
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if bytes(raw[pos + 46 : pos + 46 + name_len]) == name:
            if crc is not None:
                struct.pack_into("<I", raw, pos + 16, crc)
            if file_size is not None:
                struct.pack_into("<I", raw, pos + 24, file_size)
            return bytes(raw)
        pos = raw.find(b"PK\x01\x02", pos + 4)
    raise ValueError(f"{member} not in the archive")


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_bytes(pages: list[list[str]], title: str | None = None) -> bytes:
    """A PDF whose pages show the given lines in Helvetica (ASCII text), xref included."""
    objects: list[bytes] = []
    page_count = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(page_count))
    font_id = 3 + 2 * page_count
    info_id = font_id + 1
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode())
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            ops += [f"{_pdf_string(line)} Tj", "T*"]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>"
            ).encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(f"<< /Title {_pdf_string(title or '')} >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info = f" /Info {info_id} 0 R" if title else ""
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def write_sample(tmp_path: Path, data: bytes, name: str) -> Path:
    """Write ``data`` as ``tmp_path/name`` and return the path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal_reason(path: Path) -> str:
    """The reason read_document gives for refusing ``path``; its message names the file."""
    with pytest.raises(DocumentReadError) as info:
        read_document(path)
    assert str(info.value).startswith(f"{path.name}: ")
    return info.value.reason
