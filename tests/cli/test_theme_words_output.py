"""A project that chose "initial / developed" sees those words in what the command line
prints and writes: Table 1's header row and caption, the theme tree, a new theme's message,
the codebook's columns and the extracts report's headings. Stored levels and the option
values (``--level emerging``) stay as they are."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from tests.cli.conftest import Run
from thematic_workbench.app.demo import build_demo


@pytest.fixture
def developed(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    project = build_demo(tmp_path / "demo.thematic")
    run = cli("design", str(project), "set", "theme_words=initial_developed")
    assert run.code == 0, run.err
    return project


def test_table1_header_and_caption_follow_the_words(developed: Path, tmp_path: Path,
                                                    cli: Callable[..., Run]) -> None:
    out = tmp_path / "t.docx"
    run = cli("export", "table1", str(developed), str(out))
    assert run.code == 0, run.err
    document = Document(str(out))
    assert document.paragraphs[1].text == "Coding frame for initial and developed themes"
    assert [c.text for c in document.tables[0].rows[0].cells] == [
        "Initial codes", "Initial themes", "Developed themes"]
    cli("design", str(developed), "set", "theme_words=emerging_final")
    cli("export", "table1", str(developed), str(out))
    assert [c.text for c in Document(str(out)).tables[0].rows[0].cells] == [
        "Initial codes", "Emerging themes", "Final themes"]


def test_theme_tree_and_new_theme_use_the_words(developed: Path,
                                                cli: Callable[..., Run]) -> None:
    tree = cli("themes", str(developed)).out
    assert "[developed, " in tree and "[initial, " in tree
    assert "emerging" not in tree and "[final" not in tree
    levels = {t["level"] for t in json.loads(cli("themes", str(developed), "--json").out)["themes"]}
    assert levels == {"final"}  # JSON keeps the stored level
    run = cli("theme", str(developed), "add", "Loose ends", "--level", "emerging")
    assert run.code == 0, run.err
    assert run.out.strip() == "created initial theme 'Loose ends'"


def test_codebook_and_extracts_use_the_words(developed: Path, tmp_path: Path,
                                             cli: Callable[..., Run]) -> None:
    table = tmp_path / "codebook.csv"
    assert cli("export", "codebook", str(developed), str(table)).code == 0
    with table.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[3:5] == ["Initial theme", "Developed theme"]
    report = tmp_path / "extracts.docx"
    assert cli("export", "extracts", str(developed), str(report)).code == 0
    headings = [p.text for p in Document(str(report)).paragraphs
                if p.style is not None and p.style.name.startswith("Heading")]
    assert any(h.startswith("Developed theme 1: ") for h in headings)
    assert any(h.startswith("Initial theme 1.1: ") for h in headings)
    assert not any("Final theme" in h or "Emerging theme" in h for h in headings)
    # The codebook it wrote reads back into a project as before.
    fresh = tmp_path / "fresh.thematic"
    assert cli("new", str(fresh)).code == 0
    run = cli("import-codebook", str(fresh), str(table))
    assert run.code == 0, run.err
    assert "Initial theme" not in run.err
    kinds = json.loads(cli("themes", str(fresh), "--json").out)["themes"]
    assert kinds and {t["level"] for t in kinds} == {"final"}
    assert any(child["level"] == "emerging" for t in kinds for child in t["children"])


def test_a_refusal_names_the_levels_in_the_words(developed: Path,
                                                 cli: Callable[..., Run]) -> None:
    final = json.loads(cli("themes", str(developed), "--json").out)["themes"][0]["name"]
    run = cli("theme", str(developed), "add", "Too high", "--level", "final",
              "--parent", final)
    assert run.code != 0
    assert "'Too high' is a developed theme; only an initial theme can be grouped under a " \
           "developed theme" in run.err
