"""Smaller promises of the command line: options everywhere, messages only after saving."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from thematic_workbench.cli import project as cli_project


@pytest.fixture
def project(tmp_path: Path, cli: Callable[..., Run]) -> str:
    path = str(tmp_path / "p.thematic")
    assert cli("new", path).code == 0
    transcript = tmp_path / "t1.txt"
    transcript.write_text("Interviewer: How are you?\nPA: I am fine, thanks.\n", "utf-8")
    assert cli("import", path, str(transcript)).code == 0
    return path


def test_coder_option_after_nested_actions(project: str, cli: Callable[..., Run]) -> None:
    assert cli("theme", project, "add", "Trust", "--level", "final", "--coder", "bob").code == 0
    assert cli("diary", project, "add", "a thought", "--coder", "bob").code == 0
    events = json.loads(cli("audit", project, "--json").out)
    assert {e["coder"] for e in events if e["action"] in ("theme.create", "diary.add")} == {
        "bob"}


def test_a_name_used_at_both_levels(project: str, cli: Callable[..., Run]) -> None:
    assert cli("theme", project, "add", "Trust", "--level", "final").code == 0
    assert cli("theme", project, "add", "Trust", "--level", "emerging",
               "--parent", "Trust").code == 0
    assert cli("code", project, "t1", "Fine", "--match", "I am fine").code == 0
    run = cli("theme", project, "assign", "Fine", "Trust", "--level", "emerging")
    assert run.code == 0, run.err
    tree = json.loads(cli("themes", project, "--json").out)["themes"]
    assert tree[0]["children"][0]["codes"] == ["Fine"]


def test_failed_coding_does_not_claim_a_new_code(project: str, cli: Callable[..., Run]) -> None:
    run = cli("code", project, "t1", "Sad", "--match", "I am sad")
    assert run.code == 1 and "created" not in run.out and "is not in 't1'" in run.err
    assert json.loads(cli("codes", project, "--json").out) == []


def test_names_are_compared_in_nfc(project: str, cli: Callable[..., Run]) -> None:
    decomposed = unicodedata.normalize("NFD", "Café")
    assert cli("code", project, "t1", decomposed, "--match", "I am fine").code == 0
    assert cli("code", project, "T1", "Café", "--lines", "1").code == 0  # same code
    codes = json.loads(cli("codes", project, "--json").out)
    assert [(c["name"], c["codings"]) for c in codes] == [("Café", 2)]


def test_import_names_the_new_document(project: str, tmp_path: Path,
                                       cli: Callable[..., Run]) -> None:
    numbered = tmp_path / "2.txt"
    numbered.write_text("PB: two", "utf-8")
    other = tmp_path / "b.txt"
    other.write_text("PC: bee", "utf-8")
    assert "imported as '2'" in cli("import", project, str(numbered)).out
    assert "imported as 'b'" in cli("import", project, str(other)).out


def test_bad_wrap_and_missing_note_are_usage_errors(project: str,
                                                    cli: Callable[..., Run]) -> None:
    run = cli("import", project, "x.txt", "--wrap", "5")
    assert run.code == 2 and "between 20 and 10000" in run.err
    run = cli("phase", project, "2")
    assert run.code == 2 and "--note" in run.err


def test_an_unforeseen_error_is_a_message(project: str, cli: Callable[..., Run],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("disk controller on fire")

    monkeypatch.delenv("THEMATIC_DEBUG", raising=False)
    monkeypatch.setitem(cli_project.HANDLERS, "documents", broken)
    run = cli("documents", project)
    assert run.code == 1 and "disk controller on fire" in run.err
    assert "Traceback" not in run.err
