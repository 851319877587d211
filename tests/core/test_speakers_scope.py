"""Focus-group speakers mapped to participants; scopes; the project's language."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import imported, last_event
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.finding.scope import Scope, regions_in_scope, speaker_labels
from thematic_workbench.core.finding.wordforms import project_language, stem_function
from thematic_workbench.core.queries.attribution import passage_participants, said_by
from thematic_workbench.core.services import codes, codings, participants
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.speakers import (
    map_speaker,
    set_project_language,
    speaker_mappings,
)
from thematic_workbench.core.storage.models import Coding, Document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns

FOCUS_GROUP = (
    "Moderator: What keeps the alliance going with a mandated client?\n"
    "Anna: Honesty about the risk report, every single time.\n"
    "Ben: For me it is patience; the trust comes late.\n"
    "Moderator: Anna, you nodded?\n"
    "Anna: Yes. Risk talk is part of the alliance.\n"
)


@pytest.fixture
def group(store: ProjectStore) -> dict[str, int]:
    with store.transaction("alice") as tx:
        transcript = replace(imported(FOCUS_GROUP, "Group 1"),
                             turns=tuple(detect_turns(FOCUS_GROUP)))
        document = import_document(tx, transcript).new_id("document")
        interview = "PA: Supervision keeps me going."
        import_document(tx, replace(imported(interview, "PA interview"),
                                    turns=tuple(detect_turns(interview))), participant="PA")
        anna = participants.create_participant(tx, "P1").new_id("participant")
        ben = participants.create_participant(tx, "P2").new_id("participant")
        participants.define_attribute(tx, "profession", "choice", ["nurse", "psychologist"])
        participants.set_participant_attribute(tx, anna, "profession", "nurse")
        participants.set_participant_attribute(tx, ben, "profession", "psychologist")
    return {"document": document, "anna": anna, "ben": ben}


def _text(store: ProjectStore, document_id: int, start: int, end: int) -> str:
    with store.read() as session:
        return session.get(Document, document_id).text[start:end]


def test_a_mapped_speaker_is_audited_and_credits_the_participant(
        store: ProjectStore, group: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        change = map_speaker(tx, group["document"], "anna:", group["anna"])  # label as typed
        assert change.changed == {"document": [group["document"]]}
        event = last_event(tx.session, "document.map_speaker")
        assert event.after_json is not None and '"Anna"' in event.after_json
        map_speaker(tx, group["document"], "Ben", group["ben"])
        with pytest.raises(NotFoundError, match="no speaker 'Carol' in 'Group 1'"):
            map_speaker(tx, group["document"], "Carol", group["ben"])
        code = codes.create_code(tx, "Honesty").new_id("code")
        text = FOCUS_GROUP
        for words in ("Honesty about the risk report", "patience", "What keeps the alliance"):
            start = text.index(words)
            codings.apply_coding(tx, group["document"], code, start, start + len(words))
    with store.read() as session:
        rows = session.execute(select(Coding.document_id, Coding.start,
                                      said_by(Coding.document_id, Coding.start))
                               .order_by(Coding.start)).all()
        in_python = passage_participants(session, [(row[0], row[1]) for row in rows])
    # The moderator is not mapped: the transcript's participant (nobody) gets it.
    assert [row[2] for row in rows] == [None, group["anna"], group["ben"]]
    assert [in_python[(row[0], row[1])] for row in rows] == [row[2] for row in rows]
    with store.transaction("alice") as tx:
        map_speaker(tx, group["document"], "Ben", None)
    with store.read() as session:
        assert passage_participants(session, [(rows[2][0], rows[2][1])]) == {
            (rows[2][0], rows[2][1]): None}


def test_regions_leave_out_labels_and_follow_filters(store: ProjectStore,
                                                     group: dict[str, int]) -> None:
    document = group["document"]
    with store.transaction("alice") as tx:
        map_speaker(tx, document, "Anna", group["anna"])
        map_speaker(tx, document, "Ben", group["ben"])
    with store.read() as session:
        everything = regions_in_scope(session, Scope())
        assert len(everything) == 2
        spoken = [_text(store, document, r.start, r.end).strip() for r in everything[document]]
        assert spoken == [line.split(": ", 1)[1] for line in FOCUS_GROUP.splitlines()]
        no_moderator = regions_in_scope(session, Scope(not_speakers=frozenset({"MODERATOR"})))
        assert {r.speaker for r in no_moderator[document]} == {"Anna", "Ben"}
        nurses = regions_in_scope(session, Scope(attributes=(("profession", "Nurse"),)))
        assert list(nurses) == [document]
        assert [r.speaker for r in nurses[document]] == ["Anna", "Anna"]
        ben = regions_in_scope(session, Scope(participants=frozenset({"P2"})))
        assert [r.participant_id for r in ben[document]] == [group["ben"]]
        pa = regions_in_scope(session, Scope(participants=frozenset({"PA"})))
        assert len(pa) == 1 and document not in pa
        assert speaker_labels(session, document) == ["Anna", "Moderator", "Ben"]  # by turns
        with pytest.raises(NotFoundError, match="no participant labelled 'P9'"):
            regions_in_scope(session, Scope(participants=frozenset({"P9"})))
        with pytest.raises(NotFoundError, match="no participant attribute named 'age'"):
            regions_in_scope(session, Scope(attributes=(("age", "40"),)))


def test_the_project_language_sets_word_forms(store: ProjectStore) -> None:
    with store.read() as session:
        assert project_language(session) == "english"
    english = stem_function("english")
    assert {english(w) for w in ("risk", "risks", "risking")} == {"risk"}
    with store.transaction("alice") as tx:
        set_project_language(tx, "German")
        assert last_event(tx.session, "project.set_language").after_json == \
            '{"language":"german"}'
        with pytest.raises(InvariantError, match="no word forms for the language 'Klingon'"):
            set_project_language(tx, "Klingon")
    with store.read() as session:
        assert project_language(session) == "german"


def test_deleting_a_participant_takes_their_speakers_and_undo_brings_them_back(
        store: ProjectStore, group: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        map_speaker(tx, group["document"], "Anna", group["anna"])
        map_speaker(tx, group["document"], "Ben", group["ben"])
        change = participants.delete_participant(tx, group["anna"])
        assert group["document"] in change.changed["document"]
        before = json.loads(last_event(tx.session, "participant.delete").before_json or "{}")
    with store.read() as session:
        assert speaker_mappings(session, group["document"]) == {"Ben": group["ben"]}
    with store.transaction("alice") as tx:
        participants.restore_participant(tx, before)
    with store.read() as session:
        assert speaker_mappings(session, group["document"]) == {"Anna": group["anna"],
                                                               "Ben": group["ben"]}
