"""The one form of a moment in the project: an ISO 8601 UTC string.

Stored, exported and signed alike, so it needs no database and no library to read:
portable, sortable, readable.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    """Now, to the microsecond, as ``2026-12-04T20:50:00.123456Z``."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
