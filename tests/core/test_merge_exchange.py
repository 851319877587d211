"""Codes and themes keep their GUIDs through a REFI-QDA round trip, so a project that went out
to another program and came back as a new project still merges by identity, not by name."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.core.helpers_docs import SAMPLE_TEXT, imported
from thematic_workbench.app.exchange import export, import_project_file
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services import themes as theme_services
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.merge import merge_project
from thematic_workbench.core.storage.models import Code, Theme
from thematic_workbench.core.storage.store import ProjectStore


def _guids(path: Path) -> dict[str, str]:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        rows = [*session.execute(select(Code.name, Code.guid).where(Code.status == "active")),
                *session.execute(select(Theme.name, Theme.guid))]
        return {name: guid for name, guid in rows}


def test_a_project_back_from_refi_qda_merges_by_identity(tmp_path: Path) -> None:
    ours = tmp_path / "study.thematic"
    with ProjectStore.create(ours, "Study", coder="Ana") as store, \
            store.transaction("Ana") as tx:
        document = import_document(tx, imported(SAMPLE_TEXT)).new_id(Kind.DOCUMENT)
        code = codes.create_code(tx, "Self-care").new_id(Kind.CODE)
        codings.apply_coding(tx, document, code, 0, 11)
        theme = theme_services.create_theme(tx, "Looking after oneself").new_id(Kind.THEME)
        theme_services.assign_code(tx, code, theme)
    with ProjectStore.open(ours) as store:
        export(store, "project", tmp_path / "study.qdpx")
    back = tmp_path / "back.thematic"
    import_project_file(tmp_path / "study.qdpx", back, "Ben")
    assert _guids(back) == _guids(ours)

    with ProjectStore.open(back) as store, store.transaction("Ben") as tx:
        codes.rename_code(tx, codes.find_code(tx, "Self-care").id, "Looking after myself")
    report = merge_project(ours, back, "Ana")
    assert report.matched["codes"] == 1 and "codes" not in report.added
    assert any("'Self-care' is called 'Looking after myself' there" in line
               for line in report.conflicts)

    again = tmp_path / "again.thematic"  # a second import of the same file
    import_project_file(tmp_path / "study.qdpx", again, "Ben")
    with ProjectStore.open(again) as store, store.transaction("Ben") as tx:
        codes.create_code(tx, "Fresh", guid=_guids(ours)["Self-care"])  # a GUID held: not kept
        assert codes.find_code(tx, "Fresh").guid != _guids(ours)["Self-care"]
