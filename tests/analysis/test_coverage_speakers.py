"""Coverage counts the participant: by default the interviewer's questions and the speakers'
labels are no text left uncoded, and the longest uncoded stretches are the participant's."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.coverage import coverage
from thematic_workbench.analysis.stats import project_stats
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_roles import EVERYONE, INTERVIEWER, SpeakerChoice
from thematic_workbench.core.text.speaker_turns import detect_turns

QUESTION = ("Could you tell me, in as much detail as you like, how you look after yourself "
            "after a hard week with clients?")
PK_TEXT = (f"INT: {QUESTION}\n"  # line 1-2 at the wrap width
           "PK: I run every morning before work.\n"
           "INT: And supervision?\n"
           "PK: Supervision is where I can say what I could not say anywhere else.")
SMITH_TEXT = ("Dr Smith: What made you choose this work in the first place, all those years "
              "ago?\n"
              "PL: My mother was a nurse.\n"
              "Dr Smith: Go on.\n"
              "PL: She came home tired and happy, and I wanted that.")


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    with store.transaction("alice") as tx:
        ids = {}
        for key, text, label in (("pk", PK_TEXT, "PK"), ("pl", SMITH_TEXT, "PL")):
            document = replace(imported(text, f"{label} interview"),
                               turns=tuple(detect_turns(text)))
            ids[key] = import_document(tx, document, participant=label).new_id("document")
        ids["run"] = codes.create_code(tx, "Running").new_id("code")
        codings.code_match(tx, ids["pk"], ids["run"], "I run every morning before work.")
        codings.code_match(tx, ids["pl"], ids["run"], "My mother was a nurse.")
    return ids


def _words(text: str, *speakers: str) -> int:
    """Characters that the named speakers say, labels left out."""
    return sum(len(line.split(": ", 1)[1]) for line in text.split("\n")
               if line.split(": ", 1)[0] in speakers)


def test_by_default_the_participants_words_count(store: ProjectStore,
                                                 study: dict[str, int]) -> None:
    with store.read() as session:
        found = {item.participant: item for item in coverage(session)}
    pk, pl = found["PK"], found["PL"]
    assert (pk.speakers, pl.speakers) == (("PK",), ("PL",))  # Dr Smith: the other speaker
    assert pk.characters == _words(PK_TEXT, "PK")
    assert pk.coded_characters == len("I run every morning before work.")
    assert pk.transcript_characters == len(PK_TEXT)
    # the longest uncoded stretch is the participant's answer, not the long question
    assert [PK_TEXT[s.start:s.end] for s in pk.stretches] == [
        "Supervision is where I can say what I could not say anywhere else."]
    assert PK_TEXT[pk.stretches[0].start - 4:pk.stretches[0].start] == "PK: "
    assert [stretch.preview for stretch in pl.stretches] == [
        "She came home tired and happy, and I wanted that."]


def test_the_interviewer_and_everyone_are_choices(store: ProjectStore,
                                                  study: dict[str, int]) -> None:
    with store.read() as session:
        asked = {i.participant: i for i in coverage(session, speakers=SpeakerChoice(INTERVIEWER))}
        whole = {i.participant: i for i in coverage(session, speakers=SpeakerChoice(EVERYONE))}
        named = {i.participant: i for i in coverage(session, speakers=SpeakerChoice.named(
            ["dr smith"]))}
    assert asked["PK"].speakers == ("INT",) and asked["PL"].speakers == ("Dr Smith",)
    assert asked["PK"].characters == _words(PK_TEXT, "INT")
    assert PK_TEXT[asked["PK"].stretches[0].start:asked["PK"].stretches[0].end] == QUESTION
    assert asked["PK"].coded_characters == 0
    assert whole["PK"].characters == len(PK_TEXT)  # the whole text, labels and all
    assert whole["PK"].stretches[0].start == 0  # the question with its label, as before
    assert named["PL"].characters == _words(SMITH_TEXT, "Dr Smith")
    assert named["PK"].characters == 0 and named["PK"].stretches == ()


def test_a_coding_across_a_question_counts_only_the_participants_part(
        store: ProjectStore, study: dict[str, int]) -> None:
    with store.transaction("alice") as tx:  # lines 3 to the end: answer, question, answer
        codings.code_match(tx, study["pk"], study["run"],
                           "before work.\nINT: And supervision?\nPK: Supervision")
    with store.read() as session:
        [pk] = [item for item in coverage(session) if item.participant == "PK"]
        data = project_stats(session)
    assert pk.coded_characters == len("I run every morning before work.") + \
        len("Supervision")
    assert data["totals"]["characters"] == _words(PK_TEXT, "PK") + _words(SMITH_TEXT, "PL")
    assert data["totals"]["transcript_characters"] == len(PK_TEXT) + len(SMITH_TEXT)
    assert data["speakers"] == {"kind": "participants", "names": [],
                                "counted": "every speaker but the interviewer"}
