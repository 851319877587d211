"""The ``stats`` verb on the demo project: readable tables, the attribute table, JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from thematic_workbench.app.demo import build_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("stats") / "demo.thematic")


@pytest.fixture
def stats(cli: Callable[..., Run]) -> Callable[..., Run]:
    """``thematic-workbench stats ...`` through ``cli.main``."""
    return lambda *argv: cli("stats", *argv)


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
    # the participant's words: the interviewer's questions and the heading do not count
    assert "Coverage of every speaker but the interviewer:" in run.out
    assert "PA-forensic-psychologist" in pa and "3,769" in pa and "21%" in pa
    assert "25\N{EN DASH}31 (431 chars)" in pa
    assert "Codes by" not in run.out  # only with --attribute
    whole = stats(str(demo), "--all-speakers").out.splitlines()
    pa = next(line for line in whole if line.startswith("PA "))
    assert "4,745" in pa and "16%" in pa and "1\N{EN DASH}13 (925 chars)" in pa


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
                         "coverage", "speakers"}
    assert data["totals"]["codings"] == 45 and data["totals"]["transcripts"] == 4
    assert set(data["by_attribute"]) == {"gender", "profession", "site", "years_in_practice"}
    assert data["by_participant"]["participants"] == ["PA", "PB", "PC", "PD"]
    first = data["coverage"][0]["stretches"][0]
    assert {key: first[key] for key in ("first_line", "last_line", "characters")} == \
        {"first_line": 25, "last_line": 31, "characters": 431}
    assert data["speakers"]["kind"] == "participants"
    assert data["coverage"][0]["speakers"] == ["PA"]
    whole = json.loads(stats(str(demo), "--json", "--all-speakers").out)
    first = whole["coverage"][0]["stretches"][0]
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


def test_whose_turns_count_is_a_choice(stats: Callable[..., Run], demo: Path) -> None:
    """By default every speaker but the interviewer; --interviewer, --speakers (any case)
    and --all-speakers choose otherwise; the JSON says whose words were counted."""
    def coverage(*options: str) -> dict[str, dict[str, object]]:
        run = stats(str(demo), "--json", *options)
        assert run.code == 0, run.err
        data = json.loads(run.out)
        return {item["participant"]: item for item in data["coverage"]} | \
            {"": data["speakers"] | data["totals"]}

    default, asking = coverage(), coverage("--interviewer")
    whole, named = coverage("--all-speakers"), coverage("--speakers", "pa, PB")
    assert (default["PA"]["speakers"], asking["PA"]["speakers"]) == (["PA"], ["Interviewer"])
    assert asking["PB"]["speakers"] == ["INTERVIEWER"]  # spelt as in the transcript
    assert asking["PA"]["coded_characters"] == 0  # nobody codes the questions
    assert default["PA"]["coded_characters"] == whole["PA"]["coded_characters"]
    assert default["PA"]["characters"] + asking["PA"]["characters"] < whole["PA"]["characters"]
    assert whole["PA"]["characters"] == whole["PA"]["transcript_characters"] == 4745
    assert named["PA"]["characters"] == default["PA"]["characters"]
    assert (named["PC"]["characters"], named["PC"]["stretches"]) == (0, [])
    assert named[""]["names"] == ["pa", "PB"] and named[""]["kind"] == "named"
    assert default[""]["counted"] == "every speaker but the interviewer"
    assert default[""]["transcript_characters"] == whole[""]["characters"]
    run = stats(str(demo), "--interviewer", "--all-speakers")
    assert run.code == 2 and "not allowed with" in run.err
