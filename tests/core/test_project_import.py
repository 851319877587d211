"""Storing a .qdpx in a project: the round trip, other tools' files, and all-or-nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.io.test_qdpx import (
    CODE_HARD,
    CRLF_TEXT,
    USER,
    bad_archives,
    crlf_qdpx,
    crlf_source,
    make_qdpx,
    project_qde,
)
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.errors import DocumentReadError, InvariantError
from thematic_workbench.core.queries.refi_export import read_project_export
from thematic_workbench.core.queries.theme_board import read_board
from thematic_workbench.core.records.refi import RefiCoding, RefiProject, RefiSelection
from thematic_workbench.core.services import annotations, codes, codings, diary, themes
from thematic_workbench.core.services.project_import import import_project
from thematic_workbench.core.services.project_result import ProjectImport
from thematic_workbench.core.storage import models as m
from thematic_workbench.core.storage.audit import verify_chain
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.refi.qdpx_read import read_qdpx
from thematic_workbench.io.refi.qdpx_write import write_qdpx

COUNTED = (m.Coder, m.Participant, m.AttributeDefinition, m.Document, m.Line, m.Turn,
           m.Code, m.Coding, m.Theme, m.ThemeMembership, m.Annotation, m.DiaryEntry,
           m.AuditEvent)


def import_file(store: ProjectStore, path: Path, coder: str = "importer") -> ProjectImport:
    """What the GUI and CLI do: read the file, then store it in one transaction."""
    project = read_qdpx(path)
    with store.transaction(coder) as tx:
        return import_project(tx, project)


def counts(store: ProjectStore) -> dict[str, int]:
    with store.read() as session:
        return {model.__name__: session.execute(
            select(func.count()).select_from(model)).scalar_one() for model in COUNTED}


# -- the round trip -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_qdpx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo with a margin note and a memo by a second coder, and its export."""
    folder = tmp_path_factory.mktemp("roundtrip")
    path = build_demo(folder / "demo.thematic")
    with ProjectStore.open(path) as store:
        with store.transaction("second coder") as tx:
            annotations.add_annotation(tx, 2, 10, 40, "Guarded at first.")
            code_id = codes.create_code(tx, "Emoji \U0001F600 e\u0301", colour="#123456",
                                        definition="A code with awkward characters") \
                .new_id("code")
            codings.apply_coding(tx, 1, code_id, 5, 30, memo="Memo by the second coder.")
            emerging = tx.session.execute(select(m.Theme.id).where(
                m.Theme.level == "emerging").order_by(m.Theme.id)).scalars().all()
            themes.assign_code(tx, code_id, emerging[0])  # a code in two themes
            themes.assign_code(tx, code_id, emerging[-1], position=0)
            diary.add_entry(tx, "Rereading the first two interviews.", title="Linked",
                            links=[("document", 1), ("document", 2), ("code", code_id)])
        with store.read() as session:
            write_qdpx(read_project_export(session), folder / "demo.qdpx")
    return path, folder / "demo.qdpx"


def frame(session: Session) -> dict[str, Any]:
    """Everything the round trip must keep, by names (ids differ between projects)."""
    doc_names = dict(session.execute(select(m.Document.id, m.Document.name)).all())
    code_names = dict(session.execute(select(m.Code.id, m.Code.name)).all())
    coder_names = dict(session.execute(select(m.Coder.id, m.Coder.name)).all())
    board = read_board(session)

    def themes(group: Any) -> list[tuple[str, str, str, list[str]]]:
        return [(t.name, t.level, t.definition, [c.name for c in t.codes]) for t in group]

    return {
        "documents": sorted(session.execute(select(m.Document.name, m.Document.text)).all()),
        "codes": sorted(session.execute(select(m.Code.name, m.Code.colour, m.Code.definition)
                                        .where(m.Code.status == "active")).all()),
        "finals": themes(board.finals),
        "emerging": {next((f.name for f in board.finals if f.id == key), None): themes(group)
                     for key, group in board.emerging.items()},
        "codings": sorted((doc_names[c.document_id], code_names[c.code_id], c.start, c.end,
                           coder_names[c.coder_id], c.memo)
                          for c in session.execute(select(m.Coding)).scalars()),
        "annotations": sorted((doc_names[a.document_id], a.start, a.end, a.body,
                               coder_names[a.coder_id])
                              for a in session.execute(select(m.Annotation)).scalars()),
        "diary": sorted((e.title, e.body, e.created_at, coder_names[e.coder_id],
                         sorted(doc_names[link.target_id] for link in e.links
                                if link.target_kind == "document"))
                        for e in session.execute(select(m.DiaryEntry)).scalars()),
        "participants": sorted(
            (p.label, sorted(session.execute(
                select(m.Document.name).where(m.Document.participant_id == p.id)).scalars()))
            for p in session.execute(select(m.Participant)).scalars()),
        "attributes": sorted(session.execute(
            select(m.Participant.label, m.AttributeDefinition.name,
                   m.AttributeDefinition.type, m.ParticipantAttribute.value)
            .join(m.ParticipantAttribute, m.ParticipantAttribute.participant_id == m.Participant.id)
            .join(m.AttributeDefinition)).all()),
    }


def test_round_trip_keeps_documents_frame_and_codings(demo_qdpx: tuple[Path, Path],
                                                      store: ProjectStore) -> None:
    original, exported = demo_qdpx
    result = import_file(store, exported)
    with ProjectStore.open(original, readonly=True) as before, before.read() as session:
        expected = frame(session)
    with store.read() as session:
        got = frame(session)
        assert verify_chain(session).intact
    for key in expected:
        assert got[key] == expected[key], key
    assert result.documents == 4 and result.codings == 46 and result.annotations == 1
    assert result.diary_entries == 3 and result.participants == 4
    assert result.describe().startswith("demo.qdpx: imported 4 transcripts, 46 codings")


def test_round_trip_makes_coders_lines_and_turns(demo_qdpx: tuple[Path, Path],
                                                 store: ProjectStore) -> None:
    import_file(store, demo_qdpx[1])
    with store.read() as session:
        coders = set(session.execute(select(m.Coder.name)).scalars())
        lines = session.execute(select(func.count()).select_from(m.Line)).scalar_one()
        turns = session.execute(select(func.count()).select_from(m.Turn)).scalar_one()
    assert {"researcher", "second coder", "importer"} <= coders
    assert lines > 100 and turns > 50  # recomputed on import, as for any transcript


def test_audit_events_per_batch(demo_qdpx: tuple[Path, Path], store: ProjectStore) -> None:
    import_file(store, demo_qdpx[1])
    with store.read() as session:
        actions = list(session.execute(select(m.AuditEvent.action)).scalars())
    assert actions.count("project.import") == 1
    assert actions.count("coding.import") == 4  # one per document that has codings
    assert actions.count("document.import") == 4 and "coding.apply" not in actions
    assert actions.count("codebook.import") == 1 and actions.count("annotation.add") == 1


# -- other tools' files -------------------------------------------------------------------
@pytest.mark.shared_fixtures
def test_atlas_projects_import(shared_fixtures: Path, store: ProjectStore) -> None:
    import_file(store, shared_fixtures / "atlas-codes-project.qdpx")
    import_file(store, shared_fixtures / "atlas-blank-project.qdpx")
    with store.read() as session:
        coders = set(session.execute(select(m.Coder.name)).scalars())
        board = read_board(session)
        assert verify_chain(session).intact
    assert {"Enric Llagostera", "ATLAS.ti"} <= coders
    commits = board.emerging[None][0]
    assert commits.name == "Commits"
    assert [c.name for c in commits.codes] == ["2022-05-10T02:05:59Z 19e4dce",
                                               "2022-02-11T10:39:25Z cdbfd92"]


def test_crlf_selections_land_on_their_words(tmp_path: Path, store: ProjectStore) -> None:
    result = import_file(store, crlf_qdpx(tmp_path / "crlf.qdpx"))
    with store.read() as session:
        document = session.execute(select(m.Document)).scalar_one()
        rows = session.execute(select(m.Coding.start, m.Coding.end, m.Code.name, m.Coder.name)
                               .join(m.Code, m.Code.id == m.Coding.code_id)
                               .join(m.Coder, m.Coder.id == m.Coding.coder_id)
                               .order_by(m.Coding.start)).all()
    assert document.text == "INTERVIEWER: How was it?\nPA: It was hard.\nPA: Café, then better."
    assert [(document.text[r.start:r.end], r.name, r[3]) for r in rows] == [
        ("hard", "Hard going", "Ana Analyst"), ("better", "Getting better", "Ana Analyst")]
    assert result.codings == 2 and document.source_format == "qdpx"


def test_notes_become_margin_notes_memos_and_diary(tmp_path: Path,
                                                   store: ProjectStore) -> None:
    note = ('<Note guid="0F1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D0{i}" name="{name}" '
            f'creatingUser="{USER}"><PlainTextContent>{{text}}</PlainTextContent></Note>')
    notes = "".join(note.format(i=i, name=name, text=text) for i, (name, text) in
                    enumerate([("Plan", "Research plan"), ("Quote", "Striking"),
                               ("Memo", "Why hard?")]))
    source = crlf_source().replace(
        "</Coding></PlainTextSelection>",
        '<NoteRef targetGUID="0F1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D02"/></Coding>'
        '</PlainTextSelection>', 1).replace(
        "</PlainTextSelection></TextSource>",
        '<NoteRef targetGUID="0F1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01"/></PlainTextSelection>'
        '<NoteRef targetGUID="0F1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D00"/></TextSource>')
    path = make_qdpx(tmp_path / "notes.qdpx", project_qde(source, extra=f"<Notes>{notes}</Notes>"),
                     {"sources/a.txt": CRLF_TEXT.encode()})
    import_file(store, path)
    with store.read() as session:
        text = session.execute(select(m.Document.text)).scalar_one()
        note_row = session.execute(select(m.Annotation)).scalar_one()
        memo = session.execute(select(m.Coding.memo).where(m.Coding.start < 50)
                               .order_by(m.Coding.start)).scalars().first()
        entry = session.execute(select(m.DiaryEntry)).scalar_one()
        author = session.get(m.Coder, entry.coder_id).name  # type: ignore[union-attr]
        links = [link.target_kind for link in entry.links]
    assert (text[note_row.start:note_row.end], note_row.body) == ("better", "Striking")
    assert memo == "Why hard?"
    assert (entry.title, entry.body, author, links) == ("Plan", "Research plan",
                                                        "Ana Analyst", ["document"])


# -- bad input changes nothing ------------------------------------------------------------
def test_bad_files_change_nothing(tmp_path: Path, store: ProjectStore) -> None:
    before = counts(store)
    for path, _reason in bad_archives(tmp_path):
        with pytest.raises(DocumentReadError, match=path.stem):
            import_file(store, path)
    assert counts(store) == before
    with store.read() as session:
        assert verify_chain(session).intact


def test_a_failure_while_storing_stores_nothing(tmp_path: Path, store: ProjectStore) -> None:
    project = read_qdpx(crlf_qdpx(tmp_path / "crlf.qdpx"))
    source = project.sources[0]
    stray = RefiSelection("x", 0, 4, codings=(RefiCoding("00000000-0000-0000-0000-0000000000FF"),))
    broken = dataclasses.replace(project, sources=(
        dataclasses.replace(source, selections=(*source.selections, stray)),))
    before = counts(store)
    with pytest.raises(InvariantError, match=r"crlf\.qdpx: nothing was imported"), \
            store.transaction("importer") as tx:
        import_project(tx, broken)
    assert counts(store) == before


def test_many_codings_in_one_batch_per_document(tmp_path: Path, store: ProjectStore) -> None:
    project = read_qdpx(crlf_qdpx(tmp_path / "crlf.qdpx"))
    source = project.sources[0]
    many = tuple(RefiSelection(f"s{i}", i % 40, 41 + i % 20, USER if i % 2 else None,
                               codings=(RefiCoding(CODE_HARD, USER if i % 3 else None),))
                 for i in range(20_000))
    big: RefiProject = dataclasses.replace(project, sources=(
        dataclasses.replace(source, selections=many),))
    with store.transaction("importer") as tx:
        result = import_project(tx, big)
    with store.read() as session:
        stored = session.execute(select(func.count()).select_from(m.Coding)).scalar_one()
        events = session.execute(select(func.count()).select_from(m.AuditEvent).where(
            m.AuditEvent.action == "coding.import")).scalar_one()
        assert verify_chain(session).intact
    distinct = {(s.start, s.end, s.codings[0].user_guid or s.user_guid) for s in many}
    assert stored == result.codings == len(distinct) and events == 1
    assert any("kept once" in note for note in result.notes)
