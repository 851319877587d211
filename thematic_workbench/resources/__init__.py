"""Files the application ships inside the package: the demo's sources, the guide, the icon.

They live in the package (not under ``share/``) so an installed wheel finds them the same
way a checkout does, through ``importlib.resources``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """A shipped file or folder as a real path (the package is never run from a zip)."""
    return Path(str(files(__name__).joinpath(*parts)))


def read_text(*parts: str) -> str:
    """A shipped text file, decoded as UTF-8."""
    return files(__name__).joinpath(*parts).read_text(encoding="utf-8")
