"""Install (or remove) Thematic Workbench's desktop integration for the current user.

A researcher who installed the app with pipx, or unpacked the bundle, wants it in the
applications menu with its icon, and a double-click on a ``.thematic`` file to open the
project. The freedesktop way is a desktop entry, AppStream metainfo, icons in the hicolor
theme and a MIME type, all under ``$XDG_DATA_HOME`` (``~/.local/share``); nothing needs root.

    python packaging/install_desktop.py [--exec PROGRAM] [--data-home DIR]
    python packaging/install_desktop.py --uninstall [--data-home DIR]

``--exec`` names the program the entry starts (default: ``thematic-workbench`` as found on
the PATH, written as an absolute path so the entry works when the program's folder is not on
the desktop session's PATH). The PNG icons are rendered from the SVG at every size the
hicolor theme lists, with Qt's SVG renderer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

APP_ID = "org.thematicworkbench.ThematicWorkbench"
MIME_FILE = "thematic-workbench-mime.xml"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
HERE = Path(__file__).resolve().parent
LINUX = HERE / "linux"
SVG = HERE.parent / "thematic_workbench" / "resources" / "icons" / "thematic-workbench.svg"


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def installed_paths(home: Path) -> list[Path]:
    """Every file an install writes, so that uninstalling removes exactly those."""
    icons = home / "icons" / "hicolor"
    return [home / "applications" / f"{APP_ID}.desktop",
            home / "metainfo" / f"{APP_ID}.metainfo.xml",
            home / "mime" / "packages" / MIME_FILE,
            icons / "scalable" / "apps" / f"{APP_ID}.svg",
            *(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in PNG_SIZES)]


def desktop_entry(program: str) -> str:
    """The packaged entry, starting ``program`` (quoted when its path holds a space)."""
    quoted = f'"{program}"' if " " in program else program
    lines = []
    for line in (LINUX / f"{APP_ID}.desktop").read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={quoted} %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={program}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def render_pngs(targets: dict[int, Path]) -> None:
    """Render the SVG icon at each size (offscreen: no display is needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: is not an SVG image Qt can draw")
    for size, target in targets.items():
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target)):  # PNG, from the name
            raise SystemExit(f"{target}: could not be written")


def refresh(home: Path) -> None:
    """Let the desktop see the change: the MIME and desktop databases, where the tools
    exist (a desktop without them reads the files directly)."""
    for tool, folder in (("update-mime-database", home / "mime"),
                         ("update-desktop-database", home / "applications")):
        if shutil.which(tool) and folder.is_dir():
            subprocess.run([tool, str(folder)], check=False, capture_output=True)


def install(home: Path, program: str) -> list[Path]:
    desktop, metainfo, mime, svg, *pngs = installed_paths(home)
    for folder in (desktop.parent, metainfo.parent, mime.parent, svg.parent):
        folder.mkdir(parents=True, exist_ok=True)
    desktop.write_text(desktop_entry(program), encoding="utf-8")
    shutil.copyfile(LINUX / f"{APP_ID}.metainfo.xml", metainfo)
    shutil.copyfile(LINUX / MIME_FILE, mime)
    shutil.copyfile(SVG, svg)
    render_pngs(dict(zip(PNG_SIZES, pngs, strict=True)))
    refresh(home)
    return installed_paths(home)


def uninstall(home: Path) -> list[Path]:
    removed = [path for path in installed_paths(home) if path.exists()]
    for path in removed:
        path.unlink()
    refresh(home)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exec", dest="program", help="the program the entry starts")
    parser.add_argument("--data-home", type=Path, help="instead of $XDG_DATA_HOME")
    parser.add_argument("--uninstall", action="store_true")
    args = parser.parse_args(argv)
    home = args.data_home or data_home()
    if args.uninstall:
        removed = uninstall(home)
        print(f"removed {len(removed)} files from {home}")
        return 0
    program = args.program or shutil.which("thematic-workbench")
    if not program:
        print("install_desktop: thematic-workbench is not on the PATH; name it with --exec",
              file=sys.stderr)
        return 1
    written = install(home, str(Path(program).absolute()))
    print(f"installed {len(written)} files under {home} (the entry starts {program})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
