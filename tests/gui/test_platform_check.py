"""When Qt cannot start, the user is told which system library is missing and how to get it."""

from __future__ import annotations

import ctypes.util

import pytest

from thematic_workbench.cli import main
from thematic_workbench.gui.window import platform_check


def test_import_error_names_the_library_and_the_package() -> None:
    error = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    message = platform_check.explain_import_error(error)
    assert "libEGL.so.1" in message and "sudo apt install libegl1" in message


def test_missing_xcb_library_is_reported_before_qt_loads(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = ctypes.util.find_library
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(platform_check.ctypes.util, "find_library",
                        lambda name: None if name == "xcb-cursor" else real(name))
    assert ("libxcb-cursor", "libxcb-cursor0") in platform_check.missing_libraries()
    assert main([]) == 1
    err = capsys.readouterr().err
    assert "libxcb-cursor" in err and "sudo apt install libxcb-cursor0" in err
    assert "Traceback" not in err


def test_offscreen_does_not_need_the_x11_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(platform_check.ctypes.util, "find_library",
                        lambda name: None if name.startswith("xcb") else "lib.so")
    assert platform_check.missing_libraries() == []
