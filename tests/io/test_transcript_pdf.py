"""Printed coded transcripts as a reader gets them: the PDF's pages read back as text (line
numbers, words, speakers, code names, notes, "Page N of M"), and the layout never putting two
things in one place."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from thematic_workbench.core.reports.printed_transcript import (
    PrintedCoding,
    PrintedLine,
    PrintedNote,
    PrintedTranscript,
    PrintedTranscripts,
)
from thematic_workbench.io.transcript_layout import BODY_BOTTOM, LABEL_ROW, ROW, lay_out
from thematic_workbench.io.transcript_pdf import page_images, write_transcript_pdf

WORDS = ("We talk about the rules first, and then what happens if they are broken; "
         "it is never wholly collaborative")


def _transcript(name: str, participant: str, lines: int = 150,
                codings: tuple[PrintedCoding, ...] = (),
                notes: tuple[PrintedNote, ...] = ()) -> PrintedTranscript:
    rows = []
    for number in range(1, lines + 1):
        turn = number % 5 == 1
        speaker = ("Interviewer: " if number % 10 == 1 else f"{participant}: ") if turn else ""
        rows.append(PrintedLine(number, speaker, f"{WORDS[:60]} (line {number})", turn))
    return PrintedTranscript(name, participant, tuple(rows), codings, notes)


def _report(*transcripts: PrintedTranscript, codes: tuple[str, ...] = ()) -> PrintedTranscripts:
    return PrintedTranscripts("Working alliance study", transcripts, codes, (),
                              date(2025, 3, 14))


CODINGS = (
    PrintedCoding("Naming the coercion", "#F58231", "alice", 3, 5),
    PrintedCoding("Trust built slowly", "#3CB44B", "alice", 4, 4, note=2),
    PrintedCoding("Naming the coercion", "#F58231", "bob", 90, 92),
)
NOTES = (
    PrintedNote(1, "note", 2, 3, "Compare with PB's account of the first session.", "alice"),
    PrintedNote(2, "memo", 4, 4, "Slow trust: a candidate theme.", "alice",
                "Trust built slowly"),
)


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def test_pdf_holds_numbers_words_speakers_codes_notes_and_page_numbers(tmp_path: Path) -> None:
    target = tmp_path / "PA.pdf"
    count = write_transcript_pdf(_report(_transcript("PA-interview", "PA", codings=CODINGS,
                                                     notes=NOTES)), target)
    pages = _pages(target)
    assert count == len(pages) >= 3  # 150 lines do not fit on two A4 pages
    first = pages[0]
    assert "PA-interview" in first and "participant" not in first  # PA is in the name
    assert "Working alliance study" in first
    assert "All codings" in first and "Printed 14 March 2025" in first
    assert f"Page 1 of {count}" in first and f"Page {count} of {count}" in pages[-1]
    assert "Interviewer:" in first and "PA:" in first
    assert "(line 1)" in first and "(line 4)" in first
    assert "Naming the coercion" in first and "Trust built slowly" in first
    assert "Compare with PB's account of the first session." in first
    assert "Memo on 'Trust built slowly', line 4 (alice)" in first
    assert "Note, lines 2-3 (alice)" in first
    whole = "\n".join(pages)
    for number in range(1, 151):  # each stable line once, its number leading its words
        assert len(re.findall(rf"^{number} .*\(line {number}\)$", whole, re.M)) == 1
    later = next(text for text in pages if "(line 90)" in text)
    assert "Naming the coercion" in later and "Trust built slowly" not in later


def test_each_transcript_starts_on_its_own_page(tmp_path: Path) -> None:
    target = tmp_path / "two.pdf"
    count = write_transcript_pdf(_report(_transcript("PA-interview", "PA", lines=20),
                                         _transcript("PB-interview", "PB", lines=20)), target)
    pages = _pages(target)
    assert count == 2
    assert "PA-interview" in pages[0] and "PB-interview" not in pages[0]
    assert "PB-interview" in pages[1] and "Page 2 of 2" in pages[1]


def test_accents_and_emoji_are_kept_as_text(tmp_path: Path) -> None:
    line = PrintedLine(1, "Zoë: ", "C'était très bien 🙂 — naïve café, ﬁne; 中文 too")
    transcript = PrintedTranscript("Entretien-Zoë", "PZ", (line,),
                                   (PrintedCoding("Émotion 😀", "#E6194B", "zoë", 1, 1),), ())
    target = tmp_path / "zoe.pdf"
    assert write_transcript_pdf(_report(transcript), target) == 1
    text = _pages(target)[0]
    assert "Entretien-Zoë" in text and "Zoë:" in text
    assert "C'était très bien" in text and "naïve café" in text
    assert "🙂" in text and "Émotion" in text


def test_a_filter_is_named_on_every_page(tmp_path: Path) -> None:
    target = tmp_path / "one code.pdf"
    report = _report(_transcript("PA-interview", "PA", codings=CODINGS[:1]),
                     codes=("Naming the coercion",))
    write_transcript_pdf(report, target)
    for text in _pages(target):
        assert "Code: Naming the coercion" in text


def test_pdftotext_reads_the_lines_and_the_codes(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed here")
    target = tmp_path / "PA.pdf"
    write_transcript_pdf(_report(_transcript("PA-interview", "PA", codings=CODINGS,
                                             notes=NOTES)), target)
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(target), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Naming the coercion" in text and "Trust built slowly" in text
    row = next(line for line in text.splitlines() if "(line 12)" in line)
    assert row.split()[0] == "12"  # the number leads its line
    assert "Interviewer:" in text


def test_long_lines_wrap_long_memos_go_on_and_nothing_overlaps() -> None:
    long_line = PrintedLine(2, "PA: ", "word " * 400)  # a paragraph imported unwrapped
    memo = "A very long memo. " * 400
    lines = (PrintedLine(1, "Interviewer: ", "Go on."), long_line,
             *(PrintedLine(n, "", f"short line {n}") for n in range(3, 40)))
    codings = tuple(PrintedCoding(f"Code number {k} with a long name to wrap", "#4363D8",
                                  "alice", 3 + k % 5, 4 + k % 5, note=1 if k == 0 else None)
                    for k in range(12))
    notes = (PrintedNote(1, "memo", 3, 4, memo, "alice", codings[0].code),)
    pages = lay_out(_report(PrintedTranscript("PA", "PA", lines, codings, notes)))
    shown = "".join(row.text for page in pages for row in page.rows)
    assert shown.count("word") == 400  # every word printed, over continuation rows
    assert [row.number for page in pages for row in page.rows].count(2) == 1
    note_text = " ".join(row.text for page in pages for row in page.notes)
    assert note_text.count("memo") == 400  # the memo goes on over the next pages' feet
    for page in pages:
        if page.rows:
            assert page.rows[-1].y <= BODY_BOTTOM
        foot = page.notes[0].y - 9 if page.notes else BODY_BOTTOM
        assert all(row.y <= foot for row in page.rows)
        stacked = sorted(page.labels, key=lambda label: label.y)
        for above, below in pairwise(stacked):
            assert above.y + LABEL_ROW * len(above.rows) <= below.y + 0.01
        assert all(label.y + LABEL_ROW * len(label.rows) <= foot + ROW for label in stacked)


def test_page_images_are_the_pages_at_the_resolution_asked() -> None:
    images = list(page_images(_report(_transcript("PA-interview", "PA", lines=20)), 50))
    assert [(image.number, image.count) for image in images] == [(1, 1)]
    assert (images[0].width, images[0].height) == (413, 584)  # A4 at 50 dpi, whole pixels
    assert len(images[0].rgba) == 413 * 584 * 4
