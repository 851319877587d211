"""The theme × participant matrix, the code × theme table and collated themes, checked
against a small study of four therapists whose numbers can be worked out by hand.

Every coded phrase is listed in CODINGS with its length; each transcript line is shorter
than the wrap width, so line numbers are the lines as written.
"""

from __future__ import annotations

import pytest

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.theme_matrix import (
    NO_PARTICIPANT,
    Support,
    board_themes,
    code_theme_table,
    collate_theme,
    extracts_for_cell,
    label_order,
    theme_participant_matrix,
)
from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore

TRANSCRIPTS = {
    "PA": ("INTERVIEWER: What happens for you after a hard session?\n"
           "PA: I keep replaying the session in my head on the drive home.\n"
           "PA: Some evenings I feel completely drained, there is nothing left.\n"
           "PA: So I go for a run and it clears my head before I see the kids.\n"
           "PA: I have a rule that work stays at the front door.\n"
           "PA: Supervision is the one place I can say I got it wrong.\n"
           "PA: And we joke about it in the staff room, gallows humour really."),
    "PB": ("INTERVIEWER: How do you look after yourself?\n"
           "PB: Honestly, some clients stay with me for days afterwards.\n"
           "PB: I lie awake going over what I said and what I should have said.\n"
           "PB: I switch my phone off at six so my family gets me, not the job.\n"
           "PB: A walk by the river at lunchtime helps me reset.\n"
           "PB: My supervisor just lets me offload without judging.\n"
           "PB: Supervision keeps me safe to keep doing this work."),
    "PC": ("INTERVIEWER: What gets you through a difficult week?\n"
           "PC: By Thursday I am exhausted and short with everyone at home.\n"
           "PC: The commute is when I decide to put the day down.\n"
           "PC: I run three mornings a week, it is non-negotiable.\n"
           "PC: Running gives the adrenaline somewhere to go.\n"
           "PC: We have a dark sense of humour on the ward, it keeps us going."),
    "PD": ("INTERVIEWER: Does the work follow you home?\n"
           "PD: The images clients make stay in my mind long after they leave.\n"
           "PD: Sometimes I sit in the car for ten minutes before going inside.\n"
           "PD: Making my own art is how I process what I have seen.\n"
           "PD: Group supervision is where I feel held by colleagues.\n"
           "PD: Without it I would have burnt out years ago."),
}

CODES = {
    "replay": "Replaying sessions", "drained": "Feeling drained",
    "door": "Leaving work at the door", "family": "Protecting family time",
    "run": "Running", "clear": "Clearing my head",
    "supervision": "Supervision as a safe space", "humour": "Gallows humour",
}

# (participant, code, phrase): length in characters, line
CODINGS = [
    ("PA", "replay", "I keep replaying the session in my head"),  # 39, line 2
    ("PA", "drained", "I feel completely drained"),  # 25, line 3
    ("PA", "run", "I go for a run"),  # 14, line 4, inside the next one
    ("PA", "clear", "I go for a run and it clears my head"),  # 36, line 4
    ("PA", "family", "before I see the kids"),  # 21, line 4
    ("PA", "door", "work stays at the front door"),  # 28, line 5
    ("PA", "supervision", "Supervision is the one place I can say I got it wrong"),  # 53
    ("PA", "humour", "gallows humour really"),  # 21, line 7
    ("PB", "replay", "some clients stay with me for days afterwards"),  # 45, line 2
    ("PB", "replay", "I lie awake going over what I said and what I should have said"),  # 62
    ("PB", "family", "I switch my phone off at six so my family gets me, not the job"),  # 62
    ("PB", "door", "I switch my phone off at six"),  # 28, inside the one before
    ("PB", "clear", "A walk by the river at lunchtime helps me reset"),  # 47, line 5
    ("PB", "supervision", "My supervisor just lets me offload without judging"),  # 50
    ("PB", "supervision", "Supervision keeps me safe to keep doing this work"),  # 49
    ("PC", "drained", "By Thursday I am exhausted and short with everyone at home"),  # 58
    ("PC", "door", "The commute is when I decide to put the day down"),  # 48, line 3
    ("PC", "run", "I run three mornings a week, it is non-negotiable"),  # 49, line 4
    ("PC", "run", "Running gives the adrenaline somewhere to go"),  # 44, line 5
    ("PC", "clear", "Running gives the adrenaline somewhere to go"),  # 44, same words
    ("PC", "humour", "We have a dark sense of humour on the ward"),  # 42, line 6
    ("PD", "replay", "The images clients make stay in my mind long after they leave"),  # 61
    ("PD", "door", "I sit in the car for ten minutes before going inside"),  # 52, line 3
    ("PD", "clear", "Making my own art is how I process what I have seen"),  # 51, line 4
    ("PD", "supervision", "Group supervision is where I feel held by colleagues"),  # 52
    ("PD", "drained", "I would have burnt out years ago"),  # 32, inside the next one
    ("PD", "supervision", "Without it I would have burnt out years ago"),  # 43, line 6
]


def build_study(store: ProjectStore) -> dict[str, int]:
    """Four therapists, eight codes, two final themes over four emerging themes (created
    out of board order), "Gallows humour" in no theme; 27 codings."""
    ids: dict[str, int] = {}
    with store.transaction("alice") as tx:
        for label in ("PC", "PA", "PD", "PB"):  # imported out of label order
            ids[label] = import_document(tx, imported(TRANSCRIPTS[label], f"{label} interview"),
                                         label).new_id("document")
        for key, name in CODES.items():
            ids[key] = codes.create_code(tx, name).new_id("code")
        for key, name, definition in (
                ("home", "Carrying the work home",
                 "What stays with therapists after sessions, and the lines they draw."),
                ("letgo", "Finding ways to let go",
                 "What therapists do, alone and with others, to put the work down.")):
            ids[key] = themes.create_theme(tx, name, "final", definition).new_id("theme")
        for key, name, parent in (("outlets", "Physical outlets", "letgo"),
                                  ("residue", "Emotional residue", "home"),
                                  ("held", "Being held by supervision", "letgo"),
                                  ("boundaries", "Boundaries at the door", "home")):
            ids[key] = themes.create_theme(tx, name, parent_id=ids[parent]).new_id("theme")
        for code, theme in (("replay", "residue"), ("drained", "residue"),
                            ("door", "boundaries"), ("family", "boundaries"),
                            ("run", "outlets"), ("clear", "outlets"),
                            ("supervision", "held")):
            themes.assign_code(tx, ids[code], ids[theme])
        for label, code, phrase in CODINGS:
            codings.code_match(tx, ids[label], ids[code], phrase)
    return ids


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


def _cells(store: ProjectStore, level: str) -> dict[str, list[tuple[int, int]]]:
    """Theme name -> [(segments, characters) per participant column]."""
    with store.read() as session:
        matrix = theme_participant_matrix(session, level)
    return {theme.name: [(c.segments, c.characters)
                         for c in (matrix.cell(theme.id, who) for who in matrix.participants)]
            for theme in matrix.themes}


def test_emerging_matrix_counts_segments_and_text_once(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        matrix = theme_participant_matrix(session, "emerging")
    assert matrix.participants == ("PA", "PB", "PC", "PD")
    assert [t.name for t in matrix.themes] == [  # final themes' order, then their own
        "Emotional residue", "Boundaries at the door", "Physical outlets",
        "Being held by supervision"]
    assert _cells(store, "emerging") == {
        "Emotional residue": [(2, 39 + 25), (2, 45 + 62), (1, 58), (2, 61 + 32)],
        # PB: "I switch my phone off at six" lies inside the 62-character family coding:
        # one segment, as text coded twice counts once
        "Boundaries at the door": [(2, 21 + 28), (1, 62), (1, 48), (1, 52)],
        # PA: the run (14) inside "...and it clears my head" (36); PC: one sentence twice
        "Physical outlets": [(1, 36), (1, 47), (2, 49 + 44), (1, 51)],
        "Being held by supervision": [(1, 53), (2, 50 + 49), (0, 0), (2, 52 + 43)],
    }
    assert matrix.theme_total(study["outlets"]) == Support(5, 36 + 47 + 93 + 51)
    assert matrix.theme_total(study["residue"]) == Support(7, 322)
    # Any theme, each segment once: PD's "burnt out" (32) lies inside the supervision
    # extract (43), so PD counts 61 + 52 + 51 + 52 + 43 and not the two themes' 93 + 95.
    assert matrix.participant_total("PD") == Support(5, 259)
    # PA's run inside the run-and-clear line is one segment with it
    assert matrix.participant_total("PA") == Support(6, 39 + 25 + 36 + 21 + 28 + 53)
    assert matrix.participant_total("PC") == Support(4, 58 + 48 + 49 + 44)
    assert matrix.total == Support(6 + 6 + 4 + 5, 202 + 315 + 199 + 259)


def test_final_theme_is_supported_by_its_emerging_themes_codes(
        store: ProjectStore, study: dict[str, int]) -> None:
    assert _cells(store, "final") == {
        "Carrying the work home": [(4, 64 + 49), (3, 107 + 62), (2, 58 + 48), (3, 93 + 52)],
        "Finding ways to let go": [(2, 36 + 53), (3, 47 + 99), (2, 93), (3, 51 + 95)],
    }
    with store.read() as session:
        matrix = theme_participant_matrix(session, "final")
    assert [t.id for t in matrix.themes] == [study["home"], study["letgo"]]
    assert matrix.theme_total(study["home"]) == Support(12, 533)
    with pytest.raises(ValueError, match="level"):
        theme_participant_matrix(session, "candidate")


def test_shared_codes_discarded_themes_and_unassigned_transcripts(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        themes.assign_code(tx, study["clear"], study["boundaries"])  # a code in two themes
        themes.discard_theme(tx, study["held"])
        pilot = import_document(tx, imported(TRANSCRIPTS["PA"], "Pilot")).new_id("document")
        codings.code_match(tx, pilot, study["run"], "I go for a run")
    cells = _cells(store, "emerging")
    assert list(cells) == ["Emotional residue", "Boundaries at the door", "Physical outlets"]
    # PB's walk (47) now supports the boundaries too; the pilot has no participant
    assert cells["Boundaries at the door"][1] == (2, 62 + 47)
    assert cells["Physical outlets"] == [(1, 36), (1, 47), (2, 93), (1, 51), (1, 14)]
    with store.read() as session:
        matrix = theme_participant_matrix(session, "emerging")
        final = theme_participant_matrix(session, "final")
    assert matrix.participants[-1] == NO_PARTICIPANT
    assert matrix.participant_total("PB") == Support(4, 45 + 62 + 62 + 47)  # walk once
    assert final.cell(study["letgo"], "PD") == Support(1, 51)  # supervision discarded


def test_cell_extracts_are_the_segments_counted(store: ProjectStore,
                                                 study: dict[str, int]) -> None:
    with store.read() as session:
        outlets = extracts_for_cell(session, study["outlets"], "PC")
        letgo = extracts_for_cell(session, study["letgo"], "PD")
        nothing = extracts_for_cell(session, study["held"], "PC")
        gone = extracts_for_cell(session, 9999, "PA")
    assert outlets is not None and letgo is not None and nothing is not None
    assert outlets.name == "Physical outlets · PC"
    assert [(e.code, e.extract.citation, e.extract.text) for e in outlets.extracts] == [
        ("Running", "[PC, line 4]", "I run three mornings a week, it is non-negotiable"),
        ("Clearing my head", "[PC, line 5]", "Running gives the adrenaline somewhere to go"),
        ("Running", "[PC, line 5]", "Running gives the adrenaline somewhere to go"),
    ]
    assert [(e.code, e.extract.citation) for e in letgo.extracts] == [
        ("Clearing my head", "[PD, line 4]"),
        ("Supervision as a safe space", "[PD, line 5]"),
        ("Supervision as a safe space", "[PD, line 6]"),
    ]
    assert nothing.extracts == () and gone is None


def test_code_theme_table_in_table_one_order_with_unthemed_codes_last(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        rows = code_theme_table(session)
    home, letgo = "Carrying the work home", "Finding ways to let go"
    assert [(r.code, r.codings, r.participants, r.emerging, r.final, r.unthemed)
            for r in rows] == [
        ("Replaying sessions", 4, 3, ("Emotional residue",), (home,), False),
        ("Feeling drained", 3, 3, ("Emotional residue",), (home,), False),
        ("Leaving work at the door", 4, 4, ("Boundaries at the door",), (home,), False),
        ("Protecting family time", 2, 2, ("Boundaries at the door",), (home,), False),
        ("Running", 3, 2, ("Physical outlets",), (letgo,), False),
        ("Clearing my head", 4, 4, ("Physical outlets",), (letgo,), False),
        ("Supervision as a safe space", 5, 3, ("Being held by supervision",), (letgo,),
         False),
        ("Gallows humour", 2, 2, (), (), True),
    ]


def test_code_theme_table_follows_shared_and_direct_membership(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        themes.assign_code(tx, study["clear"], study["boundaries"])
        themes.assign_code(tx, study["humour"], study["home"])  # straight into a final theme
        codes.create_code(tx, "Annual leave")
    with store.read() as session:
        rows = {r.code: r for r in code_theme_table(session)}
        final = theme_participant_matrix(session, "final")
    clear = rows["Clearing my head"]
    assert clear.emerging == ("Boundaries at the door", "Physical outlets")
    assert clear.final == ("Carrying the work home", "Finding ways to let go")
    assert rows["Gallows humour"].final == ("Carrying the work home",)
    assert not rows["Gallows humour"].unthemed
    assert rows["Annual leave"].unthemed and rows["Annual leave"].codings == 0
    # PA's home row: 4 segments (113) + gallows humour (21) + the run-and-clear line (36)
    assert final.cell(study["home"], "PA") == Support(6, 113 + 21 + 36)


def test_collated_final_theme_groups_extracts_by_code(store: ProjectStore,
                                                      study: dict[str, int]) -> None:
    with store.read() as session:
        collated = collate_theme(session, study["letgo"])
        emerging = collate_theme(session, study["held"])
        assert collate_theme(session, 9999) is None
    assert collated is not None and emerging is not None
    assert collated.children == ("Physical outlets", "Being held by supervision")
    assert [(s.code, s.via, len(s.extracts)) for s in collated.sections] == [
        ("Running", ("Physical outlets",), 3),
        ("Clearing my head", ("Physical outlets",), 4),
        ("Supervision as a safe space", ("Being held by supervision",), 5),
    ]
    assert collated.extract_count == 12 and collated.participants == 4
    assert emerging.theme.group == "Finding ways to let go"
    (section,) = emerging.sections
    assert [e.citation for e in section.extracts] == [
        "[PA, line 6]", "[PB, line 6]", "[PB, line 7]", "[PD, line 5]", "[PD, line 6]"]


def test_board_and_label_order(store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        board = board_themes(session)
    assert [(t.name, t.group) for t in board] == [
        ("Carrying the work home", None),
        ("Emotional residue", "Carrying the work home"),
        ("Boundaries at the door", "Carrying the work home"),
        ("Finding ways to let go", None),
        ("Physical outlets", "Finding ways to let go"),
        ("Being held by supervision", "Finding ways to let go"),
    ]
    assert sorted(["P10", "P2", "pa", "P1"], key=label_order) == ["P1", "P2", "P10", "pa"]
