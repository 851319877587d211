"""Files the application ships inside the package: the demo's sources, the guide, the icon.

They live in the package (not under ``share/``) so an installed wheel finds them the same
way a checkout does, through ``importlib.resources``.
"""

from __future__ import annotations

from importlib import metadata
from importlib.resources import files
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """A shipped file or folder as a real path (the package is never run from a zip)."""
    return Path(str(files(__name__).joinpath(*parts)))


def read_text(*parts: str) -> str:
    """A shipped text file, decoded as UTF-8."""
    return files(__name__).joinpath(*parts).read_text(encoding="utf-8")


LICENCE_NAME = "GPL-3.0-or-later"


def licence_text() -> str | None:
    """The full GPL text, offline: from the installed package's metadata, or a checkout's root.

    A wheel keeps it as ``licenses/LICENSE`` in its metadata (older builds as ``LICENSE``);
    an editable install's metadata has none, so a checkout's own file is read then.
    """
    for dist in metadata.distributions(name="thematic-workbench"):
        for name in ("licenses/LICENSE", "LICENSE"):
            text = dist.read_text(name)
            if text:
                return text
    checkout = Path(__file__).resolve().parents[2] / "LICENSE"
    return checkout.read_text(encoding="utf-8") if checkout.is_file() else None
