"""A sidecar lock file so that only one process writes a project at a time.

SQLite itself would let two writers take turns; two windows editing the same coding frame
would then silently overwrite each other's view of it. The lock is an OS advisory lock
(``flock`` / ``msvcrt.locking``) on ``NAME.thematic.lock``: it disappears with the process,
so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from pathlib import Path

from thematic_workbench.core.errors import (
    DiskFullError,
    ProjectError,
    ProjectLockedError,
    fault_for,
)


def lock_path_for(project_path: Path) -> Path:
    return project_path.with_name(project_path.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _describe_holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    who = info.get("user", "someone")
    host = info.get("host", "this computer")
    pid = info.get("pid", "?")
    return f"{who} on {host} (process {pid})"


class WriteLock:
    """Holds the write lock of one project until :meth:`release`."""

    def __init__(self, project_path: Path) -> None:
        self.path = lock_path_for(project_path)
        self._fd: int | None = None
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise _lock_fault(project_path, self.path, exc) from exc
            if not _try_lock(fd):
                os.close(fd)
                raise ProjectLockedError(
                    f"{project_path.name} is already open for writing by "
                    f"{_describe_holder(self.path)}; close it there first, or open it read-only."
                )
            # The holder may have removed the file between our open and our lock.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                break
            os.close(fd)
        else:  # pragma: no cover - needs a pathological race
            raise ProjectLockedError(f"could not lock {project_path.name}; try again")
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user()}
        try:
            os.ftruncate(self._fd, 0)
            os.write(self._fd, json.dumps(holder).encode("utf-8"))
        except OSError as exc:  # a full disk: leave no empty lock file behind
            self.release()
            raise _lock_fault(project_path, self.path, exc) from exc

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":  # pragma: no cover - Windows cannot remove an open file
            os.close(fd)
            self._remove_file()
            return
        try:
            self._remove_file()
        finally:
            os.close(fd)

    def _remove_file(self) -> None:
        # An empty lock file left behind is harmless: the OS lock is what counts.
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)


def _lock_fault(project_path: Path, lock: Path, exc: OSError) -> ProjectError:
    """Why the lock file could not be made or written, naming the project and what to do."""
    fault = fault_for(exc, project_path)
    if isinstance(fault, DiskFullError):
        return fault
    if lock.exists():
        return ProjectError(f"{project_path}: cannot write its lock file {lock.name} "
                            f"({exc.strerror or exc}); check that file's permissions")
    return ProjectError(f"{project_path}: cannot create its lock file in {lock.parent} "
                        f"({exc.strerror or exc}); is the folder read-only?")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"
