"""Themes: the board, ordered memberships, parents, merges, links, and their audit events."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.core.helpers_docs import (
    add_document,
    assert_chain_intact,
    before_after,
    event_count,
    last_event,
)
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services import themes
from thematic_workbench.core.services.codes import create_code, merge_codes
from thematic_workbench.core.storage.models import Code, Coding, Theme, ThemeLink, ThemeMembership

CODER = "Ann Analyst"


def make_codes(store, *names: str) -> dict[str, int]:
    with store.transaction(CODER) as tx:
        return {name: create_code(tx, name).new_id("code") for name in names}


def make_theme(store, name: str, **kwargs) -> int:
    with store.transaction(CODER) as tx:
        return themes.create_theme(tx, name, **kwargs).new_id("theme")


def members(store, theme_id: int) -> list[int]:
    with store.read() as session:
        rows = session.execute(
            select(ThemeMembership.code_id, ThemeMembership.position)
            .where(ThemeMembership.theme_id == theme_id).order_by(ThemeMembership.position)
        ).all()
    assert [row.position for row in rows] == list(range(len(rows))), "positions have gaps"
    return [row.code_id for row in rows]


def theme_row(store, theme_id: int) -> Theme:
    with store.read() as session:
        return session.get(Theme, theme_id)


# -- create, find, rename, define ---------------------------------------------------------
def test_create_theme_appends_to_its_level_and_is_audited(store):
    with store.transaction(CODER) as tx:
        change = themes.create_theme(tx, "  Self  care ", definition=" Looking after oneself ")
        second = themes.create_theme(tx, "Supervision").new_id("theme")
        final = themes.create_theme(tx, "Sustaining the self", level="final").new_id("theme")
    first = change.new_id("theme")
    row = theme_row(store, first)
    assert (row.name, row.level, row.status, row.definition, row.position) == (
        "Self care", "emerging", "candidate", "Looking after oneself", 0)
    assert theme_row(store, second).position == 1
    assert theme_row(store, final).position == 0
    with store.read() as session:
        event = last_event(session, "theme.create")
        before, after = before_after(event)
    assert (event.entity_kind, event.entity_id, event.coder) == ("theme", final, CODER)
    assert before is None
    assert after["name"] == "Sustaining the self" and after["level"] == "final"
    assert_chain_intact(store)


def test_names_are_unique_within_a_level_but_not_across_levels(store):
    make_theme(store, "Coping")
    with pytest.raises(InvariantError, match="an emerging theme named 'Coping' already exists"), \
            store.transaction(CODER) as tx:
        themes.create_theme(tx, "COPING")
    final = make_theme(store, "coping", level="final")
    with store.read() as session:
        with pytest.raises(InvariantError, match="say which level"):
            themes.find_theme(session, "Coping")
        assert themes.find_theme(session, " coping ", level="final").id == final
        with pytest.raises(NotFoundError, match="no theme named 'Nothing'"):
            themes.find_theme(session, "Nothing")


def test_a_discarded_themes_name_is_free_but_restoring_it_checks_the_name(store):
    old = make_theme(store, "Burnout")
    with store.transaction(CODER) as tx:
        themes.discard_theme(tx, old)
        themes.create_theme(tx, "burnout")
    with store.read() as session:
        assert themes.find_theme(session, "Burnout").id != old
    with pytest.raises(InvariantError, match="already exists"), store.transaction(CODER) as tx:
        themes.set_theme_status(tx, old, "candidate")
    assert theme_row(store, old).status == "discarded"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "  "}, "a theme needs a name"),
    ({"name": "X", "level": "middle"}, "'emerging' or 'final'"),
])
def test_create_theme_refuses_bad_input(store, kwargs, message):
    with pytest.raises(InvariantError, match=message), store.transaction(CODER) as tx:
        themes.create_theme(tx, **kwargs)


def test_rename_and_define_are_audited_and_a_no_op_writes_nothing(store):
    theme_id = make_theme(store, "Coping")
    make_theme(store, "Support")
    with store.transaction(CODER) as tx:
        themes.rename_theme(tx, theme_id, "Ways of coping")
        themes.define_theme(tx, theme_id, "How therapists cope", scope_notes="Not supervision")
    row = theme_row(store, theme_id)
    assert (row.name, row.definition, row.scope_notes) == (
        "Ways of coping", "How therapists cope", "Not supervision")
    with store.read() as session:
        assert before_after(last_event(session, "theme.rename")) == (
            {"name": "Coping"}, {"name": "Ways of coping"})
        assert before_after(last_event(session, "theme.define")) == (
            {"definition": "", "scope_notes": ""},
            {"definition": "How therapists cope", "scope_notes": "Not supervision"})
        count = event_count(session)
    with store.transaction(CODER) as tx:
        assert themes.rename_theme(tx, theme_id, "Ways of coping").empty
        assert themes.define_theme(tx, theme_id, "How therapists cope").empty
    with store.read() as session:
        assert event_count(session) == count
    with pytest.raises(InvariantError, match="already exists"), store.transaction(CODER) as tx:
        themes.rename_theme(tx, theme_id, "support")


# -- parents ------------------------------------------------------------------------------
def test_an_emerging_theme_is_grouped_under_a_final_theme(store):
    final = make_theme(store, "Sustaining the self", level="final")
    other_final = make_theme(store, "Being changed", level="final")
    emerging = make_theme(store, "Self care", parent_id=final)
    assert theme_row(store, emerging).parent_id == final
    with store.transaction(CODER) as tx:
        change = themes.set_theme_parent(tx, emerging, other_final)
    assert set(change.changed["theme"]) == {emerging, final, other_final}
    assert theme_row(store, emerging).parent_id == other_final
    with store.read() as session:
        event = last_event(session, "theme.set_parent")
        assert before_after(event) == ({"parent_id": final}, {"parent_id": other_final})
    with store.transaction(CODER) as tx:
        themes.set_theme_parent(tx, emerging, None)
    assert theme_row(store, emerging).parent_id is None
    assert_chain_intact(store)


def test_parent_rules_are_explained(store):
    final = make_theme(store, "Final one", level="final")
    other_final = make_theme(store, "Final two", level="final")
    emerging = make_theme(store, "Emerging one")
    other = make_theme(store, "Emerging two")
    cases = [
        (final, other_final, InvariantError, "only an emerging theme can be grouped"),
        (emerging, other, InvariantError, "can only be grouped under a final theme"),
        (emerging, 999, NotFoundError, "no theme with id 999"),
    ]
    for theme_id, parent_id, error, message in cases:
        with pytest.raises(error, match=message), store.transaction(CODER) as tx:
            themes.set_theme_parent(tx, theme_id, parent_id)
    with store.transaction(CODER) as tx:
        themes.discard_theme(tx, other_final)
    with pytest.raises(InvariantError, match="discarded"), store.transaction(CODER) as tx:
        themes.set_theme_parent(tx, emerging, other_final)
    with pytest.raises(InvariantError, match="only an emerging theme"), \
            store.transaction(CODER) as tx:
        themes.create_theme(tx, "Top", level="final", parent_id=final)


def test_a_loop_made_behind_the_services_back_is_still_refused(store):
    final = make_theme(store, "Final", level="final")
    emerging = make_theme(store, "Emerging")
    with store.transaction(CODER) as tx:  # corrupt the data directly, as a bad import might
        tx.session.get(Theme, final).parent_id = emerging
    with pytest.raises(InvariantError, match="would make a loop"), store.transaction(CODER) as tx:
        themes.set_theme_parent(tx, emerging, final)


# -- codes in themes ----------------------------------------------------------------------
def test_assign_appends_or_inserts_and_keeps_positions_contiguous(store):
    codes = make_codes(store, "running", "walking", "supervision", "therapy")
    theme_id = make_theme(store, "Self care")
    with store.transaction(CODER) as tx:
        themes.assign_code(tx, codes["running"], theme_id)
        themes.assign_code(tx, codes["walking"], theme_id)
        change = themes.assign_code(tx, codes["supervision"], theme_id, position=0)
        themes.assign_code(tx, codes["therapy"], theme_id, position=2)
    assert change.changed == {"theme": [theme_id], "code": [codes["supervision"]]}
    assert members(store, theme_id) == [
        codes["supervision"], codes["running"], codes["therapy"], codes["walking"]]
    with store.read() as session:
        event = last_event(session, "theme.assign_code")
    assert (event.entity_kind, event.entity_id) == ("theme", theme_id)
    assert before_after(event) == (
        None, {"code_id": codes["therapy"], "code_name": "therapy", "position": 2})
    assert_chain_intact(store)


def test_a_code_may_be_in_several_themes_but_not_twice_in_one(store):
    code = make_codes(store, "running")["running"]
    first, second = make_theme(store, "Self care"), make_theme(store, "Escape")
    with store.transaction(CODER) as tx:
        themes.assign_code(tx, code, first)
        themes.assign_code(tx, code, second)
    with pytest.raises(InvariantError, match="'running' is already in theme 'Self care'"), \
            store.transaction(CODER) as tx:
        themes.assign_code(tx, code, first)
    assert members(store, first) == [code] and members(store, second) == [code]


def test_assign_refuses_merged_codes_discarded_themes_and_bad_positions(store):
    codes = make_codes(store, "run", "running", "walk")
    theme_id = make_theme(store, "Self care")
    gone = make_theme(store, "Gone")
    with store.transaction(CODER) as tx:
        merge_codes(tx, [codes["run"]], codes["running"])
        themes.discard_theme(tx, gone)
    cases = [
        (codes["run"], theme_id, None, InvariantError, "'run' was merged"),
        (codes["walk"], gone, None, InvariantError, "'Gone' is discarded"),
        (codes["walk"], theme_id, 1, InvariantError, "between 0 and 0, not 1"),
        (codes["walk"], theme_id, -1, InvariantError, "between 0 and 0, not -1"),
        (999, theme_id, None, NotFoundError, "no code with id 999"),
        (codes["walk"], 999, None, NotFoundError, "no theme with id 999"),
    ]
    for code_id, target, position, error, message in cases:
        with pytest.raises(error, match=message), store.transaction(CODER) as tx:
            themes.assign_code(tx, code_id, target, position)
    assert members(store, theme_id) == []


def test_unassign_closes_the_gap_and_records_the_old_place(store):
    codes = make_codes(store, "a", "b", "c")
    theme_id = make_theme(store, "T")
    with store.transaction(CODER) as tx:
        for code_id in codes.values():
            themes.assign_code(tx, code_id, theme_id)
        themes.unassign_code(tx, codes["b"], theme_id)
    assert members(store, theme_id) == [codes["a"], codes["c"]]
    with store.read() as session:
        assert before_after(last_event(session, "theme.unassign_code")) == (
            {"code_id": codes["b"], "code_name": "b", "position": 1}, None)
    with pytest.raises(NotFoundError, match="code 'b' is not in theme 'T'"), \
            store.transaction(CODER) as tx:
        themes.unassign_code(tx, codes["b"], theme_id)


def test_move_code_in_theme_reorders_table_one(store):
    codes = make_codes(store, "a", "b", "c")
    theme_id = make_theme(store, "T")
    with store.transaction(CODER) as tx:
        for code_id in codes.values():
            themes.assign_code(tx, code_id, theme_id)
        themes.move_code_in_theme(tx, theme_id, codes["a"], 2)
    assert members(store, theme_id) == [codes["b"], codes["c"], codes["a"]]
    with store.read() as session:
        assert before_after(last_event(session, "theme.move_code")) == (
            {"code_id": codes["a"], "position": 0}, {"code_id": codes["a"], "position": 2})
        count = event_count(session)
    with store.transaction(CODER) as tx:
        assert themes.move_code_in_theme(tx, theme_id, codes["a"], 2).empty
    with store.read() as session:
        assert event_count(session) == count
    with pytest.raises(InvariantError, match="between 0 and 2, not 3"), \
            store.transaction(CODER) as tx:
        themes.move_code_in_theme(tx, theme_id, codes["a"], 3)


# -- board order and status ---------------------------------------------------------------
def board(store, level: str = "emerging") -> list[str]:
    with store.read() as session:
        return list(session.execute(
            select(Theme.name).where(Theme.level == level, Theme.status != "discarded")
            .order_by(Theme.position, Theme.id)).scalars())


def test_reorder_theme_moves_it_on_its_board(store):
    ids = [make_theme(store, name) for name in ("A", "B", "C", "D")]
    make_theme(store, "Final", level="final")
    with store.transaction(CODER) as tx:
        change = themes.reorder_theme(tx, ids[3], 1)
    assert board(store) == ["A", "D", "B", "C"]
    assert set(change.changed["theme"]) == {ids[1], ids[2], ids[3]}
    with store.read() as session:
        event = last_event(session, "theme.reorder")
    assert (event.entity_id, *before_after(event)) == (ids[3], {"position": 3}, {"position": 1})
    with pytest.raises(InvariantError, match="between 0 and 3, not 4"), \
            store.transaction(CODER) as tx:
        themes.reorder_theme(tx, ids[0], 4)


def test_discard_keeps_memberships_and_restore_puts_the_theme_at_the_end(store):
    code = make_codes(store, "a")["a"]
    first, second = make_theme(store, "First"), make_theme(store, "Second")
    with store.transaction(CODER) as tx:
        themes.assign_code(tx, code, first)
        themes.discard_theme(tx, first)
    assert theme_row(store, first).status == "discarded"
    assert members(store, first) == [code]
    assert board(store) == ["Second"]
    with store.read() as session:
        assert before_after(last_event(session, "theme.discard")) == (
            {"status": "candidate"}, {"status": "discarded"})
    with store.transaction(CODER) as tx:
        themes.set_theme_status(tx, first, "final")
    assert board(store) == ["Second", "First"]
    with store.read() as session:
        _, after = before_after(last_event(session, "theme.status"))
    assert after == {"status": "final", "position": theme_row(store, second).position + 1}
    with pytest.raises(InvariantError, match="not 'done'"), store.transaction(CODER) as tx:
        themes.set_theme_status(tx, first, "done")


# -- delete, merge, representative extract ------------------------------------------------
def test_delete_theme_removes_memberships_and_links_and_ungroups_children(store):
    codes = make_codes(store, "a", "b")
    final = make_theme(store, "Final", level="final")
    child = make_theme(store, "Child", parent_id=final)
    other = make_theme(store, "Other")
    with store.transaction(CODER) as tx:
        themes.assign_code(tx, codes["a"], final)
        themes.assign_code(tx, codes["b"], final)
        link_id = themes.link_themes(tx, final, target_theme_id=other, label="feeds").new_id(
            "theme_link")
        change = themes.delete_theme(tx, final)
    assert change.removed == {"theme": [final], "theme_link": [link_id]}
    with store.read() as session:
        assert session.get(Theme, final) is None
        assert session.get(Theme, child).parent_id is None
        assert session.execute(select(ThemeLink)).first() is None
        assert session.execute(select(ThemeMembership)).first() is None
        event = last_event(session, "theme.delete")
    before, after = before_after(event)
    assert after is None
    assert before["name"] == "Final" and before["level"] == "final"
    assert before["memberships"] == [[codes["a"], 0], [codes["b"], 1]]
    assert before["children"] == [child]
    assert [link["label"] for link in before["links"]] == ["feeds"]
    assert_chain_intact(store)


def test_merge_themes_appends_codes_moves_children_and_discards_the_source(store):
    codes = make_codes(store, "a", "b", "c", "d")
    source, target = make_theme(store, "Source"), make_theme(store, "Target")
    with store.transaction(CODER) as tx:
        for name in ("c", "a", "b"):
            themes.assign_code(tx, codes[name], source)
        for name in ("d", "a"):
            themes.assign_code(tx, codes[name], target)
        themes.merge_themes(tx, source, target)
    assert members(store, target) == [codes["d"], codes["a"], codes["c"], codes["b"]]
    assert members(store, source) == [codes["c"], codes["a"], codes["b"]]  # kept as history
    assert theme_row(store, source).status == "discarded"
    with store.read() as session:
        before, after = before_after(last_event(session, "theme.merge"))
    assert before == {"status": "candidate", "children": []}
    assert after == {"status": "discarded", "merged_into": target, "merged_into_name": "Target",
                     "codes_added": [codes["c"], codes["b"]], "children_moved": []}


def test_merging_final_themes_moves_their_emerging_themes(store):
    source = make_theme(store, "Source", level="final")
    target = make_theme(store, "Target", level="final")
    child = make_theme(store, "Child", parent_id=source)
    emerging = make_theme(store, "Emerging")
    with store.transaction(CODER) as tx:
        themes.merge_themes(tx, source, target)
    assert theme_row(store, child).parent_id == target
    for src, dst, message in [(target, target, "into itself"),
                              (emerging, target, "only themes of the same level"),
                              (source, target, "'Source' is discarded")]:
        with pytest.raises(InvariantError, match=message), store.transaction(CODER) as tx:
            themes.merge_themes(tx, src, dst)


def test_representative_extract_must_be_coded_with_one_of_the_themes_codes(store):
    codes = make_codes(store, "running", "other")
    final = make_theme(store, "Final", level="final")
    emerging = make_theme(store, "Self care", parent_id=final)
    with store.transaction(CODER) as tx:
        doc = add_document(tx.session)
        themes.assign_code(tx, codes["running"], emerging)
        coding = Coding(document_id=doc, code_id=codes["running"], coder_id=tx.coder_id,
                        start=75, end=95)
        stray = Coding(document_id=doc, code_id=codes["other"], coder_id=tx.coder_id,
                       start=0, end=10)
        tx.session.add_all([coding, stray])
        tx.session.flush()
        themes.set_representative_extract(tx, emerging, coding.id)
        themes.set_representative_extract(tx, final, coding.id)  # through its emerging theme
    assert theme_row(store, emerging).representative_coding_id == coding.id
    assert theme_row(store, final).representative_coding_id == coding.id
    with store.read() as session:
        assert before_after(last_event(session, "theme.set_extract")) == (
            {"representative_coding_id": None}, {"representative_coding_id": coding.id})
    with pytest.raises(InvariantError, match="coded 'other', which is not one of the codes"), \
            store.transaction(CODER) as tx:
        themes.set_representative_extract(tx, emerging, stray.id)
    with pytest.raises(NotFoundError, match="no coded extract with id 999"), \
            store.transaction(CODER) as tx:
        themes.set_representative_extract(tx, emerging, 999)
    with store.transaction(CODER) as tx:
        themes.set_representative_extract(tx, emerging, None)
    assert theme_row(store, emerging).representative_coding_id is None


# -- links --------------------------------------------------------------------------------
def test_links_between_themes_and_to_codes(store):
    code = make_codes(store, "running")["running"]
    a, b = make_theme(store, "A"), make_theme(store, "B")
    with store.transaction(CODER) as tx:
        to_theme = themes.link_themes(tx, a, target_theme_id=b, label=" leads   to ").new_id(
            "theme_link")
        to_code = themes.link_themes(tx, a, target_code_id=code).new_id("theme_link")
    with store.read() as session:
        link = session.get(ThemeLink, to_theme)
        assert (link.source_theme_id, link.target_theme_id, link.label) == (a, b, "leads to")
        assert session.get(ThemeLink, to_code).target_code_id == code
        _, after = before_after(last_event(session, "theme_link.create"))
    assert after["source_name"] == "A" and after["target_name"] == "running"
    cases = [
        ({"target_theme_id": b, "target_code_id": code}, "exactly one"),
        ({}, "exactly one"),
        ({"target_theme_id": a}, "cannot be linked to itself"),
        ({"target_theme_id": b}, "'A' is already linked to 'B'"),
        ({"target_code_id": code}, "'A' is already linked to 'running'"),
        ({"target_theme_id": b, "label": "x" * 201}, "at most 200"),
    ]
    for kwargs, message in cases:
        with pytest.raises(InvariantError, match=message), store.transaction(CODER) as tx:
            themes.link_themes(tx, a, **kwargs)
    with store.transaction(CODER) as tx:
        themes.delete_link(tx, to_theme)
    with store.read() as session:
        assert session.get(ThemeLink, to_theme) is None
        before, _ = before_after(last_event(session, "theme_link.delete"))
    assert before["label"] == "leads to"
    with pytest.raises(NotFoundError, match="no link with id"), store.transaction(CODER) as tx:
        themes.delete_link(tx, to_theme)
    assert_chain_intact(store)


# -- all or nothing -----------------------------------------------------------------------
def test_a_failure_inside_a_transaction_leaves_nothing_behind(store):
    code = make_codes(store, "a")["a"]
    with store.read() as session:
        events = event_count(session)
    with pytest.raises(InvariantError), store.transaction(CODER) as tx:
        theme_id = themes.create_theme(tx, "Half").new_id("theme")
        themes.assign_code(tx, code, theme_id)
        themes.assign_code(tx, code, theme_id)  # fails: already there
    with store.read() as session:
        assert session.execute(select(Theme)).first() is None
        assert session.execute(select(ThemeMembership)).first() is None
        assert event_count(session) == events
    assert_chain_intact(store)


def _code_pool(store) -> list[int]:
    """Six codes, made once per store (hypothesis reuses the store across examples)."""
    with store.read() as session:
        ids = list(session.execute(select(Code.id).order_by(Code.id)).scalars())
    return ids or list(make_codes(store, *(f"code {i}" for i in range(6))).values())


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["assign", "unassign", "move"]),
                          st.integers(0, 5), st.integers(0, 6)), max_size=15))
def test_memberships_follow_a_simple_list_model(store, operations):
    pool = _code_pool(store)
    with store.read() as session:
        name = f"Theme {event_count(session)}"
    theme_id = make_theme(store, name)
    model: list[int] = []
    for operation, code_index, position in operations:
        code = pool[code_index]
        with store.transaction(CODER) as tx:
            if operation == "assign" and code not in model and position <= len(model):
                themes.assign_code(tx, code, theme_id, position)
                model.insert(position, code)
            elif operation == "unassign" and code in model:
                themes.unassign_code(tx, code, theme_id)
                model.remove(code)
            elif operation == "move" and code in model and position < len(model):
                themes.move_code_in_theme(tx, theme_id, code, position)
                model.remove(code)
                model.insert(position, code)
        assert members(store, theme_id) == model
