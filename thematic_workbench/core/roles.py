"""The roles a coder can have in a project, in the order the window offers them.

A module of its own, free of the ORM, so that the window can list the roles without
importing :mod:`thematic_workbench.core.storage.models` (which uses this tuple in its check).
"""

from __future__ import annotations

ROLES = ("analyst", "second_coder", "supervisor")
