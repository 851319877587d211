"""Identifiers that stay with a code or theme wherever its project is copied.

Ids are numbered per database: two copies of a study coded apart number their new codes
alike, so ids cannot tell whether two codes are one. A GUID can: it is made once, when the
code or theme is made, travels with every copy, and is what a merge matches first.
"""

from __future__ import annotations

import re
import uuid

GUID_LENGTH = 36
_GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def new_guid() -> str:
    """A fresh random GUID in upper case, the form REFI-QDA files use."""
    return str(uuid.uuid4()).upper()


def earlier_guid(project_created_at: str, kind: str, entity_id: int, created_at: str) -> str:
    """The GUID given to a code or theme made before GUIDs were kept.

    Derived from what every copy of the project shares about it (the project's moment of
    creation, the entity's id and its own moment of creation), so copies made before the
    upgrade agree on it, while two codes that took the same id in copies coded apart do not.
    """
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"thematic-workbench:project:{project_created_at}")
    return str(uuid.uuid5(namespace, f"{kind}:{entity_id}:{created_at}")).upper()


def as_guid(value: str) -> str | None:
    """``value`` if it is a GUID in the upper-case form (what an exchange file's code was
    named by, kept so that the code is still that code when the file comes back)."""
    return value if _GUID.match(value) else None
