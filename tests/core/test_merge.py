"""Merging two copies of a study coded apart: nothing lost, nothing doubled, both trails kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from tests.core.helpers_docs import SAMPLE_TEXT, imported
from thematic_workbench.analysis.agreement import compare_coders
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import ProjectError
from thematic_workbench.core.services import annotations as notes
from thematic_workbench.core.services import coders, codes, codings, diary, review
from thematic_workbench.core.services import themes as theme_services
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.merge import merge_project
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.storage.models import (
    Annotation,
    Code,
    Coder,
    Coding,
    Comment,
    DiaryEntry,
    Document,
    KeptEvent,
    ProjectMerge,
    SignOff,
    Theme,
    ThemeMembership,
)
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.trail.trail_verify import verify_trail

SECOND_TEXT = ("INTERVIEWER: What makes the alliance hold?\n"
               "PB: Being straight with them about what I report to the court.")


def _code_id(tx: Tx, name: str) -> int:
    return codes.find_code(tx, name).id


def _span(phrase: str, source: str = SAMPLE_TEXT) -> tuple[int, int]:
    start = source.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """A study Ana started, copied for Ben; then each codes their copy apart."""
    ours, theirs = tmp_path / "ana.thematic", tmp_path / "ben.thematic"
    with (ProjectStore.create(ours, "Alliance study", coder="Ana") as store,
          store.transaction("Ana") as tx):
        document = import_document(tx, imported(SAMPLE_TEXT)).new_id(Kind.DOCUMENT)
        for name in ("Self-care", "Supervision"):
            codes.create_code(tx, name)
        codings.apply_coding(tx, document, _code_id(tx, "Self-care"), *_span("I go for a run"))
        theme = theme_services.create_theme(tx, "Looking after oneself").new_id(Kind.THEME)
        theme_services.assign_code(tx, _code_id(tx, "Self-care"), theme)
        coders.set_coder_role(tx, "Sue", "supervisor")
    copy_project(ours, theirs, "Ana")
    with ProjectStore.open(ours) as store, store.transaction("Ana") as tx:
        document = 1
        codes.create_code(tx, "Burnout", definition="Being worn down by the work.")
        codings.apply_coding(tx, document, _code_id(tx, "Burnout"),
                             *_span("I stop carrying the client home"))
        codings.apply_coding(tx, document, _code_id(tx, "Supervision"),
                             *_span("Supervision is where I can say the unsayable"))
        diary.add_entry(tx, "Ana's runs and Ben's courts: two kinds of distance.")
        notes.add_annotation(tx, document, *_span("Honestly"), "hedging?")
    with ProjectStore.open(theirs) as store:
        with store.transaction("Ben") as tx:
            document = 1
            codings.apply_coding(tx, document, _code_id(tx, "Self-care"),
                                 *_span("I go for a run"), memo="running as a boundary")
            codings.apply_coding(tx, document, _code_id(tx, "Self-care"),
                                 *_span("It clears my head"))
            codes.create_code(tx, "burnout")  # the same code, named apart
            codings.apply_coding(tx, document, _code_id(tx, "burnout"),
                                 *_span("carrying the client home"))
            codes.rename_code(tx, _code_id(tx, "Supervision"), "Clinical supervision")
            codes.create_code(tx, "Honesty about reporting")
            second = import_document(tx, imported(SECOND_TEXT, "PB-interview")).new_id(
                Kind.DOCUMENT)
            codings.apply_coding(tx, second, _code_id(tx, "Honesty about reporting"),
                                 *_span("Being straight with them", SECOND_TEXT))
            theme = theme_services.create_theme(tx, "Holding the court in the room").new_id(
                Kind.THEME)
            theme_services.assign_code(tx, _code_id(tx, "Honesty about reporting"), theme)
            diary.add_entry(tx, "PB's candour surprised me.", title="Candour")
            notes.add_annotation(tx, second, *_span("the court", SECOND_TEXT),
                                       "mandate made explicit")
            review.add_comment(tx, "code", _code_id(tx, "burnout"), "Is this the same as "
                               "compassion fatigue?")
        with store.transaction("Sue") as tx:
            review.sign_off_phase(tx, 1, "familiarisation checked")
    return ours, theirs


def _contents(path: Path) -> dict[str, Any]:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        rows = session.execute(
            select(Document.name, Code.name, Coder.name, Coding.start, Coding.end, Coding.memo)
            .join(Document, Document.id == Coding.document_id)
            .join(Code, Code.id == Coding.code_id).join(Coder, Coder.id == Coding.coder_id)
        ).all()
        return {
            "codings": sorted(tuple(r) for r in rows),
            "codes": sorted(session.execute(select(Code.name).where(Code.status == "active"))
                            .scalars()),
            "themes": sorted(session.execute(select(Theme.name)).scalars()),
            "members": session.execute(select(func.count()).select_from(ThemeMembership))
            .scalar_one(),
            "diary": sorted(session.execute(select(DiaryEntry.body)).scalars()),
            "notes": sorted(session.execute(select(Annotation.body)).scalars()),
            "comments": sorted(session.execute(select(Comment.body)).scalars()),
            "sign_offs": session.execute(select(func.count()).select_from(SignOff)).scalar_one(),
        }


def test_two_copies_coded_apart_merge_with_nothing_lost_or_doubled(
        copies: tuple[Path, Path]) -> None:
    ours, theirs = copies
    before, other = _contents(ours), _contents(theirs)
    report = merge_project(ours, theirs, "Ana")
    after = _contents(ours)

    # Every coding of either copy is there once, with its coder; Ben's keep his memo.
    assert set(after["codings"]) == set(before["codings"]) | {
        (d, "Burnout" if c == "burnout" else "Supervision" if c == "Clinical supervision"
         else c, who, s, e, m) for d, c, who, s, e, m in other["codings"]}
    assert len(after["codings"]) == len(set(after["codings"]))
    assert ("PA-interview", "Self-care", "Ben", *_span("I go for a run"),
            "running as a boundary") in after["codings"]
    # Codes: by GUID (Supervision, renamed there), by name ("burnout"), or new.
    assert after["codes"] == ["Burnout", "Honesty about reporting", "Self-care", "Supervision"]
    assert after["themes"] == ["Holding the court in the room", "Looking after oneself"]
    assert after["members"] == 2
    assert len(after["diary"]) == 2 and len(after["notes"]) == 2
    assert after["comments"] == ["Is this the same as compassion fatigue?"]
    assert after["sign_offs"] == 1

    assert report.added["coders"] == 1 and report.added["transcripts"] == 1
    assert report.added["codes"] == 1 and report.matched["codes"] == 3
    assert report.added["codings"] == 4  # three of Ben's codings, one on the new transcript
    assert report.matched["codings"] == 1  # Ana's first coding, in both copies
    assert any("'Supervision' is called 'Clinical supervision' there" in line
               for line in report.conflicts)
    assert report.trail_kept == report.other_events > 0 and report.intact

    # Agreement between the two coders can be computed right away.
    with ProjectStore.open(ours, readonly=True) as store, store.read() as session:
        comparison = compare_coders(session, "Ana", "Ben")
        assert comparison.rows


def test_the_same_merge_twice_adds_nothing_and_writes_nothing(
        copies: tuple[Path, Path]) -> None:
    ours, theirs = copies
    merge_project(ours, theirs, "Ana")
    once = _contents(ours)
    with ProjectStore.open(ours, readonly=True) as store, store.read() as session:
        events = session.execute(text("SELECT count(*) FROM audit_event")).scalar_one()
    again = merge_project(ours, theirs, "Ana")
    assert again.nothing_new and not again.added
    assert "nothing new" in again.lines()[0]
    assert _contents(ours) == once
    with ProjectStore.open(ours, readonly=True) as store, store.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == events
        assert session.execute(select(func.count()).select_from(ProjectMerge)).scalar_one() == 1


def test_merging_back_the_other_way_brings_ana_s_work_to_ben(copies: tuple[Path, Path]) -> None:
    ours, theirs = copies
    merge_project(ours, theirs, "Ana")
    merge_project(theirs, ours, "Ben")
    mine, his = _contents(ours), _contents(theirs)
    assert len(mine["codings"]) == len(his["codings"])
    assert mine["diary"] == his["diary"] and mine["notes"] == his["notes"]


def test_the_other_trail_is_kept_and_verified_beside_ours(copies: tuple[Path, Path]) -> None:
    ours, theirs = copies
    with ProjectStore.open(theirs, readonly=True) as store, store.read() as session:
        their_hashes = session.execute(text("SELECT seq, hash FROM audit_event ORDER BY seq")
                                       ).all()
    merge_project(ours, theirs, "Ana")
    with ProjectStore.open(ours) as store:
        with store.read() as session:
            kept = session.execute(select(KeptEvent.seq, KeptEvent.hash)
                                   .order_by(KeptEvent.seq)).all()
            assert [tuple(r) for r in kept] == [tuple(r) for r in their_hashes]
            report = verify_trail(session, store.path)
            assert report.intact, report.describe()
            assert any("kept by the merge at event" in line and "hash chain verified" in line
                       for line in report.lines())
        with store.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text("UPDATE kept_event SET coder = 'Mallory' WHERE seq = 2"))
        with store.engine.begin() as conn:  # a deliberate forger removes the guard first
            conn.execute(text("DROP TRIGGER kept_event_no_update"))
            conn.execute(text("UPDATE kept_event SET coder = 'Mallory' WHERE seq = 2"))
        with store.read() as session:
            report = verify_trail(session, store.path)
    assert not report.intact
    assert any("BROKEN" in line and "its event 2" in line for line in report.lines())


def test_a_project_is_not_merged_into_itself(copies: tuple[Path, Path]) -> None:
    ours, _theirs = copies
    with pytest.raises(ProjectError, match="cannot be merged into itself"):
        merge_project(ours, ours, "Ana")
