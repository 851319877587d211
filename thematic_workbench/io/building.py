"""From extracted paragraphs to an ImportedDocument, the same way for every format.

Each format reader only extracts paragraphs (and metadata, and turns when the format
carries speakers itself, as captions do); text canonicalisation, the line map and speaker
detection happen here, once, so every format numbers lines and finds turns identically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.filenames import readable_name
from thematic_workbench.core.records.imported import ImportedDocument
from thematic_workbench.core.text.speaker_turns import ImportedTurn, detect_turns
from thematic_workbench.core.text.textlayout import compute_lines, join_paragraphs


@dataclass(slots=True)
class Extraction:
    """What a format reader found: paragraphs (may hold ``\\n``), metadata, maybe turns.

    ``turns`` is ``None`` when speakers are to be detected from labels in the text; a
    reader that knows the speakers (captions) gives positions into
    ``"\\n".join(paragraphs)``, whose paragraphs it has already made canonical.
    """

    paragraphs: Sequence[str]
    metadata: dict[str, str] = field(default_factory=dict)
    turns: Sequence[ImportedTurn] | None = None
    notes: Sequence[str] = ()  # what the reader changed or left out, for the import's report


def build_document(
    path: Path, data: bytes, source_format: str, name: str, wrap: int, found: Extraction
) -> ImportedDocument:
    """The ImportedDocument for ``found``; refuses a document without any text."""
    text = join_paragraphs(found.paragraphs)
    if not text.strip():
        raise DocumentReadError(path, "contains no text")
    if found.turns is None:
        turns = detect_turns(text)
    else:
        turns = [t for t in found.turns if t.end <= len(text)]
    metadata = {key: str(value) for key, value in found.metadata.items() if str(value).strip()}
    return ImportedDocument(
        name=name,
        source_name=readable_name(path.name),  # a name that is not UTF-8 cannot be stored
        source_format=source_format,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        wrap_width=wrap,
        lines=tuple(compute_lines(text, wrap)),
        turns=tuple(turns),
        metadata=metadata,
        notes=tuple(found.notes),
    )
