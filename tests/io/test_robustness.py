"""Damaged files of every format fail with a DocumentReadError, never a raw exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.io.samples import docx_bytes, docx_xml, odt_bytes, pdf_bytes
from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.io.reader import read_document

VALID = {
    ".docx": docx_bytes(docx_xml("<w:p><w:r><w:t>Interviewer: hello there</w:t></w:r></w:p>")),
    ".odt": odt_bytes("<text:p>PA: a paragraph <text:s text:c='2'/>of text</text:p>"),
    ".pdf": pdf_bytes([["PA: words on a page."]]),
    ".rtf": rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 PA: hello\par Interviewer: hi\par}",
    ".vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v PA>hello</v>\n",
    ".srt": b"1\n00:00:01,000 --> 00:00:02,000\nPA: hello\n",
    ".txt": "PA: café\n\nInterviewer: ok".encode(),
}


def _damaged(data: bytes, cut: int, flips: list[tuple[int, int]]) -> bytes:
    raw = bytearray(data[: max(1, cut % (len(data) + 1))])
    for pos, value in flips:
        raw[pos % len(raw)] = value
    return bytes(raw)


@pytest.mark.parametrize("ext", sorted(VALID))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=10**6),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
)
def test_damaged_files_fail_cleanly(ext: str, cut: int, flips: list[tuple[int, int]]) -> None:
    data = _damaged(VALID[ext], cut, flips)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"damaged{ext}"
        path.write_bytes(data)
        try:
            doc = read_document(path)
        except DocumentReadError as exc:
            assert str(exc).startswith(f"damaged{ext}: ")
        else:
            assert doc.text.strip()
