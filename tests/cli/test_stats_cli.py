"""The ``stats`` verb on the demo project: readable tables, the attribute table, JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from thematic_workbench import cli
from thematic_workbench.cli_stats import add_stats_verb, cmd_stats
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.demo import build_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("stats") / "demo.thematic")


@pytest.fixture
def stats(cli: Callable[..., Run], capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``thematic-workbench stats ...`` through ``cli.main`` once the verb is wired in;
    until then through the verb's own parser and handler, with main's error handling."""
    if "stats" in cli_verbs():
        return lambda *argv: cli("stats", *argv)

    def run(*argv: str) -> Run:
        parser = argparse.ArgumentParser(prog="thematic-workbench")
        add_stats_verb(parser.add_subparsers(dest="verb"), argparse.ArgumentParser(
            add_help=False))
        try:
            code = cmd_stats(parser.parse_args(["stats", *argv]))
        except WorkbenchError as error:
            print(f"thematic-workbench: error: {error}", file=sys.stderr)
            code = 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def cli_verbs() -> tuple[str, ...]:
    return cli.VERBS


def test_readable_tables_list_codes_and_coverage(stats: Callable[..., Run], demo: Path) -> None:
    run = stats(str(demo))
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == "Codes: 17 active, 45 codings in 4 transcripts"
    assert lines[1].split()[:5] == ["code", "codings", "transcripts", "participants",
                                    "characters"]
    row = next(line for line in lines if line.startswith("Dual role: care and protection"))
    assert row.split()[-7:-3] == ["4", "4", "4", "268"]
    assert row.endswith("Serving two masters")
    pa = next(line for line in lines if line.startswith("PA "))
    assert "PA-forensic-psychologist" in pa and "16%" in pa
    assert "1\N{EN DASH}13 (925 chars)" in pa
    assert "Codes by" not in run.out  # only with --attribute


def test_attribute_table_shows_codings_and_people_per_value(stats: Callable[..., Run],
                                                            demo: Path) -> None:
    run = stats(str(demo), "--attribute", "gender")
    assert run.code == 0, run.err
    assert "Codes by gender" in run.out
    lines = run.out.splitlines()
    at = next(number for number, line in enumerate(lines) if line.startswith("code ")
              and "female" in line)
    assert "female (2)" in lines[at] and "male (2)" in lines[at]
    row = next(line for line in lines[at:] if line.startswith('"two hats"  '))
    assert row.split()[-4:] == ["-", "1", "/", "1"]  # no female, one coding by one male


def test_json_holds_everything(stats: Callable[..., Run], demo: Path) -> None:
    run = stats(str(demo), "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert set(data) == {"totals", "codes", "by_participant", "by_attribute", "cooccurrence",
                         "coverage"}
    assert data["totals"]["codings"] == 45 and data["totals"]["transcripts"] == 4
    assert set(data["by_attribute"]) == {"gender", "profession", "site", "years_in_practice"}
    assert data["by_participant"]["participants"] == ["PA", "PB", "PC", "PD"]
    first = data["coverage"][0]["stretches"][0]
    assert {key: first[key] for key in ("first_line", "last_line", "characters", "start",
                                        "end")} == {"first_line": 1, "last_line": 13,
                                                    "characters": 925, "start": 0, "end": 925}
    assert first["preview"].startswith("Interview with PA")
    only = json.loads(stats(str(demo), "--json", "--attribute", "site").out)
    assert set(only["by_attribute"]) == {"site"}


def test_an_unknown_attribute_is_a_user_error(stats: Callable[..., Run], demo: Path) -> None:
    run = stats(str(demo), "--attribute", "age")
    assert run.code == 1
    assert "no participant attribute named 'age'" in run.err
    assert "gender, profession, site, years_in_practice" in run.err
    assert "Traceback" not in run.err


def test_a_missing_project_is_a_user_error(stats: Callable[..., Run], tmp_path: Path) -> None:
    run = stats(str(tmp_path / "nowhere.thematic"))
    assert run.code == 1
    assert "nowhere.thematic" in run.err
