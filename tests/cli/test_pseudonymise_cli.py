"""``pseudonymise PROJECT --key KEY.csv [--dry-run]``: the key from its own file, a dry run
that changes nothing, then every real string gone from the transcripts with the codings
kept on their words and the trail verifying."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tests.cli.conftest import Run
from thematic_workbench.core.storage.models import Code, Coding, Document
from thematic_workbench.core.storage.store import ProjectStore


def _study(cli: Callable[..., Run], folder: Path) -> tuple[str, Path]:
    project = str(folder / "study.thematic")
    transcript = folder / "PA.txt"
    transcript.write_text("INTERVIEWER: Who referred you?\n"
                          "PA: Judge Harris sent me from Leeds. Dr Ann Kerr saw me weekly.\n"
                          "PA: HARRIS was fair, and Ann Kerr was kind.\n", encoding="utf-8")
    assert cli("new", project).code == 0
    assert cli("import", project, str(transcript)).code == 0
    assert cli("code", project, "PA", "Mandated", "--match",
               "Judge Harris sent me from Leeds").code == 0
    key = folder / "key.csv"
    key.write_text("real,pseudonym,kind\nHarris,[J1],person\nAnn Kerr,[K1],person\n"
                   "Leeds,[C1],place\n", encoding="utf-8")
    return project, key


def _texts(project: str) -> tuple[str, list[str]]:
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
        return text, [text[s:e] for s, e in session.execute(
            select(Coding.start, Coding.end).join(Code, Code.id == Coding.code_id))]


def test_a_dry_run_then_the_key_applied(tmp_path: Path, cli: Callable[..., Run]) -> None:
    project, key = _study(cli, tmp_path)
    before = Path(project).read_bytes()
    dry = cli("pseudonymise", project, "--key", str(key), "--dry-run", "--json")
    assert dry.code == 0, dry.err
    report = json.loads(dry.out)
    assert (report["dry_run"], report["occurrences"]) == (True, 5)
    assert report["by_key_line"] == {"1": 2, "2": 2, "3": 1}
    assert Path(project).read_bytes() == before

    run = cli("pseudonymise", project, "--key", str(key))
    assert run.code == 0, run.err
    assert run.out.startswith("replaced 5 occurrences of 3 key entries")
    text, coded = _texts(project)
    assert not any(real.lower() in text.lower() for real in ("Harris", "Ann Kerr", "Leeds"))
    assert coded == ["Judge [J1] sent me from [C1]"]
    verified = cli("audit", project, "--verify")
    assert verified.code == 0 and "audit trail intact" in verified.out
    trail = cli("audit", project, "--json")
    assert "Ann Kerr" not in trail.out.split('"project.pseudonymise"')[-1]
    covered = json.loads(cli("identifiers", project, "--key", str(key), "--json").out)
    assert not any(record["text"] in ("Harris", "Ann Kerr", "Leeds") for record in covered)


def test_a_key_without_a_pseudonym_is_one_line(tmp_path: Path,
                                                cli: Callable[..., Run]) -> None:
    project, key = _study(cli, tmp_path)
    key.write_text("real,pseudonym,kind\nHarris,,person\n", encoding="utf-8")
    run = cli("pseudonymise", project, "--key", str(key))
    assert run.code == 1
    assert "key.csv" in run.err and len(run.err.strip().splitlines()) == 1
