"""Roles on a team server are enforced by the server: a reader reads, a coder codes under
their own login and cannot sign off or change roles, a supervisor signs off."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from tests.cli.conftest import Run
from tests.postgres_server import PostgresServer


@pytest.fixture
def team(postgres_server: PostgresServer, cli: Callable[..., Run]) -> dict[str, str]:
    """A team project made by its owner (a team lead, not the server's superuser, as the
    README sets one up), with a reader, an analyst and a supervisor."""
    postgres_server._count += 1
    lead = f"lead_{postgres_server.port}_{postgres_server._count}"
    postgres_server.create_login(lead, "lead-pw", createrole=True)
    database = postgres_server.new_database(owner=lead)
    owner = postgres_server.url(database, lead, "lead-pw")
    assert cli("demo", owner).code == 0
    urls = {"owner": owner}
    for login, role in (("rita", "reader"), ("carol", "analyst"), ("sam", "supervisor")):
        name = f"{login}_{database}"[:60]
        postgres_server.create_login(name, f"{login}-pw")
        run = cli("grant", owner, name, "--role", role)
        assert run.code == 0, run.err
        assert name in run.out
        urls[login] = postgres_server.url(database, name, f"{login}-pw")
    return urls


def _coders(cli: Callable[..., Run], url: str) -> dict[str, str]:
    run = cli("audit", url, "--json")
    assert run.code == 0, run.err
    return {event["action"]: event["coder"] for event in json.loads(run.out)}


def test_a_coder_codes_under_their_own_login(team: dict[str, str],
                                             cli: Callable[..., Run]) -> None:
    run = cli("code", team["carol"], "PB-probation-counsellor", "Carol's code", "--lines",
              "3-4", "--coder", "somebody-else")
    assert run.code == 0, run.err
    events = json.loads(cli("audit", team["owner"], "--json").out)
    coding = next(e for e in reversed(events) if e["action"] == "coding.apply")
    assert coding["coder"].startswith("carol_")


def test_a_reader_reads_and_cannot_write(team: dict[str, str], cli: Callable[..., Run]) -> None:
    assert cli("documents", team["rita"]).code == 0
    run = cli("code", team["rita"], "PB-probation-counsellor", "Rita's code", "--lines", "3-4")
    assert run.code == 1 and "only read this project" in run.err
    assert run.err.strip().count("\n") == 0


def test_only_the_owner_gives_roles_and_a_coder_cannot_make_themselves_supervisor(
        team: dict[str, str], cli: Callable[..., Run]) -> None:
    run = cli("grant", team["carol"], "carol_x", "--role", "supervisor")
    assert run.code == 1 and "owner" in run.err
    login = team["carol"].split("//")[1].split(":")[0]
    run = cli("coder", team["carol"], login, "--role", "supervisor")
    assert run.code == 1 and "only the project's owner gives coders their roles" in run.err


def test_the_server_refuses_what_the_window_would_not_offer(
        team: dict[str, str], cli: Callable[..., Run]) -> None:
    """Straight through SQL, past the app: no sign-off by a coder, no event in another's
    name, no rewriting of the trail."""
    with psycopg.connect(team["carol"],
                         autocommit=True) as carol:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            carol.execute("INSERT INTO sign_off (phase, coder_id, note, at) "
                          "VALUES (2, 1, '', 'now')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not as mallory"):
            carol.execute(
                "INSERT INTO audit_event (seq, at, coder, phase, action, entity_kind, "
                "prev_hash, hash) VALUES (100000, 'now', 'mallory', 1, 'x', 'y', 'a', 'b')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            carol.execute("UPDATE audit_event SET coder = 'mallory'")


def test_a_supervisor_signs_off(team: dict[str, str], cli: Callable[..., Run]) -> None:
    run = cli("signoff", team["sam"], "2", "--note", "Codes hold together")
    assert run.code == 0, run.err
    run = cli("signoff", team["carol"], "2")
    assert run.code == 1
    verified = cli("audit", team["owner"], "--verify")
    assert verified.code == 0, verified.out + verified.err


def test_a_coder_pseudonymises_and_the_server_lets_only_the_erasure_through(
        team: dict[str, str], cli: Callable[..., Run], tmp_path: Path) -> None:
    assert cli("code", team["carol"], "PB-probation-counsellor", "Dr Okafor's advice",
               "--lines", "3-4").code == 0
    key = tmp_path / "key.csv"
    key.write_text("real,pseudonym,kind\nOkafor,[C1],person\n", encoding="utf-8")
    run = cli("pseudonymise", team["carol"], "--key", str(key), "--json")
    assert run.code == 0, run.err
    said = json.loads(run.out)
    assert said["audit_payloads_erased"] >= 1 and said["compacted"] is False
    verified = cli("audit", team["owner"], "--verify", "--json")
    assert verified.code == 0, verified.err
    redacted = json.loads(verified.out)["redacted"]
    assert redacted and {entry["by"][:6] for entry in redacted} == {"carol_"}
    assert "Okafor" not in cli("audit", team["owner"], "--json").out
    events = json.loads(cli("audit", team["owner"], "--json").out)
    with psycopg.connect(team["carol"], autocommit=True) as conn, \
            pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
        conn.execute("UPDATE audit_event SET after_json = '{}' WHERE seq = %s",
                     (events[-1]["seq"],))
