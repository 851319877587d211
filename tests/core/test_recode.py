"""Recoding a coding: another code on the same passage, audited, and undone by recoding back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import assert_chain_intact, before_after, imported, last_event
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services import codes, codings, review
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Coding
from thematic_workbench.core.storage.store import ProjectStore

TEXT = ("Interviewer: What is it like?\n"
        "PA: They are sent to me. Trust goes slowly.\n")


@pytest.fixture
def ids(store: ProjectStore) -> dict[str, int]:
    with store.transaction("alice") as tx:
        found = {"doc": import_document(tx, imported(TEXT)).new_id("document")}
        for key, name in (("trust", "Trust"), ("role", "Dual role"), ("old", "Old")):
            found[key] = codes.create_code(tx, name).new_id("code")
        found["coding"] = codings.code_match(tx, found["doc"], found["trust"],
                                             "Trust goes slowly", memo="first").new_id("coding")
    return found


def _row(store: ProjectStore, coding_id: int) -> tuple[int, int, int, int, str]:
    with store.read() as session:
        coding = session.get(Coding, coding_id)
        assert coding is not None
        return coding.code_id, coding.coder_id, coding.start, coding.end, coding.memo


def test_recode_moves_the_coding_and_records_both_names(store: ProjectStore,
                                                        ids: dict[str, int]) -> None:
    _code, coder, start, end, memo = _row(store, ids["coding"])
    with store.transaction("bob") as tx:
        review.add_comment(tx, "coding", ids["coding"], "Is this trust?")
        change = codings.recode_coding(tx, ids["coding"], ids["role"])
    assert change.changed == {"coding": [ids["coding"]]}
    assert _row(store, ids["coding"]) == (ids["role"], coder, start, end, memo)
    with store.read() as session:
        event = last_event(session, "coding.recode")
        assert event.coder == "bob"
        assert before_after(event) == ({"code_id": ids["trust"], "code": "Trust"},
                                       {"code_id": ids["role"], "code": "Dual role"})
        # the comment still finds its coding: the id did not change
        assert review.describe_target(session, "coding", ids["coding"]).startswith(
            "'Dual role' in")
    with store.transaction("bob") as tx:  # the inverse: recode back
        codings.recode_coding(tx, ids["coding"], ids["trust"])
    assert _row(store, ids["coding"])[0] == ids["trust"]
    assert_chain_intact(store)


def test_recode_to_the_same_code_changes_nothing(store: ProjectStore,
                                                 ids: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        assert codings.recode_coding(tx, ids["coding"], ids["trust"]).changed == {}
    with store.read() as session:
        assert session.execute(select(Coding.id).where(
            Coding.code_id == ids["trust"])).scalars().all() == [ids["coding"]]


def test_recode_refuses_a_duplicate_a_merged_code_and_a_missing_coding(
        store: ProjectStore, ids: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        codings.code_match(tx, ids["doc"], ids["role"], "Trust goes slowly")
        codes.merge_codes(tx, [ids["old"]], ids["role"])
    with pytest.raises(InvariantError, match="already coded 'Dual role'"), \
            store.transaction("alice") as tx:
        codings.recode_coding(tx, ids["coding"], ids["role"])
    with pytest.raises(InvariantError, match="merged"), store.transaction("alice") as tx:
        codings.recode_coding(tx, ids["coding"], ids["old"])
    with pytest.raises(NotFoundError), store.transaction("alice") as tx:
        codings.recode_coding(tx, 9999, ids["role"])
    assert _row(store, ids["coding"])[0] == ids["trust"]
