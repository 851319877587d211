"""Plain text (.txt, .md) and the text decoding shared with captions.

Transcripts arrive as UTF-8, UTF-16 with a byte-order mark (Windows "Unicode" saves) or
Windows-1252 (older Windows editors), so decoding tries exactly that order: BOM, strict
UTF-8, then a guess in which Windows-1252 wins whenever it reads the bytes as well as the
guessed encoding does. Files that are not text at all are refused rather than imported
as mojibake. Markdown is kept as written: its markup is part of what the author typed.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.building import Extraction

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF file; rename it to .pdf"),
    (b"PK\x03\x04", "a ZIP archive (a Word or OpenDocument file?); give it the right extension"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"{\\rtf", "an RTF file; rename it to .rtf"),
    (b"\x7fELF", "a program"),
)
# Encodings worth guessing among: the Windows code pages and their ISO cousins, a few
# common East Asian ones. Others guessed from a short file are more often wrong than right.
_CANDIDATES = [
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso8859_15",
    "koi8_r",
    "mac_roman",
    "shift_jis",
    "gb18030",
    "big5",
    "euc_kr",
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
NOT_TEXT = "does not look like a text file"


def _looks_binary(text: str) -> bool:
    """Control characters (C0 and C1, except tab and line ends) in more than 1 in 200 chars."""
    sample = text[:200_000]
    return len(_CONTROL.findall(sample)) * 200 > len(sample)


def _utf16_without_bom(data: bytes, path: Path) -> tuple[str, str]:
    """Text with NUL bytes: only BOM-less UTF-16 (a NUL every other byte) is accepted."""
    codec = None
    half = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if len(data) >= 4 and not len(data) % 2:
        if odd * 10 >= half * 7 and even * 10 < half:
            codec = "utf-16-le"
        elif even * 10 >= half * 7 and odd * 10 < half:
            codec = "utf-16-be"
    try:
        text = data.decode(codec) if codec else None
    except UnicodeDecodeError:
        text = None
    if codec is None or text is None or _looks_binary(text):
        raise DocumentReadError(path, f"{NOT_TEXT} (it contains NUL bytes)")
    return text, codec


def _refuse_binary(data: bytes, path: Path) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DocumentReadError(path, f"{NOT_TEXT} (it looks like {what})")


def _guess(data: bytes) -> tuple[str, str] | None:
    """Best guess of ``(text, codec)`` for bytes that are not UTF-8, preferring cp1252."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    results = from_bytes(data, cp_isolation=_CANDIDATES)
    best = results.best()
    if best is None:
        return (western, "cp1252") if western is not None else None
    if western is not None:
        ours = next((m for m in results if m.encoding == "cp1252"), None)
        same_text = str(best) == western
        as_good = ours is not None and (
            ours.chaos <= best.chaos + 0.01 and ours.coherence >= best.coherence - 0.1
        )
        if same_text or as_good:
            return western, "cp1252"
    return str(best), best.encoding


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """``(text, codec name)`` of ``data``; refuses bytes that are not text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), codec + ("-sig" if codec == "utf-8" else "")
            except UnicodeDecodeError as exc:
                raise DocumentReadError(
                    path, f"is not valid {codec.upper()} text although it starts as such"
                ) from exc
    _refuse_binary(data, path)
    if b"\x00" in data:
        return _utf16_without_bom(data, path)
    try:
        text, codec = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        guessed = _guess(data)
        if guessed is None:
            raise DocumentReadError(path, f"{NOT_TEXT} (no known text encoding fits)") from None
        text, codec = guessed
    if _looks_binary(text):
        raise DocumentReadError(path, f"{NOT_TEXT} (it contains control characters)")
    return text, codec


def extract_text(data: bytes, path: Path) -> Extraction:
    """A .txt or .md file as one block of text; its own line breaks stay as they are."""
    text, codec = decode_text(data, path)
    return Extraction(paragraphs=[text], metadata={"encoding": codec})
