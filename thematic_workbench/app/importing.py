"""Importing a batch of transcript files: one transaction per file, one outcome per file.

Shared by the import dialog (on a worker thread) and the command line. No Qt here: the
caller passes a ``control`` that reports progress and says whether to stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import (
    DiskFullError,
    DocumentReadError,
    PermissionDeniedError,
    WorkbenchError,
    fault_for,
    plain_message,
)
from thematic_workbench.core.filenames import readable_name
from thematic_workbench.core.services.documents import AlreadyImportedError, import_document
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural
from thematic_workbench.io.reader import SUPPORTED_EXTENSIONS, read_document

__all__ = ["SUPPORTED_EXTENSIONS", "FileOutcome", "ImportSummary", "import_files",
           "propose_participant", "transcript_files"]


class ImportControl(Protocol):
    """How a batch import reports progress and learns it should stop."""

    @property
    def cancelled(self) -> bool: ...

    def progress(self, done: int, total: int, label: str) -> None: ...

    def publish(self, value: object) -> None: ...


_LABEL = re.compile(r"[A-Z]{2,4}\d{0,4}|[A-Za-z]{1,3}\d{1,4}")
_FIRST_WORD = re.compile(r"[\s_\-.,;()\[\]]+")


def propose_participant(path: str | Path) -> str:
    """A participant label read off a file name: "PA-forensic.docx" gives "PA", else ""."""
    first = _FIRST_WORD.split(Path(path).stem.strip(), maxsplit=1)[0]
    return first.upper() if _LABEL.fullmatch(first) else ""


def transcript_files(paths: list[Path]) -> list[Path]:
    """Files of a supported type: given ones as they are, folders by their own files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted((p for p in path.iterdir() if p.is_file()
                             and p.suffix.lower() in SUPPORTED_EXTENSIONS
                             and not p.name.startswith((".", "~$"))),  # Word's lock files
                            key=lambda p: p.name.casefold())
        elif path.suffix.lower() in SUPPORTED_EXTENSIONS:
            found.append(path)
    return found


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file; ``change`` is set when it was stored."""

    row: int
    path: Path
    kind: str  # "imported", "skipped" or "failed"
    message: str
    change: Change | None = None
    notes: tuple[str, ...] = ()  # what the reader changed or left out; also in ``message``
    stops: bool = False  # the project could take no more (a full disk): the batch stopped

    @property
    def file(self) -> str:
        return readable_name(self.path.name)


@dataclass
class ImportSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)
    cancelled: bool = False
    stopped: str = ""  # why the batch stopped before its end (a full disk), in one line

    def of(self, kind: str) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.kind == kind]

    def headline(self) -> str:
        parts = [f"{len(self.of(kind))} {kind}" for kind in ("imported", "skipped", "failed")
                 if kind == "imported" or self.of(kind)]
        if self.cancelled:
            parts.append(f"cancelled before {len(self.not_started)} more")
        elif self.stopped and self.not_started:
            parts.append(f"stopped before {len(self.not_started)} more")
        return ", ".join(parts)


def with_notes(message: str, notes: tuple[str, ...]) -> str:
    """The outcome's words followed by the reader's notes, so every caller shows them."""
    if not notes:
        return message
    return f"{message}, with {plural(len(notes), 'note')}: {'; '.join(notes)}"


def import_files(store: ProjectStore, coder: str, files: list[tuple[int, Path, str]],
                 wrap: int, force: bool, control: ImportControl) -> ImportSummary:
    """The job: read and store each ``(row, path, participant)``, one transaction per file."""
    summary = ImportSummary()
    for number, (row, path, participant) in enumerate(files):
        if control.cancelled:
            summary.cancelled = True
            summary.not_started = [readable_name(p.name) for _r, p, _l in files[number:]]
            break
        control.progress(number, len(files), readable_name(path.name))
        try:
            document = read_document(path, wrap)
            with store.transaction(coder) as tx:
                change = import_document(tx, document, participant or None, force=force)
                stored = tx.session.get(Document, change.new_id(Kind.DOCUMENT))
            name = stored.name if stored else document.name  # "(2)" added on a name clash
            outcome = FileOutcome(row, path, "imported", with_notes(f"imported as '{name}'",
                                                                    document.notes),
                                  change, document.notes)
        except AlreadyImportedError as error:
            outcome = FileOutcome(row, path, "skipped",
                                  f"already imported as '{error.existing_name}' (same content)")
        except (DiskFullError, PermissionDeniedError) as error:  # the project's disk, not the file
            outcome = _stop(summary, store, error, files, number)
        except WorkbenchError as error:  # the file's name is in the table already
            reason = error.reason if isinstance(error, DocumentReadError) else str(error)
            outcome = FileOutcome(row, path, "failed", reason)
        except Exception as error:  # a file must never take the rest of the import down
            outcome = FileOutcome(row, path, "failed", f"unexpected error "
                                  f"({type(error).__name__}: {plain_message(error)})")
        summary.outcomes.append(outcome)
        control.publish(outcome)
        if outcome.stops:
            break
    control.progress(len(files) - len(summary.not_started), len(files), "")
    return summary


def _stop(summary: ImportSummary, store: ProjectStore, error: WorkbenchError,
          files: list[tuple[int, Path, str]], number: int) -> FileOutcome:
    """The file the project could not take, and why the batch stops there, in one line."""
    row, path, _participant = files[number]
    rest = files[number + 1:]
    summary.not_started = [readable_name(p.name) for _r, p, _l in rest]
    name = readable_name(path.name)
    if not summary.of("imported"):
        outcome = "nothing was imported"
    elif rest:
        outcome = f"{name} and the {plural(len(rest), 'file')} after it were not imported"
    else:
        outcome = f"{name} was not imported"
    cause = error.__cause__
    fault = fault_for(cause, store.path, outcome) if isinstance(cause, Exception) else None
    summary.stopped = str(fault or error)
    return FileOutcome(row, path, "failed", str(error), stops=True)
