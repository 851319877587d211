"""Merging a copy coded apart, at its edges: codes merged or deleted on one side only, comment
threads, diary links, themes with their parents and extracts, conflicting and empty values,
focus groups, codes made twice, merges back and forth, and a team server's roles.

Each test starts from one tiny study, copies it, works on both copies, merges, and checks
what the project then holds (by names and spans, never by row ids, which each copy numbers
on its own) and what the report says.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from tests.core.helpers_docs import SAMPLE_TEXT, imported
from tests.postgres_server import PostgresServer
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.records.imported import ImportedDocument
from thematic_workbench.core.services import annotations as notes
from thematic_workbench.core.services import codes, codings, diary, participants, review
from thematic_workbench.core.services import themes as theme_services
from thematic_workbench.core.services.coders import grant_server_role, set_coder_role
from thematic_workbench.core.services.documents import delete_document, import_document
from thematic_workbench.core.services.map_layout import place_nodes, relabel_link
from thematic_workbench.core.services.merge import merge_project
from thematic_workbench.core.services.speakers import map_speaker
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.storage.models import (
    Annotation,
    AuditEvent,
    Code,
    Coder,
    Coding,
    Comment,
    DiaryEntry,
    DiaryLink,
    Document,
    KeptEvent,
    Line,
    MapPosition,
    Participant,
    ParticipantAttribute,
    ProjectMerge,
    SpeakerParticipant,
    Theme,
    ThemeLink,
    ThemeMembership,
    Turn,
)
from thematic_workbench.core.storage.server import database_name
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.core.trail.trail_verify import verify_trail

SECOND_TEXT = ("INTERVIEWER: What makes the alliance hold?\n"
               "PB: Being straight with them about what I report to the court.")
GROUP_TEXT = ("INTERVIEWER: What helps after a hard week?\n"
              "PC: Running, mostly.\n"
              "PD: Talking to my team before I go home.")


# -- building two copies --------------------------------------------------------------------
@contextmanager
def _as(path: Path, coder: str) -> Iterator[Tx]:
    """One transaction on a project, as a coder."""
    with ProjectStore.open(path) as store, store.transaction(coder) as tx:
        yield tx


def _read(path: Path | str, query: Select[Any]) -> list[tuple[Any, ...]]:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        return [tuple(row) for row in session.execute(query)]


def _code(tx: Tx, name: str) -> int:
    return codes.find_code(tx, name).id


def _theme(tx: Tx, name: str) -> int:
    return theme_services.find_theme(tx, name).id


def _span(phrase: str, text: str = SAMPLE_TEXT) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _code_span(tx: Tx, code: str, phrase: str, document: int = 1, text: str = SAMPLE_TEXT,
               memo: str = "") -> int:
    return codings.apply_coding(tx, document, _code(tx, code), *_span(phrase, text),
                                memo=memo).new_id(Kind.CODING)


def _coding_id(tx: Tx, code: str, coder: str, phrase: str) -> int:
    start, end = _span(phrase)
    return tx.session.execute(
        select(Coding.id).join(Code, Code.id == Coding.code_id)
        .join(Coder, Coder.id == Coding.coder_id)
        .where(Code.name == code, Coder.name == coder, Coding.start == start,
               Coding.end == end)).scalar_one()


def _with_turns(text: str, name: str) -> ImportedDocument:
    plain = imported(text, name)
    return ImportedDocument(plain.name, plain.source_name, plain.source_format, plain.sha256,
                            plain.text, plain.wrap_width, plain.lines,
                            tuple(detect_turns(plain.text)), {})


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Ana's study (one transcript, three codes, a theme linked to a code on the map, a margin
    note, a supervisor's comments), and Ben's copy."""
    ours, theirs = tmp_path / "ana.thematic", tmp_path / "ben.thematic"
    with ProjectStore.create(ours, "Alliance study", coder="Ana") as store:
        with store.transaction("Ana") as tx:
            import_document(tx, imported(SAMPLE_TEXT), participant="PA")
            codes.create_code(tx, "Self-care", definition="Looking after oneself.")
            codes.create_code(tx, "Supervision")
            codes.create_code(tx, "Distance")
            _code_span(tx, "Distance", "I go for a run")
            _code_span(tx, "Supervision", "Supervision is where I can say the unsayable")
            theme = theme_services.create_theme(tx, "Looking after oneself").new_id(Kind.THEME)
            theme_services.assign_code(tx, _code(tx, "Self-care"), theme)
            theme_services.link_themes(tx, theme, target_code_id=_code(tx, "Distance"),
                                       label="pulls away")
            notes.add_annotation(tx, 1, *_span("Honestly"), "hedging?")
            participants.define_attribute(tx, "profession")
            participants.set_participant_attribute(tx, 1, "profession", "psychologist")
            diary.add_entry(tx, "Running keeps coming up.", title="Running")
            set_coder_role(tx, "Sue", "supervisor")
        with store.transaction("Sue") as tx:
            review.add_comment(tx, "code", _code(tx, "Self-care"), "Too broad?")
            review.add_comment(tx, "coding", _coding_id(tx, "Distance", "Ana", "I go for a run"),
                               "Is running distance?")
    copy_project(ours, theirs, "Ana")
    return ours, theirs


def _codings(path: Path | str) -> list[tuple[str, str, str, str]]:
    """Every coding as (transcript, code, coder, the text coded), sorted, repeats kept."""
    texts = dict(_read(path, select(Document.id, Document.text)))
    rows = _read(path, select(Coding.document_id, Document.name, Code.name, Coder.name,
                              Coding.start, Coding.end)
                 .join(Document, Document.id == Coding.document_id)
                 .join(Code, Code.id == Coding.code_id).join(Coder, Coder.id == Coding.coder_id))
    return sorted((name, code, coder, texts[doc][start:end])
                  for doc, name, code, coder, start, end in rows)


def _active_codes(path: Path | str) -> list[str]:
    return sorted(name for (name,) in _read(path, select(Code.name)
                                            .where(Code.status == "active")))


def _events(path: Path | str) -> int:
    return _read(path, select(func.count()).select_from(AuditEvent))[0][0]


def _again_nothing_new(ours: Path | str, theirs: Path | str, coder: str = "Ana") -> None:
    """The same merge once more adds nothing and writes nothing."""
    events = _events(ours)
    again = merge_project(ours, theirs, coder)
    assert again.nothing_new and not again.added and not again.filled, again.lines()
    assert _events(ours) == events


# -- (1) a code merged into another there only -----------------------------------------------
def test_a_code_merged_into_another_there_brings_its_codings_once_onto_the_right_code(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(theirs, "Ben") as tx:
        _code_span(tx, "Distance", "It clears my head")
        codes.create_code(tx, "Running")
        _code_span(tx, "Running", "I stop carrying the client home")
        codes.merge_codes(tx, [_code(tx, "Distance"), _code(tx, "Running")],
                          _code(tx, "Self-care"))
    report = merge_project(ours, theirs, "Ana")

    # Distance stays here, with Ana's coding once: the copy of it that the merge there moved
    # onto Self-care is the same coding, not a second one.
    assert _codings(ours) == [
        ("PA-interview", "Distance", "Ana", "I go for a run"),
        ("PA-interview", "Self-care", "Ben", "I stop carrying the client home"),
        ("PA-interview", "Self-care", "Ben", "It clears my head"),
        ("PA-interview", "Supervision", "Ana", "Supervision is where I can say the unsayable"),
    ]
    assert _active_codes(ours) == ["Distance", "Self-care", "Supervision"]
    assert report.added == {"coders": 1, "codings": 2}
    assert report.matched["codings"] == 2
    assert "code 'Distance' was merged into 'Self-care' there; both are kept here" \
        in report.conflicts
    assert not report.left_out
    # The comment on Ana's Distance coding is still that coding's, once.
    assert _read(ours, select(func.count()).select_from(Comment)) == [(2,)]
    _again_nothing_new(ours, theirs)


def test_a_code_merged_here_only_takes_the_codings_made_there_on_it(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(theirs, "Ben") as tx:
        _code_span(tx, "Distance", "It clears my head")
    with _as(ours, "Ana") as tx:
        codes.merge_codes(tx, [_code(tx, "Distance")], _code(tx, "Self-care"))
    report = merge_project(ours, theirs, "Ana")
    assert [row for row in _codings(ours) if row[1] != "Supervision"] == [
        ("PA-interview", "Self-care", "Ana", "I go for a run"),
        ("PA-interview", "Self-care", "Ben", "It clears my head")]
    # The map's link there to Distance is to Self-care here too, as the coding is.
    assert report.added == {"coders": 1, "codings": 1, "links": 1} and not report.conflicts
    assert ("Looking after oneself", "Self-care") in _read(ours, select(
        Theme.name, Code.name).join(ThemeLink, ThemeLink.source_theme_id == Theme.id)
        .join(Code, Code.id == ThemeLink.target_code_id))
    _again_nothing_new(ours, theirs)


# -- (2) a code deleted here, still there ----------------------------------------------------
def test_a_code_deleted_here_stays_deleted_and_the_report_says_what_was_left_there(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(theirs, "Ben") as tx:
        _code_span(tx, "Supervision", "And supervision?")
        review.add_comment(tx, "code", _code(tx, "Supervision"), "Peer supervision too?")
        theme = theme_services.create_theme(tx, "Support").new_id(Kind.THEME)
        theme_services.assign_code(tx, _code(tx, "Supervision"), theme)
        diary.add_entry(tx, "Supervision as a place to put things down.",
                        links=[("code", _code(tx, "Supervision")), ("document", 1)])
    with _as(ours, "Ana") as tx:
        codes.delete_code(tx, _code(tx, "Supervision"))
    report = merge_project(ours, theirs, "Ana")

    assert _active_codes(ours) == ["Distance", "Self-care"]
    assert all(code != "Supervision" for _d, code, _c, _t in _codings(ours))
    assert "code 'Supervision', deleted here, and its 2 codings there" in report.left_out
    assert "1 comment on things deleted here" in report.left_out
    # What else came is there, without its ties to the deleted code.
    assert _read(ours, select(Theme.name).where(Theme.name == "Support")) == [("Support",)]
    assert _read(ours, select(func.count()).select_from(ThemeMembership)) == [(1,)]
    links = _read(ours, select(DiaryLink.target_kind, DiaryLink.target_id)
                  .join(DiaryEntry, DiaryEntry.id == DiaryLink.entry_id)
                  .where(DiaryEntry.body.startswith("Supervision as")))
    assert links == [("document", 1)]
    _again_nothing_new(ours, theirs)

    # Deleted and brought back here (an undo keeps its identity), it meets its codings again.
    with ProjectStore.open(ours) as store, store.read() as session:
        before = session.execute(select(AuditEvent.before_json).where(
            AuditEvent.action == "code.delete")).scalar_one()
    with _as(ours, "Ana") as tx:
        codes.restore_code(tx, json.loads(before))
    merge_project(ours, theirs, "Ana")
    assert ("PA-interview", "Supervision", "Ben", "And supervision?") in _codings(ours)


def test_a_code_merged_here_into_a_code_deleted_since_is_not_brought_back(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(theirs, "Ben") as tx:
        _code_span(tx, "Distance", "It clears my head")
    with _as(ours, "Ana") as tx:
        codes.merge_codes(tx, [_code(tx, "Distance")], _code(tx, "Supervision"))
        codes.delete_code(tx, _code(tx, "Supervision"))
    report = merge_project(ours, theirs, "Ana")
    assert _active_codes(ours) == ["Self-care"]
    assert _codings(ours) == []
    assert "code 'Distance', deleted here, and its 2 codings there" in report.left_out
    _again_nothing_new(ours, theirs)


def test_a_transcript_deleted_here_is_not_brought_back(pair: tuple[Path, Path]) -> None:
    """A participant who withdrew stays withdrawn: the copy's transcript does not return."""
    ours, theirs = pair
    with _as(theirs, "Ben") as tx:
        _code_span(tx, "Self-care", "It clears my head")
        review.add_comment(tx, "document", 1, "Rich interview.")
    with _as(ours, "Ana") as tx:
        delete_document(tx, 1)
    report = merge_project(ours, theirs, "Ana")
    assert _read(ours, select(Document.name)) == []
    assert _codings(ours) == []
    assert report.left_out == [
        "1 comment on things deleted here",
        "transcript 'PA-interview', deleted here, and its 3 codings and 1 margin note there"]
    _again_nothing_new(ours, theirs)


def test_a_theme_deleted_here_stays_deleted_and_levels_keep_their_names_apart(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(theirs, "Ben") as tx:
        theme_services.create_theme(tx, "Recovery", level="final")
        theme_services.assign_code(tx, _code(tx, "Distance"), _theme(tx, "Looking after oneself"))
    with _as(ours, "Ana") as tx:
        theme_services.delete_theme(tx, _theme(tx, "Looking after oneself"))
        theme_services.create_theme(tx, "Recovery")  # emerging here, final there
    report = merge_project(ours, theirs, "Ana")
    assert sorted(_read(ours, select(Theme.name, Theme.level))) == [
        ("Recovery", "emerging"), ("Recovery", "final")]
    assert _read(ours, select(func.count()).select_from(ThemeMembership)) == [(0,)]
    assert "theme 'Looking after oneself', deleted here" in report.left_out
    assert not report.conflicts
    _again_nothing_new(ours, theirs)


# -- (3) comment threads ---------------------------------------------------------------------
def _threads(path: Path) -> list[tuple[Any, ...]]:
    """Every comment as (what it is on, the comment it answers, who, text, status, resolver)."""
    parent, resolver = aliased(Comment), aliased(Coder)
    rows = _read(path, select(Comment.target_kind, Comment.target_id, parent.body, Coder.name,
                              Comment.body, Comment.status, resolver.name)
                 .join(Coder, Coder.id == Comment.coder_id)
                 .outerjoin(parent, parent.id == Comment.parent_id)
                 .outerjoin(resolver, resolver.id == Comment.resolved_by))
    codings_ = {cid: (code, coder, start, end) for cid, code, coder, start, end in _read(
        path, select(Coding.id, Code.name, Coder.name, Coding.start, Coding.end)
        .join(Code, Code.id == Coding.code_id).join(Coder, Coder.id == Coding.coder_id))}
    names = dict(_read(path, select(Code.id, Code.name)))
    out = []
    for kind, target, *rest in rows:
        if kind == "coding":
            code, coder, start, end = codings_[target]
            what = f"{code}/{coder}/{SAMPLE_TEXT[start:end]}"
        else:
            what = names[target]
        out.append((kind, what, *rest))
    return sorted(out, key=repr)


def test_replies_resolutions_and_comments_on_codings_come_with_their_threads(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(theirs, "Ben") as tx:
        first = tx.session.execute(select(Comment.id).where(Comment.body == "Too broad?")
                                   ).scalar_one()
        review.add_comment(tx, "code", _code(tx, "Self-care"), "Split it in two.",
                           parent_id=first)
        coding = _code_span(tx, "Self-care", "It clears my head")
    with _as(theirs, "Sue") as tx:
        thread = review.add_comment(tx, "coding", coding, "Good catch.").new_id(Kind.COMMENT)
        review.resolve_comment(tx, first)
        resolved_at = tx.session.get(Comment, first).resolved_at  # type: ignore[union-attr]
    with _as(theirs, "Ben") as tx:
        review.add_comment(tx, "coding", coding, "Thanks.", parent_id=thread)
    with _as(ours, "Ana") as tx:  # here another code and coding first: ids differ from there
        codes.create_code(tx, "Honesty")
        _code_span(tx, "Honesty", "Honestly")
        running = tx.session.execute(select(Comment.id).where(
            Comment.body == "Is running distance?")).scalar_one()
        review.add_comment(tx, "coding", _coding_id(tx, "Distance", "Ana", "I go for a run"),
                           "Yes, from the client.", parent_id=running)
    with _as(ours, "Sue") as tx:
        review.resolve_comment(tx, running)  # resolved here, open there: stays resolved
    report = merge_project(ours, theirs, "Ana")

    assert _threads(ours) == sorted([
        ("code", "Self-care", None, "Sue", "Too broad?", "resolved", "Sue"),
        ("code", "Self-care", "Too broad?", "Ben", "Split it in two.", "open", None),
        ("coding", "Distance/Ana/I go for a run", None, "Sue", "Is running distance?",
         "resolved", "Sue"),
        ("coding", "Distance/Ana/I go for a run", "Is running distance?", "Ana",
         "Yes, from the client.", "open", None),
        ("coding", "Self-care/Ben/It clears my head", None, "Sue", "Good catch.", "open",
         None),
        ("coding", "Self-care/Ben/It clears my head", "Good catch.", "Ben", "Thanks.",
         "open", None),
    ], key=repr)
    assert _read(ours, select(Comment.resolved_at).where(Comment.body == "Too broad?")) == [
        (resolved_at,)]
    assert report.added["comments"] == 3 and report.matched["comments"] == 2
    ((asked,),) = _read(ours, select(Comment.created_at).where(Comment.body == "Too broad?"))
    assert [line for line in report.filled if "resolved there" in line] == [
        f"a comment of {asked[:16]} is resolved there"]
    assert not report.left_out
    _again_nothing_new(ours, theirs)


# -- (4) diary links -------------------------------------------------------------------------
def _links(path: Path, body_start: str) -> set[tuple[str, str]]:
    names = {("code", i): n for i, n in _read(path, select(Code.id, Code.name))}
    names |= {("theme", i): n for i, n in _read(path, select(Theme.id, Theme.name))}
    names |= {("document", i): n for i, n in _read(path, select(Document.id, Document.name))}
    return {(kind, names[(kind, target)]) for kind, target in _read(
        path, select(DiaryLink.target_kind, DiaryLink.target_id)
        .join(DiaryEntry, DiaryEntry.id == DiaryLink.entry_id)
        .where(DiaryEntry.body.startswith(body_start)))}


def test_diary_links_point_at_the_same_code_theme_and_transcript_here(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(ours, "Ana") as tx:  # things made here first take the ids they have there
        codes.create_code(tx, "Here only")
        theme_services.create_theme(tx, "Here theme")
        import_document(tx, imported("PZ: Something else entirely.", "PZ-interview"))
    with _as(theirs, "Ben") as tx:
        boundaries = codes.create_code(tx, "Boundaries").new_id(Kind.CODE)
        apart = theme_services.create_theme(tx, "Keeping apart").new_id(Kind.THEME)
        document = import_document(tx, imported(SECOND_TEXT, "PB-interview")).new_id(
            Kind.DOCUMENT)
        assert (boundaries, apart, document) == (4, 2, 2)
        diary.add_entry(tx, "Boundaries, again.", links=[
            ("code", boundaries), ("theme", apart), ("document", document),
            ("code", _code(tx, "Self-care"))])
        entry = tx.session.execute(select(DiaryEntry.id).where(
            DiaryEntry.title == "Running")).scalar_one()
        diary.set_entry_links(tx, entry, [("code", _code(tx, "Distance"))])
    report = merge_project(ours, theirs, "Ana")

    assert _links(ours, "Boundaries") == {("code", "Boundaries"), ("theme", "Keeping apart"),
                                          ("document", "PB-interview"), ("code", "Self-care")}
    # An entry of both copies, linked there only, gets the links it had none of here.
    assert _links(ours, "Running keeps") == {("code", "Distance")}
    assert any(line.startswith("the diary entry") and line.endswith("its links, none here")
               for line in report.filled), report.filled
    _again_nothing_new(ours, theirs)


# -- (5) a theme added there, with its parent, extract and place on the map -----------------
def test_a_theme_from_there_keeps_its_final_theme_extract_and_place_on_the_map(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(ours, "Ana") as tx:
        # A theme placed on the map and deleted: its place must not pass to a theme that
        # the merge adds under the same id.
        gone = theme_services.create_theme(tx, "Gone").new_id(Kind.THEME)
        place_nodes(tx, {("theme", gone): (-5.0, -5.0)})
        theme_services.delete_theme(tx, gone)
    with _as(theirs, "Ben") as tx:
        final = theme_services.create_theme(tx, "Keeping the work at work", level="final")
        final_id = final.new_id(Kind.THEME)
        emerging = theme_services.create_theme(tx, "Running it off", parent_id=final_id)
        emerging_id = emerging.new_id(Kind.THEME)
        theme_services.assign_code(tx, _code(tx, "Distance"), emerging_id)
        coding = _code_span(tx, "Distance", "It clears my head")
        theme_services.set_representative_extract(tx, emerging_id, coding)
        place_nodes(tx, {("theme", final_id): (10.0, 20.0), ("theme", emerging_id): (30.0, 40.0)})
        looking = _theme(tx, "Looking after oneself")
        theme_services.set_theme_parent(tx, looking, final_id)
        self_care = _code_span(tx, "Self-care", "I stop carrying the client home")
        theme_services.set_representative_extract(tx, looking, self_care)
    report = merge_project(ours, theirs, "Ana")

    parent = aliased(Theme)
    extract_coding = aliased(Coding)
    rows = _read(ours, select(Theme.name, Theme.level, parent.name, extract_coding.start,
                              MapPosition.x, MapPosition.y)
                 .outerjoin(parent, parent.id == Theme.parent_id)
                 .outerjoin(extract_coding, extract_coding.id == Theme.representative_coding_id)
                 .outerjoin(MapPosition, (MapPosition.node_kind == "theme")
                            & (MapPosition.node_id == Theme.id)))
    assert sorted(rows, key=repr) == sorted([
        ("Keeping the work at work", "final", None, None, 10.0, 20.0),
        ("Running it off", "emerging", "Keeping the work at work",
         _span("It clears my head")[0], 30.0, 40.0),
        ("Looking after oneself", "emerging", "Keeping the work at work",
         _span("I stop carrying the client home")[0], None, None),
    ], key=repr)
    assert report.added["themes"] == 2
    assert "theme 'Looking after oneself': its final theme, none here" in report.filled
    assert "theme 'Looking after oneself': its representative extract, none here" \
        in report.filled
    members = _read(ours, select(Theme.name, Code.name).join(
        ThemeMembership, ThemeMembership.theme_id == Theme.id).join(
        Code, Code.id == ThemeMembership.code_id))
    assert sorted(members) == [("Looking after oneself", "Self-care"),
                               ("Running it off", "Distance")]
    _again_nothing_new(ours, theirs)


# -- (6) definitions and attribute values that differ or are empty here ---------------------
def test_a_definition_kept_here_one_filled_from_there_and_an_attribute_that_differs(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(theirs, "Ana") as tx:  # a label and a margin note changed there: still one each
        relabel_link(tx, 1, "keeps apart")
        notes.edit_annotation(tx, 1, body="hedging, or candour?")
    with _as(theirs, "Ben") as tx:
        participants.set_participant_note(tx, 1, "Trainee at the time.")
        codes.define_code(tx, _code(tx, "Self-care"), "Anything done to recover.")
        codes.define_code(tx, _code(tx, "Supervision"), "Talking cases through.")
        theme_services.define_theme(tx, _theme(tx, "Looking after oneself"),
                                    "Ways of recovering.")
        participants.set_participant_attribute(tx, 1, "profession", "counsellor")
        participants.define_attribute(tx, "site")
        participants.set_participant_attribute(tx, 1, "site", "North")
    report = merge_project(ours, theirs, "Ana")

    assert dict(_read(ours, select(Code.name, Code.definition))) == {
        "Self-care": "Looking after oneself.", "Supervision": "Talking cases through.",
        "Distance": ""}
    assert _read(ours, select(Theme.definition)) == [("Ways of recovering.",)]
    values = _read(ours, select(Participant.label, ParticipantAttribute.value)
                   .join(ParticipantAttribute))
    assert sorted(values) == [("PA", "North"), ("PA", "psychologist")]
    assert _read(ours, select(Participant.note)) == [("Trainee at the time.",)]
    assert _read(ours, select(ThemeLink.label)) == [("pulls away",)]
    assert _read(ours, select(Annotation.body)) == [("hedging?",)]
    ((noted,),) = _read(ours, select(Annotation.created_at))
    assert report.conflicts == [
        "PA's profession: 'psychologist' here, 'counsellor' there",
        "code 'Self-care' is defined otherwise there",
        "the link from 'Looking after oneself' to 'Distance' is labelled 'pulls away' here, "
        "'keeps apart' there",
        f"the margin note of {noted[:16]} 'hedging?' differs there"]
    assert report.filled == ["participant PA: its note, empty here",
                             "code 'Supervision': its definition, empty here",
                             "theme 'Looking after oneself': its definition, empty here"]
    lines = report.lines()
    assert "completed from there:" in lines
    assert "  code 'Supervision': its definition, empty here" in lines
    assert "4 conflicts (ana.thematic's version kept):" in lines
    assert "  PA's profession: 'psychologist' here, 'counsellor' there" in lines
    assert report.added == {"coders": 1, "attributes": 1}
    _again_nothing_new(ours, theirs)


# -- (7) a focus group only there ------------------------------------------------------------
def test_a_focus_group_only_there_comes_with_its_lines_turns_and_speakers(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(ours, "Ana") as tx:  # participants made here first: ids differ from there
        participants.create_participant(tx, "PD")
        participants.create_participant(tx, "PZ")
    with _as(theirs, "Ben") as tx:
        group = import_document(tx, _with_turns(GROUP_TEXT, "Focus group")).new_id(
            Kind.DOCUMENT)
        for label in ("PC", "PD"):
            person = participants.create_participant(tx, label).new_id(Kind.PARTICIPANT)
            map_speaker(tx, group, label, person)
        _code_span(tx, "Supervision", "Talking to my team", group, GROUP_TEXT)
    report = merge_project(ours, theirs, "Ana")

    def transcript(path: Path) -> dict[str, Any]:
        (doc,) = _read(path, select(Document.id).where(Document.name == "Focus group"))[0]
        return {
            "lines": _read(path, select(Line.number, Line.start, Line.end)
                           .where(Line.document_id == doc).order_by(Line.number)),
            "turns": _read(path, select(Turn.speaker, Turn.start, Turn.end, Turn.speech_start)
                           .where(Turn.document_id == doc).order_by(Turn.start)),
            "speakers": sorted(_read(path, select(SpeakerParticipant.speaker, Participant.label)
                                     .join(Participant)
                                     .where(SpeakerParticipant.document_id == doc))),
        }

    here, there = transcript(ours), transcript(theirs)
    assert here == there
    assert len(here["turns"]) == 3 and here["speakers"] == [("PC", "PC"), ("PD", "PD")]
    assert sorted(label for (label,) in _read(ours, select(Participant.label))) == [
        "PA", "PC", "PD", "PZ"]
    assert ("Focus group", "Supervision", "Ben", "Talking to my team") in _codings(ours)
    assert report.added["transcripts"] == 1 and report.added["participants"] == 1
    assert report.matched["participants"] == 2
    _again_nothing_new(ours, theirs)


# -- (8) the same code made on both sides ----------------------------------------------------
def test_a_code_made_apart_under_one_name_is_one_code_and_a_second_merge_adds_nothing(
        pair: tuple[Path, Path]) -> None:
    ours, theirs = pair
    with _as(ours, "Ana") as tx:
        codes.create_code(tx, "Burnout")
        _code_span(tx, "Burnout", "I stop carrying the client home")
    with _as(theirs, "Ben") as tx:
        codes.create_code(tx, "burnout")
        _code_span(tx, "burnout", "I stop carrying the client home")
        _code_span(tx, "burnout", "It clears my head")
    guids = {name: guid for name, guid in _read(ours, select(Code.name, Code.guid))}
    report = merge_project(ours, theirs, "Ana")
    assert _active_codes(ours) == ["Burnout", "Distance", "Self-care", "Supervision"]
    assert [row for row in _codings(ours) if row[1] == "Burnout"] == [
        ("PA-interview", "Burnout", "Ana", "I stop carrying the client home"),
        ("PA-interview", "Burnout", "Ben", "I stop carrying the client home"),
        ("PA-interview", "Burnout", "Ben", "It clears my head"),
    ]
    assert report.added == {"coders": 1, "codings": 2} and report.matched["codes"] == 4
    assert dict(_read(ours, select(Code.name, Code.guid))) == guids  # ours kept as it was
    _again_nothing_new(ours, theirs)


def test_two_codes_there_that_are_one_code_here_bring_one_coding_and_its_comment(
        pair: tuple[Path, Path]) -> None:
    """Renamed here to the name a new code has there: both codes there are one code here,
    and a span coded with both there is one coding here, which the comment is on."""
    ours, theirs = pair
    with _as(ours, "Ana") as tx:
        codes.rename_code(tx, _code(tx, "Distance"), "Burnout")
    with _as(theirs, "Ben") as tx:
        codes.create_code(tx, "Burnout")
        _code_span(tx, "Distance", "It clears my head", memo="first")
        second = _code_span(tx, "Burnout", "It clears my head", memo="second")
        review.add_comment(tx, "coding", second, "Which one is it?")
        diary.add_entry(tx, "Two names for one thing.", links=[
            ("code", _code(tx, "Distance")), ("code", _code(tx, "Burnout"))])
    report = merge_project(ours, theirs, "Ana")
    assert [row for row in _codings(ours) if row[2] == "Ben"] == [
        ("PA-interview", "Burnout", "Ben", "It clears my head")]
    assert _read(ours, select(Coding.memo).join(Coder, Coder.id == Coding.coder_id)
                 .where(Coder.name == "Ben")) == [("first",)]
    assert ("coding", "Burnout/Ben/It clears my head", None, "Ben", "Which one is it?",
            "open", None) in _threads(ours)
    assert "a memo on a coding of 'Burnout' differs there" in report.conflicts
    assert _links(ours, "Two names") == {("code", "Burnout")}
    _again_nothing_new(ours, theirs)


# -- (9) back and forth ----------------------------------------------------------------------
def _everything(path: Path) -> dict[str, Any]:
    parent = aliased(Theme)
    return {
        "codings": _codings(path),
        "memos": sorted(_read(path, select(Coding.memo))),
        "codes": _active_codes(path),
        "themes": sorted(_read(path, select(Theme.name, Theme.level, parent.name)
                               .outerjoin(parent, parent.id == Theme.parent_id))),
        "members": sorted(_read(path, select(Theme.name, Code.name).join(
            ThemeMembership, ThemeMembership.theme_id == Theme.id).join(
            Code, Code.id == ThemeMembership.code_id))),
        "comments": _threads(path),
        "diary": sorted(_read(path, select(DiaryEntry.created_at, DiaryEntry.body))),
        "coders": sorted(_read(path, select(Coder.name))),
    }


def test_merging_there_and_back_and_there_again_settles_with_nothing_doubled(
        pair: tuple[Path, Path]) -> None:
    ana, ben = pair
    with _as(ben, "Ben") as tx:
        codes.create_code(tx, "Burnout")
        _code_span(tx, "Burnout", "It clears my head", memo="his")
        final = theme_services.create_theme(tx, "Work at work", level="final").new_id(Kind.THEME)
        theme_services.set_theme_parent(tx, _theme(tx, "Looking after oneself"), final)
        diary.add_entry(tx, "Ben's first entry.", links=[("code", _code(tx, "Burnout"))])
    with _as(ben, "Sue") as tx:
        first = tx.session.execute(select(Comment.id).where(Comment.body == "Too broad?")
                                   ).scalar_one()
        review.resolve_comment(tx, first)
    with _as(ana, "Ana") as tx:
        codes.create_code(tx, "Burnout")
        _code_span(tx, "Burnout", "Honestly")
        theme_services.create_theme(tx, "Candour")
        running = tx.session.execute(select(Comment.id).where(
            Comment.body == "Is running distance?")).scalar_one()
        review.add_comment(tx, "coding", _coding_id(tx, "Distance", "Ana", "I go for a run"),
                           "Yes.", parent_id=running)

    first_report = merge_project(ana, ben, "Ana")  # Ben's copy into Ana's
    back = merge_project(ben, ana, "Ben")  # and Ana's (with Ben's work) into Ben's
    assert not first_report.nothing_new and not back.nothing_new
    assert back.added == {"codings": 1, "themes": 1, "comments": 1}
    # Ana's merge, made before, is not a trail that Ben's project lacks.
    assert not any("merged into that one" in line for line in back.left_out)
    once = _everything(ana)
    assert once == _everything(ben)
    for key in ("codings", "themes", "members", "diary"):
        assert len(once[key]) == len(set(once[key])), key

    # Ben's project has nothing Ana's lacks: its only news is the merge of Ana's project.
    third = merge_project(ana, ben, "Ana")
    assert third.nothing_new, third.lines()
    fourth = merge_project(ben, ana, "Ben")
    assert fourth.nothing_new, fourth.lines()
    assert _everything(ana) == once == _everything(ben)
    with ProjectStore.open(ana) as store, store.read() as session:
        assert session.execute(select(func.count()).select_from(ProjectMerge)).scalar_one() == 1
        report = verify_trail(session, store.path)
        assert report.intact, report.describe()


# -- (10) on a team server -------------------------------------------------------------------
def _tiny_study(folder: Path) -> Path:
    path = folder / "study.thematic"
    with ProjectStore.create(path, "Alliance study", coder="Ana") as store, \
            store.transaction("Ana") as tx:
        import_document(tx, imported(SAMPLE_TEXT), participant="PA")
        codes.create_code(tx, "Self-care")
    return path


def _server_rows(url: str) -> tuple[int, int, int, int]:
    (counts,) = _read(url, select(
        select(func.count()).select_from(Coding).scalar_subquery(),
        select(func.count()).select_from(Coder).scalar_subquery(),
        select(func.count()).select_from(AuditEvent).scalar_subquery(),
        select(func.count()).select_from(KeptEvent).scalar_subquery()))
    return counts  # type: ignore[return-value]


def test_the_owner_merges_a_copy_into_the_server_project(server_url: str,
                                                         tmp_path: Path) -> None:
    study = _tiny_study(tmp_path)
    copy_project(study, server_url, "Ana")
    with _as(study, "Ben") as tx:
        _code_span(tx, "Self-care", "I go for a run")
    report = merge_project(server_url, study, "Ana")
    assert report.added == {"coders": 1, "codings": 1} and report.intact
    assert _codings(server_url) == [
        ("PA-interview", "Self-care", "Ben", "I go for a run")]
    _again_nothing_new(server_url, study)


@pytest.fixture
def team(postgres_server: PostgresServer, tmp_path: Path) -> dict[str, str]:
    """A server project owned by a team lead (no superuser), and an analyst's login."""
    postgres_server._count += 1
    lead = f"lead_merge_{postgres_server.port}_{postgres_server._count}"
    postgres_server.create_login(lead, "lead-pw", createrole=True)
    database = postgres_server.new_database(owner=lead)
    owner = postgres_server.url(database, lead, "lead-pw")
    copy_project(_tiny_study(tmp_path), owner, lead)
    carol = f"carol_{database}"[:60]
    postgres_server.create_login(carol, "carol-pw")
    with ProjectStore.open(owner) as store, store.transaction(lead) as tx:
        grant_server_role(tx, database_name(owner), carol, "analyst")
    return {"owner": owner, "carol": postgres_server.url(database, carol, "carol-pw"),
            "carol_login": carol}


def test_an_analyst_cannot_merge_in_a_new_coder_and_is_told_so_plainly(
        team: dict[str, str], tmp_path: Path) -> None:
    copy = tmp_path / "ben.thematic"
    copy_project(team["owner"], copy, "Ana")
    with _as(copy, "Ben") as tx:
        _code_span(tx, "Self-care", "I go for a run")
    before = _server_rows(team["carol"])
    with pytest.raises(WorkbenchError) as refused:
        merge_project(team["carol"], copy, "Carol")
    message = str(refused.value)
    assert "\n" not in message and "SQL" not in message and "INSERT" not in message
    assert "Ben" in message and "owner" in message and "nothing was changed" in message
    assert _server_rows(team["carol"]) == before

    # A copy whose coders the project knows already is hers to merge.
    other = tmp_path / "ana.thematic"
    copy_project(team["owner"], other, "Ana")
    with _as(other, "Ana") as tx:
        _code_span(tx, "Self-care", "It clears my head")
    report = merge_project(team["carol"], other, "Carol")
    assert report.added == {"codings": 1} and report.intact
    merged_by = _read(team["owner"], select(AuditEvent.coder).where(
        AuditEvent.action == "project.merge"))
    assert merged_by == [(team["carol_login"],)]


def test_an_analyst_cannot_merge_in_sign_offs(team: dict[str, str], tmp_path: Path) -> None:
    with ProjectStore.open(team["owner"]) as store, \
            store.transaction(team["owner"].split("//")[1].split(":")[0]) as tx:
        set_coder_role(tx, "Sue", "supervisor")
    copy = tmp_path / "sue.thematic"
    copy_project(team["owner"], copy, "Sue")
    with _as(copy, "Sue") as tx:
        review.sign_off_phase(tx, 1, "familiarisation checked")
    before = _server_rows(team["carol"])
    with pytest.raises(WorkbenchError, match="only a supervisor can add sign-offs") as refused:
        merge_project(team["carol"], copy, "Carol")
    assert "\n" not in str(refused.value) and "nothing was changed" in str(refused.value)
    assert _server_rows(team["carol"]) == before
