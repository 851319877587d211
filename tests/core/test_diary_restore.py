"""Undoing diary changes: a deleted entry comes back whole; links outlive their targets."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import add_document, assert_chain_intact, before_after, last_event
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services import diary, phases
from thematic_workbench.core.services.codes import create_code, delete_code, merge_codes
from thematic_workbench.core.services.themes import create_theme
from thematic_workbench.core.storage.models import DiaryEntry, DiaryLink

CODER = "Ann Analyst"


@pytest.fixture
def targets(store) -> dict[str, int]:
    with store.transaction(CODER) as tx:
        return {
            "code": create_code(tx, "running").new_id("code"),
            "theme": create_theme(tx, "Self care").new_id("theme"),
            "document": add_document(tx.session),
        }


def entry_values(store, entry_id: int) -> tuple[object, ...]:
    with store.read() as session:
        entry = session.get(DiaryEntry, entry_id)
        assert entry is not None
        links = sorted(session.execute(select(DiaryLink.target_kind, DiaryLink.target_id)
                                       .where(DiaryLink.entry_id == entry_id)).all())
        return (entry.created_at, entry.updated_at, entry.phase, entry.coder_id, entry.title,
                entry.body, links)


def test_restore_entry_brings_back_id_dates_phase_coder_and_links(store, targets):
    with store.transaction(CODER) as tx:
        phases.move_to_phase(tx, 3, "Themes")
        entry_id = diary.add_entry(tx, "*Too neat* a theme?", title="Doubts",
                                   links=[("code", targets["code"]),
                                          ("theme", targets["theme"])]).new_id("diary_entry")
    original = entry_values(store, entry_id)
    with store.transaction(CODER) as tx:
        diary.delete_entry(tx, entry_id)
        phases.move_to_phase(tx, 4, "Review")
        delete_code(tx, targets["code"])  # a link target gone meanwhile
    with store.read() as session:
        before, _ = before_after(last_event(session, "diary.delete"))
    with store.transaction("Bea Second") as tx:
        change = diary.restore_entry(tx, before)
    assert change.added == {"diary_entry": [entry_id]}
    assert entry_values(store, entry_id) == original  # phase 3 and Ann, though now phase 4
    with store.read() as session:
        event = last_event(session, "diary.restore")
        _, after = before_after(event)
        assert (event.entity_id, event.coder, event.phase) == (entry_id, "Bea Second", 4)
        shown = diary.list_entries(session)[0]
    assert after["replaces"] == entry_id and after["body"] == "*Too neat* a theme?"
    assert {(link.kind, link.label) for link in shown.links} == {("code", None),
                                                                 ("theme", "Self care")}
    assert_chain_intact(store)


def test_restore_entry_takes_a_new_id_when_the_old_one_is_in_use(store, targets):
    with store.transaction(CODER) as tx:
        entry_id = diary.add_entry(tx, "first").new_id("diary_entry")
        diary.delete_entry(tx, entry_id)
        taken = diary.add_entry(tx, "second").new_id("diary_entry")  # may reuse the rowid
    with store.read() as session:
        before, _ = before_after(last_event(session, "diary.delete"))
    with store.transaction(CODER) as tx:
        restored = diary.restore_entry(tx, before | {"id": taken}).new_id("diary_entry")
    assert restored != taken
    with store.read() as session:
        bodies = {e.id: e.body for e in diary.list_entries(session)}
        _, after = before_after(last_event(session, "diary.restore"))
    assert bodies == {taken: "second", restored: "first"}
    assert after["replaces"] == taken and after["id"] == restored


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"links": [["coding", 1]]}, InvariantError, "cannot link to 'coding'"),
    ({"phase": 9}, InvariantError, "six phases"),
    ({"coder_id": 999}, NotFoundError, "no coder with id 999"),
    ({"body": " "}, InvariantError, "needs some text"),
])
def test_restore_entry_refuses_values_that_break_the_rules(store, targets, change, error,
                                                           message):
    with store.transaction(CODER) as tx:
        entry_id = diary.add_entry(tx, "x").new_id("diary_entry")
        diary.delete_entry(tx, entry_id)
    with store.read() as session:
        before, _ = before_after(last_event(session, "diary.delete"))
    with pytest.raises(error, match=message), store.transaction(CODER) as tx:
        diary.restore_entry(tx, before | change)
    with store.read() as session:
        assert session.get(DiaryEntry, entry_id) is None


def test_set_entry_links_keeps_a_link_whose_target_was_deleted(store, targets):
    with store.transaction(CODER) as tx:
        entry_id = diary.add_entry(tx, "x", links=[("code", targets["code"])]
                                   ).new_id("diary_entry")
        delete_code(tx, targets["code"])
        diary.set_entry_links(tx, entry_id, [("code", targets["code"]),
                                             ("theme", targets["theme"])])
    assert entry_values(store, entry_id)[-1] == [("code", targets["code"]),
                                                 ("theme", targets["theme"])]
    with pytest.raises(NotFoundError, match="no code with id"), \
            store.transaction(CODER) as tx:  # a new link still needs its target
        diary.set_entry_links(tx, entry_id, [("code", targets["code"] + 100)])


def test_link_targets_lists_active_codes_themes_and_documents_by_name(store, targets):
    with store.transaction(CODER) as tx:
        apple = create_code(tx, "apple").new_id("code")
        zebra = create_code(tx, "Zebra").new_id("code")
        merge_codes(tx, [zebra], apple)  # a merged code is history, not a target
    with store.read() as session:
        listed = [(t.kind, t.id, t.label) for t in diary.link_targets(session)]
    assert listed == [("code", apple, "apple"), ("code", targets["code"], "running"),
                      ("theme", targets["theme"], "Self care"),
                      ("document", targets["document"], "PA interview")]
