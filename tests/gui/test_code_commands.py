"""The undo commands of codings and codes, undone and redone more than once: each undo puts
back what the user had, and an edit that changed nothing undoes to nothing, silently."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from thematic_workbench.core.storage.models import Code, Coding
from thematic_workbench.gui.coding.commands import (
    CodeAttributeCommand,
    DeleteCodeCommand,
    RecodeCodingCommand,
    RemoveCodingCommand,
    SetMemoCommand,
)
from thematic_workbench.gui.session import ProjectSession


@pytest.fixture
def errors(session: ProjectSession) -> list[str]:
    said: list[str] = []
    session.error.connect(said.append)
    return said


def _codings(session: ProjectSession) -> list[tuple[str, int, int, int, int, str]]:
    """(code name, document, coder, start, end, memo) of every coding."""
    with session.read() as s:
        return sorted(tuple(row) for row in s.execute(
            select(Code.name, Coding.document_id, Coding.coder_id, Coding.start, Coding.end,
                   Coding.memo).join(Code)))


def _names(session: ProjectSession) -> list[str]:
    return [row[0] for row in _codings(session)]


def _undo_redo_undo(session: ProjectSession, was: list[tuple[str, int, int, int, int, str]],
                    gone: str) -> None:
    """Undo gives back what ``was``; redo takes the codings of ``gone`` away again (from
    what the undo made); the second undo gives them back again."""
    session.undo_stack.undo()
    assert _codings(session) == was
    session.undo_stack.redo()
    assert gone not in _names(session)
    session.undo_stack.undo()
    assert _codings(session) == was


def _coding_of(session: ProjectSession, code_id: int) -> int:
    with session.read() as s:
        return s.execute(select(Coding.id).where(Coding.code_id == code_id)).scalar_one()


def _code(session: ProjectSession, code_id: int) -> tuple[str, str, str]:
    with session.read() as s:
        code = s.get(Code, code_id)
        assert code is not None
        return code.name, code.definition, code.colour


def test_remove_a_coding_undo_redo_undo(session: ProjectSession, frame: dict[str, int],
                                        errors: list[str]) -> None:
    was = _codings(session)
    session.push(RemoveCodingCommand(session, _coding_of(session, frame["sup"])))
    assert _names(session) == ["Clearing my head", "Running", "Running"]
    _undo_redo_undo(session, was, "Supervision")
    assert errors == []


def test_memo_edit_undoes_and_an_unchanged_memo_undoes_to_nothing(
        session: ProjectSession, frame: dict[str, int], errors: list[str]) -> None:
    coding_id = _coding_of(session, frame["sup"])
    session.push(SetMemoCommand(session, coding_id, "supervision helps"))
    session.push(SetMemoCommand(session, coding_id, " supervision helps "))  # the same memo
    session.undo_stack.undo()
    assert [row[5] for row in _codings(session) if row[0] == "Supervision"] == [
        "supervision helps"]
    session.undo_stack.undo()
    assert [row[5] for row in _codings(session) if row[0] == "Supervision"] == [""]
    assert errors == []


def test_recode_undo_redo_undo(session: ProjectSession, frame: dict[str, int],
                               errors: list[str]) -> None:
    was = _codings(session)
    coding_id = _coding_of(session, frame["sup"])
    session.push(RecodeCodingCommand(session, coding_id, code_id=frame["unused"]))
    assert "Unused" in _names(session) and "Supervision" not in _names(session)
    _undo_redo_undo(session, was, "Supervision")
    assert errors == []


def test_a_recolour_to_the_same_colour_undoes_to_nothing(
        session: ProjectSession, frame: dict[str, int], errors: list[str]) -> None:
    was = _code(session, frame["run"])
    session.push(CodeAttributeCommand(session, frame["run"], "colour", was[2].lower()))
    session.push(CodeAttributeCommand(session, frame["run"], "definition", "Runs"))
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert _code(session, frame["run"]) == was and errors == []


def test_delete_a_code_undo_redo_undo(session: ProjectSession, frame: dict[str, int],
                                      errors: list[str]) -> None:
    was = _codings(session)
    command = DeleteCodeCommand(session, frame["run"])
    session.push(command)
    assert "Running" not in _names(session)
    _undo_redo_undo(session, was, "Running")
    assert errors == []
    assert _code(session, command.code_id)[:2] == ("Running", "About running")
