"""``agreement PROJECT --coders A B [--code NAME] [--json]``: the table, the JSON, the errors."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.core.helpers_docs import imported
from thematic_workbench.cli.agreement import NOTE, add_agreement_verb, cmd_agreement
from thematic_workbench.cli.parser import VERBS
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore

TEXT = "abcd " * 200  # 1,000 characters


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """alice and bob on PA (Care: the NVivo example; Risk: identical), bob alone on PB."""
    path = tmp_path / "team.thematic"
    with ProjectStore.create(path, "Team") as store:
        with store.transaction("alice") as tx:
            pa = import_document(tx, imported(TEXT, "PA interview"), "PA").new_id("document")
            pb = import_document(tx, imported("Only bob coded this.", "PB interview"), "PB") \
                .new_id("document")
            care = codes.create_code(tx, "Care").new_id("code")
            risk = codes.create_code(tx, "Risk").new_id("code")
            codes.create_code(tx, "Idle")
            codings.apply_coding(tx, pa, care, 0, 150)
            codings.apply_coding(tx, pa, risk, 500, 600)
        with store.transaction("bob") as tx:
            codings.apply_coding(tx, pa, care, 100, 200)
            codings.apply_coding(tx, pa, risk, 500, 600)
            codings.apply_coding(tx, pb, care, 0, 4)
    return path


def parse(*argv: str) -> argparse.Namespace:
    """The verb's own parser, as cli/parser.py wires it."""
    parser = argparse.ArgumentParser(prog="thematic-workbench")
    common = argparse.ArgumentParser(add_help=False)
    add_agreement_verb(parser.add_subparsers(dest="verb"), common)
    return parser.parse_args(["agreement", *argv])


def test_the_table_shows_each_code_and_document_and_the_summary(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_agreement(parse(str(project), "--coders", "alice", "bob")) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Agreement between alice and bob, character by character, per code " \
        "and document:"
    assert lines[1].split() == ["code", "document", "participant", "characters", "agreement",
                                "kappa", "alpha"]
    # 50 by both, 100 by alice only, 50 by bob only, 800 by neither (worked in
    # tests/analysis/test_agreement.py): 85%, kappa 7/22, alpha 2753/8750.
    assert lines[2].split() == ["Care", "PA", "interview", "PA", "1,000", "85.00%", "0.3182",
                                "0.3146"]
    assert lines[3].split() == ["Risk", "PA", "interview", "PA", "1,000", "100.00%", "1.0000",
                                "1.0000"]
    assert "kappa (NVivo average)" in out
    assert "1 code-document pair left out: neither coder applied the code there." in out
    assert "Not compared, coded by one of the two only: PB interview (bob)." in out
    assert lines[-1] == NOTE


def test_json_carries_counts_and_figures(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    cmd_agreement(parse(str(project), "--coders", "alice", "bob", "--json"))
    data = json.loads(capsys.readouterr().out)
    care = data["rows"][0]
    assert care["counts"] == {"both": 50, "only_a": 100, "only_b": 50, "neither": 800}
    assert care["agreement"] == pytest.approx(0.85)
    assert care["kappa"] == pytest.approx(7 / 22)
    assert [s["code"] for s in data["summaries"]] == ["Care", "Risk"]
    assert data["one_coder"] == [{"id": 2, "name": "PB interview", "coder": "bob"}]
    assert (data["coder_a"], data["coder_b"], data["absent_pairs"]) == ("alice", "bob", 1)
    assert data["note"] == NOTE


def test_code_filter_and_unknown_names(project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    cmd_agreement(parse(str(project), "--coders", "bob", "alice", "--code", "risk", "--json"))
    data = json.loads(capsys.readouterr().out)
    assert [row["code"] for row in data["rows"]] == ["Risk"]
    with pytest.raises(NotFoundError, match="no code named 'Nope'"):
        cmd_agreement(parse(str(project), "--coders", "alice", "bob", "--code", "Nope"))
    with pytest.raises(NotFoundError, match="no coders named 'ann', 'ben'"):
        cmd_agreement(parse(str(project), "--coders", "ann", "ben"))


def test_nothing_to_compare_says_so(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ProjectStore.open(project) as store, store.transaction("carol"):
        pass
    cmd_agreement(parse(str(project), "--coders", "alice", "carol"))
    out = capsys.readouterr().out
    assert out.startswith("alice and carol have not both coded any document")
    assert "PA interview (alice)" in out


def test_the_verb_needs_two_coders() -> None:
    with pytest.raises(SystemExit):
        parse("p.thematic", "--coders", "alice")


@pytest.mark.skipif("agreement" not in VERBS, reason="the verb is not wired into cli/parser.py yet")
def test_through_the_command_line(project: Path, cli: Callable[..., Run]) -> None:
    run = cli("agreement", str(project), "--coders", "alice", "bob")
    assert run.code == 0, run.err
    assert "85.00%" in run.out and run.out.rstrip().endswith(NOTE)
    missing = cli("agreement", str(project), "--coders", "alice", "zoe")
    assert missing.code == 1 and "no coder named 'zoe'" in missing.err
