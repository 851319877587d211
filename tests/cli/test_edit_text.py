"""``edit-text`` on the command line: a correction keeps the codings on their words and the
trail verifying; what it removed is printed; a text not found changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tests.cli.conftest import Run
from thematic_workbench.core.storage.models import Code, Coding, Document
from thematic_workbench.core.storage.store import ProjectStore


def _coded(project: str) -> dict[str, str]:
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
        return {name: text[s:e] for name, s, e in session.execute(
            select(Code.name, Coding.start, Coding.end).join(Code, Code.id == Coding.code_id))}


def _project(cli: Callable[..., Run], folder: Path) -> str:
    project = str(folder / "study.thematic")
    transcript = folder / "PA.txt"
    transcript.write_text("INTERVIEWER: Who referred you?\n"
                          "PA: Judge Harris sent me here from Leeds Crown Court.\n"
                          "INTERVIEWER: How was it?\n"
                          "PA: Hard at first.\n", encoding="utf-8")
    assert cli("new", project).code == 0
    assert cli("import", project, str(transcript)).code == 0
    assert cli("code", project, "PA", "Mandated", "--match",
               "Judge Harris sent me here from Leeds Crown Court").code == 0
    assert cli("code", project, "PA", "Named judge", "--match", "Harris").code == 0
    return project


def test_a_name_replaced_keeps_the_codings_on_their_words(tmp_path: Path,
                                                          cli: Callable[..., Run]) -> None:
    project = _project(cli, tmp_path)
    run = cli("edit-text", project, "PA", "--match", "Harris", "--text", "J1")
    assert run.code == 0, run.err
    assert run.out == "edited 'PA' 41-47: 'Harris' is now 'J1'\n"
    assert _coded(project) == {"Mandated": "Judge J1 sent me here from Leeds Crown Court",
                               "Named judge": "J1"}
    verified = cli("audit", project, "--verify")
    assert verified.code == 0 and "audit trail intact" in verified.out


def test_deleting_words_lists_the_coding_that_went_with_them(tmp_path: Path,
                                                             cli: Callable[..., Run]) -> None:
    project = _project(cli, tmp_path)
    run = cli("edit-text", project, "PA", "--match", "Judge Harris ", "--text", "", "--json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert (report["old"], report["new"], len(report["codings_removed"])) == (
        "Judge Harris ", "", 1)
    assert report["notes"][0].startswith("a coding of 'Named judge' removed")
    assert _coded(project) == {"Mandated": "sent me here from Leeds Crown Court"}


def test_an_insertion_by_span_and_a_text_not_found(tmp_path: Path,
                                                   cli: Callable[..., Run]) -> None:
    project = _project(cli, tmp_path)
    before = _coded(project)
    missing = cli("edit-text", project, "PA", "--match", "Sheffield", "--text", "S1")
    assert missing.code == 1 and "'Sheffield' is not in 'PA'" in missing.err
    assert _coded(project) == before
    run = cli("edit-text", project, "PA", "--span", "0-0", "--text", "[00:00] ")
    assert run.code == 0, run.err
    assert _coded(project) == before
