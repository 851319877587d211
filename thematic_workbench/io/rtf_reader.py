"""Rich Text Format (.rtf) through striprtf.

RTF is 7-bit text whose 8-bit characters are escapes in the document's ANSI code page
(``\\ansicpgNNNN``, Windows-1252 when absent); raw 8-bit bytes, which some writers emit,
are read in that code page too. Decoding is tolerant: an odd byte must not cost the user
the whole interview. Each RTF paragraph and line break becomes a line of the text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from striprtf import striprtf

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.building import Extraction

_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")

# striprtf marks itself typed but leaves rtf_to_text(text, encoding, errors) unannotated
_rtf_to_text: Callable[..., str] = striprtf.rtf_to_text


def _codepage(data: bytes) -> str:
    """The Python codec for the document's declared ANSI code page (cp1252 by default)."""
    m = _CODEPAGE.search(data[:4096])
    if m is None:
        return "cp1252"
    candidate = "cp" + m.group(1).decode("ascii")
    try:
        codecs.lookup(candidate)
    except LookupError:
        return "cp1252"
    return candidate


def extract_rtf(data: bytes, path: Path) -> Extraction:
    """The text of an .rtf file, one paragraph per RTF paragraph or line break."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise DocumentReadError(path, "is not an RTF file (it does not start with {\\rtf)")
    codec = _codepage(data)
    try:
        raw = data.decode(codec)
    except UnicodeDecodeError:
        raw = data.decode("latin-1")
    text = _rtf_to_text(raw, encoding=codec, errors="replace")
    return Extraction(paragraphs=text.split("\n"), metadata={"encoding": codec})
