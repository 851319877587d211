"""The methods appendix as a Word document, organised after the RTARG items.

Each section that answers to an item of Braun and Clarke's reporting guidelines says which
one under its heading; the last section lists what the researcher still has to write. The
house style (font, journal tables, captions) is io/docx_style.py's; the diary's Markdown
and the readable times are io/appendix_docx.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.document import Document
from docx.shared import Cm, Emu, Length, Pt

from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.reports import methods as items
from thematic_workbench.core.reports.methods import MethodsAppendix, ThemeEntry
from thematic_workbench.core.services.diary import EntryView
from thematic_workbench.core.wording import plural
from thematic_workbench.io.appendix_docx import add_markdown, readable_time
from thematic_workbench.io.docx_style import (
    add_caption,
    journal_table,
    new_document,
    save_document,
    set_cell_text,
    text_width,
    xml_safe,
)
from thematic_workbench.io.extracts_docx import add_note

NOT_STATED = "[not stated: see Still to write]"
SHORT_HASH = 12  # hex digits of an anchored hash shown in the table


def short_time(iso: str) -> str:
    """``2026-03-03 14:05`` (UTC) for a table cell."""
    return iso.replace("T", " ").replace("Z", "")[:16]


def _item(document: Document, *names: str) -> None:
    """The RTARG item(s) a section answers to, as a small note under its heading."""
    note = add_note(document, "RTARG: " + "; ".join(names))
    note.paragraph_format.keep_with_next = True


def _field(document: Document, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    if value.strip():
        lines = xml_safe(value.strip()).split("\n")
        run = paragraph.add_run(lines[0])
        for line in lines[1:]:
            run.add_break()
            run.add_text(line)
    else:
        paragraph.add_run(NOT_STATED).italic = True


def _table(document: Document, number: int, title: str, headers: list[str],
           rows: Sequence[tuple[str, ...]], widths_cm: Sequence[float]) -> None:
    """A numbered journal table; ``widths_cm`` for every column but the last, which takes
    the rest of the line (the long text: a reason, a note)."""
    add_caption(document, f"Table {number}", title)
    table = journal_table(document, headers, len(rows))
    table.autofit = False
    widths: list[Length] = [Cm(cm) for cm in widths_cm]
    widths.append(Emu(text_width(document.sections[-1]) - sum(widths)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
        for cell in column.cells:
            cell.width = width
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            set_cell_text(cell, value)
    document.add_paragraph()


def _design(document: Document, appendix: MethodsAppendix) -> None:
    sheet = appendix.design
    document.add_heading("Design of the study", 1)
    _item(document, items.ITEM_KIND, items.ITEM_FRAME, items.ITEM_QUESTION)
    for name, label in (("approach", "Kind of thematic analysis"),
                        ("theoretical_assumptions", "Theoretical assumptions"),
                        ("research_question", "Research question")):
        _field(document, label, sheet.shown(name))
    document.add_heading("Orientation to the data", 2)
    _item(document, items.ITEM_ORIENTATION)
    _field(document, "Inductive or deductive", sheet.shown("orientation"))
    _field(document, "Semantic or latent", sheet.shown("meaning"))
    document.add_heading("Positionality", 1)
    _item(document, items.ITEM_REFLEXIVITY)
    if sheet.positionality.strip():
        add_markdown(document, sheet.positionality)
    else:
        _field(document, "Positionality statement", "")


def _data(document: Document, appendix: MethodsAppendix, tables: list[int]) -> None:
    counts, words = appendix.counts, appendix.words
    document.add_heading("Participants and data", 1)
    _item(document, items.ITEM_DATA)
    rows = [("Transcripts", str(counts.transcripts)),
            ("Participants", str(counts.participants)),
            ("Codes", str(counts.codes)),
            (words.themes("emerging", capital=True), str(counts.emerging_themes)),
            (words.themes("final", capital=True), str(counts.final_themes)),
            ("Codings", str(counts.codings))]
    tables[0] += 1
    _table(document, tables[0], "The study in numbers, when this appendix was made",
           ["What", "Number"], rows, (5,))
    if counts.coders:
        document.add_paragraph(f"Coded by {', '.join(counts.coders)}.")


def _process(document: Document, appendix: MethodsAppendix, tables: list[int]) -> None:
    document.add_heading("The analysis as it moved", 1)
    _item(document, items.ITEM_PROCESS)
    if appendix.moves:
        tables[0] += 1
        _table(document, tables[0], "Each move between phases, with its reason",
               ["Date (UTC)", "From \N{RIGHTWARDS ARROW} to", "Coder", "Reason"],
               [(short_time(move.at), f"{move.from_phase} \N{RIGHTWARDS ARROW} "
                 f"{move.to_phase}: {phase_info(move.to_phase).reflexive_name}",
                 move.coder, move.note) for move in appendix.moves], (3.1, 4.2, 2.3))
    else:
        add_note(document, "No move between phases is recorded yet.")


def _quality(document: Document, appendix: MethodsAppendix, tables: list[int]) -> None:
    document.add_heading("Quality practices", 1)
    _item(document, items.ITEM_QUALITY)
    document.add_heading("Checklist", 2)
    tables[0] += 1
    _table(document, tables[0], "Braun and Clarke's 15-point checklist, by phase",
           ["Phase", "Criterion", "Done", "Note"],
           [(str(point.phase), point.text,
             f"yes, {point.done_by}" if point.done and point.done_by else
             ("yes" if point.done else "no"), point.note) for point in appendix.checklist],
           (1.3, 8, 2))
    document.add_heading("Supervisor's sign-offs", 2)
    if appendix.sign_offs:
        tables[0] += 1
        _table(document, tables[0], "Sign-offs, oldest first, with the anchor each signed",
               ["Date (UTC)", "Phase", "Supervisor", "Note", "Anchor", "Signed"],
               [(short_time(s.at), str(s.phase), s.supervisor, s.note,
                 f"event {s.anchor_seq}, {s.anchor_hash[:SHORT_HASH]}"
                 if s.anchor_seq is not None and s.anchor_hash else "\N{EM DASH}",
                 "signed" if s.signed else "unsigned") for s in appendix.sign_offs],
               (3.1, 1.3, 2.2, 4.2, 3.3))
        add_note(document, "Anchor: the audit event the supervisor's key signed, and the "
                           "start of its SHA-256 hash; the audit-trail appendix holds them "
                           "in full.")
    else:
        add_note(document, "No supervisor has signed off a phase.")
    document.add_heading("Snapshots of the coding frame", 2)
    if appendix.snapshots:
        tables[0] += 1
        _table(document, tables[0], "Snapshots taken, oldest first",
               ["Date (UTC)", "Name", "Phase", "Codes", "Themes", "Note"],
               [(short_time(s.created_at), s.name, str(s.phase), str(s.codes),
                 str(s.themes), s.note) for s in appendix.snapshots],
               (3.1, 3.7, 1.3, 1.4, 1.6))
    else:
        add_note(document, "No snapshot was taken.")


def _theme(document: Document, theme: ThemeEntry) -> None:
    document.add_heading(xml_safe(theme.name), 3)
    if theme.parent:
        add_note(document, xml_safe(f"Part of \N{LEFT DOUBLE QUOTATION MARK}{theme.parent}"
                                    "\N{RIGHT DOUBLE QUOTATION MARK}"))
    _field(document, "Central organising concept", theme.central_concept)
    _field(document, "Definition", theme.definition)


def _themes(document: Document, appendix: MethodsAppendix) -> None:
    words = appendix.words
    document.add_heading("Themes", 1)
    _item(document, items.ITEM_THEMES)
    if not appendix.themes:
        add_note(document, "No themes on the board yet.")
    for level in ("final", "emerging"):
        chosen = [theme for theme in appendix.themes if theme.level == level]
        if chosen:
            document.add_heading(words.themes(level, capital=True), 2)
            for theme in chosen:
                _theme(document, theme)


def _diary_entry(document: Document, number: int, entry: EntryView) -> None:
    document.add_heading(xml_safe(f"Entry {number}: {entry.title}" if entry.title
                                  else f"Entry {number}"), 2)
    info = phase_info(entry.phase)
    stamp = add_note(document, xml_safe(
        f"{readable_time(entry.created_at)} \N{MIDDLE DOT} Phase {info.number}: "
        f"{info.reflexive_name} \N{MIDDLE DOT} {entry.coder}"))
    stamp.paragraph_format.keep_with_next = True
    add_markdown(document, entry.body)


def _diary(document: Document, appendix: MethodsAppendix) -> None:
    document.add_heading("Reflexive diary: selected entries", 1)
    _item(document, items.ITEM_REFLEXIVITY)
    if not appendix.diary:
        add_note(document, "No diary entry is marked for this appendix.")
    for number, entry in enumerate(appendix.diary, start=1):
        _diary_entry(document, number, entry)


def _to_write(document: Document, appendix: MethodsAppendix) -> None:
    document.add_heading("Still to write", 1)
    if not appendix.to_write:
        document.add_paragraph("Nothing: every item the app can check is filled in.")
        return
    document.add_paragraph(
        f"{plural(len(appendix.to_write), 'item')} the app cannot fill, or that are empty "
        "in the project, by RTARG item:")
    current = ""
    for entry in appendix.to_write:
        if entry.item != current:
            current = entry.item
            heading = document.add_paragraph()
            heading.add_run(current).bold = True
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.space_after = Pt(2)
        document.add_paragraph(xml_safe(entry.what), style="List Bullet")


def write_methods_docx(appendix: MethodsAppendix, path: str | Path) -> int:
    """Write the methods appendix; returns how many items are still to write."""
    document = new_document()
    document.add_heading("Methods appendix", 0)
    document.add_paragraph().add_run(xml_safe(appendix.project)).italic = True
    document.add_paragraph(
        f"Made from the project on {readable_time(appendix.made_at)}. Its sections follow "
        "the Reflexive Thematic Analysis Reporting Guidelines (RTARG; Braun & Clarke, "
        "2024) where they apply; each names the item it answers. The last section lists "
        "what is still to write.")
    tables = [0]
    _design(document, appendix)
    _data(document, appendix, tables)
    _process(document, appendix, tables)
    _themes(document, appendix)
    _quality(document, appendix, tables)
    _diary(document, appendix)
    _to_write(document, appendix)
    save_document(document, path, "the methods appendix")
    return len(appendix.to_write)
