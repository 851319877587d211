"""Errors a user can cause and fix; the CLI and GUI show their message, never a traceback."""

from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """A problem the user can understand and act on (bad input, a refused change)."""


class ProjectError(WorkbenchError):
    """The project file cannot be opened or written as asked."""


class ProjectLockedError(ProjectError):
    """Another process has the project open for writing."""


class InvariantError(WorkbenchError):
    """A change would break a rule of the domain (duplicate name, span outside the text...)."""


class NotFoundError(WorkbenchError):
    """A named or numbered thing does not exist in the project."""


class DocumentReadError(WorkbenchError):
    """A file could not be read as a transcript; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{Path(path).name}: {reason}")
