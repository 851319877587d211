"""What a coding or code service's change keeps for its undo, and the names and places the
window looks up by id: the window's undo commands use these instead of reading rows."""

from __future__ import annotations

import pytest

from tests.core.helpers_docs import before_after, imported, last_event
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.queries.project import active_codes, code_names, coding_place
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Code, Coding
from thematic_workbench.core.storage.store import ProjectStore

TEXT = ("Interviewer: What is it like?\n"
        "PA: They are sent to me. Trust goes slowly.\n")


@pytest.fixture
def ids(store: ProjectStore) -> dict[str, int]:
    with store.transaction("alice") as tx:
        found = {"doc": import_document(tx, imported(TEXT)).new_id(Kind.DOCUMENT)}
        for key, name in (("trust", "Trust"), ("role", "Dual role")):
            found[key] = codes.create_code(tx, name).new_id(Kind.CODE)
        found["coding"] = codings.code_match(tx, found["doc"], found["trust"],
                                             "Trust goes slowly", memo="first").new_id(Kind.CODING)
    return found


def _codings(store: ProjectStore) -> list[tuple[int, int, int, int, int, str]]:
    """(document, code, coder, start, end, memo) of every coding: what a user sees of it."""
    with store.read() as session:
        return sorted((c.document_id, c.code_id, c.coder_id, c.start, c.end, c.memo)
                      for c in session.query(Coding))


def test_removing_a_coding_keeps_what_restoring_it_takes(store: ProjectStore,
                                                         ids: dict[str, int]) -> None:
    was = _codings(store)
    with store.transaction("bob") as tx:  # another coder removes alice's coding
        removed = codings.remove_coding(tx, ids["coding"])
    values = removed.values_before(Kind.CODING, ids["coding"])
    assert _codings(store) == []
    with store.transaction("bob") as tx:
        restored = codings.restore_coding(tx, values)
    assert restored.added == {Kind.CODING: [restored.new_id(Kind.CODING)]}
    assert _codings(store) == was  # alice's again, same span and memo


def test_a_memo_edit_keeps_the_memo_before(store: ProjectStore, ids: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        edited = codings.set_coding_memo(tx, ids["coding"], "  second  ")
    assert edited.values_before(Kind.CODING, ids["coding"]) == {"memo": "first"}
    with store.transaction("alice") as tx:
        unchanged = codings.set_coding_memo(tx, ids["coding"], "second")
    assert unchanged.empty
    with pytest.raises(LookupError, match="kept no earlier values"):
        unchanged.values_before(Kind.CODING, ids["coding"])


def test_a_recode_keeps_the_code_before(store: ProjectStore, ids: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        recoded = codings.recode_coding(tx, ids["coding"], ids["role"])
    before = recoded.values_before(Kind.CODING, ids["coding"])
    assert before["code_id"] == ids["trust"]
    with store.transaction("alice") as tx:
        codings.recode_coding(tx, ids["coding"], before["code_id"])
    assert [row[1] for row in _codings(store)] == [ids["trust"]]


def test_deleting_a_code_keeps_what_restoring_it_takes(store: ProjectStore,
                                                       ids: dict[str, int]) -> None:
    was = _codings(store)
    with store.transaction("alice") as tx:
        deleted = codes.delete_code(tx, ids["trust"])
    values = deleted.values_before(Kind.CODE, ids["trust"])
    with store.read() as session:  # what the audit trail recorded, no more and no less
        assert before_after(last_event(session, "code.delete"))[0] == values
    with store.transaction("alice") as tx:
        new_id = codes.restore_code(tx, values).new_id(Kind.CODE)
    with store.read() as session:
        code = session.get(Code, new_id)
        assert code is not None and code.name == "Trust"
    assert _codings(store) == [(doc, new_id, *rest) for doc, _code, *rest in was]


def test_renaming_a_code_keeps_the_name_before(store: ProjectStore,
                                               ids: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        renamed = codes.rename_code(tx, ids["trust"], "Slow trust")
    assert renamed.values_before(Kind.CODE, ids["trust"]) == {"name": "Trust"}


def test_names_and_places_by_id(store: ProjectStore, ids: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        codes.merge_codes(tx, [ids["role"]], ids["trust"])
    start = TEXT.index("Trust goes")
    with store.read() as session:
        assert code_names(session, [ids["trust"], ids["role"], 999]) == {
            ids["trust"]: "Trust", ids["role"]: "Dual role"}  # a merged code keeps its name
        assert [(code_id, name) for code_id, name, _colour in active_codes(session)] == [
            (ids["trust"], "Trust")]
        assert active_codes(session, [ids["role"]]) == []
        assert coding_place(session, ids["coding"]) == (
            ids["doc"], start, start + len("Trust goes slowly"))
        assert coding_place(session, 999) is None
