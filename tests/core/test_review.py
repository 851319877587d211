"""Review: comment threads on codes, themes, codings and documents; supervisors' sign-offs."""

from __future__ import annotations

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
from thematic_workbench.core.services import review
from thematic_workbench.core.services.coders import set_coder_role
from thematic_workbench.core.services.codes import create_code, delete_code
from thematic_workbench.core.services.phases import move_to_phase
from thematic_workbench.core.services.themes import create_theme
from thematic_workbench.core.storage.models import Coder, Coding, Comment, SignOff

ANALYST = "Ann Analyst"
SUPERVISOR = "Sam Supervisor"


@pytest.fixture
def targets(store) -> dict[str, int]:
    with store.transaction(ANALYST) as tx:
        code = create_code(tx, "running").new_id("code")
        document = add_document(tx.session)
        coding = Coding(document_id=document, code_id=code, coder_id=tx.coder_id,
                        start=75, end=86)
        tx.session.add(coding)
        tx.session.flush()
        set_coder_role(tx, SUPERVISOR, "supervisor")
        return {"code": code, "theme": create_theme(tx, "Self care").new_id("theme"),
                "document": document, "coding": coding.id}


def test_add_comment_on_each_kind_of_target_is_audited(store, targets):
    ids = {}
    with store.transaction(SUPERVISOR) as tx:
        for kind, target_id in targets.items():
            ids[kind] = review.add_comment(tx, kind, target_id, f"  About this {kind} "
                                           ).new_id("comment")
    with store.read() as session:
        comment = session.get(Comment, ids["theme"])
        supervisor = session.execute(select(Coder.id).where(Coder.name == SUPERVISOR)
                                     ).scalar_one()
        assert (comment.target_kind, comment.target_id, comment.body, comment.status,
                comment.coder_id) == ("theme", targets["theme"], "About this theme", "open",
                                      supervisor)
        event = last_event(session, "comment.add")
        threads = review.list_comments(session)
    before, after = before_after(event)
    assert (event.entity_id, event.coder, before) == (ids["coding"], SUPERVISOR, None)
    assert after["body"] == "About this coding" and after["target_kind"] == "coding"
    labels = {t.target_kind: t.target_label for t in threads}
    assert labels == {"code": "running", "theme": "Self care", "document": "PA interview",
                      "coding": "'running' in PA interview (75-86)"}
    assert_chain_intact(store)


@pytest.mark.parametrize(("kind", "target", "error", "message"), [
    ("participant", 1, InvariantError, "not 'participant'"),
    ("code", 999, NotFoundError, "no code with id 999"),
    ("coding", 999, NotFoundError, "no coded extract with id 999"),
])
def test_add_comment_refuses_missing_targets(store, targets, kind, target, error, message):
    with store.read() as session:
        events = event_count(session)
    with pytest.raises(error, match=message), store.transaction(SUPERVISOR) as tx:
        review.add_comment(tx, kind, target, "hello")
    with store.read() as session:
        assert session.execute(select(Comment)).first() is None
        assert event_count(session) == events


def test_replies_belong_to_the_same_target_and_form_a_thread(store, targets):
    with store.transaction(SUPERVISOR) as tx:
        first = review.add_comment(tx, "code", targets["code"], "Too broad?").new_id("comment")
    with store.transaction(ANALYST) as tx:
        reply = review.add_comment(tx, "code", targets["code"], "Split it", parent_id=first
                                   ).new_id("comment")
    with store.transaction(SUPERVISOR) as tx:
        review.add_comment(tx, "code", targets["code"], "Agreed", parent_id=reply)
    with pytest.raises(InvariantError, match="a reply must be about the same thing"), \
            store.transaction(ANALYST) as tx:
        review.add_comment(tx, "theme", targets["theme"], "Wrong place", parent_id=first)
    with pytest.raises(InvariantError, match="needs some text"), \
            store.transaction(ANALYST) as tx:
        review.add_comment(tx, "code", targets["code"], " ", parent_id=first)
    with store.read() as session:
        threads = review.list_comments(session, target_kind="code", target_id=targets["code"])
    assert len(threads) == 1
    assert [(c.coder, c.body) for c in threads[0].replies] == [
        (ANALYST, "Split it"), (SUPERVISOR, "Agreed")]


def test_resolve_and_reopen_a_thread(store, targets):
    with store.transaction(SUPERVISOR) as tx:
        first = review.add_comment(tx, "code", targets["code"], "Rename?").new_id("comment")
        second = review.add_comment(tx, "theme", targets["theme"], "Thin").new_id("comment")
        reply = review.add_comment(tx, "code", targets["code"], "Yes", parent_id=first
                                   ).new_id("comment")
    with store.transaction(ANALYST) as tx:
        review.resolve_comment(tx, first)
        assert review.resolve_comment(tx, first).empty
    with store.read() as session:
        comment = session.get(Comment, first)
        assert (comment.status, comment.resolved_at is not None) == ("resolved", True)
        before, after = before_after(last_event(session, "comment.resolve"))
        threads = review.list_comments(session)
        oldest_first = review.list_comments(session, open_first=False)
    assert before == {"status": "open", "resolved_by": None, "resolved_at": None}
    assert after["status"] == "resolved" and after["resolved_by"] == comment.resolved_by
    assert [t.id for t in threads] == [second, first]
    assert [t.id for t in oldest_first] == [first, second]
    assert threads[1].resolved_by == ANALYST
    with pytest.raises(InvariantError, match="is a reply"), store.transaction(ANALYST) as tx:
        review.resolve_comment(tx, reply)
    with store.transaction(SUPERVISOR) as tx:
        review.reopen_comment(tx, first)
    with store.read() as session:
        comment = session.get(Comment, first)
        assert (comment.status, comment.resolved_by, comment.resolved_at) == ("open", None, None)
        assert before_after(last_event(session, "comment.reopen"))[1]["status"] == "open"
    with pytest.raises(NotFoundError, match="no comment with id 999"), \
            store.transaction(ANALYST) as tx:
        review.resolve_comment(tx, 999)
    assert_chain_intact(store)


def test_comments_outlive_their_target(store, targets):
    with store.transaction(SUPERVISOR) as tx:
        review.add_comment(tx, "code", targets["code"], "Drop this code?")
    with store.transaction(ANALYST) as tx:
        delete_code(tx, targets["code"])
    with store.read() as session:
        (thread,) = review.list_comments(session)
    assert (thread.target_kind, thread.target_label) == ("code", None)


def test_only_a_supervisor_signs_off_a_reached_phase(store, targets):
    with pytest.raises(InvariantError,
                       match="only a supervisor can sign off a phase; Ann Analyst is an analyst"), \
            store.transaction(ANALYST) as tx:
        review.sign_off_phase(tx, 1)
    with store.transaction(ANALYST) as tx:
        set_coder_role(tx, "Sue Second", "second_coder")
        move_to_phase(tx, 3, "Searching for themes")
    with pytest.raises(InvariantError, match="Sue Second is a second coder"), \
            store.transaction("Sue Second") as tx:
        review.sign_off_phase(tx, 1)
    with pytest.raises(InvariantError, match="cannot be signed off yet: the project is in "
                                             "phase 3"), store.transaction(SUPERVISOR) as tx:
        review.sign_off_phase(tx, 4)
    with pytest.raises(InvariantError, match="six phases"), store.transaction(SUPERVISOR) as tx:
        review.sign_off_phase(tx, 9)
    with store.transaction(SUPERVISOR) as tx:
        change = review.sign_off_phase(tx, 2, " Coding frame checked ")
    with store.read() as session:
        sign_off = session.execute(select(SignOff)).scalar_one()
        assert change.added == {"sign_off": [sign_off.id]}
        assert (sign_off.phase, sign_off.note) == (2, "Coding frame checked")
        event = last_event(session, "phase.sign_off")
        listed = review.list_sign_offs(session)
        assert review.list_sign_offs(session, phase=1) == []
    assert (event.coder, event.entity_kind, event.phase) == (SUPERVISOR, "sign_off", 3)
    assert before_after(event)[1]["note"] == "Coding frame checked"
    assert [(s.phase, s.coder, s.note) for s in listed] == [
        (2, SUPERVISOR, "Coding frame checked")]
    assert_chain_intact(store)
