"""The walk-through from the issue: new, import, code, themes, phase, diary, audit."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from tests.cli.conftest import Run


def _word_file(folder: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Interviewer: How do clients arrive?")
    document.add_paragraph("PA: They are sent by the court, so it can never be wholly "
                           "collaborative. Still, small moments of trust happen.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Interviewer: And supervision?"
    table.cell(0, 1).text = "PA: Supervision keeps me honest about my two hats."
    path = folder / "PA-interview.docx"
    document.save(path)
    return path


def test_import_of_the_shared_fixtures(tmp_path: Path, cli: Callable[..., Run],
                                       shared_fixtures: Path) -> None:
    project = str(tmp_path / "study.thematic")
    assert cli("new", project).code == 0
    run = cli("import", project, *(str(shared_fixtures / name) for name in (
        "course-feedback-ID1.docx", "course-feedback-ID2.odt",
        "course-feedback-transcript.txt")))
    assert run.code == 0, run.err
    docs = {d["name"]: d for d in json.loads(cli("documents", project, "--json").out)}
    assert set(docs) == {"course-feedback-ID1", "course-feedback-ID2",
                         "course-feedback-transcript"}
    assert docs["course-feedback-transcript"]["turns"] > 3
    run = cli("import", project, str(shared_fixtures / "course-feedback-ID1.docx"))
    assert run.code == 0 and "already imported as 'course-feedback-ID1'" in run.out


def test_walkthrough(tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = str(tmp_path / "study.thematic")
    assert cli("new", project, "--title", "Working alliance").code == 0
    word = _word_file(tmp_path)
    run = cli("import", project, str(word), "--participant", "PA")
    assert run.code == 0, run.err
    assert "PA-interview.docx: imported as 'PA-interview'" in run.out
    docs = json.loads(cli("documents", project, "--json").out)
    assert [(d["name"], d["participant"], d["turns"]) for d in docs] == [
        ("PA-interview", "PA", 4)]

    run = cli("code", project, "PA-interview", "Forced work", "--match",
              "it can never be wholly collaborative", "--memo", "in vivo")
    assert run.code == 0, run.err
    assert cli("code", project, "PA-interview", "Dual role", "--lines", "3-3").code == 0
    assert cli("theme", project, "add", "Dynamics of forced work", "--level", "final").code == 0
    assert cli("theme", project, "add", "Serving two masters", "--level", "emerging",
               "--parent", "Dynamics of forced work").code == 0
    assert cli("theme", project, "assign", "Dual role", "Serving two masters").code == 0
    assert cli("theme", project, "assign", "Forced work", "Serving two masters").code == 0
    assert cli("phase", project, "2", "--note", "Familiarisation done").code == 0
    assert cli("diary", project, "add", "My own probation work colours how I read PA.").code == 0

    codes = {c["name"]: c for c in json.loads(cli("codes", project, "--json").out)}
    assert codes["Forced work"]["codings"] == 1 and codes["Forced work"]["participants"] == 1
    themes = json.loads(cli("themes", project, "--json").out)
    final = themes["themes"][0]
    assert final["name"] == "Dynamics of forced work"
    assert final["children"][0]["codes"] == ["Dual role", "Forced work"]
    entries = json.loads(cli("diary", project, "list", "--json").out)
    assert entries[0]["phase"] == 2 and entries[0]["coder"] == "alice"

    events = json.loads(cli("audit", project, "--json").out)
    moves = [e for e in events if e["action"] == "phase.move"]
    assert moves and moves[0]["after"]["note"] == "Familiarisation done"
    run = cli("audit", project, "--verify")
    assert run.code == 0 and "intact" in run.out

    # Tamper with one event directly in SQLite, with the trigger dropped.
    target = next(e for e in events if e["action"] == "coding.apply")["seq"]
    conn = sqlite3.connect(project)
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET coder = 'mallory' WHERE seq = ?", (target,))
    conn.commit()
    conn.close()
    run = cli("audit", project, "--verify")
    assert run.code == 1
    assert f"event {target}" in run.err and "Traceback" not in run.err


def test_installed_command_and_exit_codes(tmp_path: Path) -> None:
    """The real entry point: 0 on success, 1 on a user error, 2 on bad usage."""
    exe = Path(sys.executable).with_name("thematic-workbench")
    if not exe.exists():
        pytest.skip("the thematic-workbench script is not installed in this environment")
    project = tmp_path / "p.thematic"
    ok = subprocess.run([exe, "new", project], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    user = subprocess.run([exe, "import", project, tmp_path / "missing.txt"],
                          capture_output=True, text=True, check=False)
    assert user.returncode == 1 and "missing.txt" in user.stderr
    assert "Traceback" not in user.stderr
    usage = subprocess.run([exe, "code", project, "doc", "code"], capture_output=True,
                           text=True, check=False)
    assert usage.returncode == 2
