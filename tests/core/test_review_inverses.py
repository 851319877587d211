"""The inverses that undo needs: taking back a comment, a sign-off or a snapshot, and putting
each back as it was; all audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import (
    add_document,
    assert_chain_intact,
    before_after,
    event_count,
    last_event,
)
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services import review, snapshots
from thematic_workbench.core.services.coders import set_coder_role
from thematic_workbench.core.services.codes import create_code, rename_code
from thematic_workbench.core.services.phases import move_to_phase
from thematic_workbench.core.services.themes import create_theme
from thematic_workbench.core.storage.models import AuditEvent, Coding, Comment, SignOff, Snapshot

ANALYST = "Ann Analyst"
SUPERVISOR = "Sam Supervisor"


@pytest.fixture
def targets(store) -> dict[str, int]:
    with store.transaction(ANALYST) as tx:
        set_coder_role(tx, SUPERVISOR, "supervisor")
        return {"code": create_code(tx, "running").new_id("code"),
                "theme": create_theme(tx, "Self care").new_id("theme")}


def _comment(store, coder: str, target: int, body: str, parent: int | None = None) -> int:
    with store.transaction(coder) as tx:
        return review.add_comment(tx, "code", target, body, parent_id=parent).new_id("comment")


def test_delete_and_restore_a_comment_keeps_its_id_and_values(store, targets):
    first = _comment(store, SUPERVISOR, targets["code"], "Too broad?")
    reply = _comment(store, ANALYST, targets["code"], "Split it", parent=first)
    with store.read() as session:
        kept = {c.id: (c.body, c.coder_id, c.created_at, c.parent_id)
                for c in session.execute(select(Comment)).scalars()}
    with store.transaction(ANALYST) as tx:
        change = review.delete_comment(tx, reply)
    assert change.removed == {"comment": [reply]}
    with store.transaction(SUPERVISOR) as tx:
        review.delete_comment(tx, first)
    with store.read() as session:
        assert session.execute(select(Comment)).first() is None
        deleted = {event.entity_id: before_after(event)[0] for event in session.execute(
            select(AuditEvent).where(AuditEvent.action == "comment.delete")).scalars()}
    deleted_first, deleted_reply = deleted[first], deleted[reply]
    assert deleted_first["body"] == "Too broad?" and deleted_reply["body"] == "Split it"
    with store.transaction(SUPERVISOR) as tx:
        assert review.restore_comment(tx, deleted_first).added == {"comment": [first]}
    with store.transaction(ANALYST) as tx:
        assert review.restore_comment(tx, deleted_reply).added == {"comment": [reply]}
    with store.read() as session:
        restored = {c.id: (c.body, c.coder_id, c.created_at, c.parent_id)
                    for c in session.execute(select(Comment)).scalars()}
        event = last_event(session, "comment.restore")
        (thread,) = review.list_comments(session)
    assert restored == kept
    assert (event.coder, event.entity_id, before_after(event)[1]["body"]) == (
        ANALYST, reply, "Split it")
    assert [r.body for r in thread.replies] == ["Split it"]
    assert_chain_intact(store)


def test_restore_takes_a_new_id_when_the_old_one_is_taken(store, targets):
    first = _comment(store, ANALYST, targets["code"], "One")
    with store.transaction(ANALYST) as tx:
        review.delete_comment(tx, first)
    with store.read() as session:
        values = before_after(last_event(session, "comment.delete"))[0]
    taken = _comment(store, ANALYST, targets["code"], "Two")
    with store.transaction(ANALYST) as tx:
        new_id = review.restore_comment(tx, values | {"id": taken}).new_id("comment")
    assert new_id not in (taken, None)
    with store.read() as session:
        assert {c.body for c in session.execute(select(Comment)).scalars()} == {"One", "Two"}


def test_delete_comment_refuses_others_comments_and_threads_with_replies(store, targets):
    first = _comment(store, SUPERVISOR, targets["code"], "Rename?")
    _comment(store, ANALYST, targets["code"], "Yes", parent=first)
    with store.read() as session:
        events = event_count(session)
    with pytest.raises(InvariantError, match="only its author can take it back"), \
            store.transaction(ANALYST) as tx:
        review.delete_comment(tx, first)
    with pytest.raises(InvariantError, match="has replies"), \
            store.transaction(SUPERVISOR) as tx:
        review.delete_comment(tx, first)
    with pytest.raises(NotFoundError, match="no comment with id 999"), \
            store.transaction(SUPERVISOR) as tx:
        review.delete_comment(tx, 999)
    with store.read() as session:
        assert event_count(session) == events
        assert len(session.execute(select(Comment)).all()) == 2


def test_restore_comment_checks_its_target_still_exists(store, targets):
    first = _comment(store, ANALYST, targets["code"], "About running")
    with store.transaction(ANALYST) as tx:
        review.delete_comment(tx, first)
    with store.read() as session:
        values = before_after(last_event(session, "comment.delete"))[0]
    with pytest.raises(NotFoundError, match="no code with id 999"), \
            store.transaction(ANALYST) as tx:
        review.restore_comment(tx, values | {"target_id": 999})
    with pytest.raises(InvariantError, match="open or resolved"), \
            store.transaction(ANALYST) as tx:
        review.restore_comment(tx, values | {"status": "lost"})


def test_withdraw_a_sign_off_is_a_supervisors_audited_act(store, targets):
    with store.transaction(ANALYST) as tx:
        move_to_phase(tx, 2, "Coding starts")
    with store.transaction(SUPERVISOR) as tx:
        first = review.sign_off_phase(tx, 1, "Familiar enough").new_id("sign_off")
        review.sign_off_phase(tx, 1, "Checked again")
        review.sign_off_phase(tx, 2, "Codes fine")
    with store.read() as session:
        latest = review.latest_sign_offs(session)
    assert {phase: (s.coder, s.note) for phase, s in latest.items()} == {
        1: (SUPERVISOR, "Checked again"), 2: (SUPERVISOR, "Codes fine")}
    with pytest.raises(InvariantError, match="only a supervisor can withdraw a sign-off; "
                                             "Ann Analyst is an analyst"), \
            store.transaction(ANALYST) as tx:
        review.withdraw_sign_off(tx, first)
    with store.transaction(SUPERVISOR) as tx:
        assert review.withdraw_sign_off(tx, first).removed == {"sign_off": [first]}
    with store.read() as session:
        assert session.get(SignOff, first) is None
        event = last_event(session, "phase.sign_off_withdraw")
        remaining = [s.note for s in review.list_sign_offs(session)]
    assert (event.coder, event.entity_kind, event.entity_id) == (SUPERVISOR, "sign_off", first)
    assert before_after(event)[0]["note"] == "Familiar enough"
    assert remaining == ["Checked again", "Codes fine"]
    with pytest.raises(NotFoundError, match="no sign-off with id"), \
            store.transaction(SUPERVISOR) as tx:
        review.withdraw_sign_off(tx, first)
    assert_chain_intact(store)


def test_delete_and_restore_a_snapshot_brings_back_the_frame_of_then(store, targets):
    with store.transaction(ANALYST) as tx:
        snapshot_id = snapshots.create_snapshot(tx, "Before review", "for Sam"
                                                ).new_id("snapshot")
    with store.read() as session:
        original = session.get(Snapshot, snapshot_id)
        kept = (original.name, original.note, original.phase, original.coder_id,
                original.created_at, original.frame_json)
    with store.transaction(ANALYST) as tx:
        assert snapshots.delete_snapshot(tx, snapshot_id).removed == {"snapshot": [snapshot_id]}
        rename_code(tx, targets["code"], "jogging")  # the frame moves on meanwhile
    with store.read() as session:
        assert snapshots.list_snapshots(session) == []
        values = before_after(last_event(session, "snapshot.delete"))[0]
    assert json.loads(values["frame_json"])["codes"][0]["name"] == "running"
    with store.transaction(ANALYST) as tx:
        assert snapshots.restore_snapshot(tx, values).added == {"snapshot": [snapshot_id]}
    with store.read() as session:
        row = session.get(Snapshot, snapshot_id)
        assert (row.name, row.note, row.phase, row.coder_id, row.created_at,
                row.frame_json) == kept
        event = last_event(session, "snapshot.restore")
        diff = snapshots.compare_snapshot_to_current(session, snapshot_id)
    assert before_after(event)[1]["name"] == "Before review"
    assert [(r.old_name, r.new_name) for r in diff.codes_renamed] == [("running", "jogging")]
    with pytest.raises(InvariantError, match="a snapshot named 'Before review' already exists"), \
            store.transaction(ANALYST) as tx:
        snapshots.restore_snapshot(tx, values | {"id": None, "name": "before REVIEW"})
    with pytest.raises(NotFoundError, match="no snapshot with id 999"), \
            store.transaction(ANALYST) as tx:
        snapshots.delete_snapshot(tx, 999)
    assert_chain_intact(store)


def test_describe_target_cites_a_coded_extract_by_its_lines(store, targets):
    with store.transaction(ANALYST) as tx:
        document = add_document(tx.session)
        coding = Coding(document_id=document, code_id=targets["code"], coder_id=tx.coder_id,
                        start=75, end=86)  # "I go for a run", on line 2
        tx.session.add(coding)
        tx.session.flush()
    with store.read() as session:
        assert review.describe_target(session, "coding", coding.id) == \
            "'running' in PA interview, line 2"
        assert review.describe_target(session, "theme", targets["theme"]) == "Self care"
        assert review.describe_target(session, "code", 999) is None
        with pytest.raises(InvariantError, match="not 'participant'"):
            review.describe_target(session, "participant", 1)
