"""Coded transcripts drawn as A4 pages: a PDF, or page images for a printer.

The pages are those ``io.transcript_layout`` lays out, drawn on matplotlib figures (Agg,
never pyplot: safe on a worker thread) in DejaVu Sans, embedded as TrueType (``pdf.fonttype``
42) so the words can be searched and copied out of the PDF. A printer gets the same figures
as images, so a printed page is the PDF's page. Calm greys for everything but the stripes,
which take their code's colour.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from thematic_workbench.core.reports.printed_transcript import PrintedTranscripts
from thematic_workbench.io.atomic import atomic_path
from thematic_workbench.io.transcript_layout import (
    FAMILY,
    LABEL_PT,
    LABEL_ROW,
    MARGIN_B,
    MARGIN_L,
    MARGIN_R,
    MARGIN_T,
    NOTE_INDENT,
    NOTE_PT,
    NOTE_ROW,
    NUMBER_PT,
    NUMBER_RIGHT,
    PAGE_H,
    PAGE_W,
    ROW,
    STRIPE_W,
    TEXT_LEFT,
    TEXT_PT,
    Metrics,
    Page,
    lay_out,
    superscript,
)

INK, SOFT, FAINT, RULE, NOTE_INK = "#1A1A1A", "#5F5F5F", "#9A9A9A", "#BDBDBD", "#9A5B00"
WHAT = "the coded transcripts"


@dataclass(frozen=True)
class PageImage:
    """One page (``number`` of ``count``) as RGBA pixels, for a printer."""

    number: int
    count: int
    width: int
    height: int
    rgba: bytes


def write_transcript_pdf(report: PrintedTranscripts, target: str | Path) -> int:
    """Write the transcripts as one PDF, whole or not at all; returns its number of pages."""
    if not report.transcripts:
        raise ValueError("no transcript to print")
    with atomic_path(target, WHAT) as partial, _quiet(), \
            matplotlib.rc_context({"pdf.fonttype": 42}), \
            PdfPages(partial, metadata={"Title": f"{report.study}: coded transcripts",
                                        "Creator": "Thematic Workbench"}) as pdf:
        count = 0
        for figure in page_figures(report):
            pdf.savefig(figure)
            count += 1
    return count


def page_images(report: PrintedTranscripts, dpi: float) -> Iterator[PageImage]:
    """The same pages as images at ``dpi``, one at a time (a page at 300 dpi is 35 MB)."""
    with _quiet():
        metrics = Metrics()
        pages = lay_out(report, metrics)
        for number, figure in enumerate(_figures(report, pages, metrics), start=1):
            figure.set_dpi(dpi)
            canvas = FigureCanvasAgg(figure)
            canvas.draw()  # type: ignore[no-untyped-call]  # matplotlib: unannotated
            width, height = canvas.get_width_height()
            pixels = canvas.buffer_rgba()  # type: ignore[no-untyped-call]  # likewise
            yield PageImage(number, len(pages), width, height, bytes(pixels))


def page_figures(report: PrintedTranscripts) -> Iterator[Figure]:
    """Each page as a figure, A4 portrait, drawn when asked for."""
    metrics = Metrics()
    return _figures(report, lay_out(report, metrics), metrics)


def _figures(report: PrintedTranscripts, pages: list[Page],
             metrics: Metrics) -> Iterator[Figure]:
    for number, page in enumerate(pages, start=1):
        yield _draw(report, page, number, len(pages), metrics)


@contextmanager
def _quiet() -> Iterator[None]:
    """A glyph DejaVu lacks (an emoji) is drawn as a box and kept in the text: no warning
    each time it is met."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        yield


def _text(axes: Axes, x: float, y: float, text: str, size: float, colour: str = INK,
          bold: bool = False, align: str = "left", italic: bool = False) -> None:
    axes.text(x, y, text, fontsize=size, color=colour, family=FAMILY,
              fontweight="bold" if bold else "normal", ha=align, va="baseline",
              fontstyle="italic" if italic else "normal", parse_math=False)


def _draw(report: PrintedTranscripts, page: Page, number: int, count: int,
          metrics: Metrics) -> Figure:
    figure = Figure(figsize=(PAGE_W / 72, PAGE_H / 72), dpi=72, facecolor="white")
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_xlim(0, PAGE_W)
    axes.set_ylim(PAGE_H, 0)
    axes.set_axis_off()
    _header(axes, report, page)
    _rows(axes, page, metrics)
    _stripes(axes, page)
    _markers(axes, page)
    _notes(axes, page, metrics)
    _text(axes, PAGE_W / 2, PAGE_H - MARGIN_B + 6, f"Page {number} of {count}", 7.5, SOFT,
          align="center")
    return figure


def _header(axes: Axes, report: PrintedTranscripts, page: Page) -> None:
    right = PAGE_W - MARGIN_R
    title = page.transcript.title + (" (continued)" if page.continued else "")
    _text(axes, MARGIN_L, MARGIN_T + 9, title, 10.0, bold=True)
    _text(axes, right, MARGIN_T + 9, report.study, 8.0, SOFT, align="right", italic=True)
    _text(axes, MARGIN_L, MARGIN_T + 22, report.filter_text, 7.5, SOFT)
    if report.printed_on is not None:
        _text(axes, right, MARGIN_T + 22, f"Printed {_day(report.printed_on)}", 7.5, SOFT,
              align="right")
    axes.plot((MARGIN_L, right), (MARGIN_T + 28, MARGIN_T + 28), color=RULE, linewidth=0.5)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _rows(axes: Axes, page: Page, metrics: Metrics) -> None:
    for row in page.rows:
        if row.number is not None:
            _text(axes, NUMBER_RIGHT, row.y, str(row.number), NUMBER_PT, FAINT, align="right")
        x = TEXT_LEFT
        if row.speaker:
            _text(axes, x, row.y, row.speaker.rstrip(), TEXT_PT, bold=True)
            x += metrics.width(row.speaker, TEXT_PT, True)
        if row.text.strip():
            _text(axes, x, row.y, row.text.rstrip(), TEXT_PT)


def _stripes(axes: Axes, page: Page) -> None:
    width = min(STRIPE_W, page.stripe_pitch - 1.2)
    left = page.stripes_left
    for stripe in page.stripes:
        x = left + stripe.column * page.stripe_pitch
        axes.add_patch(Rectangle((x, stripe.top), width, stripe.bottom - stripe.top,
                                 facecolor=stripe.coding.colour, edgecolor=_darker(
                                     stripe.coding.colour), linewidth=0.25))
    text_x = page.labels_left + 6.0
    ends = left + len(page.columns) * page.stripe_pitch
    for label in page.labels:
        colour = label.coding.colour
        first = label.y + LABEL_ROW * 0.5 + 0.5
        start = left + label.column * page.stripe_pitch + width
        # A hairline from the stripe's first row to its name: straight when they are level.
        axes.plot((start + 0.6, ends, page.labels_left - 0.5),
                  (label.anchor, label.anchor, first), color=_darker(colour), linewidth=0.35,
                  alpha=0.8, solid_capstyle="butt")
        axes.add_patch(Rectangle((page.labels_left, first - 1.8), 3.6, 3.6, facecolor=colour,
                                 edgecolor=_darker(colour), linewidth=0.25))
        for index, text in enumerate(label.rows):
            _text(axes, text_x, label.y + LABEL_ROW * index + LABEL_ROW * 0.78,
                  text.rstrip(), LABEL_PT)


def _darker(colour: str) -> tuple[float, float, float]:
    red, green, blue = to_rgb(colour)
    return red * 0.6, green * 0.6, blue * 0.6


def _markers(axes: Axes, page: Page) -> None:
    x = TEXT_LEFT + page.text_width + 2.5
    for marker in page.markers:
        axes.plot((x, x), (marker.top + 1.5, marker.bottom - 1.5), color=NOTE_INK,
                  linewidth=0.7)
        _text(axes, x + 1.8, marker.top + ROW * 0.62, str(marker.number), 6.0, NOTE_INK,
              bold=True)


def _notes(axes: Axes, page: Page, metrics: Metrics) -> None:
    if not page.notes:
        return
    rule_y = page.notes[0].y - NOTE_ROW * 0.9
    axes.plot((TEXT_LEFT, TEXT_LEFT + 90), (rule_y, rule_y), color=RULE, linewidth=0.5)
    for row in page.notes:
        x = TEXT_LEFT + NOTE_INDENT
        if row.number is not None:
            _text(axes, TEXT_LEFT, row.y, superscript(row.number), NOTE_PT + 1, NOTE_INK,
                  bold=True)
            _text(axes, x, row.y, row.heading.rstrip(), NOTE_PT, SOFT, bold=True)
            x += metrics.width(row.heading, NOTE_PT, True)
        _text(axes, x, row.y, row.text.rstrip(), NOTE_PT)
