"""The trust verbs as a user runs them: coder, signoff, snapshot, audit --verify --against."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.core.tamper import Forger
from thematic_workbench.cli.parser import VERBS
from thematic_workbench.core.storage import witness

pytestmark = pytest.mark.skipif(
    "signoff" not in VERBS, reason="the trust verbs are registered in cli/parser.py by the lead")

Cli = Callable[..., Run]


@pytest.fixture
def project(tmp_path: Path, cli: Cli) -> Path:
    path = tmp_path / "study.thematic"
    assert cli("new", str(path)).code == 0
    return path


def test_a_supervisor_signs_off_and_a_snapshot_is_signed(project: Path, cli: Cli) -> None:
    added = cli("coder", str(project), "Sue", "--role", "supervisor")
    assert (added.code, added.out) == (0, "added Sue as a supervisor\n")
    again = cli("coder", str(project), "Sue", "--role", "supervisor")
    assert again.out == "Sue is already a supervisor\n"
    refused = cli("signoff", str(project), "1")
    assert refused.code == 1
    assert refused.err == ("thematic-workbench: error: only a supervisor can sign off a phase; "
                           "alice is an analyst\n")
    signed = cli("signoff", str(project), "1", "--note", "read twice", "--coder", "Sue")
    assert signed.code == 0, signed.err
    assert signed.out.startswith("phase 1 (Familiarising yourself with the data) signed off; "
                                 "signed by Sue at event ")
    snap = cli("snapshot", str(project), "Before themes", "--note", "for supervision")
    assert snap.code == 0, snap.err
    assert snap.out.startswith("snapshot 'Before themes' taken; signed by alice at event ")
    verified = cli("audit", str(project), "--verify")
    assert verified.code == 0, verified.err
    lines = verified.out.splitlines()
    assert lines[0].startswith("audit trail intact: ")
    # closes that changed the trail: new, coder, signoff, snapshot (a refusal adds nothing)
    assert "2 signed anchors checked (by Sue, alice); 4 witnessed closes" in lines[1]
    bad_role = cli("coder", str(project), "Sue", "--role", "boss")
    assert bad_role.code == 2


def test_verify_names_the_first_bad_event_of_a_recomputed_trail(project: Path, cli: Cli) -> None:
    cli("coder", str(project), "Sue", "--role", "supervisor")
    assert cli("signoff", str(project), "1", "--coder", "Sue").code == 0
    with Forger(project) as forger:
        forger.edit(2, '{"title":"another study"}')
    broken = cli("audit", str(project), "--verify")
    assert broken.code == 1
    assert broken.err.startswith("thematic-workbench: error: audit trail BROKEN: first bad "
                                 "event 2: event ")
    assert broken.err.count("\n") == 1
    assert broken.out.splitlines()[0] == "audit trail BROKEN: first bad event 2"
    as_json = cli("audit", str(project), "--verify", "--json")
    data = json.loads(as_json.out)
    assert (as_json.code, data["intact"], data["first_bad_event"]) == (1, False, 2)


@pytest.mark.parametrize("suffix", [".csv", ".docx"])
def test_an_exported_trail_is_an_anchor(project: Path, cli: Cli, tmp_path: Path,
                                        suffix: str) -> None:
    exported = tmp_path / f"audit{suffix}"
    assert cli("export", "audit", str(project), str(exported)).code == 0
    extends = cli("audit", str(project), "--verify", "--against", str(exported))
    assert extends.code == 0, extends.err
    assert f"extends the exported trail audit{suffix} (up to event " in extends.out
    with Forger(project) as forger:
        last = forger.last_seq()
        forger.delete_newest(2)
    witness.log_path().unlink()  # on another machine: no witness, the export still tells
    assert cli("audit", str(project), "--verify").code == 0  # undetectable without an anchor
    cut = cli("audit", str(project), "--verify", "--against", str(exported))
    assert cut.code == 1
    assert (f"error: audit trail BROKEN: first bad event {last - 1}: events {last - 1} to "
            f"{last} are missing: the exported trail audit{suffix} recorded the trail up to "
            f"event {last}; it now ends at event {last - 2}\n") in cut.err


def test_a_file_that_is_no_exported_trail_is_one_line(project: Path, cli: Cli,
                                                      tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    run = cli("audit", str(project), "--verify", "--against", str(notes))
    assert (run.code, run.err) == (1, f"thematic-workbench: error: {notes}: an exported audit "
                                      "trail is a .csv or .docx file\n")
    missing = cli("audit", str(project), "--verify", "--against", str(tmp_path / "gone.csv"))
    assert missing.err.endswith("gone.csv: no such file\n")
    alone = cli("audit", str(project), "--against", str(notes))
    assert alone.err == "thematic-workbench: error: --against FILE is used with --verify\n"
