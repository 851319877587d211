"""``export segments PROJECT OUT.csv|.xlsx|.docx [--code] [--theme] [--participant]
[--attribute]``: a header row, then one row per coding; bad input is one line, exit 1."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.analysis.segments_study import build_study, map_group_speakers
from tests.cli.conftest import Run
from thematic_workbench.core.storage.store import ProjectStore

CONTRACT = ("participant", "document", "lines", "code", "text")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "study.thematic"
    with ProjectStore.create(path, "Study") as store:
        build_study(store)
    return path


def study_ids(store: ProjectStore) -> dict[str, int]:
    """The ids map_group_speakers needs, read back by name."""
    from thematic_workbench.core.queries.project import find_document
    from thematic_workbench.core.services.participants import find_participant

    with store.read() as session:
        ids = {"group": find_document(session, "Focus group 1").id}
        for label in ("Anna", "Ben"):
            participant = find_participant(session, label)
            assert participant is not None
            ids[label] = participant.id
    return ids


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        assert reader.fieldnames is not None and set(CONTRACT) <= set(reader.fieldnames)
        return list(reader)


def test_every_coding_as_csv(cli: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    out = tmp_path / "segments.csv"
    run = cli("export", "segments", str(project), str(out))
    assert (run.code, run.err) == (0, "")
    assert run.out == f"wrote the coded segments to {out} (7 rows)\n"
    rows = _csv(out)
    assert len(rows) == 7
    across = next(row for row in rows if row["text"].startswith("I run") and "|" in row["text"])
    assert (across["participant"], across["document"], across["lines"], across["code"]) == (
        "PA", "PA interview", "2-3", "Support")
    assert "INT" not in across["text"]


def test_filters_repeat_and_narrow(cli: Callable[..., Run], project: Path,
                                  tmp_path: Path) -> None:
    out = tmp_path / "rest.csv"
    assert cli("export", "segments", str(project), str(out), "--code", "Rest",
               "--code", "humour").code == 0
    assert sorted({row["code"] for row in _csv(out)}) == ["Humour", "Rest"]
    assert cli("export", "segments", str(project), str(out), "--theme", "Care of self",
               "--participant", "bo").code == 0
    assert [(row["participant"], row["code"]) for row in _csv(out)] == [("bo", "Rest")]
    run = cli("export", "segments", str(project), str(out), "--attribute", "profession=nurse")
    assert run.out.endswith("(2 rows)\n")
    assert {row["participant"] for row in _csv(out)} == {"bo"}


def test_a_focus_group_row_names_who_spoke(cli: Callable[..., Run], project: Path,
                                           tmp_path: Path) -> None:
    with ProjectStore.open(project) as store:
        map_group_speakers(store, study_ids(store))
    out = tmp_path / "ben.xlsx"
    assert cli("export", "segments", str(project), str(out), "--participant", "Ben").code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    assert [dict(zip(header, row, strict=True))["participant"] for row in rows[1:]] == ["Ben"]
    assert dict(zip(header, rows[1], strict=True))["speaker"] == "Ben"


def test_word_table(cli: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    out = tmp_path / "segments.docx"
    run = cli("export", "segments", str(project), str(out), "--theme", "Being held")
    assert run.code == 0 and run.out.endswith("(3 rows)\n")
    (table,) = Document(str(out)).tables
    assert table.rows[0].cells[0].text == "Participant"
    assert len(table.rows) == 4


@pytest.mark.parametrize("options, message", [
    (("--code", "Sleep"), "no code named 'Sleep'"),
    (("--theme", "Joy"), "no theme named 'Joy'"),
    (("--participant", "PZ"), "no participant labelled 'PZ'"),
    (("--attribute", "profession"),
     "--attribute takes NAME=VALUE (for example profession=nurse), not 'profession'"),
    (("--attribute", "age=40"), "no attribute named 'age'"),
])
def test_bad_filters_are_one_line(cli: Callable[..., Run], project: Path, tmp_path: Path,
                                  options: tuple[str, ...], message: str) -> None:
    out = tmp_path / "segments.csv"
    run = cli("export", "segments", str(project), str(out), *options)
    assert run.code == 1
    assert run.err == f"thematic-workbench: error: {message}\n"
    assert not out.exists()


def test_a_wrong_extension_is_refused(cli: Callable[..., Run], project: Path,
                                      tmp_path: Path) -> None:
    run = cli("export", "segments", str(project), str(tmp_path / "segments.pdf"))
    assert run.code == 1
    assert run.err == ("thematic-workbench: error: segments.pdf: the coded segments can be "
                       "written as .csv, .xlsx, .docx, not '.pdf'\n")
