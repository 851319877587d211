"""Text coded twice counts once in the theme × participant matrix, in segments as in
characters, as the view's legend says ("overlapping codings count once").

One transcript of 100 characters, coded by span (code points), so every number below is
worked out by hand from the spans:

    A [0, 20)  B [0, 20)     the same words with two codes of one theme
    A [30, 50) B [40, 60)    two codings that overlap: one stretch [30, 60)
    A [70, 80) B [80, 90)    two codings that touch but do not overlap: two stretches
    C [10, 35)               a code of another theme, across the first two stretches
"""

from __future__ import annotations

import pytest

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.theme_matrix import Support, theme_participant_matrix
from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore

TEXT = "".join(chr(ord("a") + n % 26) for n in range(100))  # one line, no speaker


@pytest.fixture
def ids(store: ProjectStore) -> dict[str, int]:
    found: dict[str, int] = {}
    with store.transaction("alice") as tx:
        found["doc"] = import_document(tx, imported(TEXT, "PA interview"), "PA") \
            .new_id("document")
        for key in ("A", "B", "C"):
            found[key] = codes.create_code(tx, f"Code {key}").new_id("code")
        found["final"] = themes.create_theme(tx, "Final", "final").new_id("theme")
        found["T"] = themes.create_theme(tx, "Theme T", parent_id=found["final"]) \
            .new_id("theme")
        found["U"] = themes.create_theme(tx, "Theme U", parent_id=found["final"]) \
            .new_id("theme")
        for code, theme in (("A", "T"), ("B", "T"), ("C", "U")):
            themes.assign_code(tx, found[code], found[theme])
        for code, start, end in (("A", 0, 20), ("B", 0, 20), ("A", 30, 50), ("B", 40, 60),
                                 ("A", 70, 80), ("B", 80, 90), ("C", 10, 35)):
            codings.apply_coding(tx, found["doc"], found[code], start, end)
    return found


def test_a_passage_coded_with_two_codes_of_a_theme_is_one_segment(
        store: ProjectStore, ids: dict[str, int]) -> None:
    with store.read() as session:
        matrix = theme_participant_matrix(session, "emerging")
    # T: [0, 20) once, [30, 60) as one stretch, [70, 80) and [80, 90): 4 segments,
    # 20 + 30 + 10 + 10 = 70 characters (seven codings would say 6 segments)
    assert matrix.cell(ids["T"], "PA") == Support(4, 70)
    assert matrix.cell(ids["U"], "PA") == Support(1, 25)
    # Any theme: [0, 20), [10, 35), [30, 50), [40, 60) chain into [0, 60); then the two
    # touching stretches: 3 segments, 60 + 10 + 10 = 80 characters
    assert matrix.participant_total("PA") == Support(3, 80)
    assert matrix.total == Support(3, 80)


def test_the_final_theme_counts_its_emerging_themes_text_once(
        store: ProjectStore, ids: dict[str, int]) -> None:
    with store.read() as session:
        matrix = theme_participant_matrix(session, "final")
    assert matrix.cell(ids["final"], "PA") == Support(3, 80)


def test_a_second_coder_on_the_same_words_adds_nothing(
        store: ProjectStore, ids: dict[str, int]) -> None:
    with store.transaction("bob") as tx:
        codings.apply_coding(tx, ids["doc"], ids["A"], 0, 20)
        codings.apply_coding(tx, ids["doc"], ids["C"], 30, 60)
    with store.read() as session:
        matrix = theme_participant_matrix(session, "emerging")
    assert matrix.cell(ids["T"], "PA") == Support(4, 70)
    # U now: [10, 35) and [30, 60) overlap: one stretch [10, 60) of 50 characters
    assert matrix.cell(ids["U"], "PA") == Support(1, 50)
    assert matrix.total == Support(3, 80)
