"""A theme's collated extracts and a matrix cell's extracts, for one coder's codings only
(blind double coding): each section keeps its code, only the chosen coders' extracts fill it."""

from __future__ import annotations

from tests.core.two_coders import SELF_CARE, SUPERVISION, two_coders
from thematic_workbench.analysis.theme_matrix import collate_theme, extracts_for_cell
from thematic_workbench.core.storage.store import ProjectStore


def test_collated_theme_of_one_coder(store: ProjectStore) -> None:
    ids = two_coders(store)
    with store.read() as session:
        everyone = collate_theme(session, ids.theme)
        bobs = collate_theme(session, ids.theme, {"bob"})
    assert everyone is not None and bobs is not None
    assert (everyone.extract_count, everyone.participants) == (4, 2)
    assert (bobs.extract_count, bobs.participants) == (2, 2)
    assert [(s.code, [e.text for e in s.extracts]) for s in bobs.sections] == [
        (SELF_CARE, ["It clears my head", "I go for a run"]), (SUPERVISION, [])]
    assert {e.coder for s in bobs.sections for e in s.extracts} == {"bob"}


def test_a_cell_of_one_coder(store: ProjectStore) -> None:
    ids = two_coders(store)
    with store.read() as session:
        everyone = extracts_for_cell(session, ids.theme, "PA")
        alices = extracts_for_cell(session, ids.theme, "PA", {"alice"})
        bobs_pb = extracts_for_cell(session, ids.theme, "PB", {"bob"})
        alices_pb = extracts_for_cell(session, ids.theme, "PB", {"alice"})
    assert everyone is not None and alices is not None
    assert bobs_pb is not None and alices_pb is not None
    assert len(everyone.extracts) == 3
    assert [(i.code, i.extract.text) for i in alices.extracts] == [
        (SELF_CARE, "I go for a run"), (SUPERVISION, "Supervision is where I can say")]
    assert [i.extract.text for i in bobs_pb.extracts] == ["I go for a run"]
    assert alices_pb.extracts == ()
