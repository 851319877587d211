"""The ``query`` verb on the demo project: citations and text, the JSON contract, filters
by participant and attribute, bad input in one line, and saving the result as a code."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.store import ProjectStore

TRUST = '"Trust built slowly" OR "Offering small choices"'
CONTRACT = ["document", "participant", "start_line", "end_line", "text"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("query") / "demo.thematic")


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Path:
    """A copy of the demo each test may write to."""
    return Path(shutil.copyfile(built, tmp_path / "demo.thematic"))


@pytest.fixture
def query(cli: Callable[..., Run]) -> Callable[..., Run]:
    """``thematic-workbench query ...`` through ``cli.main``."""
    return lambda *argv: cli("query", *argv)


def _json(run: Run) -> list[dict[str, object]]:
    assert run.code == 0, run.err
    return json.loads(run.out)


def test_text_output_cites_each_passage(query: Callable[..., Run], demo: Path) -> None:
    run = query(str(demo), TRUST)
    assert run.code == 0, run.err
    blocks = run.out.strip().split("\n\n")
    assert blocks[0].splitlines() == [
        "[PA, lines 18-19] PA-forensic-psychologist",
        "    Which topic we start with, whether we sit or walk round the courtyard"]
    assert blocks[-1] == f"7 passages in 4 transcripts for {TRUST}"


def test_json_has_the_contract_fields_and_the_words_of_the_transcript(
        query: Callable[..., Run], demo: Path) -> None:
    found = _json(query(str(demo), TRUST, "--json"))
    assert len(found) == 7
    assert all(list(item)[:5] == CONTRACT for item in found)
    assert [item["participant"] for item in found] == ["PA", "PA", "PB", "PC", "PC", "PD",
                                                       "PD"]
    with ProjectStore.open(demo, readonly=True) as store, store.read() as session:
        texts = {doc.name: doc.text for doc in session.query(Document)}
    for item in found:
        text = texts[str(item["document"])]
        assert text[int(item["start"]):int(item["end"])] == item["text"]  # type: ignore[call-overload]
        before = text[:int(item["start"])]  # type: ignore[call-overload]
        assert int(item["start_line"]) >= before.count("\n") + 1  # type: ignore[call-overload]
        assert int(item["start_line"]) <= int(item["end_line"])  # type: ignore[call-overload]


def test_participant_and_attribute_filters(query: Callable[..., Run], demo: Path) -> None:
    one = _json(query(str(demo), TRUST, "--json", "--participant", "PA"))
    assert {item["participant"] for item in one} == {"PA"} and len(one) == 2
    two = _json(query(str(demo), TRUST, "--json", "--participant", "PA",
                      "--participant", "PB"))
    assert [item["participant"] for item in two] == ["PA", "PA", "PB"]
    women = _json(query(str(demo), TRUST, "--json", "--attribute", "gender=female"))
    assert {item["participant"] for item in women} == {"PA", "PD"}
    either = _json(query(str(demo), TRUST, "--json", "--attribute", "gender=female",
                         "--attribute", "gender=male"))
    assert len(either) == 7


@pytest.mark.parametrize(("argv", "message"), [
    (['"Trust built slowly" AND'], "the expression '\"Trust built slowly\" AND' at character "
                                   "25: expected a name in double quotes or \"(\""),
    (['"Trust bilt slowly"'], 'no code or theme named "Trust bilt slowly"; did you mean '
                              '"Trust built slowly"'),
    ([TRUST, "--attribute", "gender"], "--attribute takes NAME=VALUE"),
    ([TRUST, "--participant", "PZ"], "no participant labelled 'PZ'"),
    ([TRUST, "--attribute", "shoe size=9"], "no participant attribute named 'shoe size'"),
])
def test_bad_input_is_one_line(query: Callable[..., Run], demo: Path, argv: list[str],
                               message: str) -> None:
    run = query(str(demo), *argv)
    assert run.code == 1
    assert message in run.err
    assert run.err.count("\n") == 1 and "Traceback" not in run.err


def test_save_as_codes_every_passage_with_a_new_code(query: Callable[..., Run],
                                                     demo: Path) -> None:
    run = query(str(demo), TRUST, "--save-as", "Trust work")
    assert run.code == 0, run.err
    assert run.out.rstrip().endswith("Coded 7 passages as 'Trust work'.")
    again = _json(query(str(demo), '"Trust work"', "--json"))
    assert [item["text"] for item in again] == \
        [item["text"] for item in _json(query(str(demo), TRUST, "--json"))]
    taken = query(str(demo), TRUST, "--save-as", "trust work")
    assert taken.code == 1 and "a code named 'Trust work' already exists" in taken.err


def test_nothing_found_says_so(query: Callable[..., Run], demo: Path) -> None:
    run = query(str(demo), '"Trust built slowly" AND "Offering small choices"')
    assert run.code == 0
    assert run.out.strip() == ('No passage matches "Trust built slowly" AND '
                               '"Offering small choices"')
    assert _json(query(str(demo), '"Trust built slowly" AND "Offering small choices"',
                       "--json")) == []
