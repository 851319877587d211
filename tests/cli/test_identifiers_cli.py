"""The ``identifiers`` verb: the candidates as JSON with exactly the agreed fields, as a
table, and with ``--key`` whether the key covers each; a bad key is refused in one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.cli.conftest import Run
from tests.core.test_identifiers import EXPECTED, SEEDED
from thematic_workbench.core.records.pseudonyms import PseudonymEntry
from thematic_workbench.core.storage.models import Document, Line
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.pseudonym_key import write_pseudonym_key

FIELDS = ["text", "kind", "document", "line", "count"]


@pytest.fixture
def project(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    path = tmp_path / "study.thematic"
    assert cli("new", str(path)).code == 0
    source = tmp_path / "PA interview.txt"
    source.write_text(SEEDED, encoding="utf-8")
    run = cli("import", str(path), str(source), "--participant", "PA")
    assert run.code == 0, run.err
    return path


def _first_lines(project: Path) -> dict[str, int]:
    """The stable number of the line where each expected text first occurs (Leeds first
    occurs by itself after it occurs inside Leeds Crown Court)."""
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
        lines = session.execute(select(Line.start, Line.end, Line.number)).all()
    anchors = {found: text.index(found) for found, _kind, _count in EXPECTED}
    anchors["Leeds"] = text.index("Leeds is")
    return {found: next(number for start, end, number in lines if start <= at < end)
            for found, at in anchors.items()}


def test_json_lists_every_candidate_with_exactly_the_agreed_fields(
        project: Path, cli: Callable[..., Run]) -> None:
    run = cli("identifiers", str(project), "--json")
    assert run.code == 0, run.err
    records = json.loads(run.out)
    assert all(list(record) == FIELDS for record in records)
    lines = _first_lines(project)
    assert records == [{"text": text, "kind": kind, "document": "PA interview",
                        "line": lines[text], "count": count}
                       for text, kind, count in EXPECTED]


def test_the_key_says_what_it_covers(project: Path, cli: Callable[..., Run],
                                     tmp_path: Path) -> None:
    key = tmp_path / "key.csv"
    write_pseudonym_key(key, [PseudonymEntry("Smith", "Jones", "person"),
                              PseudonymEntry("Rampton Secure Hospital", "a hospital",
                                             "organisation"),
                              PseudonymEntry("grim", "bleak", "other")])
    run = cli("identifiers", str(project), "--json", "--key", str(key))
    assert run.code == 0, run.err
    records = json.loads(run.out)
    assert all(list(record) == [*FIELDS, "covered"] for record in records)
    covered = {record["text"] for record in records if record["covered"]}
    assert covered == {"Dr Smith", "Rampton Secure Hospital", "grim"}
    assert [record["text"] for record in records if record["text"] not in covered] == \
        [text for text, _kind, _count in EXPECTED if text not in covered]
    grim = next(record for record in records if record["text"] == "grim")
    assert (grim["kind"], grim["count"]) == ("other", 1)


def test_a_table_for_people(project: Path, cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("identifiers", str(project))
    assert run.code == 0, run.err
    rows = run.out.splitlines()
    assert rows[0].split() == ["text", "kind", "transcript", "line", "count"]
    assert rows[1].startswith("Rampton Secure Hospital  organisation  PA interview  ")
    assert rows[-1] == f"{len(EXPECTED)} candidates"
    key = tmp_path / "key.csv"
    write_pseudonym_key(key, [PseudonymEntry("Leeds", "Northtown", "place")])
    run = cli("identifiers", str(project), "--key", str(key))
    assert run.out.splitlines()[0].split()[-1] == "covered"
    leeds = next(row for row in run.out.splitlines() if row.split("  ")[0] == "Leeds")
    assert leeds.split()[-1] == "yes"
    assert run.out.splitlines()[-1] == f"{len(EXPECTED)} candidates, " \
                                       f"{len(EXPECTED) - 1} not in the key"


def test_an_empty_project_has_no_candidates(tmp_path: Path, cli: Callable[..., Run]) -> None:
    path = tmp_path / "empty.thematic"
    assert cli("new", str(path)).code == 0
    assert json.loads(cli("identifiers", str(path), "--json").out) == []
    assert cli("identifiers", str(path)).out == \
        "No identifier candidates found in the transcripts.\n"


def test_a_bad_key_is_refused_in_one_line(project: Path, cli: Callable[..., Run],
                                          tmp_path: Path) -> None:
    key = tmp_path / "key.csv"
    key.write_text("real,pseudonym,kind\nJohn Carter,,person\n", encoding="utf-8")
    run = cli("identifiers", str(project), "--key", str(key))
    assert run.code == 1 and run.out == ""
    assert run.err.strip().splitlines() == [
        "thematic-workbench: error: key.csv: line 2: the pseudonym for 'John Carter' is "
        "blank; every real string needs one"]


def test_a_word_list_is_looked_for_too(project: Path, cli: Callable[..., Run],
                                       tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# our own\ngrim place\nnot said anywhere\n", encoding="utf-8")
    run = cli("identifiers", str(project), "--json", "--words", str(words))
    assert run.code == 0, run.err
    found = {record["text"]: record for record in json.loads(run.out)}
    assert found["grim place"]["kind"] == "other" and found["grim place"]["count"] == 1
    assert "not said anywhere" not in found
    run = cli("identifiers", str(project), "--words", str(tmp_path / "missing.txt"))
    assert run.code != 0 and "missing.txt" in run.err and "no such file" in run.err
