"""A 200-page PDF of coded transcripts, against matplotlib writing the same lines bare.

The model is plain data, as ``core.reports.transcript_print`` hands it to the writer: ten
transcripts of 1,100 stable lines each (turns every few lines), about one coding in every
four lines from 24 codes, a coding memo in every tenth coding and a margin note every 60
lines. The baseline is matplotlib's PDF backend writing each page's numbered lines alone
(one text per row, no stripes, names or notes) on as many A4 pages.

Target: the whole print, stripes, names and notes included, takes at most three times as
long as the baseline, and a 200-page print is written in under a minute.
"""

from __future__ import annotations

import random
import time
from datetime import date
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from pypdf import PdfReader
from pytest_benchmark.fixture import BenchmarkFixture

from tests.benchmarks.phrases import code_names
from thematic_workbench.core.reports.printed_transcript import (
    PrintedCoding,
    PrintedLine,
    PrintedNote,
    PrintedTranscript,
    PrintedTranscripts,
)
from thematic_workbench.io.transcript_pdf import write_transcript_pdf

TRANSCRIPTS, LINES = 10, 1_100
ROUNDS = 1
MAX_RATIO, MAX_SECONDS = 3.0, 60.0
SENTENCE = ("and then I said to him that we would have to write it down in the notes, which "
            "he did not like at all")
COLOURS = ("#E6194B", "#3CB44B", "#BFA000", "#4363D8", "#F58231", "#911EB4", "#469990")


def large_print() -> PrintedTranscripts:
    rng = random.Random(19)
    codes = code_names(24, rng)
    transcripts = []
    for index in range(TRANSCRIPTS):
        lines = []
        for number in range(1, LINES + 1):
            turn = number % 4 == 1
            words = SENTENCE.split()
            text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 15)))
            speaker = ("Interviewer: " if number % 8 == 1 else "PA: ") if turn else ""
            lines.append(PrintedLine(number, speaker, text[:78], turn))
        notes: list[PrintedNote] = []
        codings = []
        for first in range(1, LINES, 4):
            if first % 60 == 1:
                notes.append(PrintedNote(len(notes) + 1, "note", first, first + 1,
                                         "Compare with the next interview.", "alice"))
            code = rng.randrange(len(codes))
            memo = None
            if len(codings) % 10 == 0:
                notes.append(PrintedNote(len(notes) + 1, "memo", first, first, "A memo on "
                                         "why this passage fits the code.", "alice",
                                         codes[code]))
                memo = len(notes)
            codings.append(PrintedCoding(codes[code], COLOURS[code % len(COLOURS)], "alice",
                                         first, first + rng.randint(0, 3), memo))
        transcripts.append(PrintedTranscript(f"P{index}-interview", f"P{index}",
                                             tuple(lines), tuple(codings), tuple(notes)))
    return PrintedTranscripts("Benchmark study", tuple(transcripts), (), (), date(2025, 1, 1))


def write_bare(report: PrintedTranscripts, pages: int, target: Path) -> None:
    """matplotlib alone: the numbered lines, 60 to a page, on ``pages`` A4 pages."""
    rows = [f"{line.number} {line.speaker}{line.text}" for transcript in report.transcripts
            for line in transcript.lines]
    per_page = -(-len(rows) // pages)
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(target) as pdf:
        for start in range(0, len(rows), per_page):
            figure = Figure(figsize=(8.27, 11.69))
            for index, row in enumerate(rows[start:start + per_page]):
                figure.text(0.08, 0.95 - index * 0.0145, row, fontsize=8, parse_math=False)
            pdf.savefig(figure)


def test_a_200_page_print(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    benchmark.group = "coded transcripts as a 200-page PDF"
    report = large_print()
    target = tmp_path / "print.pdf"
    pages = benchmark.pedantic(write_transcript_pdf, args=(report, target), rounds=ROUNDS,
                               iterations=1)
    assert 180 <= pages <= 260 and len(PdfReader(str(target)).pages) == pages
    ours = benchmark.stats.stats.mean
    began = time.perf_counter()
    write_bare(report, pages, tmp_path / "bare.pdf")
    baseline = time.perf_counter() - began
    figures = {"pages": pages, "ours_s": ours, "bare_matplotlib_s": baseline,
               "ratio": ours / baseline}
    benchmark.extra_info.update({name: round(value, 3) for name, value in figures.items()})
    assert ours <= MAX_SECONDS, f"{pages} pages took {ours:.1f} s"
    assert ours / baseline <= MAX_RATIO, figures
