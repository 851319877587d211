"""The design sheet, central organising concepts and diary entries chosen for the appendix:
what the services store and audit, and migration 0010 on a file and on the test server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.test_migration_0002 import _alembic, _schema
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import design, diary, themes
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.models import AuditEvent, StudyDesign, Theme
from thematic_workbench.core.storage.store import ProjectStore


def test_a_new_project_states_nothing_yet(tmp_path: Path) -> None:
    with ProjectStore.create(tmp_path / "s.thematic", "S", coder="ann") as store, \
            store.read() as session:
        sheet = design.design_sheet(session)
        assert session.get(StudyDesign, 1) is None
    assert sheet.unstated() == ["approach", "orientation", "meaning",
                                "theoretical_assumptions", "research_question",
                                "positionality"]
    assert (sheet.words.lower, sheet.words.upper) == ("emerging", "final")


def test_setting_fields_is_one_audited_change(tmp_path: Path) -> None:
    with ProjectStore.create(tmp_path / "s.thematic", "S", coder="ann") as store:
        with store.transaction("ann") as tx:
            change = design.set_design(tx, {"approach": "Reflexive", "meaning": "latent",
                                            "positionality": "  I worked in a prison.  ",
                                            "theme_words": "initial-developed"})
        assert change.changed[Kind.PROJECT] == [1]
        with store.transaction("ann") as tx:
            assert design.set_design(tx, {"meaning": "latent"}).empty
        with store.read() as session:
            sheet = design.design_sheet(session)
            events = session.execute(select(AuditEvent.action, AuditEvent.after_json)
                                     .where(AuditEvent.action == "design.set")).all()
            words = design.project_theme_words(session)
    assert (sheet.approach, sheet.meaning, sheet.positionality) == (
        "reflexive", "latent", "I worked in a prison.")
    assert sheet.shown("approach") == "Reflexive thematic analysis"
    assert (words.lower, words.upper) == ("initial", "developed")
    assert words.themes("final", capital=True) == "Developed themes"
    assert len(events) == 1 and "prison" in events[0].after_json


@pytest.mark.parametrize(("name", "value", "message"), [
    ("orientation", "sideways", "orientation is one of inductive, deductive, both"),
    ("theme_words", "", "theme_words is one of"),
    ("colour", "red", "the design sheet has no field 'colour'"),
])
def test_a_wrong_value_is_refused_by_name(tmp_path: Path, name: str, value: str,
                                           message: str) -> None:
    with ProjectStore.create(tmp_path / "s.thematic", "S", coder="ann") as store:
        with pytest.raises(InvariantError, match=message), store.transaction("ann") as tx:
            design.set_design(tx, {"approach": "codebook", name: value})
        with store.read() as session:
            assert session.get(StudyDesign, 1) is None  # nothing half-written


def test_central_concept_and_appendix_choice(tmp_path: Path) -> None:
    with ProjectStore.create(tmp_path / "s.thematic", "S", coder="ann") as store:
        with store.transaction("ann") as tx:
            theme_id = themes.create_theme(tx, "Walking a tightrope", "final").added[
                Kind.THEME][0]
            themes.set_central_concept(tx, theme_id, " Care and control pull apart ")
            entry_id = diary.add_entry(tx, "My frustration with PD's refusals").added[
                Kind.DIARY_ENTRY][0]
            change = diary.include_in_appendix(tx, entry_id, True)
        assert change.values_before(Kind.DIARY_ENTRY, entry_id) == {"in_appendix": False}
        with store.read() as session:
            concept = session.execute(select(Theme.central_concept)).scalar_one()
            entries = diary.list_entries(session)
    assert concept == "Care and control pull apart"
    assert [entry.in_appendix for entry in entries] == [True]


def test_migration_0010_adds_and_removes_the_design(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    with ProjectStore.create(path, "Design", coder="ann") as store, \
            store.transaction("ann") as tx:
        themes.create_theme(tx, "A", "emerging")
        design.set_design(tx, {"research_question": "Why?"})
    _alembic(path, "0009_merge_record_words", downgrade=True)
    version, _revision, names = _schema(path)
    assert version == 9 and "study_design" not in names
    conn = sqlite3.connect(path)
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(theme)")}
    finally:
        conn.close()
    assert "central_concept" not in columns
    with ProjectStore.open(path) as store, store.read() as session:  # upgraded again
        assert design.design_sheet(session).research_question == ""
        assert session.execute(select(Theme.central_concept)).scalar_one() == ""
    assert _schema(path)[0] == migrate.SCHEMA_VERSION == 10


def test_the_design_sheet_on_the_team_server(server_url: str) -> None:
    with ProjectStore.create(server_url, "Team design", coder="ann") as store:
        with store.transaction("ann") as tx:
            design.set_design(tx, {"approach": "reflexive", "positionality": "Outsider."})
        with store.read() as session:
            sheet = design.design_sheet(session)
    assert (sheet.approach, sheet.positionality) == ("reflexive", "Outsider.")


def test_setting_what_is_already_so_writes_nothing(tmp_path: Path) -> None:
    with ProjectStore.create(tmp_path / "s.thematic", "S", coder="ann") as store:
        with store.transaction("ann") as tx:
            assert design.set_design(tx, {"research_question": "",
                                          "theme_words": "emerging_final"}).empty
        with store.read() as session:
            assert session.get(StudyDesign, 1) is None
            assert design.design_sheet(session).updated_at == ""
