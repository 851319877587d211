"""The extracts report as a Word document: the evidence behind each theme, for an appendix.

Each final theme is a Heading 1 with its definition and representative extract, each of its
emerging themes a Heading 2, each code a Heading 3 with its reach, and each extract an
indented quotation followed by its citation, ``[PA, lines 120-134]``, so a reader can find
it in the transcript. Headings carry the numbers a thesis refers to ("Final theme 2").
The house style (io/docx_style.py) sets the font; quotations are not italic (APA 7).
"""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from thematic_workbench.core.queries.project import Extract
from thematic_workbench.core.reports.extracts import ExtractsReport, ReportCode, ReportTheme
from thematic_workbench.core.wording import plural as counted
from thematic_workbench.io.docx_style import (
    add_caption,
    new_document,
    save_document,
    text_width,
    xml_safe,
)

QUOTE_INDENT = Cm(1.27)  # APA 7 block quotations: half an inch from the left margin
FIGURE_WIDTH = Cm(17)
# "1 coding", "3 codings" ("many" for irregular plurals: entry, entries), as in prose.
plural = partial(counted, grouped=False)


def add_heading(document: Document, text: str, level: int, note: str = "") -> Paragraph:
    """A heading in the house font; ``note`` follows it in the body's weight ("(3 codings)")."""
    heading: Paragraph = document.add_heading(xml_safe(text), level)  # untyped in docx
    if note:
        run = heading.add_run(f" {xml_safe(note)}")
        run.bold = False
    return heading


def add_lead(document: Document, lead: str, text: str, italic: bool = False) -> Paragraph:
    """A paragraph that starts with a bold label: "Definition. The alliance is..."."""
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{lead} ").bold = True
    paragraph.add_run(xml_safe(text)).italic = italic
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def add_note(document: Document, text: str) -> Paragraph:
    """A small italic remark: what is missing or left out."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(10)
    return paragraph


def add_quotation(document: Document, extract: Extract) -> Paragraph:
    """The extract as a block quotation, its transcript lines kept, then its citation."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = QUOTE_INDENT
    paragraph.paragraph_format.space_after = Pt(8)
    lines = [" ".join(line.split()) for line in xml_safe(extract.text).strip().splitlines()]
    lines = [line for line in lines if line] or [""]
    run = paragraph.add_run("\N{LEFT DOUBLE QUOTATION MARK}")
    for number, line in enumerate(lines):
        if number:
            run.add_break()
        run.add_text(line)
    run.add_text("\N{RIGHT DOUBLE QUOTATION MARK} ")
    add_citation(paragraph, extract.citation)
    return paragraph


def add_citation(paragraph: Paragraph, citation: str) -> None:
    """``[PA, lines 120-134]`` kept on one line: no-break spaces and a no-break hyphen
    (which reads back, and copies, as a plain hyphen)."""
    run = paragraph.add_run()
    for number, part in enumerate(xml_safe(citation).split("-")):
        if number:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        run.add_text(part.replace(" ", "\N{NO-BREAK SPACE}"))


def _describe_limit(report: ExtractsReport) -> str:
    most = report.extracts_per_code
    if most is None:
        chosen = "Every coded extract of each code is quoted"
    elif most == 0:
        chosen = "Codes are listed with their counts, without extracts"
    else:
        chosen = (f"Up to {plural(most, 'extract')} per code, chosen to cover as many "
                  "participants as possible, are quoted")
    return (f"{chosen}. Each extract is cited as [participant, lines] of its transcript, "
            "as numbered in the project.")


def _code(document: Document, code: ReportCode) -> None:
    add_heading(document, code.name, 3,
                f"({plural(code.codings, 'coding')}, {plural(code.participants, 'participant')})")
    if code.definition.strip():
        add_lead(document, "Code definition.", code.definition, italic=True)
    if not code.codings:
        add_note(document, "No coded extracts yet.")
    for extract in code.extracts:
        add_quotation(document, extract)
    if code.extracts and code.left_out:
        add_note(document, f"{len(code.extracts)} of {plural(code.codings, 'extract')} shown.")


def _theme(document: Document, theme: ReportTheme, heading: str, level: int) -> None:
    add_heading(document, heading, level)
    if theme.definition.strip():
        add_lead(document, "Definition.", theme.definition)
    else:
        add_note(document, "Not yet defined.")
    if theme.scope_notes.strip():
        add_lead(document, "Scope.", theme.scope_notes)
    if theme.representative is not None:
        lead = document.add_paragraph()
        lead.add_run("Representative extract").bold = True
        lead.paragraph_format.keep_with_next = True
        lead.paragraph_format.space_after = Pt(4)
        add_quotation(document, theme.representative)
    for code in theme.codes:
        _code(document, code)


def _figure(document: Document, figure_png: bytes | Path) -> None:
    add_caption(document, "Figure 1", "Map of themes")
    section = document.sections[-1]
    room = text_width(section)
    picture = io.BytesIO(figure_png) if isinstance(figure_png, bytes) else str(figure_png)
    document.add_picture(picture, width=min(room, FIGURE_WIDTH))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)


def extracts_document(report: ExtractsReport, figure_png: bytes | Path | None = None
                      ) -> Document:
    """The report as a python-docx document, not yet saved."""
    document = new_document()
    document.add_heading("Extracts report", 0)
    subtitle = document.add_paragraph()
    subtitle.add_run(xml_safe(report.project_title)).italic = True
    document.add_paragraph(_describe_limit(report))
    if report.codes_left_out:
        names = "; ".join(report.codes_left_out)
        add_note(document, f"Not reported: {plural(len(report.codes_left_out), 'code')} in no "
                           f"theme ({xml_safe(names)}).")
    if figure_png is not None:
        _figure(document, figure_png)
    if not report.finals and not report.ungrouped:
        add_note(document, "There are no themes on the board yet.")
    final_theme, emerging_theme = report.words.theme("final", True), \
        report.words.theme("emerging", True)
    for number, final in enumerate(report.finals, start=1):
        _theme(document, final, f"{final_theme} {number}: {final.name}", 1)
        for sub, emerging in enumerate(final.emerging, start=1):
            _theme(document, emerging, f"{emerging_theme} {number}.{sub}: {emerging.name}", 2)
    if report.ungrouped:
        add_heading(document, f"{report.words.themes('emerging', True)} in no "
                              f"{report.words.theme('final')}", 1)
        for emerging in report.ungrouped:
            _theme(document, emerging, f"{emerging_theme}: {emerging.name}", 2)
    return document


def write_extracts_report(report: ExtractsReport, path: str | Path,
                          figure_png: bytes | Path | None = None) -> None:
    """Write the report to ``path`` (whole or not at all), with the map of themes as
    Figure 1 when ``figure_png`` is given."""
    save_document(extracts_document(report, figure_png), path, "the extracts report")
