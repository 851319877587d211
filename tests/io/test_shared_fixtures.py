"""Importing the real files in ../shared/fixtures, made by other programs.

The ``shared_fixtures`` fixture (tests/conftest.py) skips these tests in a user's clone,
where ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic_workbench.io.reader import read_document

pytestmark = pytest.mark.shared_fixtures

ID1_PARAGRAPHS = [
    "I really like learning new things. I think this course is good for me as I have wanted "
    "to learn about world history for a while. The structured content, lecture slides and web "
    "links have been really good.",
    "I guess some less computer-savvy people would have some trouble accessing the "
    "internet-based material, but its like a duck to water for me - no problem at all.",
    "I also like the other students in the course. I get the feeling most are doing well but "
    "also one or two are having some problems with the lectures. I guess there's so much to "
    "learn and remember and there is a lot of self-directed learning. I'm happy to pay €200.",
]

ID2_PARAGRAPHS = [
    "I have not studied much before, but my father Joe Bloggs really encouraged me to study "
    "again. I know that I must get help as I have struggled understanding the lecture slides "
    "so far and searching the web did not help. ",
    "I really want someone to sit down with me and explain the course material.",
    "The course cost €200.00 and I do not want to waste my money.",
]


def test_word_file(shared_fixtures: Path) -> None:
    path = shared_fixtures / "course-feedback-ID1.docx"
    doc = read_document(path)
    assert doc.text.split("\n") == ID1_PARAGRAPHS
    assert doc.name == "course-feedback-ID1"
    assert doc.source_format == "docx"
    assert doc.turns == ()
    assert doc.metadata == {"author": "colin-2"}
    assert len(doc.sha256) == 64
    assert all(line.end - line.start <= 80 for line in doc.lines)
    assert doc.lines[0].start == 0 and doc.lines[-1].end == len(doc.text)


def test_opendocument_file(shared_fixtures: Path) -> None:
    doc = read_document(shared_fixtures / "course-feedback-ID2.odt")
    assert doc.text.split("\n") == ID2_PARAGRAPHS
    assert doc.source_format == "odt"
    assert doc.turns == ()
    assert doc.metadata == {"author": "colin-2", "pages": "1"}


def test_focus_group_transcript(shared_fixtures: Path) -> None:
    doc = read_document(shared_fixtures / "course-feedback-transcript.txt")
    assert doc.metadata == {"encoding": "utf-8"}
    assert [t.speaker for t in doc.turns] == ["id1", "id2", "id3", "id1", "id3", "id1", "id2"]
    first, second = doc.turns[0], doc.turns[1]
    assert doc.text[first.start : first.speech_start] == "[id1] "
    assert doc.text[first.speech_start : first.end].startswith("hello, I like the course.")
    assert doc.text[first.end : second.start] == "\n\n"  # the blank line is between turns
    last = doc.turns[-1]
    assert doc.text[last.speech_start : last.end] == (
        "Hmm, I will ask the tutor for more help as I am really struggling."
    )
    assert last.end == len(doc.text)
    # Blank lines between turns get no number; long turns wrap onto numbered lines.
    assert len(doc.lines) == 13
    assert [line.number for line in doc.lines] == list(range(1, 14))
