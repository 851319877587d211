"""Undo and redo of the board's, the map's and the diary's commands put back what was
there: a discarded, moved, renamed, split or deleted theme, a link, an entry's links."""

from __future__ import annotations

from sqlalchemy import select

from thematic_workbench.core.queries.theme_board import (
    Board,
    emerging_order,
    read_board,
    theme_details,
)
from thematic_workbench.core.services import diary, themes
from thematic_workbench.core.storage.models import ThemeLink
from thematic_workbench.gui.board.commands import (
    DeleteThemeCommand,
    DiscardThemeCommand,
    SplitThemeCommand,
    ThemeEditCommand,
)
from thematic_workbench.gui.diary.commands import AddEntryCommand, SetEntryLinksCommand
from thematic_workbench.gui.map.commands import DeleteLinkCommand, LinkThemesCommand
from thematic_workbench.gui.session import ProjectSession


def _board(session: ProjectSession) -> Board:
    with session.read() as s:
        return read_board(s)


def _order(session: ProjectSession) -> list[int]:
    with session.read() as s:
        return emerging_order(s)


def _codes(session: ProjectSession, theme_id: int) -> list[str]:
    theme = _board(session).theme(theme_id)
    return [] if theme is None else [code.name for code in theme.codes]


def _links(session: ProjectSession) -> list[tuple[int, int | None, str]]:
    with session.read() as s:
        return [(link.id, link.target_theme_id, link.label)
                for link in s.execute(select(ThemeLink)).scalars()]


def test_a_discarded_theme_comes_back_at_its_place(session: ProjectSession,
                                                   frame: dict[str, int]) -> None:
    order = _order(session)
    assert order == [frame["outlets"], frame["support"]]
    assert session.push(DiscardThemeCommand(session, frame["outlets"]))
    assert _order(session) == [frame["support"]]
    session.undo_stack.undo()
    assert _order(session) == order


def test_moving_and_renaming_a_theme_is_undone_as_one(session: ProjectSession,
                                                      frame: dict[str, int]) -> None:
    assert session.push(ThemeEditCommand(session, frame["outlets"], "Move and rename",
                                         name="Moving", position=1))
    assert _order(session) == [frame["support"], frame["outlets"]]
    session.undo_stack.undo()
    assert _order(session) == [frame["outlets"], frame["support"]]
    with session.read() as s:
        details = theme_details(s, frame["outlets"])
    assert details is not None and details.name == "Physical outlets"


def test_splitting_and_deleting_themes_undo_and_redo(session: ProjectSession,
                                                     frame: dict[str, int]) -> None:
    split = SplitThemeCommand(session, frame["outlets"], "Exercise", [frame["run"]])
    assert session.push(split)
    assert split.create is not None and split.create.theme_id is not None
    new = split.create.theme_id
    assert _codes(session, frame["outlets"]) == ["Clearing my head"]
    assert _codes(session, new) == ["Running"]
    assert _board(session).emerging[frame["final"]][-1].name == "Exercise"  # beside it
    session.undo_stack.undo()
    assert _codes(session, frame["outlets"]) == ["Running", "Clearing my head"]
    assert _board(session).theme(new) is None
    session.undo_stack.redo()
    assert _codes(session, new) == ["Running"]  # the same theme, under its id

    assert session.push(DeleteThemeCommand(session, frame["support"]))
    assert _board(session).theme(frame["support"]) is None
    session.undo_stack.undo()
    assert _codes(session, frame["support"]) == ["Supervision"]
    session.undo_stack.redo()
    assert _board(session).theme(frame["support"]) is None


def test_undoing_a_split_of_the_first_and_last_codes_keeps_their_order(
        session: ProjectSession, frame: dict[str, int]) -> None:
    session.run(themes.assign_code, frame["unused"], frame["outlets"])
    assert _codes(session, frame["outlets"]) == ["Running", "Clearing my head", "Unused"]
    assert session.push(SplitThemeCommand(session, frame["outlets"], "Set aside",
                                          [frame["run"], frame["unused"]]))
    assert _codes(session, frame["outlets"]) == ["Clearing my head"]
    session.undo_stack.undo()
    assert _codes(session, frame["outlets"]) == ["Running", "Clearing my head", "Unused"]


def test_a_link_drawn_or_deleted_comes_back_under_its_id(session: ProjectSession,
                                                         frame: dict[str, int]) -> None:
    assert session.push(LinkThemesCommand(session, frame["outlets"], frame["support"], None,
                                          "eases"))
    drawn = _links(session)
    assert [(target, label) for _id, target, label in drawn] == [(frame["support"], "eases")]
    session.undo_stack.undo()
    assert _links(session) == []
    session.undo_stack.redo()
    assert _links(session) == drawn
    assert session.push(DeleteLinkCommand(session, drawn[0][0]))
    assert _links(session) == []
    session.undo_stack.undo()
    assert _links(session) == drawn


def test_an_entrys_links_set_anew_are_undone(session: ProjectSession,
                                            frame: dict[str, int]) -> None:
    add = AddEntryCommand(session, "Why running?", "Day one", [("code", frame["run"])])
    assert session.push(add) and add.entry_id is not None

    def links() -> list[tuple[str, int]]:
        with session.read() as s:
            return [(link.kind, link.id) for entry in diary.list_entries(s)
                    for link in entry.links]

    assert session.push(SetEntryLinksCommand(session, add.entry_id,
                                             [("theme", frame["outlets"])]))
    assert links() == [("theme", frame["outlets"])]
    session.undo_stack.undo()
    assert links() == [("code", frame["run"])]
