"""The demo project: four fictional interviews in four formats, partly coded, with themes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from thematic_workbench.resources import read_text


def test_demo_builds_a_partly_coded_project(tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = str(tmp_path / "demo.thematic")
    run = cli("demo", project)
    assert run.code == 0, run.err

    docs = json.loads(cli("documents", project, "--json").out)
    assert sorted(d["source_format"] for d in docs) == ["docx", "odt", "txt", "vtt"]
    assert sorted(d["participant"] for d in docs) == ["PA", "PB", "PC", "PD"]
    for doc in docs:
        assert doc["lines"] >= 50 and doc["turns"] >= 10 and doc["codings"] > 0
        assert 0 < doc["coded_percent"] < 100  # partly coded

    plan = json.loads(read_text("demo", "plan.json"))
    codes = json.loads(cli("codes", project, "--json").out)
    assert len(codes) == len(plan["codes"])
    assert sum(c["codings"] for c in codes) == len(plan["codings"])

    themes = json.loads(cli("themes", project, "--json").out)
    assert [t["name"] for t in themes["themes"]] == [f["name"] for f in plan["final_themes"]]
    assert themes["uncategorised_codes"]
    assert json.loads(cli("phase", project, "--json").out)["phase"] == plan["phase"]["number"]
    assert "intact" in cli("audit", project, "--verify").out


def test_demo_refuses_to_overwrite(tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = tmp_path / "demo.thematic"
    project.write_bytes(b"my thesis data")
    run = cli("demo", str(project))
    assert run.code == 1 and "already exists" in run.err
    assert project.read_bytes() == b"my thesis data"
