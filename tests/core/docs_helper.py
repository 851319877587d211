"""Make ImportedDocument values in tests without going through a file."""

from __future__ import annotations

import hashlib

from thematic_workbench.core.textlayout import canonical_text, compute_lines
from thematic_workbench.io.imported import ImportedDocument


def imported(text: str, name: str = "PA-interview", wrap: int = 80) -> ImportedDocument:
    text = canonical_text(text)
    return ImportedDocument(
        name=name, source_name=f"{name}.txt", source_format="txt",
        sha256=hashlib.sha256(f"{name}\0{text}".encode()).hexdigest(), text=text,
        wrap_width=wrap, lines=tuple(compute_lines(text, wrap)), turns=(), metadata={},
    )
