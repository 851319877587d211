"""The appendices: the reflective diary and the audit trail as Word documents."""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.text.paragraph import Paragraph

from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.reports.appendices import audit_appendix, diary_appendix
from thematic_workbench.core.services import coders, codes, diary, phases, review
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.audit_queries import AuditFilter, AuditRow, iter_audit_rows
from thematic_workbench.core.trail.redaction import redact_strings
from thematic_workbench.io.appendix_docx import (
    AUDIT_HEADERS,
    add_markdown,
    read_exported_docx,
    readable_time,
    write_audit_docx,
    write_audit_table,
    write_diary_docx,
)
from thematic_workbench.io.docx_style import is_header_row, new_document

DATE = re.compile(r"^\d{1,2} (January|February|March|April|May|June|July|August|September|"
                  r"October|November|December) \d{4}, \d{2}:\d{2} UTC$")
BODY = """# What I noticed

I kept **underlining** *trust*; snake_case_words stay as they are.
See [the 2006 paper](https://doi.org/10.1191/1478088706qp063oa).

- a point with `code`
- another point
  - a nested one
1. first
1. second

> a quotation

Last line\\
after a hard break."""


def _texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _styled(document: Document, style: str) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style.name == style]


def test_readable_time() -> None:
    assert readable_time("2026-03-03T14:05:09.123456Z") == "3 March 2026, 14:05 UTC"
    assert readable_time("2026-12-25T00:00:00Z", seconds=True) == \
        "25 December 2026, 00:00:00 UTC"


@pytest.fixture
def diary_store(store: ProjectStore) -> ProjectStore:
    with store.transaction("alice") as tx:
        code = codes.create_code(tx, "Trust built slowly").new_id("code")
        gone = codes.create_code(tx, "Dropped later").new_id("code")
        diary.add_entry(tx, "First impressions, before coding.", title="Reading PA")
    with store.transaction("bob") as tx:
        phases.move_to_phase(tx, 2, "Reading done")
        diary.add_entry(tx, BODY, links=[("code", code), ("code", gone)])
    with store.transaction("alice") as tx:
        phases.move_to_phase(tx, 3, "Codes done")
        diary.add_entry(tx, "Candidate themes & <doubts>.", title="Themes")
        codes.delete_code(tx, gone)
    return store


def test_diary_entries_oldest_first_with_date_phase_and_coder(
        diary_store: ProjectStore, tmp_path: Path) -> None:
    with diary_store.read() as db:
        assert write_diary_docx(diary_appendix(db), tmp_path / "diary.docx") == 3
    document = open_document(str(tmp_path / "diary.docx"))
    assert [p.text for p in _styled(document, "Title")] == ["Reflective diary"]
    assert [p.text for p in _styled(document, "Heading 2")] == [
        "Entry 1: Reading PA", "Entry 2", "Entry 3: Themes"]
    texts = _texts(document)
    assert "Test study" in texts
    assert any(re.fullmatch(r"3 entries, oldest first, written on \d{1,2} \w+ \d{4}\. "
                            r"Times are in UTC\.", text) for text in texts)
    stamps = [texts[texts.index(p.text) + 1] for p in _styled(document, "Heading 2")]
    expected = [("Phase 1: Familiarising yourself with the data", "alice"),
                ("Phase 2: Generating initial codes", "bob"),
                ("Phase 3: Searching for themes", "alice")]
    for stamp, (phase, coder) in zip(stamps, expected, strict=True):
        when, shown_phase, shown_coder = stamp.split(" \N{MIDDLE DOT} ")
        assert DATE.match(when) and shown_phase == phase and shown_coder == coder
    assert "Candidate themes & <doubts>." in texts


def test_diary_markdown_stays_readable(diary_store: ProjectStore, tmp_path: Path) -> None:
    with diary_store.read() as db:
        write_diary_docx(diary_appendix(db), tmp_path / "diary.docx")
    document = open_document(str(tmp_path / "diary.docx"))
    texts = _texts(document)
    start = texts.index("What I noticed")
    heading = document.paragraphs[start]
    assert heading.runs[0].bold and heading.style.name == "Normal"
    assert texts[start + 1] == (
        "I kept underlining trust; snake_case_words stay as they are. See the 2006 paper "
        "(https://doi.org/10.1191/1478088706qp063oa).")
    runs = {run.text: run for run in document.paragraphs[start + 1].runs}
    assert runs["underlining"].bold and runs["trust"].italic
    assert runs["the 2006 paper"].underline
    assert texts[start + 2:start + 7] == ["\u2022\ta point with code", "\u2022\tanother point",
                                          "\u2013\ta nested one", "1.\tfirst", "2.\tsecond"]
    assert document.paragraphs[start + 4].paragraph_format.left_indent > \
        document.paragraphs[start + 3].paragraph_format.left_indent
    code_run = document.paragraphs[start + 2].runs[-1]
    assert code_run.text == "code" and code_run.font.name == "Courier New"
    assert texts[start + 7] == "a quotation"
    assert texts[start + 8] == "Last line\nafter a hard break."
    assert texts[start + 9] == ("Linked to: code \u201cTrust built slowly\u201d; code 2 (since "
                                "deleted)")


def test_the_demo_diary(tmp_path: Path) -> None:
    project = build_demo(tmp_path / "demo.thematic")
    with ProjectStore.open(project, readonly=True) as store, store.read() as db:
        count = write_diary_docx(diary_appendix(db), tmp_path / "diary.docx")
        entries = diary.list_entries(db)
    assert count == len(entries) == 2
    texts = _texts(open_document(str(tmp_path / "diary.docx")))
    assert texts.index(entries[0].body) < texts.index(entries[1].body)


def _events(store: ProjectStore, audit_filter: AuditFilter | None = None) -> list[AuditRow]:
    with store.read() as db:
        return list(iter_audit_rows(db, audit_filter))


@pytest.fixture
def trail(store: ProjectStore) -> ProjectStore:
    with store.transaction("alice") as tx:
        for number in range(30):
            code = codes.create_code(tx, f"Code {number} <&>").new_id("code")
            codes.define_code(tx, code, f"What code {number} means,\nover two lines")
    with store.transaction("bob") as tx:
        phases.move_to_phase(tx, 2, "Start coding")
    return store


def test_audit_table_has_a_repeating_header_and_one_row_per_event(
        trail: ProjectStore, tmp_path: Path) -> None:
    target = tmp_path / "audit.docx"
    with trail.read() as db:
        count = write_audit_docx(audit_appendix(db), target)
    events = _events(trail)
    assert count == len(events) == 65
    document = open_document(str(target))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[0].page_width > document.sections[0].page_height
    assert [p.text for p in _styled(document, "Title")] == ["Audit trail"]
    intro = next(text for text in _texts(document) if text.startswith("65 events"))
    assert "The hash chain verifies over all 65 events of the project" in intro
    assert "No signed anchor exists yet" in intro and "would not show" in intro
    assert "no event has been changed, removed or inserted" not in intro
    (table,) = document.tables
    assert len(table.rows) == len(events) + 1
    assert tuple(cell.text for cell in table.rows[0].cells) == AUDIT_HEADERS
    assert [is_header_row(row) for row in table.rows[:3]] == [True, False, False]
    for row, event in zip(table.rows[1:], events, strict=True):
        cells = [cell.text for cell in row.cells]
        assert cells[0] == str(event.seq)
        assert cells[1] == event.at[:19].replace("T", " ")
        assert cells[2:5] == [event.coder, str(event.phase), event.action]
        assert cells[5] == " ".join(event.summary.split())
    assert table.rows[1].cells[5].text == "Created coder \u201cresearcher\u201d"
    assert any("<&>" in row.cells[5].text for row in table.rows[1:])
    last = table.rows[-1].cells
    assert (last[2].text, last[3].text, last[4].text) == ("bob", "1", "phase.move")


def test_audit_filter_and_an_empty_result(trail: ProjectStore, tmp_path: Path) -> None:
    only_defines = AuditFilter(action="code.define")
    with trail.read() as db:
        assert write_audit_docx(audit_appendix(db, only_defines), tmp_path / "defines.docx") == 30
        nobody = audit_appendix(db, AuditFilter(coder="nobody"))
        assert write_audit_docx(nobody, tmp_path / "none.docx") == 0
    document = open_document(str(tmp_path / "defines.docx"))
    assert any(text.startswith("30 events matching the chosen filter, from ")
               for text in _texts(document))
    assert len(document.tables[0].rows) == 31
    assert {row.cells[4].text for row in document.tables[0].rows[1:]} == {"code.define"}
    empty = open_document(str(tmp_path / "none.docx"))
    assert len(empty.tables[0].rows) == 1
    assert any(text.startswith("0 events matching the chosen filter. The hash chain")
               for text in _texts(empty))


def test_a_broken_chain_is_said_plainly(trail: ProjectStore, tmp_path: Path) -> None:
    trail.engine.dispose()
    conn = sqlite3.connect(trail.path)
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET coder = 'mallory' WHERE seq = 5")
    conn.commit()
    conn.close()
    with trail.read() as db:
        write_audit_docx(audit_appendix(db), tmp_path / "audit.docx")
    intro = next(text for text in _texts(open_document(str(tmp_path / "audit.docx")))
                 if text.startswith("65 events"))
    assert "The hash chain does NOT verify: audit trail BROKEN at event 5" in intro


def test_many_rows_are_streamed(tmp_path: Path) -> None:
    rows = (AuditRow(seq, f"2026-03-03T14:{seq % 60:02d}:00.000000Z", "alice\x07", 2,
                     "code.rename", "code", seq, f"Renamed code \u201c{seq}\u201d", None, None,
                     "0" * 64) for seq in range(1, 3001))
    assert write_audit_table(rows, tmp_path / "many.docx", ["Big study", "3000 events."]) == 3000
    document = open_document(str(tmp_path / "many.docx"))
    (table,) = document.tables
    assert len(table.rows) == 3001
    assert [cell.text for cell in table.rows[3000].cells] == [
        "3000", "2026-03-03 14:00:00", "alice", "2", "code.rename", "Renamed code \u201c3000\u201d"]
    assert not list(tmp_path.glob(".*.part"))


def test_markdown_hard_breaks_and_lazy_lines() -> None:
    document = new_document()
    add_markdown(document, "two spaces" + "  " + "\nbreak\nsoft\n\n> quoted\nlazy\n\n1) one"
                           "\n\nUnderlined\n---\n\n---\n2 * 3 * 4 and 2*3")
    assert _texts(document) == ["two spaces\nbreak soft", "quoted lazy", "1.\tone",
                                "Underlined", "*\u2003*\u2003*", "2 * 3 * 4 and 2*3"]
    assert document.paragraphs[3].runs[0].bold


def test_the_appendix_states_the_chain_head_and_its_signed_anchors(
        trail: ProjectStore, tmp_path: Path) -> None:
    with trail.transaction("alice") as tx:
        coders.set_coder_role(tx, "Sue", "supervisor")
    with trail.transaction("Sue") as tx:
        review.sign_off_phase(tx, 1, "checked")
        signed = tx.audit_writer.head
    with trail.transaction("alice") as tx:
        codes.create_code(tx, "after the sign-off")
        head = tx.audit_writer.head
    target = tmp_path / "audit.docx"
    with trail.read() as db:
        write_audit_docx(audit_appendix(db), target)
    texts = _texts(open_document(str(target)))
    intro = next(text for text in texts if text.startswith(f"{head[0]} events"))
    assert (f"its 1 signed anchor hold: every event up to event {signed[0]} is vouched for by "
            f"the sign-off 1 signed by Sue at event {signed[0]}. Events after event "
            f"{signed[0]} are covered by the hash chain only") in intro
    assert f"Chain head when exported: event {head[0]}, SHA-256 {head[1]}." in texts
    (anchor,) = [text for text in texts if text.startswith("Anchor: ")]
    assert anchor.startswith(f"Anchor: the sign-off 1 signed by Sue at event {signed[0]} "
                             f"\N{EM DASH} head SHA-256 {signed[1]}; key ")
    exported = read_exported_docx(target)
    assert (exported.head_seq, exported.head_hash) == head
    assert [(seq, digest) for seq, digest, _signature in exported.anchors] == [signed]


def test_an_erased_event_says_so_and_the_appendix_holds_no_erased_string(
        trail: ProjectStore, tmp_path: Path) -> None:
    with trail.transaction("alice") as tx:
        codes.create_code(tx, "Dr Okafor listened", origin="in_vivo")
    with trail.transaction("alice") as tx:
        erased, _change = redact_strings(tx, ["Okafor"], "pseudonymisation")
    target = tmp_path / "audit.docx"
    with trail.read() as db:
        write_audit_docx(audit_appendix(db), target)
    document = open_document(str(target))
    rows = {row.cells[0].text: [cell.text for cell in row.cells]
            for row in document.tables[0].rows[1:]}
    (seq,) = erased.events
    assert rows[str(seq)][4:] == ["code.create", "Created code 31: payload erased by a redaction"]
    assert rows[str(erased.recorded_seq)][4:] == [
        "audit.redact", "Erased the payloads of 1 event: pseudonymisation"]
    intro = next(text for text in _texts(document) if text.startswith("67 events"))
    assert "The hash chain verifies over all 67 events" in intro
    with zipfile.ZipFile(target) as archive:
        assert all(b"okafor" not in archive.read(name).lower() for name in archive.namelist())
