"""Phases: moving in either direction with a note, the checklist, and coders' roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import assert_chain_intact, before_after, event_count, last_event
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.phases import CHECKLIST
from thematic_workbench.core.services import coders, phases
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.storage.models import ChecklistItem, Coder, PhaseTransition

CODER = "Ann Analyst"


def test_move_to_phase_records_the_transition_and_stamps_later_events(store):
    with store.transaction(CODER) as tx:
        change = phases.move_to_phase(tx, 2, "  Read all eleven transcripts twice ")
        assert tx.phase == 2
        create_code(tx, "running")
    assert change.changed == {"project": [1]}
    with store.read() as session:
        assert phases.current_phase(session) == 2
        transition = session.execute(select(PhaseTransition)).scalar_one()
        assert (transition.from_phase, transition.to_phase, transition.note) == (
            1, 2, "Read all eleven transcripts twice")
        assert change.added == {"phase_transition": [transition.id]}
        move = last_event(session, "phase.move")
        assert (move.phase, move.entity_kind, move.coder) == (1, "project", CODER)
        assert before_after(move) == ({"phase": 1}, {
            "phase": 2, "note": "Read all eleven transcripts twice",
            "transition_id": transition.id})
        assert last_event(session, "code.create").phase == 2
    assert_chain_intact(store)


def test_moving_back_is_allowed_and_history_lists_every_move(store):
    with store.transaction(CODER) as tx:
        phases.move_to_phase(tx, 4, "Themes drafted")
    with store.transaction("Sam Supervisor") as tx:
        phases.move_to_phase(tx, 2, "Recode PC: extracts did not fit")
    with store.read() as session:
        history = phases.phase_history(session)
        assert phases.current_phase(session) == 2
    assert [(m.from_phase, m.to_phase, m.coder) for m in history] == [
        (1, 4, CODER), (4, 2, "Sam Supervisor")]
    assert history[1].note == "Recode PC: extracts did not fit"


@pytest.mark.parametrize(("number", "note", "message"), [
    (2, "   ", "a note is required"),
    (7, "why", "there are six phases"),
    (0, "why", "there are six phases"),
    (1, "why", "already in phase 1"),
])
def test_move_to_phase_refuses_with_a_reason(store, number, note, message):
    with store.transaction(CODER):
        pass
    with store.read() as session:
        events = event_count(session)
    with pytest.raises(InvariantError, match=message), store.transaction(CODER) as tx:
        phases.move_to_phase(tx, number, note)
    with store.read() as session:
        assert phases.current_phase(session) == 1
        assert session.execute(select(PhaseTransition)).first() is None
        assert event_count(session) == events


def test_a_failure_after_a_move_rolls_the_move_back(store):
    with store.read() as session:
        events = event_count(session)
    with pytest.raises(InvariantError), store.transaction(CODER) as tx:
        phases.move_to_phase(tx, 3, "Ready to search for themes")
        create_code(tx, "")
    with store.read() as session:
        assert phases.current_phase(session) == 1
        assert session.execute(select(PhaseTransition)).first() is None
        assert event_count(session) == events
        assert session.execute(select(Coder).where(Coder.name == CODER)).first() is None
    assert_chain_intact(store)


def test_checklist_lists_the_fifteen_points_by_phase(store):
    with store.read() as session:
        points = phases.checklist(session)
        phase_six = phases.checklist(session, phase=6)
    assert len(points) == len(CHECKLIST) == 15
    assert [p.phase for p in points] == sorted(p.phase for p in points)
    assert {p.key for p in points} == {key for key, _, _ in CHECKLIST}
    assert all(p.phase == 6 for p in phase_six) and len(phase_six) == 8
    assert not any(p.done for p in points)


def test_ticking_records_who_and_when_and_unticking_clears_it(store):
    with store.transaction(CODER) as tx:
        change = phases.tick_checklist_item(tx, "transcription", True, " Checked against audio ")
    with store.read() as session:
        item = session.execute(
            select(ChecklistItem).where(ChecklistItem.key == "transcription")).scalar_one()
        coder_id = session.execute(select(Coder.id).where(Coder.name == CODER)).scalar_one()
        assert change.changed == {"checklist_item": [item.id]}
        assert (item.done, item.note, item.done_by) == (True, "Checked against audio", coder_id)
        assert item.done_at
        point = phases.checklist(session, phase=1)[0]
        assert (point.done, point.done_by) == (True, CODER)
        before, after = before_after(last_event(session, "checklist.tick"))
    assert before == {"done": False, "note": "", "done_by": None, "done_at": None}
    assert after == {"done": True, "note": "Checked against audio", "done_by": coder_id,
                     "done_at": item.done_at}
    with store.transaction(CODER) as tx:
        assert phases.tick_checklist_item(tx, "transcription", True).empty  # note kept
        phases.tick_checklist_item(tx, "transcription", False)
    with store.read() as session:
        item = session.get(ChecklistItem, item.id)
        assert (item.done, item.done_by, item.done_at, item.note) == (
            False, None, None, "Checked against audio")
        _, after = before_after(last_event(session, "checklist.untick"))
    assert after["done"] is False
    with pytest.raises(NotFoundError, match="no checklist point 'nonsense'"), \
            store.transaction(CODER) as tx:
        phases.tick_checklist_item(tx, "nonsense", True)
    assert_chain_intact(store)


def test_set_coder_role_creates_or_changes_and_lists_coders(store):
    with store.transaction(CODER) as tx:
        added = coders.set_coder_role(tx, " Sam   Supervisor ", "supervisor")
        changed = coders.set_coder_role(tx, CODER, "second_coder")
        assert tx.coder_role == "second_coder"
        assert coders.set_coder_role(tx, CODER, "second_coder").empty
    with store.read() as session:
        listed = coders.list_coders(session)
        created = last_event(session, "coder.create")
        role = last_event(session, "coder.role")
    by_name = {c.name: c for c in listed}
    assert [c.name for c in listed] == sorted(by_name)
    assert by_name[CODER].role == "second_coder"
    assert by_name["Sam Supervisor"].role == "supervisor"
    assert added.added == {"coder": [by_name["Sam Supervisor"].id]}
    assert changed.changed == {"coder": [by_name[CODER].id]}
    assert before_after(created) == (None, {"name": "Sam Supervisor", "role": "supervisor"})
    assert before_after(role) == ({"name": CODER, "role": "analyst"},
                                  {"name": CODER, "role": "second_coder"})
    with pytest.raises(InvariantError, match="not 'boss'"), store.transaction(CODER) as tx:
        coders.set_coder_role(tx, "Sam Supervisor", "boss")
    with pytest.raises(InvariantError, match="a coder needs a name"), \
            store.transaction(CODER) as tx:
        coders.set_coder_role(tx, "  ", "analyst")
    assert_chain_intact(store)
