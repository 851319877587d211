"""Undoing a merge of codes: codings, theme places and the name come back, all audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import assert_chain_intact, before_after, imported, last_event
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.unmerge import (
    DETAIL_ACTION,
    merge_codes_recorded,
    unmerge_code,
)
from thematic_workbench.core.storage.models import Code, Coding, Theme, ThemeMembership
from thematic_workbench.core.storage.store import ProjectStore

TEXT = ("Interviewer: How did it start?\n"
        "PA: It can never be wholly collaborative, can it.\n"
        "PA: Trust comes slowly, in small steps.")


def _frame(store: ProjectStore) -> tuple[set[tuple[int, int, int, int, str]], list[tuple]]:
    """Every coding as (code, document, start, end, memo) and every theme place in order."""
    with store.read() as session:
        spans = {tuple(row) for row in session.execute(select(
            Coding.code_id, Coding.document_id, Coding.start, Coding.end, Coding.memo))}
        places = [tuple(row) for row in session.execute(
            select(ThemeMembership.theme_id, ThemeMembership.code_id)
            .order_by(ThemeMembership.theme_id, ThemeMembership.position))]
    return spans, places


@pytest.fixture
def project(store: ProjectStore) -> dict[str, int]:
    """Two codes sharing one span, each in a theme of its own and both in a third."""
    with store.transaction("alice") as tx:
        ids = {"doc": import_document(tx, imported(TEXT), "PA").new_id("document")}
        for name in ("never", "coercion", "trust"):
            ids[name] = codes.create_code(tx, name.title()).new_id("code")
        for name in ("frame", "power", "shared"):
            ids[name] = themes.create_theme(tx, name.title()).new_id("theme")
        codings.code_match(tx, ids["doc"], ids["never"], "never be wholly collaborative",
                           memo="the heart of it")
        codings.code_match(tx, ids["doc"], ids["coercion"], "never be wholly collaborative")
        codings.code_lines(tx, ids["doc"], ids["never"], 1, 1)
        codings.code_match(tx, ids["doc"], ids["trust"], "Trust comes slowly")
        themes.assign_code(tx, ids["never"], ids["frame"])
        themes.assign_code(tx, ids["trust"], ids["shared"])
        themes.assign_code(tx, ids["never"], ids["shared"])
        themes.assign_code(tx, ids["coercion"], ids["shared"])
        themes.assign_code(tx, ids["coercion"], ids["power"])
        dropped = tx.session.execute(select(Coding.id).where(
            Coding.code_id == ids["never"], Coding.start > 0)).scalar_one()
        themes.set_representative_extract(tx, ids["shared"], dropped)
    return ids


def test_merge_then_unmerge_restores_codings_places_and_name(
        store: ProjectStore, project: dict[str, int]) -> None:
    before = _frame(store)
    with store.transaction("alice") as tx:
        change, records = merge_codes_recorded(tx, [project["never"]], project["coercion"])
    assert change.removed["code"] == [project["never"]]
    (record,) = records
    assert len(record.moved_codings) == 1 and len(record.dropped_codings) == 1
    assert record.moved_memberships == [[project["frame"], 0]]
    assert record.dropped_memberships == [[project["shared"], 1]]
    with store.read() as session:
        assert session.get(Code, project["never"]).status == "merged"
        assert session.get(Theme, project["shared"]).representative_coding_id is None
    assert _frame(store) != before

    with store.transaction("alice") as tx:
        undone = unmerge_code(tx, project["never"])
    assert undone.added["code"] == [project["never"]]
    assert _frame(store) == before
    with store.read() as session:
        code = session.get(Code, project["never"])
        assert (code.status, code.merged_into_id, code.name) == ("active", None, "Never")
        representative = session.get(Coding, session.get(
            Theme, project["shared"]).representative_coding_id)
        assert (representative.code_id, representative.memo) == (project["never"],
                                                                 "the heart of it")
    with store.read() as session:
        _, after = before_after(last_event(session, "code.unmerge"))
        assert last_event(session, DETAIL_ACTION).entity_id == project["never"]
    assert after["codings_moved_back"] == 1 and after["codings_restored"] == 1
    assert_chain_intact(store)


def test_two_sources_unmerged_in_reverse_order(
        store: ProjectStore, project: dict[str, int]) -> None:
    before = _frame(store)
    with store.transaction("alice") as tx:
        _, records = merge_codes_recorded(tx, [project["never"], project["trust"]],
                                          project["coercion"])
    assert [r.source_id for r in records] == [project["never"], project["trust"]]
    with store.transaction("alice") as tx:
        for record in reversed(records):
            unmerge_code(tx, record.source_id)
    assert _frame(store) == before


def test_a_merge_without_details_is_refused(store: ProjectStore,
                                            project: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        codes.merge_codes(tx, [project["never"]], project["coercion"])
    with pytest.raises(InvariantError, match="without the details"), \
            store.transaction("alice") as tx:
        unmerge_code(tx, project["never"])


def test_refused_for_an_active_code_or_a_taken_name(store: ProjectStore,
                                                    project: dict[str, int]) -> None:
    with pytest.raises(InvariantError, match="not merged"), store.transaction("alice") as tx:
        unmerge_code(tx, project["trust"])
    with store.transaction("alice") as tx:
        merge_codes_recorded(tx, [project["never"]], project["coercion"])
        codes.create_code(tx, "NEVER")
    with pytest.raises(InvariantError, match="exists now"), store.transaction("alice") as tx:
        unmerge_code(tx, project["never"])


def test_target_brought_back_by_a_delete_undo_is_found_by_name(
        store: ProjectStore, project: dict[str, int]) -> None:
    before_spans, _ = _frame(store)
    with store.transaction("alice") as tx:
        merge_codes_recorded(tx, [project["never"]], project["coercion"])
        codes.delete_code(tx, project["coercion"])
    with store.read() as session:
        deleted, _ = before_after(last_event(session, "code.delete"))
    with store.transaction("alice") as tx:
        new_target = codes.restore_code(tx, deleted).new_id("code")
        unmerge_code(tx, project["never"])
    spans, _ = _frame(store)
    renumbered = {(new_target if code == project["coercion"] else code, *rest)
                  for code, *rest in before_spans}
    assert spans == renumbered
    assert_chain_intact(store)
