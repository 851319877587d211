"""Snapshots: freezing the coding frame and comparing two frames (or one with now)."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import assert_chain_intact, before_after, event_count, last_event
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services import snapshots, themes
from thematic_workbench.core.services.codes import (
    create_code,
    define_code,
    delete_code,
    merge_codes,
    rename_code,
)
from thematic_workbench.core.services.snapshots import (
    MembershipChange,
    Merged,
    Named,
    Renamed,
    StatusChange,
    ThemeMove,
)
from thematic_workbench.core.storage.models import Snapshot
from thematic_workbench.core.trail.keys import fingerprint, load_or_create, public_hex

CODER = "Ann Analyst"


@pytest.fixture
def frame(store) -> dict[str, int]:
    """A small frame: four codes, two emerging themes under one final theme, one loose."""
    with store.transaction(CODER) as tx:
        ids = {name: create_code(tx, name, definition=f"about {name}").new_id("code")
               for name in ("run", "running", "walking", "supervision")}
        ids["Final"] = themes.create_theme(tx, "Final", level="final").new_id("theme")
        ids["Self care"] = themes.create_theme(tx, "Self care", parent_id=ids["Final"]
                                               ).new_id("theme")
        ids["Support"] = themes.create_theme(tx, "Support").new_id("theme")
        for code in ("running", "walking"):
            themes.assign_code(tx, ids[code], ids["Self care"])
        themes.assign_code(tx, ids["supervision"], ids["Support"])
    return ids


def snap(store, name: str) -> int:
    with store.transaction(CODER) as tx:
        return snapshots.create_snapshot(tx, name).new_id("snapshot")


def test_create_snapshot_freezes_the_frame_and_audits_its_hash(store, frame):
    with store.transaction(CODER) as tx:
        snapshot_id = snapshots.create_snapshot(tx, " After  phase 3 ", "  for supervision "
                                                ).new_id("snapshot")
    with store.read() as session:
        row = session.get(Snapshot, snapshot_id)
        event = last_event(session, "snapshot.create")
        listed = snapshots.list_snapshots(session)
    assert (row.name, row.note, row.phase) == ("After phase 3", "for supervision", 1)
    stored = json.loads(row.frame_json)
    assert stored["format"] == 1
    assert [c["name"] for c in stored["codes"]] == ["run", "running", "walking", "supervision"]
    assert stored["codes"][0] == {"id": frame["run"], "name": "run", "definition": "about run",
                                  "colour": stored["codes"][0]["colour"]}
    self_care = next(t for t in stored["themes"] if t["name"] == "Self care")
    assert self_care == {"id": frame["Self care"], "name": "Self care", "level": "emerging",
                         "status": "candidate", "parent_id": frame["Final"], "position": 0,
                         "definition": ""}
    assert stored["memberships"][:2] == [
        {"theme_id": frame["Self care"], "code_id": frame["running"], "position": 0},
        {"theme_id": frame["Self care"], "code_id": frame["walking"], "position": 1}]
    before, after = before_after(event)
    assert before is None
    assert after == {"name": "After phase 3", "note": "for supervision", "phase": 1,
                     "codes": 4, "themes": 3, "memberships": 3,
                     "frame_sha256": hashlib.sha256(row.frame_json.encode()).hexdigest(),
                     "signed_with": fingerprint(public_hex(load_or_create(CODER)))}
    assert [(s.name, s.coder, s.codes, s.themes) for s in listed] == [
        ("After phase 3", CODER, 4, 3)]
    assert_chain_intact(store)


def test_snapshot_names_are_unique_and_needed(store, frame):
    snap(store, "Stage one")
    with store.read() as session:
        events = event_count(session)
    for name, message in [("stage ONE", "already exists"), ("  ", "needs a name")]:
        with pytest.raises(InvariantError, match=message), store.transaction(CODER) as tx:
            snapshots.create_snapshot(tx, name)
    with store.read() as session:
        assert len(session.execute(select(Snapshot)).all()) == 1
        assert event_count(session) == events


def test_an_unchanged_frame_compares_empty(store, frame):
    first, second = snap(store, "A"), snap(store, "B")
    with store.read() as session:
        assert snapshots.compare_snapshots(session, first, second).empty
        assert snapshots.compare_snapshot_to_current(session, first).empty
        with pytest.raises(NotFoundError, match="no snapshot with id 999"):
            snapshots.compare_snapshots(session, first, 999)


def test_compare_reports_every_kind_of_change(store, frame):
    before = snap(store, "Before review")
    with store.transaction(CODER) as tx:
        merge_codes(tx, [frame["run"]], frame["running"])
        rename_code(tx, frame["walking"], "walking the dog")
        define_code(tx, frame["supervision"], "clinical supervision")
        new_code = create_code(tx, "therapy").new_id("code")
        delete_code(tx, frame["supervision"])
        themes.rename_theme(tx, frame["Support"], "Being supported")
        themes.define_theme(tx, frame["Support"], "Others hold the therapist")
        themes.set_theme_parent(tx, frame["Support"], frame["Final"])
        themes.set_theme_parent(tx, frame["Self care"], None)
        themes.discard_theme(tx, frame["Final"])
        new_theme = themes.create_theme(tx, "Escape").new_id("theme")
        themes.assign_code(tx, new_code, new_theme)
        themes.unassign_code(tx, frame["walking"], frame["Self care"])
        themes.assign_code(tx, frame["walking"], new_theme)
    after = snap(store, "After review")
    with store.read() as session:
        diff = snapshots.compare_snapshots(session, before, after)
        now = snapshots.compare_snapshot_to_current(session, before)
        backwards = snapshots.compare_snapshots(session, after, before)
    assert diff == now
    assert diff.codes_added == (Named(new_code, "therapy"),)
    assert diff.codes_removed == (Named(frame["supervision"], "supervision"),)
    assert diff.codes_merged == (Merged(frame["run"], "run", frame["running"], "running"),)
    assert diff.codes_renamed == (Renamed(frame["walking"], "walking", "walking the dog"),)
    assert diff.codes_redefined == ()  # supervision was redefined, then deleted
    assert diff.codes_moved == (
        MembershipChange(frame["walking"], "walking the dog", ("Self care",), ("Escape",)),
        MembershipChange(new_code, "therapy", (), ("Escape",)),
    )
    assert diff.themes_added == (Named(new_theme, "Escape"),)
    assert diff.themes_removed == ()
    assert diff.themes_renamed == (Renamed(frame["Support"], "Support", "Being supported"),)
    assert diff.themes_redefined == (Named(frame["Support"], "Being supported"),)
    assert diff.themes_status == (StatusChange(frame["Final"], "Final", "candidate",
                                               "discarded"),)
    assert set(diff.themes_moved) == {
        ThemeMove(frame["Self care"], "Self care", "Final", None),
        ThemeMove(frame["Support"], "Being supported", None, "Final"),
    }
    assert backwards.codes_removed == (Named(new_code, "therapy"),)
    assert {c.id for c in backwards.codes_added} == {frame["run"], frame["supervision"]}
    assert backwards.themes_removed == (Named(new_theme, "Escape"),)


def test_deleted_themes_and_merges_found_against_the_current_frame(store, frame):
    before = snap(store, "Before")
    with store.transaction(CODER) as tx:
        themes.delete_theme(tx, frame["Support"])
        merge_codes(tx, [frame["walking"]], frame["running"])
    with store.read() as session:
        diff = snapshots.compare_snapshot_to_current(session, before)
    assert diff.themes_removed == (Named(frame["Support"], "Support"),)
    assert diff.codes_merged == (Merged(frame["walking"], "walking", frame["running"],
                                        "running"),)
    assert diff.codes_moved == (
        MembershipChange(frame["supervision"], "supervision", ("Support",), ()),)
