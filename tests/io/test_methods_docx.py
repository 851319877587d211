"""The methods appendix read back from Word: its sections in order, the analysis as it
moved, the sign-offs with their anchors, the diary entries chosen for it, and what is
still to write."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as open_document
from docx.document import Document
from docx.table import Table

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.reports import methods as items
from thematic_workbench.core.reports.methods_appendix import methods_appendix
from thematic_workbench.core.services import coders, design, diary, phases, review, snapshots
from thematic_workbench.core.services import themes as theme_service
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.anchors import list_anchors
from thematic_workbench.io.methods_docx import write_methods_docx

TOP_HEADINGS = ["Design of the study", "Positionality", "Participants and data",
                "The analysis as it moved", "Themes", "Quality practices",
                "Reflexive diary: selected entries", "Still to write"]


def _headings(document: Document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _table_after(document: Document, header: list[str]) -> list[list[str]]:
    (table,) = [t for t in document.tables if _rows(t)[0] == header]
    return _rows(table)[1:]


@pytest.fixture
def study(store: ProjectStore) -> ProjectStore:
    with store.transaction("alice") as tx:
        design.set_design(tx, {"approach": "reflexive", "orientation": "inductive",
                               "research_question": "How do therapists talk about trust?"})
        coders.set_coder_role(tx, "Sue", "supervisor")
        phases.move_to_phase(tx, 2, "read all eleven twice")
    with store.transaction("alice") as tx:
        phases.move_to_phase(tx, 3, "codes settled")
        phases.tick_checklist_item(tx, "transcription", True, "checked against audio")
        kept = diary.add_entry(tx, "My own training shapes what I hear.", "On my stance")
        diary.include_in_appendix(tx, kept.ids(Kind.DIARY_ENTRY).pop(), True)
        diary.add_entry(tx, "Shopping list, not for the thesis.", "Private aside")
        final = theme_service.create_theme(tx, "Holding the frame", "final",
                                           "How therapists keep sessions safe.")
        final_id = final.ids(Kind.THEME).pop()
        theme_service.set_central_concept(tx, final_id, "safety is made, not given")
        theme_service.create_theme(tx, "Rules as care", "emerging", parent_id=final_id)
    with store.transaction("alice") as tx:
        phases.move_to_phase(tx, 2, "back to coding: a theme rested on two vivid quotes")
    with store.transaction("Sue") as tx:
        review.sign_off_phase(tx, 2, "codes hold together")
    with store.transaction("alice") as tx:
        snapshots.create_snapshot(tx, "Before review", "for supervision")
    return store


def _export(store: ProjectStore, target: Path) -> tuple[Document, int]:
    with store.read() as session:
        left = write_methods_docx(methods_appendix(session), target)
    return open_document(str(target)), left


def test_sections_moves_sign_offs_and_chosen_entries(study: ProjectStore,
                                                     tmp_path: Path) -> None:
    document, left = _export(study, tmp_path / "methods.docx")
    assert _headings(document, 1) == TOP_HEADINGS
    moves = _table_after(document, ["Date (UTC)", "From \N{RIGHTWARDS ARROW} to", "Coder",
                                    "Reason"])
    assert [(row[1][:5], row[3]) for row in moves] == [
        ("1 \N{RIGHTWARDS ARROW} 2", "read all eleven twice"),
        ("2 \N{RIGHTWARDS ARROW} 3", "codes settled"),
        ("3 \N{RIGHTWARDS ARROW} 2", "back to coding: a theme rested on two vivid quotes")]
    assert [row[0] for row in moves] == sorted(row[0] for row in moves)
    checklist = _table_after(document, ["Phase", "Criterion", "Done", "Note"])
    assert len(checklist) == 15
    assert ["yes, alice", "checked against audio"] in [row[2:] for row in checklist]
    with study.read() as session:
        (anchor,) = [(a.seq, a.head_hash) for a in list_anchors(session) if a.kind == "sign_off"]
    sign_offs = _table_after(document, ["Date (UTC)", "Phase", "Supervisor", "Note", "Anchor",
                                        "Signed"])
    assert [row[1:] for row in sign_offs] == [
        ["2", "Sue", "codes hold together", f"event {anchor[0]}, {anchor[1][:12]}", "signed"]]
    snaps = _table_after(document, ["Date (UTC)", "Name", "Phase", "Codes", "Themes", "Note"])
    assert [row[1:] for row in snaps] == [["Before review", "2", "0", "2", "for supervision"]]
    texts = [p.text for p in document.paragraphs]
    assert "Entry 1: On my stance" in _headings(document, 2)
    assert "My own training shapes what I hear." in texts
    assert not any("Shopping list" in text or "Private aside" in text for text in texts)
    assert "Central organising concept: safety is made, not given" in texts
    assert "Definition: How therapists keep sessions safe." in texts
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == left
    assert (f"{design.FIELDS['theoretical_assumptions']}: not stated on the design sheet"
            in bullets)
    assert f"{design.FIELDS['positionality']}: not stated on the design sheet" in bullets
    assert f"{design.FIELDS['meaning']}: not stated on the design sheet" in bullets
    assert f"{design.FIELDS['approach']}: not stated on the design sheet" not in bullets
    assert "Central organising concept of: Rules as care" in bullets
    assert items.ITEM_FRAME in texts  # the item each bullet belongs to, above it


def test_theme_words_name_the_theme_headings(study: ProjectStore, tmp_path: Path) -> None:
    before, _ = _export(study, tmp_path / "before.docx")
    assert {"Final themes", "Emerging themes"} <= set(_headings(before, 2))
    with study.transaction("alice") as tx:
        design.set_design(tx, {"theme_words": "initial_developed"})
    after, _ = _export(study, tmp_path / "after.docx")
    second = _headings(after, 2)
    assert {"Developed themes", "Initial themes"} <= set(second)
    assert not {"Final themes", "Emerging themes"} & set(second)
    counts = _table_after(after, ["What", "Number"])
    assert ["Initial themes", "1"] in counts and ["Developed themes", "1"] in counts


def test_an_empty_project_lists_what_is_still_to_write(store: ProjectStore,
                                                       tmp_path: Path) -> None:
    document, left = _export(store, tmp_path / "empty.docx")
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == left
    assert "No diary entry is marked for the appendix" in " ".join(bullets)
    assert "No move between phases is recorded: describe how the analysis moved" in bullets
    assert "No themes on the board yet" in bullets
    assert all(f"{design.FIELDS[name]}: not stated on the design sheet" in bullets
               for name in ("approach", "orientation", "meaning", "theoretical_assumptions",
                            "research_question", "positionality"))
