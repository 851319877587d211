"""A guard against a reference-count bug of PySide6 6.12 on Python 3.11.

In that combination every call of a Qt method returning ``void`` (``setFormat``,
``QPainter.drawText``, ``QPoint.setX``...) drops one reference to ``None`` that it never
took. Python 3.12 made ``None`` immortal, so the bug is invisible there; on 3.11 the count
reaches zero after some thousands of calls and the interpreter aborts with "none_dealloc:
deallocating None". A transcript view makes thousands of such calls per screen, so before
it makes any, we give ``None`` a reference count it cannot exhaust.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 48
_done = False


def protect_none() -> None:
    """Raise ``None``'s reference count far beyond reach, once, where the bug can bite."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    # ob_refcnt is the first field of every CPython object (a Py_ssize_t).
    ctypes.c_ssize_t.from_address(id(None)).value += _RESERVE
    _done = True
