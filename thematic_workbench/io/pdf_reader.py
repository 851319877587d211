"""PDF through pypdf's text layer, pages in order with a blank line between pages.

A PDF keeps words, not paragraphs: each line the PDF lays out becomes a line of the text.
Scanned PDFs have no text layer; we say so and point to OCR instead of importing nothing.
pypdf reports recoverable damage through logging and warnings; those are silenced while
reading because the user can do nothing with them and the worker has no console.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.building import Extraction

NO_TEXT_LAYER = "has no text layer (it may be a scanned image); run OCR first and import the result"
_UNPROTECT = "save an unprotected copy (for example by printing it to a new PDF) and import that"
_PASSWORD = "is protected by a password; " + _UNPROTECT
_CIPHER = "is encrypted in a way that cannot be opened here; " + _UNPROTECT
_DAMAGED = "could not be read as a PDF; the file may be damaged"


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's logging and warnings for the duration of one read."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _open(data: bytes, path: Path) -> PdfReader:
    """A reader for ``data``, decrypted when only an empty user password protects it."""
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise DocumentReadError(path, _DAMAGED) from exc
    if encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as exc:
            raise DocumentReadError(path, _CIPHER) from exc
        except Exception as exc:
            raise DocumentReadError(path, _PASSWORD) from exc
        if not opened:
            raise DocumentReadError(path, _PASSWORD)
    return reader


def _info(reader: PdfReader) -> dict[str, str]:
    """Title and author from the document information, ignoring a damaged dictionary."""
    try:
        info = reader.metadata
        found = {"title": info.title, "author": info.author} if info else {}
    except Exception:
        return {}
    return {key: str(value).strip() for key, value in found.items() if value}


def extract_pdf(data: bytes, path: Path) -> Extraction:
    """Text of every page of a .pdf file; refuses PDFs without a text layer."""
    if b"%PDF-" not in data[:1024]:
        raise DocumentReadError(path, "is not a PDF file (no %PDF header)")
    with _quiet_pypdf():
        reader = _open(data, path)
        try:
            pages = list(reader.pages)
        except FileNotDecryptedError as exc:
            raise DocumentReadError(path, _PASSWORD) from exc
        except Exception as exc:
            raise DocumentReadError(path, _DAMAGED) from exc
        paragraphs: list[str] = []
        for number, page in enumerate(pages, start=1):
            try:
                text = page.extract_text() or ""
            except Exception as exc:
                raise DocumentReadError(
                    path, f"page {number} could not be read; the file may be damaged"
                ) from exc
            if paragraphs:
                paragraphs.append("")
            paragraphs.append(text.strip("\n"))
        metadata = _info(reader)
    if not any(p.strip() for p in paragraphs):
        raise DocumentReadError(path, NO_TEXT_LAYER)
    metadata["pages"] = str(len(pages))
    return Extraction(paragraphs=paragraphs, metadata=metadata)
