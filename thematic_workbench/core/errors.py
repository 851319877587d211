"""Errors a user can cause and fix; the CLI and GUI show their message, never a traceback."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from thematic_workbench.core.filenames import readable_name


class WorkbenchError(Exception):
    """A problem the user can understand and act on (bad input, a refused change)."""


class ProjectError(WorkbenchError):
    """The project file cannot be opened or written as asked."""


class ProjectLockedError(ProjectError):
    """Another process has the project open for writing."""


class InvariantError(WorkbenchError):
    """A change would break a rule of the domain (duplicate name, span outside the text...)."""


class ConflictError(WorkbenchError):
    """Someone else changed the same thing first (on a team server); nothing was saved."""


class NotFoundError(WorkbenchError):
    """A named or numbered thing does not exist in the project."""


class DocumentReadError(WorkbenchError):
    """A file could not be read as a transcript; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{readable_name(Path(path).name)}: {reason}")


class DiskFullError(ProjectError):
    """The disk a file is written to has no room left; the step was undone."""


class PermissionDeniedError(ProjectError):
    """The system refused to let us write a file (its permissions, a read-only disk)."""


_FULL_ERRNOS = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT")
                         if hasattr(errno, name))
_DENIED_ERRNOS = frozenset((errno.EACCES, errno.EPERM))
_LIBRARY_LINK = re.compile(r"\s*\(Background on this error at: [^)]*\)|\s*https?://\S+|"
                           r"^\((?:sqlite3|sqlalchemy)\.[\w.]+\)\s*")
NEARLY_FULL_BYTES = 1 << 20  # less free room than this, and SQLite's I/O errors mean "full"


def plain_message(error: BaseException) -> str:
    """An exception's message on one line, without a library's web address or SQL text.

    SQLAlchemy appends "(Background on this error at: https://...)" and the statement;
    neither means anything to the person reading the message.
    """
    text = str(error).split("\n[SQL:", 1)[0]
    text = _LIBRARY_LINK.sub("", text)
    return " ".join(text.split())


def _sqlite_code(error: BaseException) -> str:
    """SQLite's error name (``SQLITE_FULL``...) of a sqlite3 error, bare or wrapped."""
    for candidate in (error, getattr(error, "orig", None), error.__cause__):
        name = getattr(candidate, "sqlite_errorname", None)
        if name:
            return str(name)
    return ""


def fault_for(error: BaseException, path: str | Path | None,
              outcome: str = "nothing was changed") -> WorkbenchError | None:
    """A full disk or a refused write as a one-line error naming the file, else None.

    An OSError names its own file; otherwise ``path`` is the one named (the file the user
    asked to write). ``outcome`` says what became of the step.
    """
    if isinstance(error, WorkbenchError):
        return error
    if isinstance(error, OSError):
        named = os.fsdecode(error.filename) if error.filename else path or "a file"
        if error.errno in _FULL_ERRNOS:
            return DiskFullError(f"the disk holding {named} is full; {outcome}")
        if error.errno == errno.EFBIG:
            return DiskFullError(f"{named} would be larger than its disk allows; {outcome}")
        if error.errno in _DENIED_ERRNOS:
            return PermissionDeniedError(f"cannot write {named}: permission denied; {outcome}")
        if error.errno == errno.EROFS:
            return PermissionDeniedError(f"cannot write {named}: the disk is read-only; "
                                         f"{outcome}")
        return None
    refusal = _server_refusal(error, outcome)
    if refusal is not None:
        return refusal
    code = _sqlite_code(error)
    path = path or "the project"
    if code == "SQLITE_FULL" or "database or disk is full" in str(error):
        return DiskFullError(f"the disk holding {path} is full; {outcome}")
    if code in ("SQLITE_READONLY", "SQLITE_PERM"):
        return PermissionDeniedError(f"cannot write {path}: permission denied; {outcome}")
    if code.startswith("SQLITE_IOERR") and _nearly_full(path):
        # SQLite often says "disk I/O error" when a write or its shared memory finds no room
        return DiskFullError(f"the disk holding {path} is full; {outcome}")
    if code.startswith("SQLITE_IOERR"):
        return ProjectError(f"cannot write {path}: the disk reported an error "
                            f"({plain_message(error)}); {outcome}")
    return None


# What a team server's refusals mean to the coder (PostgreSQL's SQLSTATE, then the table).
_REFUSED_TABLES = {"sign_off": "only a supervisor may sign off a phase",
                   "coder": "only the project's owner gives coders their roles"}


def _server_refusal(error: BaseException, outcome: str) -> WorkbenchError | None:
    """A PostgreSQL server's "permission denied" or a trigger's refusal, in plain words."""
    for candidate in (error, getattr(error, "orig", None), error.__cause__):
        state = getattr(candidate, "sqlstate", None)
        if state not in ("42501", "23001"):  # insufficient privilege, restrict violation
            continue
        detail = getattr(candidate, "diag", None)
        message = str(getattr(detail, "message_primary", "") or candidate).strip()
        table = message.rsplit(" ", 1)[-1] if message.startswith("permission denied for") \
            else ""
        reason = _REFUSED_TABLES.get(table) or (
            "your role on the team server does not allow this change" if table else message)
        return PermissionDeniedError(f"the team server refused: {reason}; {outcome}")
    return None


def _nearly_full(path: str | Path) -> bool:
    """True when the disk holding ``path`` has less room than a database would grow by."""
    try:
        room = os.statvfs(Path(path).absolute().parent)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    return room.f_bavail * room.f_frsize < NEARLY_FULL_BYTES


@contextmanager
def plain_faults(path: str | Path | None, outcome: str = "nothing was changed") -> Iterator[None]:
    """Turn a full disk or a refused write inside the block into a one-line error."""
    try:
        yield
    except WorkbenchError:
        raise
    except Exception as error:
        fault = fault_for(error, path, outcome)
        if fault is None:
            raise
        raise fault from error
