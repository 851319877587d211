"""Say which system library Qt is missing, and how to install it, instead of a traceback.

This module must not import PySide6 at import time: it runs before Qt is loaded.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import sys

# (library name for find_library, Debian/Ubuntu package)
CORE_LIBRARIES = (
    ("EGL", "libegl1"),
    ("GL", "libgl1"),
    ("xkbcommon", "libxkbcommon0"),
    ("fontconfig", "libfontconfig1"),
    ("freetype", "libfreetype6"),
    ("dbus-1", "libdbus-1-3"),
    ("glib-2.0", "libglib2.0-0"),
)
# Needed only by the X11 (xcb) platform plugin, i.e. in a normal Linux desktop session.
XCB_LIBRARIES = (
    ("xcb-cursor", "libxcb-cursor0"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
    ("xcb-icccm", "libxcb-icccm4"),
    ("xcb-image", "libxcb-image0"),
    ("xcb-keysyms", "libxcb-keysyms1"),
    ("xcb-randr", "libxcb-randr0"),
    ("xcb-render-util", "libxcb-render-util0"),
    ("xcb-shape", "libxcb-shape0"),
    ("xcb-xkb", "libxcb-xkb1"),
    ("X11-xcb", "libx11-xcb1"),
)
_SONAME = re.compile(r"(lib[\w+.-]+?\.so(?:\.\d+)*)")


def _uses_xcb() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.startswith("xcb")
    return bool(os.environ.get("DISPLAY")) and not os.environ.get("WAYLAND_DISPLAY")


def missing_libraries() -> list[tuple[str, str]]:
    """(library, package) pairs that Qt needs here and the system does not have (Linux only)."""
    if not sys.platform.startswith("linux"):
        return []
    needed = list(CORE_LIBRARIES) + (list(XCB_LIBRARIES) if _uses_xcb() else [])
    return [(f"lib{name}", package) for name, package in needed
            if ctypes.util.find_library(name) is None]


def package_for_soname(soname: str) -> str | None:
    stem = soname.split(".so")[0].removeprefix("lib")
    for name, package in CORE_LIBRARIES + XCB_LIBRARIES:
        if name == stem:
            return package
    return None


def explain_import_error(error: ImportError) -> str:
    """A plain message for an ImportError raised while loading Qt."""
    match = _SONAME.search(str(error))
    if match:
        soname = match.group(1)
        package = package_for_soname(soname)
        how = f"install it with: sudo apt install {package}" if package else (
            "install the package that provides it (see README.md, 'System libraries')")
        return f"Qt cannot start: the system library {soname} is missing; {how}"
    return f"Qt cannot start: {error}. See README.md, 'System libraries'."


def qt_problem() -> str | None:
    """None when Qt can be loaded; otherwise a message naming what is missing."""
    missing = missing_libraries()
    if missing:
        names = ", ".join(lib for lib, _ in missing)
        packages = " ".join(package for _, package in missing)
        return (f"Qt cannot start: the system libraries {names} are missing; "
                f"install them with: sudo apt install {packages}")
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as error:
        return explain_import_error(error)
    return None
