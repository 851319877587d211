"""Descriptive statistics, checked against a small study whose numbers can be worked out
by hand, and against the demo project's own summaries.

Every transcript line is shorter than the wrap width, so line numbers are the lines as
written (blank lines get no number).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.cooccurrence import code_cooccurrence
from thematic_workbench.analysis.coverage import MIN_STRETCH
from thematic_workbench.analysis.stats import (
    NOT_SET,
    AttributeGroup,
    Reach,
    attribute_names,
    code_by_attribute,
    code_by_participant,
    code_frequencies,
    cooccurrence_matrix,
    coverage,
    project_stats,
)
from thematic_workbench.analysis.theme_matrix import NO_PARTICIPANT
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.queries.project import code_summaries, document_summaries
from thematic_workbench.core.services import codes, codings, participants, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore

PA_TEXT = ("INTERVIEWER: How was the week for you?\n"  # line 1
           "PA: Long. I went for a run every morning.\n"  # line 2
           "\n"
           "PA: Supervision helped me think it through.\n"  # line 3
           "PA: Home was quiet at last, and I slept badly.\n"  # line 4
           "PA: Then the weekend came and I rested properly at last.")  # line 5
PB_TEXT = ("INTERVIEWER: And for you?\n"  # line 1
           "PB: I run at lunchtime.\n"  # line 2
           "PB: My supervisor listens without judging me.")  # line 3
PC_TEXT = "PC: Nothing has been coded in this transcript yet, not one word."
PILOT_TEXT = "Pilot: I run, and supervision helps."


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


def build_study(store: ProjectStore) -> dict[str, int]:
    """PA (female, 12 years), PB (male, 5 years), PC (nothing set, nothing coded), a pilot
    without participant; codes Running, Supervision, Sleep, Unused and Old (merged into
    Running); an emerging theme holding Supervision then Running."""
    with store.transaction("alice") as tx:
        ids = {key: import_document(tx, imported(text, name), label).new_id("document")
               for key, text, name, label in (("pa", PA_TEXT, "PA interview", "PA"),
                                              ("pb", PB_TEXT, "PB interview", "PB"),
                                              ("pc", PC_TEXT, "PC interview", "PC"),
                                              ("pilot", PILOT_TEXT, "Pilot", None))}
        participants.define_attribute(tx, "gender")
        participants.define_attribute(tx, "years", "number")
        for label, gender, years in (("PA", "female", 12), ("PB", "male", 5)):
            person = participants.find_participant(tx.session, label)
            assert person is not None
            participants.set_participant_attribute(tx, person.id, "gender", gender)
            participants.set_participant_attribute(tx, person.id, "years", years)
        for key, name in (("run", "Running"), ("sup", "Supervision"), ("sleep", "Sleep"),
                          ("unused", "Unused"), ("old", "Old")):
            ids[key] = codes.create_code(tx, name).new_id("code")
        ids["theme"] = themes.create_theme(tx, "Ways of coping").new_id("theme")
        themes.assign_code(tx, ids["sup"], ids["theme"])
        themes.assign_code(tx, ids["run"], ids["theme"])
        codings.code_match(tx, ids["pa"], ids["run"], "I went for a run every morning")
        codings.code_match(tx, ids["pa"], ids["sup"], "Supervision helped me")
        codings.code_match(tx, ids["pa"], ids["run"], "Supervision helped me think it through")
        codings.code_match(tx, ids["pa"], ids["sleep"], "I slept badly")
        codings.code_match(tx, ids["pb"], ids["run"], "I run at lunchtime")
        codings.code_lines(tx, ids["pb"], ids["sup"], 3, 3)
        codings.code_match(tx, ids["pilot"], ids["old"], "I run")
        codings.code_match(tx, ids["pilot"], ids["sup"], "supervision helps")
        codes.merge_codes(tx, [ids["old"]], ids["run"])
    return ids


def span_of(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def test_frequencies_count_codings_reach_and_text_once(store: ProjectStore,
                                                       study: dict[str, int]) -> None:
    with store.read() as session:
        found = {row.name: row for row in code_frequencies(session)}
        order = [row.name for row in code_frequencies(session)]
    assert order == ["Supervision", "Running", "Sleep", "Unused"]  # board order, Old merged
    run = found["Running"]
    assert (run.codings, run.documents, run.participants) == (4, 3, 2)  # pilot: no one
    # In PA the two Running codings are disjoint; in PB and the pilot one each.
    assert run.characters == (len("I went for a run every morning")
                              + len("Supervision helped me think it through")
                              + len("I run at lunchtime") + len("I run"))
    sup = found["Supervision"]
    assert (sup.codings, sup.documents, sup.participants) == (3, 3, 2)
    assert sup.themes == ("Ways of coping",)
    assert (found["Unused"].codings, found["Unused"].characters) == (0, 0)
    assert found["Sleep"].themes == ()


def test_overlapping_codings_of_one_code_count_their_text_once(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        codings.code_match(tx, study["pa"], study["sleep"], "and I slept badly")
    with store.read() as session:
        sleep = next(row for row in code_frequencies(session) if row.name == "Sleep")
    assert (sleep.codings, sleep.characters) == (2, len("and I slept badly"))


def test_by_participant_has_a_column_for_transcripts_without_one(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        table = code_by_participant(session)
    assert table.participants == ("PA", "PB", "PC", NO_PARTICIPANT)
    assert [code.name for code in table.codes] == ["Supervision", "Running", "Sleep", "Unused"]
    assert table.count(study["run"], "PA") == 2
    assert table.count(study["run"], "PB") == 1
    assert table.count(study["run"], NO_PARTICIPANT) == 1  # the merged code's coding
    assert table.count(study["sup"], "PC") == 0
    assert table.code_total(study["sup"]) == 3
    assert table.participant_total("PA") == 4


def test_by_attribute_counts_codings_and_people_per_value(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        assert attribute_names(session) == ["gender", "years"]
        gender = code_by_attribute(session, "gender")
        years = code_by_attribute(session, "years")
    # PC has no gender and the pilot no participant: both are "not set"; only PC is a person.
    assert gender.groups == (AttributeGroup("female", 1), AttributeGroup("male", 1),
                             AttributeGroup(NOT_SET, 1))
    assert gender.cell(study["run"], "female") == Reach(2, 1)
    assert gender.cell(study["run"], "male") == Reach(1, 1)
    assert gender.cell(study["run"], NOT_SET) == Reach(1, 0)
    assert gender.cell(study["sleep"], "male") == Reach()
    assert [group.value for group in years.groups] == ["5", "12", NOT_SET]  # by value


def test_an_unknown_attribute_is_named_in_the_error(store: ProjectStore,
                                                    study: dict[str, int]) -> None:
    with store.read() as session, pytest.raises(NotFoundError, match=r"'age'.*gender, years"):
        code_by_attribute(session, "age")


@pytest.mark.parametrize("mode", ["overlap", "turn"])
def test_cooccurrence_matrix_follows_code_cooccurrence(store: ProjectStore,
                                                       study: dict[str, int], mode: str) -> None:
    with store.read() as session:
        matrix = cooccurrence_matrix(session, mode)
        expected = code_cooccurrence(session, mode)
    assert [code.name for code in matrix.codes] == ["Supervision", "Running", "Sleep", "Unused"]
    assert dict(matrix.pairs) == {pair: count for pair, count in expected.items() if count}
    for (a, b), count in expected.items():
        assert matrix.count(a, b) == matrix.count(b, a) == count
    assert matrix.count(study["run"], study["run"]) == 0


def test_overlapping_codes_meet(store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        matrix = cooccurrence_matrix(session, "overlap")
    # In PA, "Supervision helped me" (Supervision) lies inside a Running coding.
    assert matrix.count(study["sup"], study["run"]) == 1
    assert matrix.ranked()[0] == (min(study["sup"], study["run"]),
                                  max(study["sup"], study["run"]), 1)


def test_coverage_counts_coded_text_once_and_finds_uncoded_stretches(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        found = {item.document: item for item in coverage(session)}
    pa = found["PA interview"]
    coded = (len("I went for a run every morning")
             + len("Supervision helped me think it through") + len("I slept badly"))
    assert (pa.participant, pa.characters, pa.coded_characters) == ("PA", len(PA_TEXT), coded)
    assert pa.share == pytest.approx(coded / len(PA_TEXT))
    # Trimmed of white space and of the full stop ending the coded sentence before them.
    expected = [("PA: Then the weekend came and I rested properly at last.", 5),
                ("INTERVIEWER: How was the week for you?\nPA: Long.", 1),
                ("PA: Home was quiet at last, and", 4)]
    assert [(PA_TEXT[s.start:s.end], s.first_line) for s in pa.stretches] == expected
    lines = [(s.first_line, s.last_line) for s in pa.stretches]
    assert lines == [(5, 5), (1, 2), (4, 4)]
    assert [s.characters for s in pa.stretches] == [len(text) for text, _line in expected]
    assert pa.stretches[0].lines == "5" and pa.stretches[1].lines == "1\N{EN DASH}2"
    assert pa.stretches[0].preview == "PA: Then the weekend came and I rested properly at last."


def test_blank_lines_punctuation_and_labels_between_codings_are_no_stretch(
        store: ProjectStore, study: dict[str, int]) -> None:
    """PA's line 2 and line 3 coded whole: between them only ``\\n\\n``; in PB only the
    label "PB:" and a line break are left between the codings."""
    with store.transaction("alice") as tx:
        codings.code_lines(tx, study["pa"], study["sleep"], 2, 3)
        codings.code_lines(tx, study["pb"], study["sleep"], 1, 1)
    with store.read() as session:
        found = {item.document: item for item in coverage(session, longest=10)}
    pa_texts = [PA_TEXT[s.start:s.end] for s in found["PA interview"].stretches]
    assert pa_texts == ["PA: Then the weekend came and I rested properly at last.",
                        "INTERVIEWER: How was the week for you?",
                        "PA: Home was quiet at last, and"]
    assert found["PB interview"].stretches == ()  # "PB: " is shorter than MIN_STRETCH
    assert len("PB: ") < MIN_STRETCH


def test_an_uncoded_transcript_is_one_stretch(store: ProjectStore,
                                              study: dict[str, int]) -> None:
    with store.read() as session:
        items = coverage(session, longest=3)
    assert [item.document for item in items] == ["PA interview", "PB interview",
                                                  "PC interview", "Pilot"]  # pilot last
    pc = items[2]
    assert pc.coded_characters == 0 and pc.share == 0.0
    [whole] = pc.stretches
    assert (whole.start, whole.end, whole.first_line, whole.last_line) == \
        (0, len(PC_TEXT), 1, 1)


def test_project_stats_is_json_and_agrees_with_the_parts(store: ProjectStore,
                                                         study: dict[str, int]) -> None:
    with store.read() as session:
        data = json.loads(json.dumps(project_stats(session)))
        frequencies = code_frequencies(session)
    assert data["totals"] == {"transcripts": 4, "participants": 3, "codes": 4, "codings": 8,
                              "characters": sum(len(t) for t in (PA_TEXT, PB_TEXT, PC_TEXT,
                                                                  PILOT_TEXT)),
                              "coded_characters": data["totals"]["coded_characters"],
                              "transcript_characters": data["totals"]["characters"]}
    assert [c["name"] for c in data["codes"]] == [c.name for c in frequencies]
    assert {"code_id": study["run"], "participant": "PA", "codings": 2} in \
        data["by_participant"]["cells"]
    assert set(data["by_attribute"]) == {"gender", "years"}
    assert data["by_attribute"]["gender"]["values"][0] == {"value": "female", "participants": 1}
    assert set(data["cooccurrence"]) == {"overlap", "turn"}
    pa = data["coverage"][0]
    assert pa["stretches"][0]["first_line"] == 5
    with store.read() as session:
        only = project_stats(session, ["gender"])
    assert set(only["by_attribute"]) == {"gender"}


def test_demo_numbers_agree_with_the_project_summaries(tmp_path: Path) -> None:
    path = build_demo(tmp_path / "demo.thematic")
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        summaries = {c.id: c for c in code_summaries(session)}
        documents = {d.id: d for d in document_summaries(session)}
        frequencies = code_frequencies(session)
        gender = code_by_attribute(session, "gender")
        profession = code_by_attribute(session, "profession")
        covered = coverage(session)
        table = code_by_participant(session)
    assert {f.id for f in frequencies} == set(summaries)
    for row in frequencies:
        summary = summaries[row.id]
        assert (row.codings, row.documents, row.participants) == \
            (summary.codings, summary.documents, summary.participants)
        assert table.code_total(row.id) == row.codings
        assert sum(gender.cell(row.id, g.value).codings for g in gender.groups) == row.codings
    assert gender.groups == (AttributeGroup("female", 2), AttributeGroup("male", 2))
    assert len(profession.groups) == 4
    assert table.participants == ("PA", "PB", "PC", "PD")
    for item in covered:
        assert item.coded_characters == documents[item.document_id].coded_characters
        assert len(item.stretches) == 3
        for stretch in item.stretches:
            assert 1 <= stretch.first_line <= stretch.last_line <= \
                documents[item.document_id].lines
