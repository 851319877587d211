"""A .qdpx that breaks the schema in ways other tools' files do is read, and says so."""

from __future__ import annotations

from pathlib import Path

from tests.io.test_qdpx import CRLF_TEXT, crlf_source, make_qdpx, project_qde
from thematic_workbench.io.refi.common import PROJECT_NS
from thematic_workbench.io.refi.qdpx_read import read_qdpx


def _qdpx(path: Path, qde: str) -> Path:
    return make_qdpx(path, qde, {"sources/a.txt": CRLF_TEXT.encode("utf-8")})


def test_a_standard_project_has_nothing_off_the_standard(tmp_path: Path) -> None:
    project = read_qdpx(_qdpx(tmp_path / "ok.qdpx", project_qde(crlf_source())))
    assert project.off_standard == ()


def test_an_empty_sets_element_is_read_and_named(tmp_path: Path) -> None:
    project = read_qdpx(_qdpx(tmp_path / "sets.qdpx",
                              project_qde(crlf_source(), extra="<Sets/>")))
    assert project.off_standard == (
        "the file's <Sets> element is empty, which the REFI-QDA schema does not allow; "
        "read anyway",)
    assert [code.name for code in project.codebook.codes] == ["Hard going", "Getting better"]


def test_the_old_namespace_spelling_is_read_and_named(tmp_path: Path) -> None:
    old = project_qde(crlf_source(), ns="urn:QDA-XML:project:0:4")
    project = read_qdpx(_qdpx(tmp_path / "old.qdpx", old))
    assert len(project.off_standard) == 1
    assert "urn:QDA-XML:project:0:4" in project.off_standard[0]
    assert project.off_standard[0].endswith("read anyway")
    assert PROJECT_NS in project.off_standard[0]


def test_only_choices_other_than_true_and_false_are_told_as_text(tmp_path: Path) -> None:
    from thematic_workbench.core.queries.refi_export import export_facts
    from thematic_workbench.core.services import participants
    from thematic_workbench.core.storage.store import ProjectStore
    from thematic_workbench.io.refi.qdpx_losses import export_report

    with ProjectStore.create(tmp_path / "p.thematic", "Choices", coder="Ana") as store:
        with store.transaction("Ana") as tx:
            participants.define_attribute(tx, "consented", "choice", ["true", "false"])
            participants.define_attribute(tx, "site", "choice", ["hospital", "community"])
        with store.read() as session:
            told = export_report(export_facts(session)).recast
    assert [line for line in told if "choice attribute" in line] == [
        "The allowed values of 1 choice attribute are not kept: such attributes become text "
        "variables."]
