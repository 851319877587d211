"""``merge PROJECT OTHER`` on the command line: two copies coded apart, by file and on a
server, come together with nothing lost or doubled, and the trails stay verifiable."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tests.cli.conftest import Run
from tests.postgres_server import PostgresServer
from thematic_workbench.core.storage.models import Code, Coder, Coding, Document
from thematic_workbench.core.storage.store import ProjectStore

FIELDS = {"project", "other", "added", "matched", "filled", "conflicts", "left_out",
          "other_events", "trail_kept", "merge_id", "trail", "intact", "nothing_new"}


def _codings(_cli: Callable[..., Run], project: str) -> list[tuple[str, ...]]:
    """Every coding in the project as (transcript, code, coder, start, end)."""
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        return sorted(tuple(map(str, row)) for row in session.execute(
            select(Document.name, Code.name, Coder.name, Coding.start, Coding.end)
            .join(Document, Document.id == Coding.document_id)
            .join(Code, Code.id == Coding.code_id).join(Coder, Coder.id == Coding.coder_id)))


def _copies(cli: Callable[..., Run], folder: Path) -> tuple[str, str]:
    ours, theirs = str(folder / "ana.thematic"), str(folder / "ben.thematic")
    assert cli("demo", ours).code == 0
    assert cli("copy", ours, theirs).code == 0
    assert cli("code", ours, "PA-forensic-psychologist", "Ana's reading", "--lines", "2-3",
               "--coder", "Ana").code == 0
    assert cli("code", theirs, "PA-forensic-psychologist", "Ben's reading", "--lines", "2-3",
               "--coder", "Ben").code == 0
    assert cli("code", theirs, "PA-forensic-psychologist", "Ana's reading", "--lines", "5-5",
               "--coder", "Ben").code == 0
    return ours, theirs


def test_merge_reports_in_json_and_a_second_run_adds_nothing(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    ours, theirs = _copies(cli, tmp_path)
    mine, his = _codings(cli, ours), _codings(cli, theirs)
    codes_here = len(json.loads(cli("codes", ours, "--json").out))
    run = cli("merge", ours, theirs, "--json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert set(report) == FIELDS
    assert report["added"] == {"coders": 1, "codes": 1, "codings": 2}
    # Every code here is there too: the demo's by GUID, "Ana's reading" (Ben made his own)
    # by name.
    assert report["matched"]["codes"] == codes_here and report["matched"]["transcripts"] == 4
    assert report["intact"] and not report["nothing_new"]
    assert report["trail_kept"] == report["other_events"] > 0
    merged = _codings(cli, ours)
    assert merged == sorted(set(mine) | set(his)) and len(merged) == len(set(merged))

    again = cli("merge", ours, theirs)
    assert again.code == 0, again.err
    assert again.out.startswith("nothing new in ben.thematic")
    assert _codings(cli, ours) == merged

    verified = cli("audit", ours, "--verify")
    assert verified.code == 0, verified.err
    assert any("kept by the merge at event" in line and "hash chain verified" in line
               for line in verified.out.splitlines())
    as_json = json.loads(cli("audit", ours, "--verify", "--json").out)
    assert [(t["events"], t["intact"]) for t in as_json["kept_trails"]] == [
        (report["other_events"], True)]
    agreement = cli("agreement", ours, "--coders", "Ana", "Ben", "--json")
    assert agreement.code == 0, agreement.err


def test_merge_reads_the_other_project_and_never_writes_it(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    ours, theirs = _copies(cli, tmp_path)
    before = Path(theirs).read_bytes()
    assert cli("merge", ours, theirs).code == 0
    assert Path(theirs).read_bytes() == before


def test_a_missing_other_project_is_one_line_and_nothing_changes(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    ours, _theirs = _copies(cli, tmp_path)
    before = _codings(cli, ours)
    run = cli("merge", ours, str(tmp_path / "nowhere.thematic"))
    assert run.code != 0
    assert "nowhere.thematic" in run.err and len(run.err.strip().splitlines()) == 1
    assert _codings(cli, ours) == before


def test_a_file_coded_apart_merges_into_the_team_server_and_back(
        server_url: str, postgres_server: PostgresServer, tmp_path: Path,
        cli: Callable[..., Run]) -> None:
    ours, theirs = _copies(cli, tmp_path)
    assert cli("copy", ours, server_url).code == 0
    assert cli("code", server_url, "PA-forensic-psychologist", "Coded on the server",
               "--lines", "7-7", "--coder", "Ana").code == 0
    run = cli("merge", server_url, theirs, "--json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert report["added"]["codings"] == 2 and report["intact"]
    assert "secret" not in run.out
    verified = cli("audit", server_url, "--verify")
    assert verified.code == 0, verified.err
    back = cli("merge", theirs, server_url, "--json")
    assert back.code == 0, back.err
    assert _codings(cli, theirs) == _codings(cli, server_url)
