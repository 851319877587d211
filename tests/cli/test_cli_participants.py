"""The participant verbs: ``participants``, ``participant ... set|rename|delete``,
``import-attributes`` and ``export attributes``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.conftest import Run
from thematic_workbench.app.demo import build_demo
from thematic_workbench.app.exchange import EXPORT_FORMATS
from thematic_workbench.core.queries.participant_sheet import participant_sheet
from thematic_workbench.core.storage.store import ProjectStore


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("participants") / "demo.thematic")


@pytest.fixture
def demo(tmp_path: Path, demo_source: Path) -> Path:
    copy = tmp_path / "demo.thematic"
    copy.write_bytes(demo_source.read_bytes())
    return copy


@pytest.fixture
def run(cli: Callable[..., Run]) -> Callable[..., Run]:
    """The verbs through ``cli.main``."""
    return cli


def _sheet(project: Path) -> dict[str, dict[str, str]]:
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        return {row.label: dict(row.values) for row in participant_sheet(session).participants}


def test_participants_json_fields(run: Callable[..., Run], demo: Path) -> None:
    result = run("participants", str(demo), "--json")
    assert result.code == 0, result.err
    listed = json.loads(result.out)
    assert [p["label"] for p in listed] == ["PA", "PB", "PC", "PD"]
    assert set(listed[0]) == {"label", "attributes", "documents", "note", "speaks_in"}
    assert listed[0]["attributes"]["gender"] == "female"
    assert listed[0]["documents"] == ["PA-forensic-psychologist"]


def test_participants_table(run: Callable[..., Run], demo: Path) -> None:
    result = run("participants", str(demo))
    assert result.code == 0
    header, first = result.out.splitlines()[:2]
    assert header.split() == ["participant", "gender", "profession", "site",
                              "years_in_practice", "transcripts"]
    assert first.startswith("PA") and first.endswith("PA-forensic-psychologist")


def test_set_creates_participant_and_typed_attributes(run: Callable[..., Run],
                                                      demo: Path) -> None:
    result = run("participant", str(demo), "set", "P10", "years=12", "start=2020-01-05",
                 "ward:text=7", "gender=female")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "new participant P10", "new attribute years (number)", "P10: years = 12",
        "new attribute start (date)", "P10: start = 2020-01-05",
        "new attribute ward (text)", "P10: ward = 7", "P10: gender = female"]
    assert _sheet(demo)["P10"] == {"years": "12", "start": "2020-01-05", "ward": "7",
                                   "gender": "female"}
    cleared = run("participant", str(demo), "set", "P10", "ward=", "years=13")
    assert cleared.out.splitlines() == ["P10: ward cleared (was 7)", "P10: years = 13 (was 12)"]
    assert _sheet(demo)["P10"] == {"years": "13", "start": "2020-01-05", "gender": "female"}


def test_set_refuses_a_misfit_and_changes_nothing(run: Callable[..., Run], demo: Path) -> None:
    before = _sheet(demo)
    result = run("participant", str(demo), "set", "PA", "gender=male", "years_in_practice=ten")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("thematic-workbench: error: 'years_in_practice' is a number, "
                          "not 'ten'\n")
    bad_type = run("participant", str(demo), "set", "PA", "site:colour=red")
    assert bad_type.code == 1 and "one of text, number, date, not 'colour'" in bad_type.err
    no_equals = run("participant", str(demo), "set", "PA", "gender")
    assert no_equals.code == 1 and "write each value as NAME=VALUE" in no_equals.err
    assert _sheet(demo) == before


def test_rename_and_delete(run: Callable[..., Run], demo: Path) -> None:
    assert run("participant", str(demo), "rename", "PA", "P01").out == \
        "renamed participant PA to P01\n"
    deleted = run("participant", str(demo), "delete", "P01")
    assert deleted.out == "deleted participant P01; 1 transcript now with no participant\n"
    assert "P01" not in _sheet(demo) and "PA" not in _sheet(demo)
    missing = run("participant", str(demo), "delete", "PZ")
    assert missing.code == 1 and "no participant labelled 'PZ'" in missing.err


def test_import_attributes(run: Callable[..., Run], demo: Path, tmp_path: Path) -> None:
    table = tmp_path / "staff.csv"
    table.write_text("participant;years_in_practice;band\nPA;13;\nP2;3;6\n", encoding="utf-8")
    result = run("import-attributes", str(demo), str(table))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "staff.csv: 1 new participant, 1 new attribute, 2 values set, 1 value changed",
        "new participant P2", "new attribute band (number)",
        "PA: years_in_practice = 13 (was 12)", "P2: years_in_practice = 3", "P2: band = 6"]
    assert _sheet(demo)["P2"] == {"years_in_practice": "3", "band": "6"}


def test_import_refuses_whole_file(run: Callable[..., Run], demo: Path, tmp_path: Path) -> None:
    before = _sheet(demo)
    table = tmp_path / "staff.csv"
    table.write_text("participant,band,gender\nP2,6,\nPB,,other\nPC,,male\n", encoding="utf-8")
    with ProjectStore.open(demo) as store, store.transaction("alice") as tx:
        from thematic_workbench.core.services.participants import retype_attribute

        gender = next(a for a in participant_sheet(tx.session).attributes
                      if a.name == "gender")
        retype_attribute(tx, gender.id, "category", ["female", "male"])
    result = run("import-attributes", str(demo), str(table))
    assert result.code == 1 and result.out == ""
    assert result.err == ("thematic-workbench: error: staff.csv: row 3, column 'gender': "
                          "'gender' is one of female, male, not 'other'\n")
    assert _sheet(demo) == before
    unreadable = tmp_path / "staff.ods"
    unreadable.write_text("x")
    bad = run("import-attributes", str(demo), str(unreadable))
    assert bad.code == 1 and "staff.ods: is not a table of attributes" in bad.err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_attributes(cli: Callable[..., Run], demo: Path, tmp_path: Path,
                           suffix: str) -> None:
    if "attributes" not in EXPORT_FORMATS:
        pytest.skip("'export attributes' is not wired into app/exchange.py yet")
    out = tmp_path / f"attributes{suffix}"
    result = cli("export", "attributes", str(demo), str(out))
    assert result.code == 0, result.err
    assert result.out == (f"wrote the participants' attributes to {out} "
                          "(4 participants, 4 attributes)\n")
    if suffix == ".csv":
        lines = out.read_text(encoding="utf-8-sig").splitlines()
    else:
        lines = [",".join("" if v is None else str(v) for v in row)
                 for row in load_workbook(out).active.iter_rows(values_only=True)]
    assert lines[0] == "participant,gender,profession,site,years_in_practice"
    assert lines[1] == "PA,female,Forensic psychologist,Secure hospital,12"
    wrong = cli("export", "attributes", str(demo), str(tmp_path / "a.docx"))
    assert wrong.code == 1 and "can be written as .csv, .xlsx" in wrong.err
