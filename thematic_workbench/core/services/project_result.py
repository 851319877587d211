"""What storing a REFI-QDA project did, for the message after it and its audit event.

Its own module so that ``project_import`` and the helpers it calls (``project_notes``,
``project_people``), which all fill it in, import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thematic_workbench.core.changes import Change
from thematic_workbench.core.services.codebook_import import CodebookImport
from thematic_workbench.core.wording import plural


@dataclass
class ProjectImport:
    """What an import stored, for the message; ``notes`` list what was not carried across,
    ``recast`` what was stored as another kind of thing (a note as a margin note),
    ``off_standard`` what the file holds against its schema but was read anyway."""

    source: str
    codebook: CodebookImport | None = None
    coders: int = 0
    participants: int = 0
    documents: int = 0
    codings: int = 0
    annotations: int = 0
    diary_entries: int = 0
    notes: list[str] = field(default_factory=list)
    recast: list[str] = field(default_factory=list)
    off_standard: list[str] = field(default_factory=list)  # read although the schema forbids
    position_unit: str = "code points"  # how the file's positions were read
    change: Change = field(default_factory=Change)

    def describe(self) -> str:
        """One sentence for the message after an import."""
        codebook = self.codebook
        parts = [plural(count, word, many, grouped=False) for count, word, many in (
            (self.documents, "transcript", None), (self.codings, "coding", None),
            (codebook.codes_created if codebook else 0, "code", None),
            (codebook.themes_created if codebook else 0, "theme", None),
            (self.participants, "participant", None), (self.annotations, "margin note", None),
            (self.diary_entries, "diary entry", "diary entries"),
            (self.coders, "new coder", None))]
        return f"{self.source}: imported {', '.join(parts)}."

    def summary(self) -> dict[str, object]:
        codebook = self.codebook
        return {"source": self.source, "coders_created": self.coders,
                "participants": self.participants, "documents": self.documents,
                "codes_created": codebook.codes_created if codebook else 0,
                "themes_created": codebook.themes_created if codebook else 0,
                "codings": self.codings, "annotations": self.annotations,
                "diary_entries": self.diary_entries, "notes": list(self.notes),
                "recast": list(self.recast), "off_standard": list(self.off_standard),
                "position_unit": self.position_unit}
