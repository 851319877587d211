"""Printing coded transcripts: the model read in one read session, drawn as A4 pages.

The PDF (File → Transcripts as PDF…, ``export transcript``) and the printer (File → Print
transcripts…) take the same pages from ``io.transcript_pdf``; the window paints them on its
printer, the rest is here. No Qt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.reports.printed_transcript import PrintedTranscripts
from thematic_workbench.core.reports.transcript_print import printed_transcripts
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.wording import plural

if TYPE_CHECKING:
    from thematic_workbench.io.transcript_pdf import PageImage


@dataclass(frozen=True)
class TranscriptChoice:
    """Which transcripts (names as the command line takes them, or ids) and whose codings
    of which codes (empty: all)."""

    documents: tuple[int | str, ...] = ()
    codes: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()


def read_printed(store: ProjectStore, choice: TranscriptChoice) -> PrintedTranscripts:
    """The transcripts as printed today; fails naming a transcript, code or coder that is
    not there."""
    if not choice.documents:
        raise WorkbenchError("choose at least one transcript to print")
    with store.read() as session:
        return printed_transcripts(session, choice.documents, choice.codes, choice.coders,
                                   date.today())


def export_transcripts(store: ProjectStore, choice: TranscriptChoice,
                       target: str | Path) -> tuple[str, PrintedTranscripts, int]:
    """Write the chosen transcripts as one PDF (whole or not at all); returns the message
    saying what was written, the model and the number of pages."""
    from thematic_workbench.io.transcript_pdf import write_transcript_pdf

    target = Path(target)
    report = read_printed(store, choice)
    pages = write_transcript_pdf(report, target)
    return f"wrote {what_printed(report)} to {target} ({plural(pages, 'page')}, " \
           f"{plural(report.codings, 'coding')} shown)", report, pages


def what_printed(report: PrintedTranscripts) -> str:
    """The transcripts by name, or their count when there are many."""
    names = [transcript.name for transcript in report.transcripts]
    if len(names) == 1:
        return names[0]
    if len(names) <= 3:
        return f"{', '.join(names[:-1])} and {names[-1]}"
    return plural(len(names), "transcript")


def page_images(report: PrintedTranscripts, dpi: float) -> Iterator[PageImage]:
    """The pages the PDF holds, as RGBA images at ``dpi``, one at a time, for a printer."""
    from thematic_workbench.io.transcript_pdf import page_images as images

    return images(report, dpi)
