"""The ``words`` verb: a table or JSON of the most frequent words, checked against the text."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from thematic_workbench.core.finding.stopwords import stop_words
from thematic_workbench.core.services import participants
from thematic_workbench.core.storage.store import ProjectStore

PA = (
    "Interviewer: Tell me about risk in your work with mandated clients.\n"
    "PA: Risk is the job. I assess risks daily; the risky ones stay with me.\n"
    "Interviewer: And trust?\n"
    "PA: Trust comes late. Um, trust takes months, yeah.\n"
)
PB = (
    "Interviewer: What about supervision?\n"
    "PB: Supervision keeps me honest about risk and about trust.\n"
)


@pytest.fixture
def words(cli: Callable[..., Run]) -> Callable[..., Run]:
    """``thematic-workbench words ...`` through ``cli.main``."""
    return lambda *argv: cli("words", *argv)


@pytest.fixture
def project(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    path = tmp_path / "study.thematic"
    assert cli("new", str(path)).code == 0
    for label, text in (("PA", PA), ("PB", PB)):
        source = tmp_path / f"{label} interview.txt"
        source.write_text(text, encoding="utf-8")
        run = cli("import", str(path), str(source), "--participant", label)
        assert run.code == 0, run.err
    with ProjectStore.open(path) as store, store.transaction("alice") as tx:
        participants.define_attribute(tx, "profession", "text")
        for label, value in (("PA", "psychologist"), ("PB", "nurse")):
            found = participants.find_participant(tx, label)
            assert found is not None
            participants.set_participant_attribute(tx, found.id, "profession", value)
    return path


def plain_count(*texts: str, leave_out_speaker: str | None = None) -> Counter[str]:
    """Each turn after its label, lower case, words split at anything but a letter; the
    English stop words left out."""
    counts: Counter[str] = Counter()
    for text in texts:
        for line in text.splitlines():
            speaker, _colon, speech = line.partition(": ")
            if speaker != leave_out_speaker:
                counts.update(word for word in re.findall(r"[a-z]+", speech.lower())
                              if word not in stop_words("english"))
    return counts


def test_json_has_one_object_per_word_with_the_contract_fields(
        words: Callable[..., Run], project: Path) -> None:
    run = words(str(project), "--top", "0", "--json")
    assert run.code == 0, run.err
    records = json.loads(run.out)
    assert {record["word"]: record["count"] for record in records} == plain_count(PA, PB)
    assert list(records[0]) == ["word", "count", "documents", "participants", "forms"]
    trust = next(record for record in records if record["word"] == "trust")
    assert trust == {"word": "trust", "count": 4, "documents": 2, "participants": 2,
                     "forms": ["trust"]}
    assert "interviewer" not in {record["word"] for record in records}  # a label only
    counts = [record["count"] for record in records]
    assert counts == sorted(counts, reverse=True)


def test_leaving_out_a_speaker_and_the_top(words: Callable[..., Run], project: Path) -> None:
    run = words(str(project), "--not-speaker", "interviewer", "--top", "3", "--json")
    assert run.code == 0, run.err
    records = json.loads(run.out)
    expected = plain_count(PA, PB, leave_out_speaker="Interviewer")
    # Ties in alphabetical order: assess, comes, daily... once each.
    assert [(r["word"], r["count"]) for r in records] == [("trust", 3), ("risk", 2),
                                                         ("assess", 1)]
    assert expected["trust"] == 3 and expected["risk"] == 2 and expected["assess"] == 1
    assert expected["supervision"] == 1  # the interviewer's question does not count


def test_word_forms_and_columns_by_attribute(words: Callable[..., Run], project: Path) -> None:
    run = words(str(project), "--forms", "--by", "profession", "--json")
    assert run.code == 0, run.err
    risk = next(record for record in json.loads(run.out) if record["word"] == "risk")
    assert risk["forms"] == ["risk", "risks", "risky"]
    assert risk["count"] == 5
    assert risk["by"] == {"nurse": 1, "psychologist": 4}
    people = json.loads(words(str(project), "--by", "PARTICIPANT", "--json").out)
    assert next(r for r in people if r["word"] == "trust")["by"] == {"PA": 3, "PB": 1}


def test_the_table(words: Callable[..., Run], project: Path) -> None:
    run = words(str(project), "--top", "2", "--forms", "--by", "participant")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    plain = plain_count(PA, PB)
    distinct = len(plain) - 2  # risks and risky are forms of risk
    assert lines[0].startswith(f"{sum(plain.values())} words counted ({distinct} different "
                               "words after joining word forms) in 2 transcripts; ")
    assert lines[0].endswith("stop words of English left out")
    assert lines[2].split() == ["word", "count", "transcripts", "participants", "PA", "PB",
                                "forms"]
    assert lines[3].split() == ["risk", "5", "2", "2", "4", "1", "risk,", "risks,", "risky"]
    assert lines[4].split() == ["trust", "4", "2", "2", "3", "1", "trust"]
    assert len(lines) == 5


def test_filters_and_stop_words(words: Callable[..., Run], project: Path) -> None:
    nurse = json.loads(words(str(project), "--attribute", "profession=nurse", "--json",
                             "--top", "0").out)
    assert {r["word"] for r in nurse} == {"supervision", "keeps", "honest", "risk", "trust",
                                          "about"} - stop_words("english")
    pb = json.loads(words(str(project), "--participant", "PB", "--speaker", "pb",
                          "--keep-stop-words", "--json", "--top", "0").out)
    assert {r["word"]: r["count"] for r in pb}["about"] == 2
    long = json.loads(words(str(project), "--min-length", "7", "--json").out)
    assert {r["word"] for r in long} == {"clients", "mandated", "supervision"}


@pytest.mark.parametrize(("argv", "message"), [
    (("--by", "gender"), "no participant attribute named 'gender'"),
    (("--participant", "PZ"), "no participant labelled 'PZ'"),
    (("--attribute", "profession"), "--attribute takes NAME=VALUE"),
    (("--top", "many"), "--top takes a whole number, not 'many'"),
    (("--min-length", "0"), "--min-length takes a number of 1 or more"),
])
def test_mistakes_are_one_line(words: Callable[..., Run], project: Path,
                               argv: tuple[str, ...], message: str) -> None:
    run = words(str(project), *argv)
    assert run.code in (1, 2) and message in run.err
    assert "Traceback" not in run.err
