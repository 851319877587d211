"""Co-occurrence of codes, counted on spans and turns laid out by hand, then checked against a
brute-force count over a few hundred random codings."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from itertools import combinations

import pytest
from sqlalchemy import select, update

from thematic_workbench.analysis.cooccurrence import code_cooccurrence
from thematic_workbench.core.records.imported import ImportedDocument
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Code, Coder, Coding, Turn
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import ImportedTurn
from thematic_workbench.core.text.textlayout import compute_lines

TEXT = "Intro" + "".join(f" turn {n} " + "x" * 22 for n in range(4))  # 5 + 4 * 30 characters
TURNS = ((5, 35), (35, 65), (65, 95), (95, 125))  # nothing before character 5 is a turn


def _document(name: str) -> ImportedDocument:
    return ImportedDocument(
        name=name, source_name=f"{name}.txt", source_format="txt",
        sha256=hashlib.sha256(name.encode()).hexdigest(), text=TEXT, wrap_width=80,
        lines=tuple(compute_lines(TEXT, 80)),
        turns=tuple(ImportedTurn("PA" if n % 2 else "INTERVIEWER", start, end, start)
                    for n, (start, end) in enumerate(TURNS)))


@pytest.fixture
def ids(store: ProjectStore) -> dict[str, int]:
    """Two transcripts with four turns each, codes A-E, codings by alice and bob."""
    found: dict[str, int] = {}
    assert len(TEXT) == 125
    with store.transaction("alice") as tx:
        for name in ("one", "two"):
            found[name] = import_document(tx, _document(name)).new_id("document")
        for name in "ABCDE":
            found[name] = codes.create_code(tx, f"Code {name}").new_id("code")
        for document, code, start, end in (
                ("one", "A", 10, 20), ("one", "B", 15, 25),  # overlap: A-B
                ("one", "C", 20, 30),  # touches A at 20 (no overlap), overlaps B: B-C
                ("one", "A", 40, 50), ("one", "B", 40, 45),  # same start: A-B
                ("one", "A", 60, 70), ("one", "C", 60, 70),  # the same span: A-C
                ("one", "D", 50, 100),  # from turn 2 into turn 4: overlaps A 60-70, C 60-70
                ("one", "E", 0, 3),  # before the first turn: in no turn
                ("two", "E", 10, 20),  # the same place as A in "one", another transcript
                ("two", "B", 100, 110)):
            codings.apply_coding(tx, found[document], found[code], start, end)
    with store.transaction("bob") as tx:
        codings.apply_coding(tx, found["one"], found["A"], 12, 18)  # bob's A inside B too
        codings.apply_coding(tx, found["two"], found["A"], 105, 115)  # with B in turn 4
        codings.apply_coding(tx, found["two"], found["C"], 2, 8)  # straddles turn 1's start
        found["alice"], found["bob"] = (tx.session.execute(
            select(Coder.id).where(Coder.name == who)).scalar_one() for who in ("alice", "bob"))
    return found


def _named(store: ProjectStore, ids: dict[str, int], **options: object) -> dict[str, int]:
    names = {ids[name]: name for name in "ABCDE"}
    with store.read() as session:
        counts = code_cooccurrence(session, **options)  # type: ignore[arg-type]
    assert all(low < high for low, high in counts)
    return {names[low] + names[high]: count for (low, high), count in counts.items()}


def test_overlapping_spans_count_each_pair_of_codings_once(
        store: ProjectStore, ids: dict[str, int]) -> None:
    # AB: 10-20/15-25, 40-50/40-45, bob's 12-18/15-25 and in "two" bob's 105-115/100-110
    assert _named(store, ids) == {"AB": 4, "BC": 1, "AC": 1, "AD": 1, "CD": 1}
    assert _named(store, ids, mode="overlap", coder_ids=[ids["alice"]]) == {
        "AB": 2, "BC": 1, "AC": 1, "AD": 1, "CD": 1}
    assert _named(store, ids, coder_ids=[ids["bob"]]) == {}  # one code per passage
    assert _named(store, ids, coder_ids=()) == {}


def test_speaker_turns_count_each_turn_once_per_pair(
        store: ProjectStore, ids: dict[str, int]) -> None:
    # "one": turn 1 holds A, B, C (A twice); turn 2 A, B, C, D (A and C 60-70 reach into
    # turn 3, D on to turn 4); turn 3 A, C, D; turn 4 D alone. E's 0-3 is in no turn.
    # "two": turn 1 E and bob's C (2-8 reaches into it); turn 4 A and B.
    assert _named(store, ids, mode="turn") == {
        "AB": 3, "AC": 3, "BC": 2, "AD": 2, "BD": 1, "CD": 2, "CE": 1}
    assert _named(store, ids, mode="turn", coder_ids={ids["alice"]}) == {
        "AB": 2, "AC": 3, "BC": 2, "AD": 2, "BD": 1, "CD": 2}
    assert _named(store, ids, mode="turn", coder_ids=[ids["bob"]]) == {}


def test_merged_codes_do_not_count_and_modes_are_checked(
        store: ProjectStore, ids: dict[str, int]) -> None:
    with store.transaction("alice") as tx:  # as history: a code merged, its codings kept
        tx.session.execute(update(Code).where(Code.id == ids["D"]).values(status="merged"))
    assert _named(store, ids) == {"AB": 4, "BC": 1, "AC": 1}
    with store.read() as session, pytest.raises(ValueError, match="'overlap' or 'turn'"):
        code_cooccurrence(session, "sentence")


def _brute_force(rows: list[tuple[int, int, int, int, int]],
                 turns: list[tuple[int, int, int, int]]) -> tuple[Counter, Counter]:
    """(document, code, coder, start, end) codings and (id, document, start, end) turns."""
    overlap: Counter = Counter()
    for one, other in combinations(rows, 2):
        if one[0] == other[0] and one[1] != other[1] and one[3] < other[4] \
                and other[3] < one[4]:
            overlap[tuple(sorted((one[1], other[1])))] += 1
    in_turn: Counter = Counter()
    for _turn, document, start, end in turns:
        present = sorted({row[1] for row in rows if row[0] == document and row[3] < end
                          and start < row[4]})
        in_turn.update(combinations(present, 2))
    return overlap, in_turn


def test_random_codings_agree_with_a_brute_force_count(store: ProjectStore) -> None:
    rng = random.Random(11)
    with store.transaction("alice") as tx:
        documents = [import_document(tx, _document(name)).new_id("document")
                     for name in ("one", "two", "three")]
        code_ids = [codes.create_code(tx, f"Code {n}").new_id("code") for n in range(8)]
        seen = set()
        while len(seen) < 300:
            document, code = rng.choice(documents), rng.choice(code_ids)
            start = rng.randrange(len(TEXT) - 1)
            end = min(len(TEXT), start + rng.randint(1, 40))
            if (document, code, start, end) not in seen:
                seen.add((document, code, start, end))
                codings.apply_coding(tx, document, code, start, end)
    with store.read() as session:
        rows = [tuple(row) for row in session.execute(select(
            Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end))]
        turns = [tuple(row) for row in session.execute(select(
            Turn.id, Turn.document_id, Turn.start, Turn.end))]
        overlap, in_turn = _brute_force(rows, turns)  # type: ignore[arg-type]
        assert code_cooccurrence(session, "overlap") == dict(overlap)
        assert code_cooccurrence(session, "turn") == dict(in_turn)
        assert len(overlap) == 28 and sum(overlap.values()) > 300
