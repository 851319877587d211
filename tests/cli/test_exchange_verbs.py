"""The exchange verbs as a contract: ``export WHAT PROJECT OUT`` by OUT's extension,
``import-codebook`` and ``import-project``; bad input changes nothing."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from tests.cli.conftest import Run
from tests.conftest import SHARED_FIXTURES
from thematic_workbench.app.demo import build_demo

SCHEMAS = SHARED_FIXTURES.parent / "refi-qda"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.thematic")


def _schema(name: str):
    if not (SCHEMAS / name).is_file():
        pytest.skip("../shared/refi-qda is not present (a user's clone); schema check skipped")
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / name))


def _without_ids(value: object) -> object:
    """Themes as a reader compares them: by name and place, not by database id."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _events(cli: Callable[..., Run], project: Path) -> int:
    return len(json.loads(cli("audit", str(project), "--json").out))


@pytest.mark.parametrize("what, suffix", [
    ("table1", ".docx"), ("table1", ".csv"), ("table1", ".xlsx"), ("extracts", ".docx"),
    ("codebook", ".docx"), ("codebook", ".csv"), ("codebook", ".xlsx"), ("codebook", ".qdc"),
    ("project", ".qdpx"), ("diary", ".docx"), ("audit", ".docx"), ("audit", ".csv"),
    ("map", ".png"), ("map", ".svg"), ("map", ".pdf"),
])
def test_every_export_writes_its_format(demo: Path, tmp_path: Path, cli: Callable[..., Run],
                                        what: str, suffix: str) -> None:
    out = tmp_path / f"{what}{suffix}"
    run = cli("export", what, str(demo), str(out))
    assert run.code == 0, run.err
    assert run.out.startswith("wrote ") and str(out) in run.out
    if suffix == ".docx":
        assert Document(str(out)).paragraphs  # a Word file python-docx can open
    elif suffix in (".xlsx", ".qdpx"):
        assert zipfile.is_zipfile(out)
    elif suffix == ".png":
        assert out.read_bytes().startswith(b"\x89PNG")
    else:
        assert out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary left behind


def test_table1_options_and_notes(demo: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    out = tmp_path / "t.docx"
    run = cli("export", "table1", str(demo), str(out), "--levels", "2", "--counts",
              "--landscape", "--caption-title", "Codes and themes")
    assert run.code == 0, run.err
    assert "note: 2 codes in no theme are left out" in run.err
    document = Document(str(out))
    assert [p.text for p in document.paragraphs[:2]] == ["Table 1", "Codes and themes"]
    assert [c.text for c in document.tables[0].rows[0].cells] == ["Initial codes", "Themes"]


def test_wrong_extension_or_kind_is_refused(demo: Path, tmp_path: Path,
                                            cli: Callable[..., Run]) -> None:
    run = cli("export", "table1", str(demo), str(tmp_path / "t.pdf"))
    assert run.code == 1 and "t.pdf: Table 1 can be written as .docx, .csv, .xlsx" in run.err
    run = cli("export", "project", str(demo), str(tmp_path / "p.zip"))
    assert run.code == 1 and "p.zip" in run.err and ".qdpx" in run.err
    assert cli("export", "poster", str(demo), str(tmp_path / "x.docx")).code == 2
    assert list(tmp_path.iterdir()) == []


def test_written_refi_files_validate(demo: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    codebook, project = tmp_path / "c.qdc", tmp_path / "p.qdpx"
    assert cli("export", "codebook", str(demo), str(codebook)).code == 0
    assert cli("export", "project", str(demo), str(project)).code == 0
    _schema("Codebook.xsd").validate(str(codebook))
    with zipfile.ZipFile(project) as archive:
        _schema("Project.xsd").validate(archive.open("project.qde"))


def test_project_round_trip(demo: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    exported, copy = tmp_path / "p.qdpx", tmp_path / "copy.thematic"
    assert cli("export", "project", str(demo), str(exported)).code == 0
    run = cli("import-project", str(exported), str(copy))
    assert run.code == 0, run.err

    def frame(project: Path) -> tuple[object, object, object]:
        codes = [(c["name"], c["codings"], c["colour"], c["definition"])
                 for c in json.loads(cli("codes", str(project), "--json").out)]
        themes = _without_ids(json.loads(cli("themes", str(project), "--json").out))
        documents = [(d["name"], d["codings"], d["characters"])
                     for d in json.loads(cli("documents", str(project), "--json").out)]
        return codes, themes, documents

    assert frame(copy) == frame(demo)
    assert "intact" in cli("audit", str(copy), "--verify").out
    run = cli("import-project", str(exported), str(copy))
    assert run.code == 1 and "already exists" in run.err


def test_codebook_import_into_a_new_project(demo: Path, tmp_path: Path,
                                            cli: Callable[..., Run]) -> None:
    qdc, empty = tmp_path / "c.qdc", tmp_path / "empty.thematic"
    assert cli("export", "codebook", str(demo), str(qdc)).code == 0
    assert cli("new", str(empty)).code == 0
    run = cli("import-codebook", str(empty), str(qdc))
    assert run.code == 0, run.err
    mine = _without_ids(json.loads(cli("themes", str(empty), "--json").out))
    theirs = _without_ids(json.loads(cli("themes", str(demo), "--json").out))
    assert mine == theirs


@pytest.mark.shared_fixtures
def test_truncated_codebook_changes_nothing(shared_fixtures: Path, tmp_path: Path,
                                            cli: Callable[..., Run]) -> None:
    project = tmp_path / "p.thematic"
    assert cli("new", str(project)).code == 0
    before = _events(cli, project)
    run = cli("import-codebook", str(project), str(shared_fixtures /
                                                  "atlas-codebook-truncated.qdc"))
    assert run.code == 1
    assert "atlas-codebook-truncated.qdc" in run.err and "Traceback" not in run.err
    assert _events(cli, project) == before
    assert json.loads(cli("codes", str(project), "--json").out) == []


def test_bad_qdpx_leaves_no_project(tmp_path: Path, cli: Callable[..., Run]) -> None:
    bad = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        archive.writestr("../evil.txt", "outside")
    target = tmp_path / "new.thematic"
    run = cli("import-project", str(bad), str(target))
    assert run.code == 1 and "evil.qdpx" in run.err
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.qdpx"]


def test_export_project_says_what_is_lost_and_re_cast(demo: Path, tmp_path: Path,
                                                      cli: Callable[..., Run]) -> None:
    run = cli("export", "project", str(demo), str(tmp_path / "p.qdpx"))
    assert run.code == 0, run.err
    told = run.err.splitlines()
    assert any(line.startswith("lost: The audit trail (") for line in told)
    assert "re-cast: Diary entries (2) become notes" in run.err
    assert all(line.split(": ", 1)[0] in ("lost", "re-cast") for line in told), told
    as_json = cli("export", "project", str(demo), str(tmp_path / "j.qdpx"), "--json")
    assert as_json.code == 0 and as_json.err == ""
    report = json.loads(as_json.out)
    assert report["file"] == str(tmp_path / "j.qdpx") and report["kind"] == "project"
    assert report["lost"] == [line.removeprefix("lost: ") for line in told
                              if line.startswith("lost: ")]
    assert report["recast"] and report["off_standard"] == []


def test_import_project_says_what_it_re_cast_and_what_broke_the_schema(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    from tests.io.test_qdpx_position_units import interviews_qdpx

    nvivo = interviews_qdpx(tmp_path / "nvivo.qdpx", "NVivo 12", extra="<Sets/>")
    run = cli("import-project", str(nvivo), str(tmp_path / "a.thematic"))
    assert run.code == 0, run.err
    assert run.out.startswith("nvivo.qdpx: imported 3 transcripts, 11 codings")
    told = run.err.splitlines()
    assert [line for line in told if line.startswith("re-cast: ")] == [
        "re-cast: positions were read as UTF-16 code units, as NVivo writes them (11 of 11 "
        "spans fall on word boundaries read so, 2 read as code points)"]
    assert "not to the standard: the file's <Sets> element is empty, which the REFI-QDA " \
           "schema does not allow; read anyway" in told
    as_json = cli("import-project", str(nvivo), str(tmp_path / "b.thematic"), "--json")
    assert as_json.code == 0 and as_json.err == ""
    report = json.loads(as_json.out)
    assert report["position_unit"] == "UTF-16 code units" and report["codings"] == 11
    assert report["recast"] == [line.removeprefix("re-cast: ") for line in told
                                if line.startswith("re-cast: ")]
    assert len(report["off_standard"]) == 1 and report["project"].endswith("b.thematic")
