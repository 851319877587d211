"""The REFI-QDA writers work from plain records alone: no project file, no database.

Records are built by hand as ``core.refi_export`` would read them; what is written must
validate against the schemas and read back (with our own reader) as the same transcripts,
codes, themes, codings, notes and participants.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.io.test_qdc import validate
from tests.io.test_qdpx import project_schema  # noqa: F401 (a fixture)
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.queries.refi_records import (
    ExportAnnotation,
    ExportAttribute,
    ExportCoding,
    ExportDiaryEntry,
    ExportDocument,
    ExportFacts,
    ExportFrame,
    ExportParticipant,
    ExportUser,
    ProjectExport,
)
from thematic_workbench.core.queries.theme_board import Board, BoardCode, BoardTheme
from thematic_workbench.core.text.quotes import SpeakerLabels
from thematic_workbench.io.refi.qdc import read_qdc, write_qdc
from thematic_workbench.io.refi.qdpx_losses import export_report
from thematic_workbench.io.refi.qdpx_read import read_qdpx
from thematic_workbench.io.refi.qdpx_write import write_qdpx

CREATED = "2024-03-01T09:00:00.000000Z"
TEXT = "INT: How was it?\nANA: I was scared at first.\nINT: And later?\nANA: Calmer."
LABELS = [(at, at + 5) for at in range(len(TEXT)) if TEXT.startswith(("INT: ", "ANA: "), at)]
FEAR = BoardCode(1, "Fear", "#CC3333", "Being afraid", 1)
CALM = BoardCode(2, "Calm", "#3366CC", "", 1)
LOOSE = BoardCode(3, "Waiting", "#999999", "", 0)
FEELINGS = BoardTheme(10, "Feelings change", "emerging", "From fear to calm", 20,
                      (FEAR, CALM))
JOURNEY = BoardTheme(20, "The journey", "final", "", None, (FEAR,))
FRAME = ExportFrame(CREATED, Board((JOURNEY,), {20: (FEELINGS,)}, (LOOSE,)))


def _span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def hand_made_project() -> ProjectExport:
    scared, calmer = _span("ANA: I was scared at first."), _span("Calmer.")
    return ProjectExport(
        frame=FRAME, title="By hand", description="Records only.",
        users=(ExportUser(1, "ana"), ExportUser(2, "ben")),
        documents=(ExportDocument(5, "Interview A", TEXT, CREATED, 1, 7),),
        codings=(ExportCoding(100, 5, 1, 1, *scared, CREATED, memo="Said quietly."),
                 ExportCoding(101, 5, 2, 2, *calmer, CREATED)),
        annotations=(ExportAnnotation(200, 5, 2, *calmer, "Check the tape.", CREATED),),
        diary=(ExportDiaryEntry(300, "First week", "The tone shifts.", 1, CREATED, CREATED,
                                (5,)),),
        attributes=(ExportAttribute(1, "age", "number"),
                    ExportAttribute(2, "consented", "choice", ("true", "false"))),
        participants=(ExportParticipant(7, "PA", "Met at the clinic.",
                                        ((1, "34"), (2, "true"))),),
        speaker_labels={5: SpeakerLabels(LABELS)},
        facts=ExportFacts(active_codes=3, live_themes=2, diary_entries=1))


def test_a_project_is_written_from_records_alone(tmp_path: Path,
                                                  project_schema: Any) -> None:  # noqa: F811
    target = tmp_path / "hand.qdpx"
    summary = write_qdpx(hand_made_project(), target)
    assert str(summary) == "1 transcript, 2 codings, 3 codes, 2 themes, 3 notes"
    with zipfile.ZipFile(target) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    project_schema.validate(qde)
    assert 'name="I was scared at first."' in qde  # the selection's name: no label
    project = read_qdpx(target)
    assert project.name == "By hand" and project.description == "Records only."
    assert [user.name for user in project.users] == ["ana", "ben"]
    [source] = project.sources
    assert (source.name, source.text) == ("Interview A", TEXT)
    codes = {code.key: code.name for code in project.codebook.codes}
    assert sorted(codes.values()) == ["Calm", "Fear", "Waiting"]
    coded = sorted((TEXT[sel.start:sel.end], codes[coding.code_guid])
                   for sel in source.selections for coding in sel.codings)
    assert coded == [("ANA: I was scared at first.", "Fear"), ("Calmer.", "Calm")]
    themes = {theme.name: theme for theme in project.codebook.themes}
    assert themes["The journey"].level == "final"
    assert themes["Feelings change"].level == "emerging"
    assert [codes[key] for key in themes["Feelings change"].code_keys] == ["Fear", "Calm"]
    assert "Said quietly." in qde and "Check the tape." in qde
    assert [note.name for note in project.notes] == ["First week"]
    assert source.note_guids == (project.notes[0].guid,)
    [case] = project.cases
    assert (case.name, case.description) == ("PA", "Met at the clinic.")
    assert case.source_guids == (source.guid,)
    named = {variable.guid: variable.name for variable in project.variables}
    assert {named[guid]: value for guid, value in case.values} == {"age": "34",
                                                                   "consented": "true"}
    types = {variable.name: variable.type for variable in project.variables}
    assert types == {"age": "Integer", "consented": "Boolean"}


def test_the_report_is_told_from_facts_alone() -> None:
    report = export_report(ExportFacts(audit_events=3, merged_codes=1, live_themes=1,
                                       lone_finals=("Alone",),
                                       choice_lists=(("true", "false"), ("a", "b"))))
    lines = report.lines()
    assert "lost: The audit trail (3 events) is not part of the standard; export it " \
           "separately if it belongs in your appendix." in lines
    assert any(line.startswith("lost: The history of 1 merged code") for line in lines)
    assert any(line.endswith("emerging theme (the exchange format cannot tell the two "
                             "apart): Alone.") for line in lines)
    assert "re-cast: The allowed values of 1 choice attribute are not kept: such " \
           "attributes become text variables." in lines


def test_a_codebook_is_written_from_records_alone(tmp_path: Path) -> None:
    target = tmp_path / "hand.qdc"
    write_qdc(FRAME, target)
    validate(target)
    plan = read_qdc(target)
    names = {code.key: code.name for code in plan.codes}
    assert sorted(names.values()) == ["Calm", "Fear", "Waiting"]
    assert [(theme.name, theme.level, [names[key] for key in theme.code_keys])
            for theme in plan.themes] == [("The journey", "final", ["Fear"]),
                                          ("Feelings change", "emerging", ["Fear", "Calm"])]
    assert next(code for code in plan.codes if code.name == "Fear").definition == \
        "Being afraid"


def test_an_empty_frame_writes_no_codebook(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="no codes or themes"):
        write_qdc(ExportFrame(CREATED, Board((), {}, ())), tmp_path / "empty.qdc")
    assert not (tmp_path / "empty.qdc").exists()
