"""The session's transcripts stay what a fresh read would give, change after change."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from tests.core.helpers_docs import imported
from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.queries.transcript_cache import TranscriptCache
from thematic_workbench.core.queries.transcript_data import TranscriptData, load_transcript
from thematic_workbench.core.services.annotations import add_annotation, delete_annotation
from thematic_workbench.core.services.codes import create_code, recolour_code, rename_code
from thematic_workbench.core.services.codings import (
    apply_coding,
    remove_coding,
    set_coding_memo,
)
from thematic_workbench.core.services.documents import (
    delete_document,
    import_document,
    rename_document,
)
from thematic_workbench.core.services.participants import rename_participant
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.speaker_turns import detect_turns

CODER = "researcher"
TEXT = ("INTERVIEWER: How do you look after yourself after a difficult session?\n"
        "PA: Honestly I go for a run and it clears my head.\n"
        "INTERVIEWER: And supervision?\n"
        "PA: Supervision is where I can say the unsayable.")


def _import(store: ProjectStore, name: str, participant: str) -> int:
    document = imported(TEXT, name=name)
    document = dataclasses.replace(document, turns=tuple(detect_turns(document.text)))
    with store.transaction(CODER) as tx:
        return import_document(tx, document, participant=participant).new_id(Kind.DOCUMENT)


@pytest.fixture
def two(store: ProjectStore) -> tuple[int, int]:
    return _import(store, "PA interview", "PA"), _import(store, "PB interview", "PB")


def _fresh(store: ProjectStore, document_id: int) -> TranscriptData:
    with store.read() as session:
        return load_transcript(session, document_id)


def _done(store: ProjectStore, cache: TranscriptCache, work: Callable[[Tx], Change]) -> Change:
    """One saved change, followed by the cache as the window's session does."""
    with store.transaction(CODER) as tx:
        change = work(tx)
    cache.follow(change)
    return change


def test_every_kind_of_change_leaves_the_kept_transcripts_as_a_fresh_read(
        store: ProjectStore, two: tuple[int, int]) -> None:
    first, second = two
    cache = TranscriptCache(store.read)
    with store.transaction(CODER) as tx:
        code = create_code(tx, "Running", colour="#1F77B4").new_id(Kind.CODE)
    assert cache.get(first) == _fresh(store, first)
    assert cache.get(second) == _fresh(store, second)
    coding = _done(store, cache, lambda tx: apply_coding(tx, first, code, 75, 100)
                   ).new_id(Kind.CODING)
    _done(store, cache, lambda tx: apply_coding(tx, second, code, 0, 11))
    _done(store, cache, lambda tx: set_coding_memo(tx, coding, "the run as a boundary"))
    _done(store, cache, lambda tx: rename_code(tx, code, "Running it off"))
    _done(store, cache, lambda tx: recolour_code(tx, code, "#D62728"))
    note = _done(store, cache, lambda tx: add_annotation(tx, first, 0, 11, "Ask again")
                 ).new_id(Kind.ANNOTATION)
    _done(store, cache, lambda tx: rename_document(tx, first, "PA first interview"))
    with store.read() as session:
        participant = session.scalar(select(Document.participant_id).where(
            Document.id == second))
    assert participant is not None
    _done(store, cache, lambda tx: rename_participant(tx, participant, "PB (therapist)"))
    for document_id in two:
        kept, fresh = cache.get(document_id), _fresh(store, document_id)
        assert kept == fresh
    shown = cache.get(first)
    assert shown.name == "PA first interview"
    assert [(c.code_name, c.colour, c.memo) for c in shown.codings] == [
        ("Running it off", "#D62728", "the run as a boundary")]
    assert [n.body for n in shown.annotations] == ["Ask again"]
    assert cache.get(second).participant == "PB (therapist)"
    _done(store, cache, lambda tx: remove_coding(tx, coding))
    _done(store, cache, lambda tx: delete_annotation(tx, note))
    assert cache.get(first) == _fresh(store, first)
    assert cache.get(first).codings == () and cache.get(first).annotations == ()


def test_a_kept_transcript_is_not_read_again_until_a_change_touches_it(
        store: ProjectStore, two: tuple[int, int]) -> None:
    first, _second = two
    cache = TranscriptCache(store.read)
    shown = cache.get(first)
    assert cache.get(first) is shown  # nothing changed: the same value, no read
    cache.follow(Change().change(Kind.THEME, 1))  # a change it does not show
    assert cache.get(first) is shown
    with store.transaction(CODER) as tx:
        code = create_code(tx, "Supervision").new_id(Kind.CODE)
    _done(store, cache, lambda tx: apply_coding(tx, first, code, 0, 11))
    again = cache.get(first)
    assert again is not shown and again.text is shown.text and again.lines is shown.lines
    assert len(again.codings) == 1


def test_a_deleted_transcript_is_dropped_and_reported_missing(
        store: ProjectStore, two: tuple[int, int]) -> None:
    first, second = two
    cache = TranscriptCache(store.read)
    cache.get(first)
    _done(store, cache, lambda tx: delete_document(tx, first))
    assert first not in cache
    with pytest.raises(NotFoundError):
        cache.get(first)
    assert cache.get(second) == _fresh(store, second)


def test_it_keeps_only_the_last_few_transcripts(store: ProjectStore,
                                                two: tuple[int, int]) -> None:
    first, second = two
    cache = TranscriptCache(store.read, size=1)
    cache.get(first)
    cache.get(second)
    assert second in cache and first not in cache
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2
