"""The command line on a team project: every verb takes a postgresql:// URL for PROJECT,
and ``copy`` moves a project from a file to the server and back, still verifiable."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from tests.postgres_server import PostgresServer


def _transcript(folder: Path) -> Path:
    path = folder / "PA-interview.txt"
    path.write_text("Interviewer: How do clients arrive?\n"
                    "PA: They are sent by the court, so it is never wholly collaborative.\n"
                    "Interviewer: And trust?\n"
                    "PA: Small moments of trust happen, over months.\n", encoding="utf-8")
    return path


def test_the_walk_through_runs_on_a_server(server_url: str, tmp_path: Path,
                                           cli: Callable[..., Run]) -> None:
    assert cli("new", server_url, "--title", "Forensic alliance").code == 0
    assert cli("import", server_url, str(_transcript(tmp_path)), "--participant", "PA").code == 0
    run = cli("code", server_url, "PA-interview", "Mandated arrival", "--match",
              "sent by the court")
    assert run.code == 0, run.err
    codes = json.loads(cli("codes", server_url, "--json").out)
    assert [(c["name"], c["codings"]) for c in codes] == [("Mandated arrival", 1)]
    verified = cli("audit", server_url, "--verify")
    assert verified.code == 0, verified.err
    assert "audit trail intact" in verified.out


def test_copy_to_the_server_and_back_keeps_a_trail_that_verifies(
        server_url: str, tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = str(tmp_path / "study.thematic")
    assert cli("demo", project).code == 0
    before = json.loads(cli("codes", project, "--json").out)
    run = cli("copy", project, server_url, "--json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert report["intact"] and report["rows"]["coding"] > 0
    assert report["events"] == report["rows"]["audit_event"]
    assert "secret" not in run.out  # the password is never shown
    assert json.loads(cli("codes", server_url, "--json").out) == before
    assert cli("code", server_url, "PA-forensic-psychologist", "Made on the server", "--lines",
               "2-2").code == 0
    back = str(tmp_path / "back.thematic")
    again = cli("copy", server_url, back)
    assert again.code == 0, again.err
    assert "audit trail intact" in again.out
    codes = {c["name"] for c in json.loads(cli("codes", back, "--json").out)}
    assert codes == {c["name"] for c in before} | {"Made on the server"}
    verified = cli("audit", back, "--verify")
    assert verified.code == 0 and "audit trail intact" in verified.out


def test_copy_refuses_a_database_that_is_not_empty_and_writes_nothing(
        server_url: str, tmp_path: Path, cli: Callable[..., Run]) -> None:
    assert cli("new", server_url).code == 0
    project = str(tmp_path / "study.thematic")
    assert cli("new", project).code == 0
    run = cli("copy", project, server_url)
    assert run.code == 1
    assert run.err.strip().count("\n") == 0 and "already holds a project" in run.err
    taken = tmp_path / "taken.thematic"
    taken.write_bytes(b"something")
    run = cli("copy", project, str(taken))
    assert run.code == 1 and "already exists" in run.err
    assert taken.read_bytes() == b"something"


def test_a_wrong_password_is_one_line_without_the_password(
        postgres_server: PostgresServer, cli: Callable[..., Run]) -> None:
    url = postgres_server.url(postgres_server.new_database(), password="wrong-secret")
    run = cli("documents", url)
    assert run.code == 1
    assert "refused the login" in run.err and "wrong-secret" not in run.err
    assert run.err.strip().count("\n") == 0


def test_a_mistyped_command_never_shows_the_password_of_a_url(cli: Callable[..., Run]) -> None:
    run = cli("nosuchverb", "postgresql://ana:secret@db.example:5432/study")
    assert run.code == 2
    assert "postgresql://ana@db.example:5432/study" in run.err
    assert "secret" not in run.err
