"""Writing an export whole or not at all.

Every file we produce (Word, CSV, XLSX, REFI-QDA) is written beside its target under a
temporary name, flushed to disk and renamed over it only once complete, so a failure (or a
power cut) part-way leaves the old file, or none, never half a file. The temporary file is
created exclusively (never written through someone else's file or link) with the
permissions of any file the user saves.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from thematic_workbench.core.errors import WorkbenchError, fault_for


@contextmanager
def atomic_path(path: str | Path, what: str) -> Iterator[Path]:
    """A fresh temporary path beside ``path``; renamed onto it when the block succeeds.

    ``what`` names the export in the message of an error ("the audit trail", "Table 1").
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(handle)
        yield partial
        _flush_to_disk(partial)  # else a power cut after the rename can leave an empty file
        os.replace(partial, target)
        _flush_to_disk(target.parent)  # the rename itself
    except OSError as error:
        partial.unlink(missing_ok=True)
        # A full disk or a refused write, said plainly and naming the target, not the .part
        fault = fault_for(OSError(error.errno, error.strerror), target)
        if fault is not None:
            raise fault from error
        reason = error.strerror or str(error)
        raise WorkbenchError(f"{target.name}: {what} could not be written ({reason})") \
            from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _flush_to_disk(path: Path) -> None:
    """fsync a file, or a folder so that a rename in it lasts.

    Some systems cannot sync a folder (Windows, some network shares): the file itself is on
    disk by then, so that is let pass.
    """
    folder = path.is_dir()
    if folder and os.name == "nt":  # pragma: no cover - Windows only
        return
    try:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError:
        if not folder:
            raise
