"""The demo, the guide and the icon ship inside the package, so an installed wheel has them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import platformdirs
import pytest

import thematic_workbench
from thematic_workbench.app import demo
from thematic_workbench.resources import licence_text, read_text, resource_path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_sources_are_package_resources() -> None:
    folder = resource_path("demo")
    assert folder.is_relative_to(Path(thematic_workbench.__file__).parent)
    plan = json.loads(read_text("demo", "plan.json"))
    for item in plan["documents"]:
        assert (folder / item["file"]).is_file(), item["file"]
    assert folder == demo.DEMO_DIR


def test_the_wheel_declares_the_resources_and_the_licence() -> None:
    """Building a wheel in the suite is too slow; this checks what the build is told."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "GPL-3.0-or-later"
    assert project["project"]["license-files"] == ["LICENSE"]
    shipped = project["tool"]["setuptools"]["package-data"]["thematic_workbench.resources"]
    assert {"demo/*", "guide/*", "icons/*"} <= set(shipped)
    for pattern in shipped:  # every pattern matches a file, so nothing is left behind
        assert list(resource_path().glob(pattern)), pattern
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in licence and "Version 3, 29 June 2007" in licence
    assert "END OF TERMS AND CONDITIONS" in licence


def test_ensure_demo_builds_it_once_in_the_data_folder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda name: str(tmp_path / name))
    path = demo.ensure_demo(coder="alice")
    assert path == tmp_path / "thematic-workbench" / "demo.thematic"
    assert path.is_file()
    built = path.stat().st_mtime_ns
    assert demo.ensure_demo(coder="alice") == path  # an existing demo is kept as it is
    assert path.stat().st_mtime_ns == built


def test_the_full_licence_text_is_found_offline() -> None:
    text = licence_text()
    assert text is not None and "Version 3, 29 June 2007" in text
    assert text == (ROOT / "LICENSE").read_text(encoding="utf-8")
