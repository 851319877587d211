"""The thesis appendices as Word documents: the reflective diary and the audit trail.

The diary reads forward in time, each entry stamped with its date, phase and coder, its
Markdown body kept readable (headings, emphasis, lists, quotations, links with their
address). The audit trail is a journal-style table of every event. A trail can hold
150,000 events, far past what python-docx builds at a usable speed and memory, so the table
is laid out once with one template row and the rows are streamed into the saved file's
``word/document.xml`` from that template: constant memory, linear time.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Emu, Length, Pt
from docx.text.paragraph import Paragraph

from thematic_workbench.core.phases import PHASES, phase_info
from thematic_workbench.core.reports.appendices import AuditAppendix, DiaryAppendix, TrailAnchors
from thematic_workbench.core.services.diary import EntryView, LinkView
from thematic_workbench.core.trail.audit_queries import AuditRow
from thematic_workbench.core.trail.trail_verify import ExportedTrail, TrailFileError, TrailReport
from thematic_workbench.io.atomic import atomic_path
from thematic_workbench.io.docx_style import (
    add_caption,
    journal_table,
    new_document,
    save_document,
    set_cell_text,
    text_width,
    xml_safe,
)
from thematic_workbench.io.extracts_docx import add_note, plural

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
LINK_KINDS = {"code": "code", "theme": "theme", "document": "transcript"}
AUDIT_HEADERS = ("No.", "Time (UTC)", "Coder", "Phase", "Action", "What changed")
AUDIT_WIDTHS_CM = (1.2, 3.8, 2.4, 1.5, 4.2)  # "What changed" takes the rest of the page
LIST_INDENT = Cm(0.63)


def readable_time(iso: str, seconds: bool = False) -> str:
    """A stored UTC time as a reader says it: ``3 March 2026, 14:05 UTC``."""
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    clock = f"{when:%H:%M:%S}" if seconds else f"{when:%H:%M}"
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}, {clock} UTC"


def _opening(document: Document, title: str, project: str) -> None:
    document.add_heading(title, 0)
    document.add_paragraph().add_run(xml_safe(project)).italic = True


# -- a small Markdown subset, as the diary's preview shows it -----------------------------
_INLINE = re.compile(
    r"\\(?P<escaped>[\\`*_{}\[\]()#+\-.!~>|])"
    r"|`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)"
    r"|<(?P<auto>(?:https?|mailto):[^>\s]+)>"
    r"|(?P<mark>\*\*\*|___|\*\*|__|~~|\*|_)(?P<inner>(?!\s).+?(?<!\s))(?P=mark)")
_STYLES = {"***": ("bold", "italic"), "___": ("bold", "italic"), "**": ("bold",),
           "__": ("bold",), "*": ("italic",), "_": ("italic",), "~~": ("strike",)}
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}([=-])\1*\s*$")  # a paragraph underlined: a heading
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_ITEM = re.compile(r"^(\s*)(?:([-*+])|(\d{1,9})[.)])\s+(.*)$")
_QUOTE = re.compile(r"^ {0,3}>\s?(.*)$")


def add_inline(paragraph: Paragraph, text: str, styles: frozenset[str] = frozenset()) -> None:
    """Markdown's inline marks as runs: **bold**, *italic*, ~~struck~~, `code`, links."""
    position = 0
    for match in _INLINE.finditer(text):
        if match.group("mark") == "_" and _inside_word(text, match):
            continue  # snake_case is not emphasis
        _run(paragraph, text[position:match.start()], styles)
        position = match.end()
        if match.group("escaped"):
            _run(paragraph, match.group("escaped"), styles)
        elif match.group("code"):
            _run(paragraph, match.group("code"), styles | {"code"})
        elif match.group("label"):
            add_inline(paragraph, match.group("label"), styles | {"underline"})
            if match.group("url") != match.group("label"):
                _run(paragraph, f" ({match.group('url')})", styles)
        elif match.group("auto"):
            _run(paragraph, match.group("auto"), styles | {"underline"})
        else:
            add_inline(paragraph, match.group("inner"),
                       styles | set(_STYLES[match.group("mark")]))
    _run(paragraph, text[position:], styles)


def _inside_word(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return before.isalnum() or after.isalnum()


def _run(paragraph: Paragraph, text: str, styles: frozenset[str] | set[str]) -> None:
    if not text:
        return
    run = paragraph.add_run()
    for number, line in enumerate(xml_safe(text).split("\n")):
        if number:
            run.add_break()
        run.add_text(line)
    run.bold = "bold" in styles or None
    run.italic = "italic" in styles or None
    run.font.strike = "strike" in styles or None
    run.underline = "underline" in styles or None
    if "code" in styles:
        run.font.name = "Courier New"
        run.font.size = Pt(10)


def add_markdown(document: Document, markdown: str) -> None:
    """The diary body's blocks as paragraphs: headings as bold lines (the entries are the
    document's headings), lists with their bullets or numbers, quotations indented."""
    kind, text, depth, fence = "", "", 0, False
    counters: dict[int, int] = {}  # the number each depth of a numbered list is at
    blocks: list[tuple[str, str, int]] = []

    def flush() -> None:
        nonlocal kind, text
        if kind:
            blocks.append((kind, text.rstrip(" \\"), depth))
        kind, text = "", ""

    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            flush()
            fence = not fence
            continue
        if fence:
            blocks.append(("code", line, 0))
        elif not line.strip():
            flush()
        elif kind == "paragraph" and (underline := _SETEXT.match(line)):
            blocks.append(("heading", text.rstrip(), 1 if underline.group(1) == "=" else 2))
            kind, text = "", ""
        elif heading := _HEADING.match(line):
            flush()
            blocks.append(("heading", heading.group(2), len(heading.group(1))))
        elif _RULE.match(line):
            flush()
            blocks.append(("rule", "", 0))
        elif item := _ITEM.match(line):
            flush()
            kind, text = ("bullet" if item.group(2) else item.group(3)), item.group(4).lstrip()
            depth = min(len(item.group(1).expandtabs(4)) // 2, 4)
        elif (quote := _QUOTE.match(line)) and kind in ("", "quote"):
            kind = "quote"
            text = f"{text} {quote.group(1)}".strip() if text else quote.group(1)
        elif kind:  # a continuation line: a soft break, or a hard one after two spaces
            hard = text.endswith(("  ", "\\"))
            text = text.rstrip(" \\") + ("\n" if hard else " ") + line.strip()
        else:
            kind, text, depth = "paragraph", line.lstrip(), 0
    flush()
    for kind, text, depth in blocks:
        _block(document, kind, text, depth, counters)


def _block(document: Document, kind: str, text: str, depth: int,
           counters: dict[int, int]) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.space_after = Pt(4)
    if kind not in ("bullet", "code") and not kind.isdigit():
        counters.clear()  # a numbered list ends at the next block that is not an item
    if kind == "heading":
        layout.keep_with_next = True
        add_inline(paragraph, text, frozenset({"bold"}))
        for run in paragraph.runs:
            run.font.size = Pt(12 if depth == 1 else 11)  # below the entry headings
    elif kind == "rule":
        paragraph.add_run("*\u2003*\u2003*")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif kind == "code":
        layout.left_indent, layout.space_after = LIST_INDENT, Pt(0)
        _run(paragraph, text or " ", {"code"})
    elif kind == "quote":
        layout.left_indent = Cm(1)
        add_inline(paragraph, text, frozenset({"italic"}))
    elif kind == "bullet" or kind.isdigit():
        for deeper in [d for d in counters if d > depth]:
            del counters[deeper]
        if kind == "bullet":
            marker = "\u2022" if depth % 2 == 0 else "\u2013"
        else:
            counters[depth] = counters.get(depth, int(kind) - 1) + 1
            marker = f"{counters[depth]}."
        layout.left_indent = LIST_INDENT * (depth + 1)
        layout.first_line_indent = -LIST_INDENT
        layout.tab_stops.add_tab_stop(LIST_INDENT * (depth + 1))
        paragraph.add_run(f"{marker}\t")
        add_inline(paragraph, text)
    else:
        add_inline(paragraph, text)


# -- the diary ------------------------------------------------------------------------------
def _link(link: LinkView) -> str:
    kind = LINK_KINDS.get(link.kind, link.kind)
    if link.label is None:
        return f"{kind} {link.id} (since deleted)"
    return f"{kind} \N{LEFT DOUBLE QUOTATION MARK}{link.label}\N{RIGHT DOUBLE QUOTATION MARK}"


def _entry(document: Document, number: int, entry: EntryView) -> None:
    document.add_heading(xml_safe(f"Entry {number}: {entry.title}" if entry.title
                                  else f"Entry {number}"), 2)
    info = phase_info(entry.phase)
    stamp = (f"{readable_time(entry.created_at)} \N{MIDDLE DOT} Phase {info.number}: "
             f"{info.name} \N{MIDDLE DOT} {entry.coder}")
    if entry.updated_at[:16] != entry.created_at[:16]:
        stamp += f" \N{MIDDLE DOT} edited {readable_time(entry.updated_at)}"
    meta = add_note(document, xml_safe(stamp))
    meta.paragraph_format.keep_with_next = True
    add_markdown(document, entry.body)
    if entry.links:
        links = document.add_paragraph()
        links.add_run("Linked to: ").bold = True
        links.add_run(xml_safe("; ".join(_link(link) for link in entry.links)))
        links.runs[-1].font.size = links.runs[0].font.size = Pt(10)


def write_diary_docx(diary: DiaryAppendix, path: str | Path) -> int:
    """The reflective diary, oldest entry first; returns how many entries it holds."""
    entries = diary.entries
    document = new_document()
    _opening(document, "Reflective diary", diary.project)
    if entries:
        first, last = (readable_time(entries[i].created_at).split(",")[0] for i in (0, -1))
        when = f"on {first}" if first == last else f"between {first} and {last}"
        document.add_paragraph(f"{plural(len(entries), 'entry', 'entries')}, oldest first, "
                               f"written {when}. Times are in UTC.")
    else:
        add_note(document, "The diary has no entries yet.")
    for number, entry in enumerate(entries, start=1):
        _entry(document, number, entry)
    save_document(document, path, "the reflective diary")
    return len(entries)


# -- the audit trail ----------------------------------------------------------------------
def _cells(row: AuditRow) -> tuple[str, ...]:
    at = row.at.replace("T", " ").replace("Z", "")[:19]
    return (str(row.seq), at, row.coder, str(row.phase), row.action,
            " ".join((row.summary or row.entity).split()))


def _audit_document(heading: list[str], marker: str) -> Document:
    """The document around the table, whose one body row holds ``marker``-ed cells."""
    document = new_document(landscape=True)
    _opening(document, "Audit trail", heading[0])
    for line in heading[1:]:
        document.add_paragraph(xml_safe(line))
    add_caption(document, "Table 1", "Every recorded change, oldest first")
    table = journal_table(document, list(AUDIT_HEADERS), 1)
    table.autofit = False
    section = document.sections[-1]
    room = text_width(section)
    widths: list[Length] = [Cm(cm) for cm in AUDIT_WIDTHS_CM]
    widths.append(Emu(room - sum(widths)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    for number, cell in enumerate(table.rows[1].cells):
        set_cell_text(cell, f"{marker}{number}{marker}")
    note = document.add_paragraph()
    note.add_run("Note.").italic = True
    note.add_run(" Phases: " + "; ".join(f"{p.number} = {p.name}" for p in PHASES) +
                 ". What changed is the summary the audit viewer shows; the CSV export holds "
                 "each event's values before and after in full, with the digest of those "
                 "values and its hash, from which the chain can be recomputed. An event "
                 "whose values were erased (after pseudonymisation) says so here.")
    note.runs[-1].font.size = note.runs[0].font.size = Pt(10)
    return document


def write_audit_table(rows: Iterable[AuditRow], path: str | Path, heading: list[str]) -> int:
    """Write the audit trail document with one table row per event in ``rows`` (streamed);
    ``heading`` is the project's title, then lines said before the table. Returns the count."""
    marker = f"@@{secrets.token_hex(8)}@@"
    buffer = io.BytesIO()
    _audit_document(heading, marker).save(buffer)
    count = 0
    with zipfile.ZipFile(buffer) as source, atomic_path(path, "the audit trail") as partial, \
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != "word/document.xml":
                target.writestr(member, source.read(member))
                continue
            xml = source.read(member).decode("utf-8")
            first = xml.index(f"{marker}0{marker}")
            start = max(xml.rfind("<w:tr>", 0, first), xml.rfind("<w:tr ", 0, first))
            end = xml.index("</w:tr>", first) + len("</w:tr>")
            pieces = re.split(re.escape(marker) + r"\d" + re.escape(marker), xml[start:end])
            with target.open(member.filename, "w", force_zip64=True) as stream:
                stream.write(xml[:start].encode("utf-8"))
                chunk: list[str] = []
                for row in rows:
                    cells = [escape(xml_safe(value)) for value in _cells(row)]
                    chunk.append("".join(p + c for p, c in zip(pieces, cells, strict=False))
                                 + pieces[-1])
                    count += 1
                    if len(chunk) == 1000:
                        stream.write("".join(chunk).encode("utf-8"))
                        chunk.clear()
                stream.write("".join(chunk).encode("utf-8"))
                stream.write(xml[end:].encode("utf-8"))
    return count


def trail_statement(report: TrailReport) -> str:
    """What was checked when the appendix was made, and what that cannot show."""
    if not report.chain.intact:
        return f"The hash chain does NOT verify: {report.chain.describe()}."
    problem = report.first_problem()
    if problem is not None:
        return (f"The audit trail does NOT verify: event {problem.first_bad_seq}: "
                f"{problem.message}.")
    checked = (f"The hash chain verifies over all {plural(report.events, 'event', grouped=False)}"
               " of the project (checked when this appendix was made)")
    if not report.anchors:
        return (f"{checked}. No signed anchor exists yet (a supervisor's sign-off or a "
                "snapshot makes one), so events removed from the end, or a trail rewritten "
                "with every hash recomputed, would not show.")
    signed = plural(len(report.anchors), "signed anchor", grouped=False)
    text = (f"{checked}, and its {signed} hold: every event up to event "
            f"{report.vouched_seq} is vouched for by {report.vouched_by}.")
    if report.events > report.vouched_seq:
        text += (f" Events after event {report.vouched_seq} are covered by the hash chain "
                 "only, which does not show events removed from the end or rewritten with "
                 "every hash recomputed.")
    return text


def anchor_lines(trail: TrailAnchors) -> list[str]:
    """The chain head and each signed anchor, in words and in full (hashes, keys,
    signatures), so the document itself can serve as an anchor (``--against``)."""
    head = trail.head
    if head is None:
        return []
    lines = [f"Chain head when exported: event {head[0]}, SHA-256 {head[1]}."]
    lines += [f"Anchor: {anchor.label} \N{EM DASH} head SHA-256 {anchor.head_hash}; "
              f"key {anchor.public_key}; signature {anchor.signature}; signed "
              f"{anchor.created_at}." for anchor in trail.anchors]
    return lines


def write_audit_docx(trail: AuditAppendix, path: str | Path) -> int:
    """The audit trail (or the events a filter keeps), as read by
    :func:`~thematic_workbench.core.reports.appendices.audit_appendix`, as a landscape table, after
    lines saying what was checked, the chain head and its signed anchors; returns how many
    events were written."""
    count = trail.count
    which = f"{plural(count, 'event')}{' matching the chosen filter' if trail.filtered else ''}"
    span = (f", from {readable_time(trail.first)} to {readable_time(trail.last)}"
            if count and trail.first and trail.last else "")
    lines = [trail.project, f"{which}{span}. {trail_statement(trail.report)}",
             *anchor_lines(trail.anchors)]
    return write_audit_table(trail.rows, path, lines)


_HEAD_LINE = re.compile(r"Chain head when exported: event (\d+), SHA-256 ([0-9a-f]{64})")
_ANCHOR_LINE = re.compile(r"at event (\d+) \N{EM DASH} head SHA-256 ([0-9a-f]{64}); key "
                          r"[0-9a-f]{64}; signature ([0-9a-f]{128})")
_MOST_BEFORE_TABLE = 4_000_000


def read_exported_docx(path: Path) -> ExportedTrail:
    """The chain head and anchors an exported audit appendix states before its table."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as stream:
            text = ""
            while "<w:tbl>" not in text and len(text) < _MOST_BEFORE_TABLE:
                chunk = stream.read(65536)
                if not chunk:
                    break
                text += chunk.decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise TrailFileError(f"{path}: is not a Word document holding an audit trail "
                             f"({getattr(exc, 'strerror', None) or exc})") from exc
    text = text.split("<w:tbl>")[0]
    head = _HEAD_LINE.search(text)
    if head is None:
        raise TrailFileError(f"{path}: states no chain head (exported by an older version, "
                             "or not an audit appendix); export the audit trail again to use "
                             "it as an anchor")
    anchors = tuple((int(m.group(1)), m.group(2), m.group(3))
                    for m in _ANCHOR_LINE.finditer(text))
    return ExportedTrail(path.name, int(head.group(1)), head.group(2), (), anchors)
