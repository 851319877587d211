"""The ``search`` verb: keyword-in-context lines, filters, and the JSON contract's fields."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.core.helpers_docs import imported
from thematic_workbench.core.services import participants
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.speakers import map_speaker
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns

INTERVIEW = ("Interviewer: Is the work risky?\n"
             "PA: Every visit is risky, and the risks of\nburnout are real.\n")
GROUP = ("Moderator: What about risk?\n"
         "Anna: Risk talk is part of the alliance.\n"
         "Ben: I was risking my licence.\n")
FIELDS = ["document", "participant", "speaker", "line", "start", "end", "text", "context"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "study.thematic"
    with ProjectStore.create(path, "Search study") as store, \
            store.transaction("alice") as tx:
        ids = [import_document(tx, replace(imported(text, name),
                                           turns=tuple(detect_turns(text))),
                               participant=participant).new_id("document")
               for text, name, participant in ((INTERVIEW, "PA interview", "PA"),
                                               (GROUP, "Group 1", None))]
        group = ids[1]
        anna = participants.create_participant(tx, "P1").new_id("participant")
        participants.define_attribute(tx, "role", "text")
        participants.set_participant_attribute(tx, anna, "role", "nurse")
        map_speaker(tx, group, "Anna", anna)
    return path


@pytest.fixture
def search(cli: Callable[..., Run]) -> Callable[..., Run]:
    """``thematic-workbench search ...`` through ``cli.main``."""
    return lambda *argv: cli("search", *argv)


def _json(run: Run) -> list[dict[str, object]]:
    assert run.code == 0, run.err
    return json.loads(run.out)


def test_json_has_exactly_the_contract_fields(search: Callable[..., Run],
                                              project: Path) -> None:
    hits = _json(search(str(project), '"risks of burnout"', "--json"))
    assert [list(hit) for hit in hits] == [FIELDS]
    (hit,) = hits
    assert hit == {"document": "PA interview", "participant": "PA", "speaker": "PA",
                   "line": 2, "start": INTERVIEW.index("risks"),
                   "end": INTERVIEW.index("burnout") + len("burnout"),
                   "text": "risks of\nburnout",  # as in the transcript, line break and all
                   "context": "PA: Every visit is risky, and the risks of burnout are real."}


def test_word_forms_and_speaker_filters(search: Callable[..., Run], project: Path) -> None:
    def words(*options: str) -> list[tuple[object, object, object]]:
        return [(hit["text"], hit["speaker"], hit["participant"])
                for hit in _json(search(str(project), "risk", "--json", *options))]

    assert words() == [("risk", "Moderator", None), ("Risk", "Anna", "P1")]
    assert words("--forms") == [
        ("risky", "Interviewer", "PA"), ("risky", "PA", "PA"), ("risks", "PA", "PA"),
        ("risk", "Moderator", None), ("Risk", "Anna", "P1"), ("risking", "Ben", None)]
    assert words("--forms", "--not-speaker", "interviewer", "--not-speaker", "Moderator") == [
        ("risky", "PA", "PA"), ("risks", "PA", "PA"), ("Risk", "Anna", "P1"),
        ("risking", "Ben", None)]
    assert words("--forms", "--speaker", "ben") == [("risking", "Ben", None)]
    assert words("--participant", "P1") == [("Risk", "Anna", "P1")]
    assert words("--attribute", "role=nurse") == [("Risk", "Anna", "P1")]
    assert words("--forms", "--document", "pa interview") == words("--forms")[:3]


def test_text_output_is_one_line_per_hit_with_its_citation(
        search: Callable[..., Run], project: Path) -> None:
    run = search(str(project), "risk* NOT licence")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[-1] == "3 hits in 1 transcript"
    assert lines[0].startswith("PA, line 1 (Interviewer)")
    assert lines[0].endswith("Interviewer: Is the work risky?")
    # the context stays within the paragraph: "burnout" is on the next one
    assert [line.split()[:3] for line in lines[1:3]] == [["PA,", "line", "2"]] * 2
    assert all(line.endswith("PA: Every visit is risky, and the risks of") for line in lines[1:3])
    none = search(str(project), "xylophone")
    assert none.out == "No hits for xylophone\n"


@pytest.mark.parametrize(("options", "message"), [
    (["--attribute", "role"], "--attribute takes NAME=VALUE"),
    (["--document", "Group 9"], "no document named 'Group 9'"),
    (["--participant", "P9"], "no participant labelled 'P9'"),
])
def test_bad_filters_are_one_line_errors(search: Callable[..., Run], project: Path,
                                         options: list[str], message: str) -> None:
    run = search(str(project), "risk", *options)
    assert run.code == 1
    assert message in run.err and len(run.err.strip().splitlines()) == 1
