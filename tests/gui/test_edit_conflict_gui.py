"""A rename made on a name someone else has changed since is refused in the window, which
says so, and the undo stack keeps nothing of it."""

from __future__ import annotations

from thematic_workbench.core.queries.project import code_names
from thematic_workbench.core.services.codes import create_code, rename_code
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.gui.coding.commands import CodeAttributeCommand
from thematic_workbench.gui.session import ProjectSession


def test_a_stale_rename_is_refused_and_said(session: ProjectSession,
                                            store: ProjectStore) -> None:
    code = session.run(create_code, "Trust").new_id("code")
    messages: list[str] = []
    session.error.connect(messages.append)
    with store.transaction("bob") as tx:  # while alice's rename dialog was open
        rename_code(tx, code, "Trust-building")
    pushed = session.push(CodeAttributeCommand(session, code, "name", "Trust in the court",
                                               seen="Trust"))
    assert not pushed
    assert messages and "someone else changed this code" in messages[0]
    assert "'Trust-building'" in messages[0]
    with session.read() as read:
        assert code_names(read, [code]) == {code: "Trust-building"}
    assert session.undo_stack.count() == 0  # the refused rename was dropped


def test_a_rename_undone_after_another_coder_renamed_again_is_refused(
        session: ProjectSession, store: ProjectStore) -> None:
    code = session.run(create_code, "Trust").new_id("code")
    assert session.push(CodeAttributeCommand(session, code, "name", "Trust  building",
                                             seen="Trust"))
    with store.transaction("bob") as tx:
        rename_code(tx, code, "Trust over months")
    messages: list[str] = []
    session.error.connect(messages.append)
    session.undo_stack.undo()
    assert messages and "Could not undo" in messages[0]
    with session.read() as read:
        assert code_names(read, [code]) == {code: "Trust over months"}
