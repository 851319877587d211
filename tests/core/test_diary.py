"""The reflexive diary: entries stamped with phase and coder, links, edits, search."""

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
from thematic_workbench.core.services import diary, phases
from thematic_workbench.core.services.codes import create_code, delete_code
from thematic_workbench.core.services.themes import create_theme
from thematic_workbench.core.storage.models import Coder, DiaryEntry, DiaryLink

CODER = "Ann Analyst"


@pytest.fixture
def targets(store) -> dict[str, int]:
    with store.transaction(CODER) as tx:
        return {
            "code": create_code(tx, "running").new_id("code"),
            "theme": create_theme(tx, "Self care").new_id("theme"),
            "document": add_document(tx.session),
        }


def links_of(store, entry_id: int) -> set[tuple[str, int]]:
    with store.read() as session:
        return {(link.target_kind, link.target_id) for link in session.execute(
            select(DiaryLink).where(DiaryLink.entry_id == entry_id)).scalars()}


def test_add_entry_is_stamped_with_phase_and_coder_and_audited(store, targets):
    with store.transaction(CODER) as tx:
        phases.move_to_phase(tx, 2, "Start coding")
        change = diary.add_entry(
            tx, "\n\n    indented Markdown\n\n*I noticed* my own bias.  \n\n", title="  Day  one ",
            links=[("code", targets["code"]), ("document", targets["document"]),
                   ("code", targets["code"])])
    entry_id = change.new_id("diary_entry")
    with store.read() as session:
        entry = session.get(DiaryEntry, entry_id)
        coder_id = session.execute(select(Coder.id).where(Coder.name == CODER)).scalar_one()
        assert (entry.phase, entry.coder_id, entry.title) == (2, coder_id, "Day one")
        assert entry.body == "    indented Markdown\n\n*I noticed* my own bias."
        event = last_event(session, "diary.add")
    before, after = before_after(event)
    assert (event.entity_kind, event.entity_id, before) == ("diary_entry", entry_id, None)
    assert after["body"] == entry.body and after["phase"] == 2
    assert after["links"] == [["code", targets["code"]], ["document", targets["document"]]]
    assert links_of(store, entry_id) == {("code", targets["code"]),
                                         ("document", targets["document"])}
    assert_chain_intact(store)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"body": "  \n "}, InvariantError, "needs some text"),
    ({"body": "x", "title": "t" * 301}, InvariantError, "at most 300"),
    ({"body": "x", "links": [("coding", 1)]}, InvariantError, "not to 'coding'"),
    ({"body": "x", "links": [("theme", 999)]}, NotFoundError, "no theme with id 999"),
])
def test_add_entry_refuses_bad_input_and_writes_nothing(store, targets, kwargs, error, message):
    with store.read() as session:
        events = event_count(session)
    with pytest.raises(error, match=message), store.transaction(CODER) as tx:
        diary.add_entry(tx, **kwargs)
    with store.read() as session:
        assert session.execute(select(DiaryEntry)).first() is None
        assert event_count(session) == events


def test_edit_entry_changes_text_and_updated_at(store, targets):
    with store.transaction(CODER) as tx:
        entry_id = diary.add_entry(tx, "First thoughts", title="Day 1").new_id("diary_entry")
    with store.read() as session:
        created = session.get(DiaryEntry, entry_id).updated_at
    with store.transaction(CODER) as tx:
        diary.edit_entry(tx, entry_id, body="Second thoughts")
        assert diary.edit_entry(tx, entry_id, body="Second thoughts ", title="Day 1").empty
    with store.read() as session:
        entry = session.get(DiaryEntry, entry_id)
        assert (entry.body, entry.title) == ("Second thoughts", "Day 1")
        assert entry.updated_at > created
        before, after = before_after(last_event(session, "diary.edit"))
    assert before == {"body": "First thoughts"}
    assert after == {"body": "Second thoughts", "updated_at": entry.updated_at}
    with pytest.raises(NotFoundError, match="no diary entry with id 999"), \
            store.transaction(CODER) as tx:
        diary.edit_entry(tx, 999, body="x")


def test_set_entry_links_replaces_them_and_records_both_sets(store, targets):
    with store.transaction(CODER) as tx:
        entry_id = diary.add_entry(tx, "x", links=[("code", targets["code"]),
                                                   ("theme", targets["theme"])]
                                   ).new_id("diary_entry")
        diary.set_entry_links(tx, entry_id, [("theme", targets["theme"]),
                                             ("document", targets["document"])])
        assert diary.set_entry_links(tx, entry_id, [("document", targets["document"]),
                                                    ("theme", targets["theme"])]).empty
    assert links_of(store, entry_id) == {("theme", targets["theme"]),
                                         ("document", targets["document"])}
    with store.read() as session:
        before, after = before_after(last_event(session, "diary.links"))
    assert sorted(map(tuple, before["links"])) == [("code", targets["code"]),
                                                   ("theme", targets["theme"])]
    assert sorted(map(tuple, after["links"])) == [("document", targets["document"]),
                                                  ("theme", targets["theme"])]
    with pytest.raises(NotFoundError, match="no code with id 999"), \
            store.transaction(CODER) as tx:
        diary.set_entry_links(tx, entry_id, [("code", 999)])
    assert len(links_of(store, entry_id)) == 2


def test_delete_entry_removes_it_with_its_links(store, targets):
    with store.transaction(CODER) as tx:
        entry_id = diary.add_entry(tx, "Gone soon", links=[("code", targets["code"])]
                                   ).new_id("diary_entry")
        change = diary.delete_entry(tx, entry_id)
    assert change.removed == {"diary_entry": [entry_id]}
    with store.read() as session:
        assert session.get(DiaryEntry, entry_id) is None
        assert session.execute(select(DiaryLink)).first() is None
        before, after = before_after(last_event(session, "diary.delete"))
    assert before["body"] == "Gone soon" and before["links"] == [["code", targets["code"]]]
    assert after is None
    assert_chain_intact(store)


def test_list_entries_filters_by_phase_and_search_and_labels_links(store, targets):
    with store.transaction(CODER) as tx:
        diary.add_entry(tx, "Reading PA made me think of my own training.",
                        links=[("document", targets["document"])])
        phases.move_to_phase(tx, 2, "Coding")
        diary.add_entry(tx, "The code RUNNING keeps coming up", title="Codes",
                        links=[("code", targets["code"]), ("theme", targets["theme"])])
        delete_code(tx, targets["code"])
    with store.read() as session:
        everything = diary.list_entries(session)
        phase_two = diary.list_entries(session, phase=2)
        found = diary.list_entries(session, search="running")
        by_title = diary.list_entries(session, search="CODES")
        nothing = diary.list_entries(session, search="zebra")
    assert [e.phase for e in everything] == [1, 2]
    assert everything[0].coder == CODER
    assert everything[0].links[0].label == "PA interview"
    assert [e.id for e in phase_two] == [everything[1].id]
    assert [e.id for e in found] == [everything[1].id] == [e.id for e in by_title]
    assert nothing == []
    labels = {(link.kind, link.label) for link in everything[1].links}
    assert labels == {("code", None), ("theme", "Self care")}  # the code was deleted since
