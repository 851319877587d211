"""Reading any supported transcript file into an ImportedDocument.

The one entry point importers call. It reads the file once (the bytes feed both the
SHA-256 and the format reader), picks the reader by extension, and guarantees that every
failure surfaces as a DocumentReadError naming the file and a reason a user can act on —
never as a raw library exception.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.filenames import readable_name
from thematic_workbench.core.records.imported import ImportedDocument
from thematic_workbench.core.text.textlayout import DEFAULT_WRAP, MAX_WRAP, MIN_WRAP
from thematic_workbench.io.building import Extraction, build_document
from thematic_workbench.io.captions import extract_captions
from thematic_workbench.io.docx_reader import extract_docx
from thematic_workbench.io.odt_reader import extract_odt
from thematic_workbench.io.pdf_reader import extract_pdf
from thematic_workbench.io.plaintext import extract_text
from thematic_workbench.io.rtf_reader import extract_rtf

MAX_FILE_BYTES = 512 * 1024 * 1024

_Reader = Callable[[bytes, Path], Extraction]
_READERS: dict[str, tuple[_Reader, str]] = {
    ".txt": (extract_text, "a text file"),
    ".md": (extract_text, "a Markdown file"),
    ".docx": (extract_docx, "a Word document"),
    ".odt": (extract_odt, "an OpenDocument text"),
    ".rtf": (extract_rtf, "an RTF file"),
    ".pdf": (extract_pdf, "a PDF"),
    ".vtt": (partial(extract_captions, webvtt=True), "a WebVTT caption file"),
    ".srt": (partial(extract_captions, webvtt=False), "an SRT caption file"),
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(_READERS)


def _supported() -> str:
    return ", ".join(SUPPORTED_EXTENSIONS)


def _read_bytes(path: Path) -> bytes:
    """The whole file, with plain reasons for the ways reading can fail."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 2**20
            raise DocumentReadError(
                path, f"is too large ({size // 2**20} MB; the limit is {limit} MB)"
            )
        return path.read_bytes()
    except PermissionError as exc:
        raise DocumentReadError(path, "cannot be read (permission denied)") from exc
    except FileNotFoundError as exc:
        raise DocumentReadError(path, "file not found") from exc
    except IsADirectoryError as exc:
        raise DocumentReadError(path, "is a folder, not a file") from exc
    except OSError as exc:
        raise DocumentReadError(path, f"cannot be read ({exc.strerror or exc})") from exc


def read_document(
    path: str | Path, wrap: int = DEFAULT_WRAP, name: str | None = None
) -> ImportedDocument:
    """Read a transcript file; raises DocumentReadError naming the file and the reason.

    ``wrap`` is the fixed width long paragraphs are wrapped at for line numbers; ``name``
    is the document's name in the project (the file name without extension by default).
    """
    if not MIN_WRAP <= wrap <= MAX_WRAP:
        raise ValueError(f"wrap width must be between {MIN_WRAP} and {MAX_WRAP}, not {wrap}")
    path = Path(path)
    ext = path.suffix.lower()
    if not path.exists():
        raise DocumentReadError(path, "file not found")
    if path.is_dir():
        raise DocumentReadError(path, "is a folder, not a file")
    if ext not in _READERS:
        what = f"file type '{ext}'" if ext else "file type (no extension)"
        raise DocumentReadError(
            path, f"has an unsupported {what}; supported types are {_supported()}"
        )
    data = _read_bytes(path)
    if not data:
        raise DocumentReadError(path, "is empty (0 bytes)")
    reader, kind = _READERS[ext]
    try:
        found = reader(data, path)
    except DocumentReadError:
        raise
    except Exception as exc:  # a library failing in a way we did not foresee
        raise DocumentReadError(
            path, f"could not be read as {kind}; the file may be damaged ({type(exc).__name__})"
        ) from exc
    doc_name = (name or "").strip() or readable_name(path.stem)
    return build_document(path, data, ext[1:], doc_name, wrap, found)
