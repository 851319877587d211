"""A codebook ready to be stored: codes and themes by level, whatever file it came from.

A REFI-QDA codebook (.qdc), the codebook inside a .qdpx project, and a spreadsheet with the
columns code, emerging theme, final theme, definition all become a ``CodebookPlan``;
``core/services/codebook_import.py`` stores one in a single audited transaction. ``key``
ties a code or a theme to where it came from (a REFI-QDA GUID, or a row of a table), so a
project import can find the code of each coding afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedCode:
    key: str
    name: str
    definition: str = ""
    colour: str | None = None  # "#RRGGBB"; None lets the project pick one


@dataclass(frozen=True)
class PlannedTheme:
    key: str
    name: str
    level: str  # "emerging" or "final"
    definition: str = ""
    parent_key: str | None = None  # an emerging theme's final theme
    code_keys: tuple[str, ...] = ()  # member codes, in order (Table 1's order)


@dataclass(frozen=True)
class CodebookPlan:
    """What a file holds, in our terms; ``notes`` list what could not be carried across."""

    source: str  # the file name, for messages and the audit trail
    codes: tuple[PlannedCode, ...]
    themes: tuple[PlannedTheme, ...] = ()
    notes: tuple[str, ...] = ()
