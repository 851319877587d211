"""Agreement narrowed to a scope: in a focus group, only the chosen participants' speech is
compared, character by character."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.agreement import Counts, clip_to_regions, compare_coders
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.services import codes, codings, participants
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.speakers import map_speaker
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns

GROUP = ("Moderator: What keeps the alliance going?\n"
         "Anna: Honesty about the risk report.\n"
         "Ben: Patience; the trust comes late.\n")


def test_a_participant_scope_compares_only_their_speech(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        document = import_document(tx, replace(imported(GROUP, "Group 1"),
                                                turns=tuple(detect_turns(GROUP))))
        document_id = document.new_id("document")
        anna = participants.create_participant(tx, "P1").new_id("participant")
        ben = participants.create_participant(tx, "P2").new_id("participant")
        map_speaker(tx, document_id, "Anna", anna)
        map_speaker(tx, document_id, "Ben", ben)
        code = codes.create_code(tx, "Honesty").new_id("code")
    anna_speech = GROUP.index("Honesty"), GROUP.index("report.") + len("report.")
    honesty = GROUP.index("Honesty"), GROUP.index("Honesty") + len("Honesty about")
    patience = GROUP.index("Patience"), GROUP.index("Patience") + len("Patience")
    with store.transaction("alice") as tx:
        codings.apply_coding(tx, document_id, code, *anna_speech)
        codings.apply_coding(tx, document_id, code, *patience)
    with store.transaction("bob") as tx:
        codings.apply_coding(tx, document_id, code, *honesty)
    with store.read() as session:
        whole = compare_coders(session, "alice", "bob")
        anna_only = compare_coders(session, "alice", "bob",
                                   scope=Scope(participants=frozenset({"P1"})))
        no_one = compare_coders(session, "alice", "bob",
                                scope=Scope(not_speakers=frozenset({"Anna", "Ben",
                                                                    "moderator"})))
    length = anna_speech[1] - anna_speech[0]
    both = honesty[1] - honesty[0]
    assert whole.rows[0].counts == Counts(both, length - both + patience[1] - patience[0], 0,
                                          len(GROUP) - 1 - length - (patience[1] - patience[0]))
    # Only Anna's words: alice's coding of Ben's "Patience" is out of scope.
    assert anna_only.rows[0].counts == Counts(both, length - both, 0, 0)
    assert anna_only.documents[0].characters == length
    assert no_one.rows == () and no_one.documents == ()


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(
    lambda pair: (pair[0], pair[0] + pair[1])), max_size=6)


@given(spans, spans)
def test_clipping_keeps_exactly_the_characters_inside(coded: list[tuple[int, int]],
                                                      regions: list[tuple[int, int]]) -> None:
    inside = {i for start, end in regions for i in range(start, end)}
    merged_regions = sorted(set(inside))
    runs: list[tuple[int, int]] = []
    for i in merged_regions:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    kept = clip_to_regions(coded, runs)
    assert {i for start, end in kept for i in range(start, end)} == \
        {i for start, end in coded for i in range(start, end)} & inside
