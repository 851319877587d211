"""Memos, diary, margin notes and participants between us and other tools (.qdpx).

Files shaped like QualCoder's: a coding memo is the Description of its coded selection, a
journal entry a Note whose text is a file in sources/, an annotation a Note holding a
PlainTextSelection of the source whose NoteRef names it, a participant a Case with
SourceRefs and typed variables. And our own export of all of these reads back the same.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.core.test_project_import import frame, import_file
from tests.io.test_qdpx import (  # noqa: F401 (project_schema is a fixture)
    CODE_BETTER,
    CODE_HARD,
    USER,
    make_qdpx,
    project_qde,
    project_schema,
    selection,
)
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.queries.refi_export import read_project_export
from thematic_workbench.core.services import annotations, codings, diary, participants
from thematic_workbench.core.storage import models as m
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.refi.qdpx_read import read_qdpx
from thematic_workbench.io.refi.qdpx_write import write_qdpx

TEXT_A = "INTERVIEWER: How was it?\nPA: It was hard.\nPA: Then it got better, slowly.\n"
TEXT_B = "INTERVIEWER: And you?\nPB: Fine, mostly.\n"


def guid(n: int) -> str:
    return f"0D1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C{n:04d}"


SOURCE_A, SOURCE_B, JOURNAL, ANNOTATION, LOST = guid(1), guid(2), guid(3), guid(4), guid(5)


def span(text: str, word: str) -> str:
    start = text.index(word)
    return f'startPosition="{start}" endPosition="{start + len(word)}"'


def qualcoder_qde() -> str:
    """What QualCoder's export writes (see its refi.py), with two sources."""
    two_codes = (f'<PlainTextSelection guid="{guid(10)}" {span(TEXT_A, "got better")} '
                 f'creatingUser="{USER}"><Description>Both codes here</Description>'
                 f'<Coding guid="{guid(11)}"><CodeRef targetGUID="{CODE_HARD}"/></Coding>'
                 f'<Coding guid="{guid(12)}"><CodeRef targetGUID="{CODE_BETTER}"/></Coding>'
                 "</PlainTextSelection>")
    uncoded = (f'<PlainTextSelection guid="{guid(13)}" {span(TEXT_A, "slowly")}>'
               "<Description>MAXQDA-style comment</Description></PlainTextSelection>")
    sources = (
        f'<TextSource guid="{SOURCE_A}" name="Interview A" '
        f'plainTextPath="internal://{SOURCE_A}.txt">'
        + selection(guid(14), TEXT_A, "hard", CODE_HARD, "<Description>Why hard?</Description>")
        + two_codes + uncoded + f'<NoteRef targetGUID="{ANNOTATION}"/></TextSource>'
        f'<TextSource guid="{SOURCE_B}" name="Interview B" '
        f'plainTextPath="internal://{SOURCE_B}.txt"/>')
    notes = (
        f'<Notes><Note guid="{JOURNAL}" name="Week one" creatingUser="{USER}" '
        f'creationDateTime="2024-03-01T10:00:00Z" plainTextPath="internal://{JOURNAL}.txt">'
        "<Description /></Note>"
        f'<Note guid="{ANNOTATION}" creatingUser="{USER}" creationDateTime="2024-03-02T10:00:00Z">'
        "<PlainTextContent>Expand: what is IT?</PlainTextContent>"
        f'<PlainTextSelection guid="{guid(20)}" {span(TEXT_A, "It was")}/></Note>'
        f'<Note guid="{LOST}" creationDateTime="2024-03-03T10:00:00Z">'
        "<PlainTextContent>Second annotation, named by no source</PlainTextContent>"
        f'<PlainTextSelection guid="{guid(21)}" startPosition="3" endPosition="9"/></Note>'
        "</Notes>")
    variables = "".join(
        f'<Variable guid="{guid(30 + i)}" name="{name}" typeOfVariable="{kind}"/>'
        for i, (name, kind) in enumerate([("age", "Integer"), ("hours", "Float"),
                                          ("interviewed", "Date"), ("consented", "Boolean"),
                                          ("role", "Text")]))

    def value(i: int, kind: str, text: str) -> str:
        return (f'<VariableValue><VariableRef targetGUID="{guid(30 + i)}"/>'
                f"<{kind}Value>{text}</{kind}Value></VariableValue>")

    cases = (f'<Cases><Case guid="{guid(40)}" name="PA"><Description>First interview'
             "</Description>" + value(0, "Integer", "34") + value(1, "Float", "7.5")
             + value(2, "Date", "2024-02-28") + value(3, "Boolean", "1")
             + value(4, "Text", "nurse") + f'<SourceRef targetGUID="{SOURCE_A}"/></Case>'
             f'<Case guid="{guid(41)}" name="PB">' + value(3, "Boolean", "false")
             + f'<SourceRef targetGUID="{SOURCE_B}"/></Case></Cases>')
    return project_qde(sources, extra=notes + f"<Variables>{variables}</Variables>" + cases)


def qualcoder_qdpx(folder: Path) -> Path:
    return make_qdpx(folder / "qualcoder.qdpx", qualcoder_qde(), {
        f"sources/{SOURCE_A}.txt": TEXT_A.encode(), f"sources/{SOURCE_B}.txt": TEXT_B.encode(),
        f"sources/{JOURNAL}.txt": b"Started coding; the first interview was guarded."})


def test_qualcoder_memos_journal_annotations_and_cases(tmp_path: Path,
                                                       store: ProjectStore) -> None:
    result = import_file(store, qualcoder_qdpx(tmp_path))
    with store.read() as session:
        text = session.execute(select(m.Document.text).where(
            m.Document.name == "Interview A")).scalar_one()
        memos = sorted((text[c.start:c.end], name, c.memo) for c, name in session.execute(
            select(m.Coding, m.Code.name).join(m.Code)).all())
        margin = sorted((text[a.start:a.end], a.body) for a in session.execute(
            select(m.Annotation)).scalars())
        entries = sorted((e.title, e.body) for e in session.execute(
            select(m.DiaryEntry)).scalars())
        people = sorted(session.execute(select(m.Document.name, m.Participant.label).join(
            m.Participant, m.Document.participant_id == m.Participant.id)).all())
        types = dict(session.execute(select(m.AttributeDefinition.name,
                                            m.AttributeDefinition.type)).all())
        values = dict(session.execute(
            select(m.AttributeDefinition.name, m.ParticipantAttribute.value)
            .join(m.ParticipantAttribute).join(m.Participant)
            .where(m.Participant.label == "PA")).all())
        pb_consent = participants.attribute_values(session, session.execute(
            select(m.Participant.id).where(m.Participant.label == "PB")).scalar_one())
    assert memos == [("got better", "Getting better", "Both codes here"),
                     ("got better", "Hard going", "Both codes here"),
                     ("hard", "Hard going", "Why hard?")]
    assert margin == [("It was", "Expand: what is IT?"), ("slowly", "MAXQDA-style comment")]
    assert entries == [("", "Second annotation, named by no source"),
                       ("Week one", "Started coding; the first interview was guarded.")]
    assert people == [("Interview A", "PA"), ("Interview B", "PB")]
    assert types == {"age": "number", "hours": "number", "interviewed": "date",
                     "consented": "choice", "role": "text"}
    assert values == {"age": "34", "hours": "7.5", "interviewed": "2024-02-28",
                      "consented": "true", "role": "nurse"}
    assert pb_consent == {"consented": "false"}
    assert any("1 note on a span" in line and "margin notes" in line
               for line in result.recast)
    assert any("'Second annotation, named by no source' marks a span, but no source refers "
               "to it: stored as a diary entry" in line for line in result.recast)
    assert result.summary()["recast"] == result.recast


def test_a_note_whose_span_leaves_its_source_is_a_diary_entry(tmp_path: Path,
                                                              store: ProjectStore) -> None:
    qde = qualcoder_qde().replace(span(TEXT_A, "It was"), 'startPosition="5" '
                                  'endPosition="5000"')
    path = make_qdpx(tmp_path / "far.qdpx", qde, {
        f"sources/{SOURCE_A}.txt": TEXT_A.encode(), f"sources/{SOURCE_B}.txt": TEXT_B.encode(),
        f"sources/{JOURNAL}.txt": b"Week one"})
    project = read_qdpx(path)
    far = next(note for note in project.notes if note.guid == ANNOTATION)
    assert far.place is None and "outside the text" in far.unplaced
    result = import_file(store, path)
    assert result.annotations == 1 and result.diary_entries == 3
    assert any("'Expand: what is IT?' marks a span, but its span lies outside" in line
               for line in result.recast)


def test_the_only_source_takes_a_note_no_source_names(tmp_path: Path,
                                                      store: ProjectStore) -> None:
    qde = qualcoder_qde()
    qde = qde[:qde.index(f'<TextSource guid="{SOURCE_B}"')] + qde[qde.index("</Sources>"):]
    path = make_qdpx(tmp_path / "one.qdpx", qde, {
        f"sources/{SOURCE_A}.txt": TEXT_A.encode(), f"sources/{JOURNAL}.txt": b"Week one"})
    import_file(store, path)
    with store.read() as session:
        text = session.execute(select(m.Document.text)).scalar_one()
        bodies = {a.body: text[a.start:a.end] for a in session.execute(
            select(m.Annotation)).scalars()}
    assert bodies["Second annotation, named by no source"] == TEXT_A[3:9]


# -- our export, read back by us ----------------------------------------------------------
def test_round_trip_of_memos_diary_margin_notes_and_typed_attributes(
        tmp_path: Path, store: ProjectStore,
        project_schema: Any) -> None:  # noqa: F811 (the fixture imported above)
    original = build_demo(tmp_path / "demo.thematic")
    with ProjectStore.open(original) as demo:
        with demo.transaction("second coder") as tx:
            codings.apply_coding(tx, 1, 1, 5, 30, memo="Why this reads as guarded.")
            annotations.add_annotation(tx, 2, 10, 40, "Check the tape here.")
            diary.add_entry(tx, "An untitled thought.")
            diary.add_entry(tx, "Linked to A and B.", title="Both", links=[
                ("document", 1), ("document", 2)])
            participants.define_attribute(tx, "hours", "number")
            participants.define_attribute(tx, "interviewed", "date")
            participants.define_attribute(tx, "consented", "choice", ["true", "false"])
            for person, hours, day, consent in ((1, "7.5", "2024-02-28", "true"),
                                                (2, "3", "2024-03-01", "false")):
                participants.set_participant_attribute(tx, person, "hours", hours)
                participants.set_participant_attribute(tx, person, "interviewed", day)
                participants.set_participant_attribute(tx, person, "consented", consent)
        with demo.read() as session:
            expected = frame(session)
            write_qdpx(read_project_export(session), tmp_path / "demo.qdpx")
    with zipfile.ZipFile(tmp_path / "demo.qdpx") as archive:
        qde = archive.read("project.qde").decode("utf-8")
    project_schema.validate(qde)
    assert "<PlainTextContent>" not in qde and 'typeOfVariable="Boolean"' in qde
    result = import_file(store, tmp_path / "demo.qdpx")
    with store.read() as session:
        got = frame(session)
    for key in expected:
        assert got[key] == expected[key], key
    assert ("Why this reads as guarded." in {row[-1] for row in got["codings"]}
            and result.recast == [])
