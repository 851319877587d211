"""Writing an export whole or not at all.

Every file we produce (Word, CSV, XLSX, REFI-QDA) is written beside its target under a
temporary name and renamed over it only once complete, so a failure part-way leaves the
old file, or none, never half a file. The temporary file is created exclusively (never
written through someone else's file or link) with the permissions of any file the user
saves.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from thematic_workbench.core.errors import WorkbenchError


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
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise WorkbenchError(f"{target.name}: {what} could not be written ({reason})") \
            from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
