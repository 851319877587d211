"""The printed transcripts' model read from a project: lines, speakers, codings as line
ranges, notes and memos numbered in text order, and the code and coder filters."""

from __future__ import annotations

import pytest

from tests.core.two_coders import SELF_CARE, SUPERVISION, TEXT, span, two_coders
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.reports.transcript_print import printed_transcripts
from thematic_workbench.core.services.annotations import add_annotation
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.textlayout import compute_lines


@pytest.fixture
def project(store: ProjectStore) -> ProjectStore:
    ids = two_coders(store)
    with store.transaction("alice") as tx:
        add_annotation(tx, ids.pa, *span("And supervision?"), "Short prompt here.")
        apply_coding(tx, ids.pa, ids.supervision, *span("How do you look after yourself"),
                     "Asked first: sets the frame.")
    with store.transaction("bob") as tx:
        add_annotation(tx, ids.pa, *span("the unsayable"), "Bob's note.")
    return store


def test_lines_codings_and_numbered_notes(project: ProjectStore) -> None:
    with project.read() as read:
        report = printed_transcripts(read, ["pa-interview"])
    assert report.study == "Test study" and report.filter_text == "All codings"
    (transcript,) = report.transcripts
    assert transcript.title == "PA-interview"  # the participant is in its name already
    lines = compute_lines(TEXT, 80)
    assert [line.text for line in transcript.lines] == [TEXT[line.start:line.end]
                                                       for line in lines]
    assert [line.number for line in transcript.lines] == [1, 2, 3, 4, 5]
    shown = {(c.code, c.coder, c.first_line, c.last_line, c.note) for c in transcript.codings}
    assert shown == {(SELF_CARE, "alice", 2, 2, None), (SELF_CARE, "bob", 2, 2, None),
                     (SUPERVISION, "alice", 5, 5, None), (SUPERVISION, "alice", 1, 1, 1)}
    # Notes and memos share one numbering, in the order of the text.
    assert [(n.number, n.kind, n.first_line, n.coder, n.text) for n in transcript.notes] == [
        (1, "memo", 1, "alice", "Asked first: sets the frame."),
        (2, "note", 4, "alice", "Short prompt here."),
        (3, "note", 5, "bob", "Bob's note.")]
    assert transcript.notes[0].heading == f"Memo on '{SUPERVISION}', line 1"
    assert report.describe() == "1 transcript, 4 codings shown"


def test_code_and_coder_filters(project: ProjectStore) -> None:
    with project.read() as read:
        by_code = printed_transcripts(read, ["PA-interview", "PB-interview"],
                                      codes=["looking AFTER oneself"])
        by_bob = printed_transcripts(read, ["PA-interview"], coders=["BOB"])
    assert by_code.filter_text == f"Code: {SELF_CARE}"
    assert {c.code for t in by_code.transcripts for c in t.codings} == {SELF_CARE}
    assert [len(t.codings) for t in by_code.transcripts] == [2, 1]
    assert [n.kind for n in by_code.transcripts[0].notes] == ["note", "note"]  # no memo
    assert by_bob.filter_text == "Coded by bob"
    (transcript,) = by_bob.transcripts
    assert {(c.code, c.coder) for c in transcript.codings} == {(SELF_CARE, "bob")}
    assert [(n.number, n.text) for n in transcript.notes] == [(1, "Bob's note.")]


@pytest.mark.parametrize("documents, codes, coders, missing", [
    (["PZ-interview"], [], [], "no document named 'PZ-interview'"),
    (["PA-interview"], ["Nothing"], [], "no code named 'Nothing'"),
    (["PA-interview"], [], ["carol"], "no coder named 'carol'"),
])
def test_a_name_not_there_is_named(project: ProjectStore, documents: list[str],
                                   codes: list[str], coders: list[str], missing: str) -> None:
    with project.read() as read, pytest.raises(NotFoundError, match=missing):
        printed_transcripts(read, documents, codes, coders)
