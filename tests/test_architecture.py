"""The import contracts in pyproject.toml (DESIGN.md section 2): the package keeps them, and
the same contracts, run over a throwaway package, report each kind of break as broken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("importlinter", reason="import-linter is not installed")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "thematic_workbench"
TINY = "tinypkg"
LINT = ("import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())")


def _config() -> dict[str, Any]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, Any] = pyproject["tool"]["importlinter"]
    return config


def _contract(kind: str, **having: str) -> str:
    """The name of the one contract of this type whose lists contain the given values."""
    names = [c["name"] for c in _config()["contracts"] if c["type"] == kind
             and all(value in c.get(key, []) for key, value in having.items())]
    assert len(names) == 1, names
    return str(names[0])


def _lint(folder: Path) -> tuple[int, str]:
    """lint-imports run in ``folder`` (its pyproject.toml) on the package found there."""
    env = dict(os.environ, PYTHONPATH=str(folder), COLUMNS="1000", NO_COLOR="1")
    run = subprocess.run([sys.executable, "-c", LINT, "--no-cache"], cwd=folder, env=env,
                         capture_output=True, text=True, timeout=600, check=False)
    return run.returncode, " ".join((run.stdout + run.stderr).split())


def test_the_package_keeps_every_import_contract() -> None:
    contracts = _config()["contracts"]
    assert {"layers", "forbidden", "acyclic_siblings"} <= {c["type"] for c in contracts}
    code, report = _lint(ROOT)
    assert code == 0, report
    assert f"Contracts: {len(contracts)} kept, 0 broken." in report


# A package shaped like ours that keeps every contract; each case below adds one import.
CLEAN = {
    "__init__.py": "",
    "core/__init__.py": "",
    **{f"core/{group}/__init__.py": "" for group in (
        "storage", "text", "trail", "records", "queries", "finding", "services", "reports")},
    "core/storage/models.py": "",
    "core/queries/project.py": f"from {TINY}.core.storage import models\n",
    "core/services/codes.py": f"from {TINY}.core.queries import project\n",
    "io/__init__.py": "",
    "io/reader.py": f"from {TINY}.core.queries import project\n",
    "analysis/__init__.py": "",
    "analysis/stats.py": f"from {TINY}.core.queries import project\n",
    "app/__init__.py": "",
    "app/jobs.py": f"from {TINY}.analysis import stats\nfrom {TINY}.io import reader\n",
    "cli/__init__.py": "",
    "cli/output.py": "",
    "cli/verbs.py": f"from {TINY}.app import jobs\nfrom {TINY}.cli import output\n",
    "gui/__init__.py": "",
    "gui/window/main.py": f"from {TINY}.app import jobs\nfrom {TINY}.core.queries import project\n",
    "gui/common/widgets.py": "",
}

BREAKS = {
    "core imports app": ("core/queries/project.py", f"from {TINY}.app import jobs\n", "layers"),
    "io imports analysis": ("io/reader.py", f"from {TINY}.analysis import stats\n", "layers"),
    "cli imports gui": ("cli/verbs.py", f"from {TINY}.gui.window import main\n", "layers"),
    "storage imports a service": ("core/storage/models.py",
                                  f"from {TINY}.core.services import codes\n", "core layers"),
    "a common widget imports the window": (
        "gui/common/widgets.py", f"from {TINY}.gui.window import main\n", "gui layers"),
    "gui imports sqlalchemy": ("gui/window/main.py", "import sqlalchemy\n", "gui"),
    "gui imports sqlite3": ("gui/window/main.py", "import sqlite3\n", "gui"),
    "gui imports the ORM": ("gui/window/main.py",
                            f"from {TINY}.core.storage.models import Code\n", "gui"),
    "core imports Qt": ("core/queries/project.py", "from PySide6 import QtCore\n", "qt"),
    "an io writer opens a session": ("io/reader.py", "from sqlalchemy.orm import Session\n", "io"),
    "a cycle through a function-level import": (
        "cli/output.py", f"def late() -> None:\n    from {TINY}.cli import verbs\n", "acyclic"),
}


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value)  # a plain string is a TOML basic string too


def _tiny_project(folder: Path) -> None:
    """The package, and our contracts renamed to it (without our known exceptions)."""
    config = _config()
    for name, text in CLEAN.items():
        (folder / TINY / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / TINY / name).write_text(text, encoding="utf-8")
    for layers in (c["layers"] for c in config["contracts"] if c["type"] == "layers"):
        for layer in layers:  # every module a layer names exists, if only as an empty package
            for module in layer.replace(":", "|").split("|"):
                path = folder / TINY / Path(*module.strip().split(".")[1:])
                if not path.with_suffix(".py").exists():
                    path.mkdir(parents=True, exist_ok=True)
                    (path / "__init__.py").touch()
    lines = ["[tool.importlinter]", f'root_package = "{TINY}"',
             f"include_external_packages = {_toml(config['include_external_packages'])}"]
    for contract in config["contracts"]:
        lines.append("\n[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            if key != "ignore_imports":
                lines.append(f"{key} = {_toml(value)}".replace(PACKAGE, TINY))
    (folder / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_throwaway_package_keeps_the_contracts(tmp_path: Path) -> None:
    _tiny_project(tmp_path)
    code, report = _lint(tmp_path)
    assert code == 0, report
    assert f"Contracts: {len(_config()['contracts'])} kept, 0 broken." in report


@pytest.mark.parametrize("case", list(BREAKS))
def test_each_kind_of_break_is_reported(tmp_path: Path, case: str) -> None:
    _tiny_project(tmp_path)
    module, line, which = BREAKS[case]
    path = tmp_path / TINY / module
    path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    contract = {
        "layers": lambda: _contract("layers", layers=f"{PACKAGE}.app"),
        "core layers": lambda: _contract("layers", layers=f"{PACKAGE}.core.reports"),
        "gui layers": lambda: _contract("layers", layers=f"{PACKAGE}.gui.window"),
        "gui": lambda: _contract("forbidden", source_modules=f"{PACKAGE}.gui"),
        "qt": lambda: _contract("forbidden", forbidden_modules="PySide6"),
        "io": lambda: _contract("forbidden", source_modules=f"{PACKAGE}.io",
                                forbidden_modules="sqlalchemy"),
        "acyclic": lambda: _contract("acyclic_siblings"),
    }[which]()
    code, report = _lint(tmp_path)
    assert code == 1, report
    assert f"{contract} BROKEN" in report
