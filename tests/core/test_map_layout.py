"""Positions on the map of themes and labelled links: saved, audited, undone."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import codes, themes
from thematic_workbench.core.services.common import row_values
from thematic_workbench.core.services.map_layout import (
    node_positions,
    place_nodes,
    positions_of,
    relabel_link,
    restore_link,
)
from thematic_workbench.core.storage.audit import verify_chain
from thematic_workbench.core.storage.models import AuditEvent, ThemeLink
from thematic_workbench.core.storage.store import ProjectStore


def _two_themes(store: ProjectStore) -> tuple[int, int, int]:
    with store.transaction("ana") as tx:
        first = themes.create_theme(tx, "Holding the line").new_id("theme")
        second = themes.create_theme(tx, "Trust", level="final").new_id("theme")
        code = codes.create_code(tx, "Testing boundaries").new_id("code")
    return first, second, code


def test_positions_are_saved_audited_and_undone(store: ProjectStore) -> None:
    first, second, code = _two_themes(store)
    with store.transaction("ana") as tx:
        change = place_nodes(tx, {("theme", first): (10.123, -4.0), ("code", code): (3, 4)})
    assert change.changed == {"map_theme": [first], "map_code": [code]}
    with store.transaction("ana") as tx:
        place_nodes(tx, {("theme", first): (50, 60), ("theme", second): (0, 0)}, "layout")
    with store.read() as session:
        assert node_positions(session) == {("theme", first): (50.0, 60.0),
                                           ("code", code): (3.0, 4.0),
                                           ("theme", second): (0.0, 0.0)}
        event = session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalar()
    assert event.action == "map.layout"
    before = json.loads(event.before_json)["positions"]
    assert sorted(before) == [["theme", first, 10.12, -4.0], ["theme", second, None, None]]
    with store.transaction("ana") as tx:  # undo: the positions before the layout
        place_nodes(tx, positions_of(before), "move")
    with store.read() as session:
        assert node_positions(session) == {("theme", first): (10.12, -4.0),
                                           ("code", code): (3.0, 4.0)}
        assert verify_chain(session).intact


def test_nothing_moved_is_no_event_and_unknown_nodes_are_refused(store: ProjectStore) -> None:
    first, _second, _code = _two_themes(store)
    with store.transaction("ana") as tx:
        place_nodes(tx, {("theme", first): (1, 2)})
    with store.read() as session:
        count = len(session.execute(select(AuditEvent.seq)).all())
    with store.transaction("ana") as tx:
        assert place_nodes(tx, {("theme", first): (1, 2)}).empty
    with pytest.raises(InvariantError, match="no theme with id 999"), \
            store.transaction("ana") as tx:
        place_nodes(tx, {("theme", first): (5, 5), ("theme", 999): (1, 1)})
    with pytest.raises(InvariantError, match="theme or a code"), store.transaction("ana") as tx:
        place_nodes(tx, {("diary", 1): (1, 1)})
    with store.read() as session:
        assert len(session.execute(select(AuditEvent.seq)).all()) == count
        assert node_positions(session) == {("theme", first): (1.0, 2.0)}


def test_links_are_relabelled_and_restored_under_their_id(store: ProjectStore) -> None:
    first, second, _code = _two_themes(store)
    with store.transaction("ana") as tx:
        link_id = themes.link_themes(tx, first, second, label="flows into").new_id(
            "theme_link")
        relabel_link(tx, link_id, "  tension   with ")
    with store.transaction("ana") as tx:
        values = row_values(tx.session.get(ThemeLink, link_id))
        themes.delete_link(tx, link_id)
    assert values["label"] == "tension with"
    with store.transaction("ana") as tx:
        restore_link(tx, values)
    with store.read() as session:
        link = session.get(ThemeLink, link_id)
        assert (link.source_theme_id, link.target_theme_id, link.label) == \
            (first, second, "tension with")


def test_deleting_a_code_keeps_its_links_and_place_for_undo(store: ProjectStore) -> None:
    first, _second, code = _two_themes(store)
    with store.transaction("ana") as tx:
        themes.link_themes(tx, first, target_code_id=code, label="part of")
        place_nodes(tx, {("code", code): (120, 80)})
    with store.transaction("ana") as tx:
        codes.delete_code(tx, code)
    with store.read() as session:
        event = session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalar()
        assert session.execute(select(ThemeLink)).first() is None
        assert ("code", code) not in node_positions(session)
    before = json.loads(event.before_json)
    assert before["links"] == [[first, "part of"]] and before["map_position"] == [120.0, 80.0]
    with store.transaction("ana") as tx:
        new_id = codes.restore_code(tx, before).new_id("code")
    with store.read() as session:
        link = session.execute(select(ThemeLink)).scalar_one()
        assert (link.source_theme_id, link.target_code_id, link.label) == \
            (first, new_id, "part of")
        assert node_positions(session)[("code", new_id)] == (120.0, 80.0)


def test_a_new_theme_never_inherits_a_deleted_ones_place(store: ProjectStore) -> None:
    with store.transaction("ana") as tx:
        old = themes.create_theme(tx, "Gone soon").new_id("theme")
        place_nodes(tx, {("theme", old): (500, 500)})
    with store.transaction("ana") as tx:
        themes.delete_theme(tx, old)
        new = themes.create_theme(tx, "Fresh").new_id("theme")
    with store.read() as session:
        assert ("theme", new) not in node_positions(session)
