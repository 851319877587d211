"""What a service's change keeps of an entity's values before it, so that undo puts them
back without reading the database itself; and the theme queries the board's undo reads."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.helpers_docs import add_document
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.queries.theme_board import (
    name_history,
    theme_details,
    themes_to_define,
)
from thematic_workbench.core.services import diary, review, snapshots, themes
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.common import row_values
from thematic_workbench.core.services.map_layout import restore_link
from thematic_workbench.core.services.theme_restore import restore_theme
from thematic_workbench.core.storage.models import Comment, DiaryEntry, Snapshot, Theme, ThemeLink

CODER = "Ann Analyst"


def _row(store, model: type, entity_id: int) -> dict[str, Any]:
    with store.read() as session:
        return row_values(session.get(model, entity_id))


@pytest.fixture
def frame(store) -> dict[str, int]:
    """Two codes, a final theme and three emerging themes (one holding both codes)."""
    with store.transaction(CODER) as tx:
        ids = {"run": create_code(tx, "Running").new_id(Kind.CODE),
               "head": create_code(tx, "Clearing my head").new_id(Kind.CODE),
               "final": themes.create_theme(tx, "Looking after oneself", "final")
               .new_id(Kind.THEME)}
        for key, name in (("outlets", "Physical outlets"), ("support", "Support"),
                          ("rest", "Rest")):
            ids[key] = themes.create_theme(tx, name).new_id(Kind.THEME)
        themes.assign_code(tx, ids["run"], ids["outlets"])
        themes.assign_code(tx, ids["head"], ids["outlets"])
    return ids


def test_a_deleted_comment_comes_back_whole_from_the_values_its_change_kept(store, frame):
    with store.transaction(CODER) as tx:
        comment = review.add_comment(tx, "code", frame["run"], "Too broad?").new_id(Kind.COMMENT)
    row = _row(store, Comment, comment)
    with store.transaction(CODER) as tx:
        change = review.delete_comment(tx, comment)
    assert change.values_before(Kind.COMMENT, comment) == row
    with store.transaction(CODER) as tx:
        review.restore_comment(tx, change.values_before(Kind.COMMENT, comment))
    assert _row(store, Comment, comment) == row


def test_resolving_and_reopening_keep_the_status_the_thread_had(store, frame):
    with store.transaction(CODER) as tx:
        comment = review.add_comment(tx, "code", frame["run"], "Too broad?").new_id(Kind.COMMENT)
        resolved = review.resolve_comment(tx, comment)
        reopened = review.reopen_comment(tx, comment)
        again = review.reopen_comment(tx, comment)
    assert resolved.values_before(Kind.COMMENT, comment) == {
        "status": "open", "resolved_by": None, "resolved_at": None}
    assert reopened.values_before(Kind.COMMENT, comment)["status"] == "resolved"
    assert again.empty and not again.before  # nothing changed, nothing to put back


def test_diary_edits_keep_what_they_replaced_and_a_delete_keeps_the_whole_entry(store, frame):
    with store.transaction(CODER) as tx:
        document = add_document(tx.session)
        entry = diary.add_entry(tx, "First thoughts", "Day one",
                                [("code", frame["run"])]).new_id(Kind.DIARY_ENTRY)
        edited = diary.edit_entry(tx, entry, body="Second thoughts", title="Day one")
        linked = diary.set_entry_links(tx, entry, [("document", document)])
    assert edited.values_before(Kind.DIARY_ENTRY, entry) == {"body": "First thoughts"}
    assert linked.values_before(Kind.DIARY_ENTRY, entry) == {"links": [["code", frame["run"]]]}
    row = _row(store, DiaryEntry, entry)
    with store.transaction(CODER) as tx:
        deleted = diary.delete_entry(tx, entry)
    before = deleted.values_before(Kind.DIARY_ENTRY, entry)
    assert before == row | {"links": [["document", document]]}
    with store.transaction(CODER) as tx:
        diary.restore_entry(tx, before)
    assert _row(store, DiaryEntry, entry) == row


def test_a_deleted_snapshot_and_a_deleted_link_come_back_from_their_values_before(store, frame):
    with store.transaction(CODER) as tx:
        snapshot = snapshots.create_snapshot(tx, "After phase 3").new_id(Kind.SNAPSHOT)
        link = themes.link_themes(tx, frame["outlets"], frame["support"], label="eases") \
            .new_id(Kind.THEME_LINK)
    rows = _row(store, Snapshot, snapshot), _row(store, ThemeLink, link)
    with store.transaction(CODER) as tx:
        gone_snapshot = snapshots.delete_snapshot(tx, snapshot)
        gone_link = themes.delete_link(tx, link)
    with store.transaction(CODER) as tx:
        snapshots.restore_snapshot(tx, gone_snapshot.values_before(Kind.SNAPSHOT, snapshot))
        restore_link(tx, gone_link.values_before(Kind.THEME_LINK, link))
    assert (_row(store, Snapshot, snapshot), _row(store, ThemeLink, link)) == rows


def test_moving_discarding_and_merging_a_theme_keep_its_place_on_the_board(store, frame):
    emerging = [frame["outlets"], frame["support"], frame["rest"]]
    with store.transaction(CODER) as tx:
        moved = themes.reorder_theme(tx, frame["rest"], 0)  # rest, outlets, support
        discarded = themes.discard_theme(tx, frame["outlets"])  # rest, support
        merged = themes.merge_themes(tx, frame["support"], frame["rest"])
        not_again = themes.discard_theme(tx, frame["outlets"])
    assert moved.values_before(Kind.THEME, frame["rest"]) == {"place": emerging.index(
        frame["rest"])}
    assert discarded.values_before(Kind.THEME, frame["outlets"]) == {
        "status": "candidate", "place": 1}
    assert merged.values_before(Kind.THEME, frame["support"]) == {
        "status": "candidate", "place": 1, "children": []}
    assert not_again.empty and not not_again.before


def test_a_deleted_theme_comes_back_with_its_codes_from_the_values_its_change_kept(store, frame):
    row = _row(store, Theme, frame["outlets"])
    with store.transaction(CODER) as tx:
        change = themes.delete_theme(tx, frame["outlets"])
    before = change.values_before(Kind.THEME, frame["outlets"])
    assert before["memberships"] == [[frame["run"], 0], [frame["head"], 1]]
    with store.transaction(CODER) as tx:
        restore_theme(tx, before)
        assert themes.member_count(tx, frame["outlets"]) == 2
        assert themes.code_position(tx, frame["outlets"], frame["head"]) == 1
        assert themes.code_position(tx, frame["support"], frame["head"]) is None
    restored = _row(store, Theme, frame["outlets"])
    assert restored | {"created_at": row["created_at"]} == row  # a restore is a new creation


def test_theme_details_list_and_name_history_read_what_the_definition_shows(store, frame):
    with store.transaction(CODER) as tx:
        themes.define_theme(tx, frame["support"], "Others help", "Not self-help")
        themes.rename_theme(tx, frame["support"], "Being supported")
        themes.discard_theme(tx, frame["rest"])
    with store.read() as session:
        details = theme_details(session, frame["support"])
        listed = [(t.level, t.name) for t in themes_to_define(session)]
        history = [name for _at, _coder, name in name_history(session, frame["support"])]
        missing = theme_details(session, 999)
    assert details is not None and (details.name, details.definition, details.scope_notes,
                                    details.status) == ("Being supported", "Others help",
                                                        "Not self-help", "candidate")
    assert listed == [("final", "Looking after oneself"), ("emerging", "Physical outlets"),
                      ("emerging", "Being supported")]
    assert history == ["Support", "Being supported"] and missing is None
