"""The README's first study on the command line runs as written: each line, in order, in a
folder holding the ``PA.docx`` it describes, succeeds; the project then holds the coding,
the theme, the phase and the diary entry, Table 1 names the code, and the trail verifies."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from tests.cli.conftest import Run

README = Path(__file__).resolve().parents[2] / "README.md"
MARK = "<!-- walk-through: tests/cli/test_readme_walkthrough.py"


def walkthrough() -> list[list[str]]:
    """The commands of the marked block, each split as a shell would (comments dropped)."""
    text = README.read_text(encoding="utf-8")
    block = re.search(re.escape(MARK) + r".*?-->\n```\n(.*?)```", text, re.S)
    assert block is not None, "the README's walk-through block is marked"
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines()
            if line.strip()]


def _interview(folder: Path) -> None:
    document = docx.Document()
    for turn in ("INTERVIEWER: How did the first sessions go?",
                 "PA: I wore two hats, the therapist and the one who reports to the court.",
                 "INTERVIEWER: And the client?",
                 "PA: He tested every boundary at first."):
        document.add_paragraph(turn)
    document.save(str(folder / "PA.docx"))


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path, cli: Callable[..., Run],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _interview(tmp_path)
    commands = walkthrough()
    assert len(commands) >= 10 and all(c[0] == "thematic-workbench" for c in commands)
    window = [c for c in commands if len(c) == 2 and c[1].endswith(".thematic")]
    assert window == [["thematic-workbench", "study.thematic"]]  # opens the window: not run
    for command in commands:
        if command in window:
            continue
        run = cli(*command[1:])
        assert run.code == 0, f"{shlex.join(command)}: {run.err}"
        if command[1] == "audit":
            assert run.out.startswith("audit trail intact"), run.out
    codes = json.loads(cli("codes", "study.thematic", "--json").out)
    assert [code["name"] for code in codes] == ["Dual role"]
    themes = json.loads(cli("themes", "study.thematic", "--json").out)
    assert "Serving two masters" in json.dumps(themes)
    assert json.loads(cli("phase", "study.thematic", "--json").out)["phase"] == 2
    table = docx.Document(str(tmp_path / "Table 1.docx")).tables[0]
    assert any("Dual role" in cell.text for row in table.rows for cell in row.cells)
