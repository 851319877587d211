"""Whose codings a read takes: everyone's (``None``) or only the named coders'.

In blind double coding each coder's views show their own codings only; the reads behind
those views take an optional ``coders`` and pass it here, so that the rule is written once.
Analyses (agreement, statistics, exports) take no such filter: they are about the project.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, select

from thematic_workbench.core.storage.models import Coder, Coding


def coded_by(coders: Collection[str]) -> ColumnElement[bool]:
    """SQL true for a coding made by one of ``coders`` (by name; none given: no coding)."""
    return Coding.coder_id.in_(select(Coder.id).where(Coder.name.in_(sorted(coders))))
