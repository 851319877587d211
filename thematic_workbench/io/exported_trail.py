"""Reading an exported audit trail (a .csv file or a .docx appendix) back, to check the
project against it: ``audit --verify --against FILE`` and the audit panel share this."""

from __future__ import annotations

from pathlib import Path

from thematic_workbench.core.trail.trail_verify import ExportedTrail, TrailFileError

SUFFIXES = (".csv", ".docx")


def read_exported_trail_file(path: str | Path) -> ExportedTrail:
    """An exported trail (.csv or .docx) as the head, anchors and hashes it states.

    Raises :class:`TrailFileError` (one line naming the file) for a file that is missing,
    is neither kind, or cannot be read as an exported trail."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise TrailFileError(f"{path}: no such file")
    # Imported when needed: the .docx reader brings python-docx with it.
    if suffix == ".csv":
        from thematic_workbench.io.audit_csv import read_exported_trail

        return read_exported_trail(path)
    if suffix == ".docx":
        from thematic_workbench.io.appendix_docx import read_exported_docx

        return read_exported_docx(path)
    raise TrailFileError(f"{path}: an exported audit trail is a .csv or .docx file")
