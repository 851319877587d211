"""Word frequencies checked against a plain count of the text: labels, speakers, forms."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.word_frequency import (
    BY_PARTICIPANT,
    NO_GROUP,
    WordFrequencies,
    word_frequencies,
    words_of,
)
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.finding.scope import Scope
from thematic_workbench.core.finding.search import WORD_RE, fold
from thematic_workbench.core.finding.stopwords import stop_words
from thematic_workbench.core.services import participants
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.speakers import map_speaker, set_project_language
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns

INTERVIEW = (
    "Interviewer: What does the risk assessment mean for you, in your own words?\n"
    "PA: Risk is everywhere. I assess risk daily, and risks pile up; my risky clients "
    "worry me. The assessment took 45 minutes in 2019.\n"
    "Interviewer: And supervision?\n"
    "PA: Supervision helps. Um, supervision is where I can say it, yeah.\n"
)
FOCUS_GROUP = (
    "Moderator: Who wants to start on trust?\n"
    "Anna: Trust comes late with mandated clients. Café culture helps, the cafe downstairs.\n"
    "Ben: For me trust is patience, patience and honesty.\n"
    "Moderator: Anna, you nodded?\n"
    "Anna: Yes. Honesty about risk builds trust.\n"
)
LABEL = re.compile(r"^(Interviewer|PA|Moderator|Anna|Ben): ", re.MULTILINE)


def plain_count(text: str, leave_out: frozenset[str] = frozenset(),
                speakers_out: tuple[str, ...] = ()) -> Counter[str]:
    """What a reader would count: each turn after its label, lower case, words split at
    anything not a letter; café as cafe; numbers are not words."""
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        label = LABEL.match(line)
        if label and label.group(1) in speakers_out:
            continue
        speech = line[label.end():] if label else line
        for word in re.findall(r"[a-zé0-9]+", speech.lower()):
            word = word.replace("é", "e")
            if not word.isdigit() and word not in leave_out:
                counts[word] += 1
    return counts


def build_study(store: ProjectStore) -> dict[str, int]:
    """An interview of PA (a nurse) and a focus group whose Anna and Ben are P1 (a nurse)
    and P2 (a psychologist); the moderator is mapped to nobody."""
    with store.transaction("alice") as tx:
        interview = import_document(tx, replace(imported(INTERVIEW, "PA interview"),
                                                turns=tuple(detect_turns(INTERVIEW))),
                                    participant="PA").new_id("document")
        group = import_document(tx, replace(imported(FOCUS_GROUP, "Group 1"),
                                            turns=tuple(detect_turns(FOCUS_GROUP)))
                                ).new_id("document")
        anna = participants.create_participant(tx, "P1").new_id("participant")
        ben = participants.create_participant(tx, "P2").new_id("participant")
        pa = participants.find_participant(tx, "PA")
        assert pa is not None
        participants.define_attribute(tx, "profession", "text")
        participants.set_participant_attribute(tx, anna, "profession", "nurse")
        participants.set_participant_attribute(tx, pa.id, "profession", "nurse")
        participants.set_participant_attribute(tx, ben, "profession", "psychologist")
        map_speaker(tx, group, "Anna", anna)
        map_speaker(tx, group, "Ben", ben)
    return {"interview": interview, "group": group, "anna": anna, "ben": ben, "pa": pa.id}


@pytest.fixture
def study(store: ProjectStore) -> dict[str, int]:
    return build_study(store)


def count(store: ProjectStore, scope: Scope | None = None, **options: object
          ) -> WordFrequencies:
    with store.read() as session:
        return word_frequencies(session, scope, top=None, **options)  # type: ignore[arg-type]


def as_counter(result: WordFrequencies) -> Counter[str]:
    return Counter({word.word: word.count for word in result.words})


def test_every_word_as_a_plain_count_finds_it(store: ProjectStore, study: dict[str, int]
                                              ) -> None:
    result = count(store, leave_out_stop_words=False)
    expected = plain_count(INTERVIEW) + plain_count(FOCUS_GROUP)
    assert as_counter(result) == expected
    assert result.total == sum(expected.values())
    assert result.distinct == len(expected) and result.documents == 2
    assert "45" not in as_counter(result) and "2019" not in as_counter(result)
    # Speaker labels are never words: the moderator and Ben are only labels here.
    assert "moderator" not in expected and "ben" not in expected
    assert as_counter(result)["interviewer"] == 0
    assert as_counter(result)["anna"] == 1  # said once, in "Anna, you nodded?"


def test_stop_words_of_the_project_language_are_left_out(store: ProjectStore,
                                                         study: dict[str, int]) -> None:
    english = stop_words("english")
    result = count(store)
    assert as_counter(result) == plain_count(INTERVIEW, english) + plain_count(
        FOCUS_GROUP, english)
    assert {"the", "um", "yeah", "is"}.isdisjoint(as_counter(result))
    every = plain_count(INTERVIEW) + plain_count(FOCUS_GROUP)
    assert result.stop_words_left_out == sum(n for w, n in every.items() if w in english)
    assert result.stop_words and result.language == "english"
    with store.transaction("alice") as tx:
        set_project_language(tx, "finnish")  # no list: nothing is left out
    finnish = count(store)
    assert as_counter(finnish) == every and not finnish.stop_words


def test_a_left_out_speaker_is_not_counted(store: ProjectStore, study: dict[str, int]) -> None:
    scope = Scope(not_speakers=frozenset({"interviewer", "MODERATOR"}))  # any case
    result = count(store, scope, leave_out_stop_words=False)
    out = ("Interviewer", "Moderator")
    assert as_counter(result) == plain_count(INTERVIEW, speakers_out=out) + plain_count(
        FOCUS_GROUP, speakers_out=out)
    assert "assessment" in as_counter(result) and "supervision" in as_counter(result)
    assert "wants" not in as_counter(result) and "mean" not in as_counter(result)


def test_word_forms_are_one_entry_shown_as_the_spelling_used_most(
        store: ProjectStore, study: dict[str, int]) -> None:
    plain = {w.word: w for w in count(store).words}
    assert plain["risk"].count == 4 and plain["risks"].count == 1
    grouped = {w.word: w for w in count(store, forms=True).words}
    risk = grouped["risk"]
    # Snowball makes risky "riski"; it joins risk as search with word forms finds it.
    assert risk.count == 4 + 1 + 1
    assert risk.forms == ("risk", "risks", "risky")
    # assessment (twice) and assess (once) share the stem assess: shown as assessment.
    assert grouped["assessment"].forms == ("assessment", "assess")
    assert grouped["assessment"].count == 3
    assert {"risks", "risky", "assess"}.isdisjoint(grouped)
    with store.transaction("alice") as tx:
        set_project_language(tx, "german")  # the German stemmer, and no "-y" rule
    german = {w.word: w for w in count(store, forms=True, leave_out_stop_words=False).words}
    assert german["risky"].forms == ("risky",) and "risks" not in german
    assert risk.documents == 2


def test_spellings_differing_in_accents_are_one_word(store: ProjectStore,
                                                    study: dict[str, int]) -> None:
    entries = [w for w in count(store).words if w.word in ("café", "cafe")]
    assert len(entries) == 1  # once each: the tie goes to the alphabetically first
    assert (entries[0].word, entries[0].count, entries[0].forms) == ("cafe", 2,
                                                                     ("cafe", "café"))


def test_transcripts_participants_and_columns(store: ProjectStore, study: dict[str, int]
                                              ) -> None:
    by_person = {w.word: w for w in count(store, by=BY_PARTICIPANT).words}
    trust = by_person["trust"]
    # Anna says it twice, Ben and the moderator (mapped to nobody, in a transcript of
    # nobody) once each; the focus group is one transcript.
    assert (trust.count, trust.documents, trust.participants) == (4, 1, 2)
    assert trust.by == {"P1": 2, "P2": 1, "PA": 0, NO_GROUP: 1}
    # The moderator is mapped to nobody and the group transcript has no participant.
    assert by_person["start"].by[NO_GROUP] == 1 and by_person["start"].participants == 0
    risk = by_person["risk"]
    assert (risk.documents, risk.participants) == (2, 2)
    assert risk.by["PA"] + risk.by["P1"] == risk.count
    by_profession = count(store, by="profession")
    assert by_profession.columns == ("nurse", "psychologist", NO_GROUP)
    honesty = {w.word: w for w in by_profession.words}["honesty"]
    assert honesty.by == {"nurse": 1, "psychologist": 1, NO_GROUP: 0}
    for word in by_profession.words:
        assert sum(word.by.values()) == word.count


def test_participant_and_attribute_scopes(store: ProjectStore, study: dict[str, int]) -> None:
    anna = as_counter(count(store, Scope(participants=frozenset({"P1"})),
                            leave_out_stop_words=False))
    said = "Trust comes late with mandated clients. Café culture helps, the cafe downstairs.\n" \
           "Yes. Honesty about risk builds trust."
    assert anna == plain_count(said)
    nurses = count(store, Scope(attributes=(("profession", "nurse"),)))
    assert "patience" not in as_counter(nurses) and "supervision" in as_counter(nurses)


def test_top_words_ties_and_minimum_length(store: ProjectStore, study: dict[str, int]) -> None:
    with store.read() as session:
        top = word_frequencies(session, top=3)
        short = word_frequencies(session, top=None, min_length=6)
    assert [(w.word, w.count) for w in top.words] == [("risk", 4), ("trust", 4),
                                                      ("supervision", 3)]
    assert top.distinct > 3  # the top is cut; what was counted is not
    assert all(len(w.word) >= 6 for w in short.words) and "supervision" in as_counter(short)


def test_an_unknown_attribute_is_named(store: ProjectStore, study: dict[str, int]) -> None:
    with pytest.raises(NotFoundError, match="no participant attribute named 'gender'"):
        count(store, by="gender")


def test_an_empty_project(store: ProjectStore) -> None:
    result = count(store)
    assert (result.words, result.total, result.documents) == ((), 0, 0)


@given(st.text(alphabet=st.sampled_from(
    "ab Zé\u0301\u0308-'_.,\n\t5İßΣς\ue000\u00ad\u2019ﬁ"), max_size=40))
def test_words_are_the_search_index_words(text: str) -> None:
    """Split and folded, a text's words are the words search matches (core/finding/search.py)."""
    assert [fold(w) for w in words_of(text) if fold(w)] == WORD_RE.findall(fold(text))
