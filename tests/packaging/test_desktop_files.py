"""The Linux desktop integration: the entry and the metainfo pass the freedesktop
validators, and ``packaging/install_desktop.py`` installs (and removes) exactly the entry,
the metainfo, the ``.thematic`` file type and the icons at every size."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from thematic_workbench.gui.window.app import DESKTOP_ID

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
SCRIPT = ROOT / "packaging" / "install_desktop.py"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (CI installs it: .ci/run)")
    return found


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def test_the_desktop_entry_is_valid_and_names_the_window_s_id() -> None:
    entry = LINUX / f"{DESKTOP_ID}.desktop"
    checked = _run(_tool("desktop-file-validate"), str(entry))
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout + checked.stderr
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert f"Icon={DESKTOP_ID}" in lines
    assert "MimeType=application/x-thematic-workbench-project;" in lines
    assert "Exec=thematic-workbench %f" in lines


def test_the_metainfo_is_valid() -> None:
    checked = _run(_tool("appstreamcli"), "validate", "--no-net",
                   str(LINUX / f"{DESKTOP_ID}.metainfo.xml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Validation was successful" in checked.stdout


def test_install_and_uninstall_for_the_user(tmp_path: Path) -> None:
    home = tmp_path / "share"
    program = tmp_path / "my apps" / "thematic-workbench"
    installed = _run(sys.executable, str(SCRIPT), "--data-home", str(home), "--exec",
                     str(program))
    assert installed.returncode == 0, installed.stderr
    entry = home / "applications" / f"{DESKTOP_ID}.desktop"
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert f'Exec="{program}" %f' in lines and f"TryExec={program}" in lines
    if shutil.which("desktop-file-validate"):
        checked = _run("desktop-file-validate", str(entry))
        assert checked.returncode == 0, checked.stdout
    assert (home / "metainfo" / f"{DESKTOP_ID}.metainfo.xml").is_file()
    assert (home / "icons/hicolor/scalable/apps" / f"{DESKTOP_ID}.svg").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(home / f"icons/hicolor/{size}x{size}/apps/{DESKTOP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() > 0, "the icon is drawn"
    if shutil.which("update-mime-database"):
        globs = (home / "mime" / "globs2").read_text(encoding="utf-8")
        assert "application/x-thematic-workbench-project:*.thematic" in globs

    removed = _run(sys.executable, str(SCRIPT), "--data-home", str(home), "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.startswith("removed 12 files")
    assert not entry.exists()
    assert not list(home.rglob(f"{DESKTOP_ID}*"))
    if shutil.which("update-mime-database"):
        assert "thematic" not in (home / "mime" / "globs2").read_text(encoding="utf-8")
