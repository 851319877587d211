"""The .qdpx archive: its safety checks, its one .qde, and where a source's text is found.

Nothing is ever extracted to disk, yet a member named ``../evil.txt`` or ``/etc/x`` shows
an archive made to attack whoever unpacks it, so such an archive is refused outright.
Text outside the archive (``relative://``, ``absolute://``, ``file://``) is read only when
it is a ``.txt`` file that exists. A file that is not beside the archive (every absolute
path, a relative one that climbs out of the archive's folder or rests on the file's own
``basePath``) is an ``OutsideFile``: a shared archive must never pull local files into a
project unless the user has agreed, so the reader reads it only when allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.records.refi import OutsideFile
from thematic_workbench.core.wording import plural
from thematic_workbench.io.plaintext import decode_text
from thematic_workbench.io.safety import MAX_MEMBER_BYTES, open_zip, read_member

KIND = "a REFI-QDA project (.qdpx)"
_DRIVE = re.compile(r"^/?[A-Za-z]:/")


@dataclass(frozen=True)
class SourceText:
    """Text as the other tool stored it (before canonicalisation), and its bytes."""

    raw: str
    data: bytes


class NotFound(Exception):
    """An external source file is missing or not plain text; the caller lists it and goes on."""


class OutsideFilesError(DocumentReadError):
    """The archive points at local files outside it and nobody has said they may be read."""

    def __init__(self, path: Path, files: tuple[OutsideFile, ...]) -> None:
        self.files = files
        listed = ", ".join(found.describe() for found in files)
        verb = "it is" if len(files) == 1 else "they are"
        super().__init__(path, f"refers to {plural(len(files), 'file', grouped=False)} outside "
                               f"the archive, and {verb} read only when you allow it: {listed}; "
                               "nothing was imported")


class QdpxArchive:
    """An opened .qdpx whose member names have been checked."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.zip = open_zip(data, path, KIND)
        names = [info.filename for info in self.zip.infolist()]
        for name in names:
            if _reaches_outside(name):
                raise DocumentReadError(
                    path, f"has a member named '{name}' that reaches outside its folder; "
                          "the archive is refused for safety")
        # Any case and either slash: the standard's own example says Sources/ and .TXT.
        self._by_lower = {name.replace("\\", "/").lower(): name for name in names
                          if not name.endswith("/")}
        self.qde_name = self._find_qde(names)
        self.prefix = self.qde_name.rpartition("/")[0]
        self.prefix = f"{self.prefix}/" if self.prefix else ""

    def _find_qde(self, names: list[str]) -> str:
        found = [n for n in names if n.lower().endswith(".qde") and not n.endswith("/")]
        at_root = [n for n in found if "/" not in n]
        if len(at_root) == 1:
            return at_root[0]
        if len(at_root) > 1:
            named = [n for n in at_root if n.lower() == "project.qde"]
            if len(named) == 1:
                return named[0]
            raise DocumentReadError(self.path, "holds several project files "
                                    f"({', '.join(sorted(at_root))}); expected one .qde")
        if len(found) == 1 and found[0].count("/") == 1:  # zipped with its folder
            return found[0]
        raise DocumentReadError(self.path, "holds no project.qde; it is not a REFI-QDA project")

    def qde_bytes(self) -> bytes:
        data = read_member(self.zip, self.qde_name, self.path)
        assert data is not None  # its name came from the archive's own list
        return _checked_size(data, self.path, self.qde_name)

    def internal(self, name: str, source: str) -> SourceText:
        """The member ``sources/NAME`` (any case), for ``internal://NAME``."""
        name = name.lstrip("/")
        if not name or _reaches_outside(name) or "/" in name.replace("\\", "/"):
            raise DocumentReadError(self.path, f"{source} refers to internal://{name}, "
                                    "which is not a file of the archive's sources folder")
        member = self._by_lower.get(f"{self.prefix}sources/{name}".lower())
        data = read_member(self.zip, member, self.path) if member else None
        if data is None:
            raise DocumentReadError(self.path, f"{source} refers to sources/{name}, "
                                    "which is missing from the archive")
        return SourceText(decode(data, self.path, f"sources/{name}"), data)


def _reaches_outside(name: str) -> bool:
    normal = name.replace("\\", "/")
    return (normal.startswith("/") or bool(_DRIVE.match(normal))
            or ".." in PurePosixPath(normal).parts)


def _checked_size(data: bytes, path: Path, member: str) -> bytes:
    if len(data) > MAX_MEMBER_BYTES:
        raise DocumentReadError(path, f"its part {member} is larger than any project needs")
    return data


def decode(data: bytes, path: Path, member: str) -> str:
    """Source text is UTF-8 by the standard; other tools' mistakes are forgiven as
    transcripts' are (UTF-16 with a BOM, Windows-1252)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text, _codec = decode_text(data, Path(member))
        except DocumentReadError as exc:
            raise DocumentReadError(path, f"its text {member} {exc.reason}") from exc
    return text[1:] if text.startswith("\ufeff") else text


def locate(url: str, base_path: str, archive_path: Path) -> tuple[Path, bool]:
    """The ``.txt`` file a ``relative://``, ``absolute://`` or ``file://`` path points at,
    and whether it lies outside the archive's folder (every absolute path does).

    Raises ``NotFound`` when there is no such ``.txt`` file here (the standard asks to
    tell the user).
    """
    home = archive_path.resolve().parent
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme == "relative":
        bases = [Path(base_path)] if base_path and Path(base_path).is_dir() else []
        bases.append(home)
        relative = rest.replace("\\", "/").lstrip("/")
        for base in bases:
            target = (base.resolve() / relative).resolve()
            if target.is_file():
                return _plain_text(target), not target.is_relative_to(home)
        raise NotFound(f"{url} was not found")
    if scheme == "file":
        local = unquote(urlparse(url).path)
    elif scheme == "absolute":
        local = rest
    else:
        raise NotFound(f"{url} is not a kind of path this program reads")
    if _DRIVE.match(local) and local.startswith("/"):
        local = local[1:]  # absolute:///C:/... on Windows
    target = Path(local)
    if not target.is_absolute() or not target.is_file():
        raise NotFound(f"{url} was not found")
    return _plain_text(target.resolve()), True


def _plain_text(target: Path) -> Path:
    if target.suffix.lower() != ".txt":
        raise NotFound(f"{target.name} is not a .txt file (only plain text outside the "
                       "archive is read)")
    return target


def read_external(target: Path, archive_path: Path, source: str) -> SourceText:
    """The text of a file ``locate`` found (whoever calls this has checked it may be read)."""
    try:
        with target.open("rb") as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)
    except OSError as exc:
        raise DocumentReadError(archive_path, f"{source}: {target} cannot be read "
                                f"({exc.strerror})") from exc
    _checked_size(data, archive_path, target.name)
    return SourceText(decode(data, archive_path, target.name), data)


def read_archive(path: Path) -> QdpxArchive:
    """Open ``path`` as a .qdpx; every problem is a DocumentReadError naming it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentReadError(path, "no such file") from None
    except IsADirectoryError:
        raise DocumentReadError(path, "is a folder, not a .qdpx file") from None
    except OSError as exc:
        raise DocumentReadError(path, f"cannot be read ({exc.strerror})") from exc
    return QdpxArchive(path, data)
