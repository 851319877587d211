"""WebVTT and SRT captions: cues merge into timed speaker turns."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.records.imported import ImportedDocument
from thematic_workbench.io.reader import read_document

TEAMS_VTT = """WEBVTT
Kind: captions

NOTE This note spans
two lines and is skipped.

STYLE
::cue { color: yellow }

intro-1
00:00:01.000 --> 00:00:02.500 align:start
<v.loud Interviewer>Welcome &amp; thanks</v>

00:02.600 --> 00:04.000
<v.loud Interviewer>for <i>coming</i>.</v>

3
00:00:05.000 --> 00:00:07.250
<v Dr Jane Smith><b>Happy</b> to
<c.yellow>help</c>.</v>

00:00:07.300 --> 00:00:09.000
and it continues here

00:00:09.500 --> 00:00:10.000
<v Interviewer>Great.</v>
"""

ZOOM_SRT = """1
00:00:00,500 --> 00:00:02,000
[music]

2
00:00:02,000 --> 00:00:03,000
Recording starts

3
00:00:03,100 --> 00:00:05,000
Ann Lee: <i>So</i>, shall we begin?

4
00:00:05,100 --> 00:00:06,000
Ann Lee: Tell me about the ward.

5
01:00:06,000 --> 01:00:08,120
PB: It is busy.
"""


def _read(tmp_path: Path, text: str, name: str, encoding: str = "utf-8") -> ImportedDocument:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return read_document(path)


def _turns(doc: ImportedDocument) -> list[tuple[str, str, str, int | None, int | None]]:
    return [
        (
            t.speaker,
            doc.text[t.start : t.speech_start],
            doc.text[t.speech_start : t.end],
            t.time_start_ms,
            t.time_end_ms,
        )
        for t in doc.turns
    ]


def test_webvtt_voices_merge_into_timed_turns(tmp_path: Path) -> None:
    doc = _read(tmp_path, TEAMS_VTT, "teams.vtt")
    assert doc.text == (
        "Interviewer: Welcome & thanks for coming.\n\n"
        "Dr Jane Smith: Happy to help. and it continues here\n\n"
        "Interviewer: Great."
    )
    assert _turns(doc) == [
        ("Interviewer", "Interviewer: ", "Welcome & thanks for coming.", 1000, 4000),
        ("Dr Jane Smith", "Dr Jane Smith: ", "Happy to help. and it continues here", 5000, 9000),
        ("Interviewer", "Interviewer: ", "Great.", 9500, 10000),
    ]
    assert doc.metadata == {"encoding": "utf-8", "cues": "5"}
    assert [line.number for line in doc.lines] == [1, 2, 3]


def test_srt_with_name_prefixes_crlf_and_bom(tmp_path: Path) -> None:
    text = "\ufeff" + ZOOM_SRT.replace("\n", "\r\n")
    doc = _read(tmp_path, text, "zoom.srt")
    assert doc.text == (
        "[music]\nRecording starts\n\n"
        "Ann Lee: So, shall we begin? Tell me about the ward.\n\n"
        "PB: It is busy."
    )
    assert _turns(doc) == [
        ("Ann Lee", "Ann Lee: ", "So, shall we begin? Tell me about the ward.", 3100, 6000),
        ("PB", "PB: ", "It is busy.", 3_606_000, 3_608_120),
    ]
    assert doc.source_format == "srt"


def test_a_stray_blank_line_inside_an_srt_cue_keeps_its_text(tmp_path: Path) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nPA: first half\n\nsecond half\n"
    doc = _read(tmp_path, text, "stray.srt")
    assert doc.text == "PA: first half second half"


def test_a_vtt_without_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentReadError) as info:
        _read(tmp_path, ZOOM_SRT, "renamed.vtt")
    assert str(info.value) == ("renamed.vtt: is not a WebVTT file (its first line is not WEBVTT)")


@pytest.mark.parametrize(
    ("name", "text"),
    [("none.vtt", "WEBVTT\n\nNOTE nothing here\n"), ("none.srt", "just some words\n")],
)
def test_files_without_cues_are_refused(tmp_path: Path, name: str, text: str) -> None:
    with pytest.raises(DocumentReadError) as info:
        _read(tmp_path, text, name)
    assert str(info.value).startswith(f"{name}: contains no captions (no cue times such as")


def test_windows_1252_captions(tmp_path: Path) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nZoé: café – ‘oui’\n"
    doc = _read(tmp_path, text, "legacy.srt", encoding="cp1252")
    assert doc.text == "Zoé: café – ‘oui’"
    assert doc.metadata["encoding"] == "cp1252"


def test_a_malformed_timing_keeps_its_text_and_says_so(tmp_path: Path) -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>first</v>\n\n"
            "00:00:05.000 --> 00:00:0\nhello\n\n00:00:07.000 --> 00:00:08.000\n<v Ann>last</v>\n")
    doc = _read(tmp_path, text, "broken.vtt")
    assert doc.text == "Ann: first hello last"
    assert doc.notes == ("line 6: the timing '00:00:05.000 --> 00:00:0' is malformed; "
                         "its text was kept without a time",)
    assert _turns(doc) == [("Ann", "Ann: ", "first hello last", 1000, 8000)]


@pytest.mark.parametrize(
    ("timing", "problem"),
    [
        ("00:00:09,000 --> 00:00:05,000", "ends before it starts"),
        ("00:75:00,000 --> 00:76:00,000", "has an impossible time ('00:75:00,000' has 75 minutes)"),
        ("00:00:01,000 --> 00:00:61,000", "has an impossible time ('00:00:61,000' has 61 seconds)"),
        ("-00:00:01,000 --> 00:00:02,000", "has a negative time ('-00:00:01,000')"),
        ("500:00:01,000 --> 500:00:02,000",
         "has an impossible time ('500:00:01,000' is more than 99 hours)"),
        ("00:00:05,000 - 00:00:06,000", "is malformed"),
    ],
)
def test_impossible_srt_timings_are_reported_by_line(
    tmp_path: Path, timing: str, problem: str
) -> None:
    text = f"1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n{timing}\nhello\n"
    doc = _read(tmp_path, text, "odd.srt")
    assert doc.text == "fine\nhello"
    assert doc.notes == (f"line 6: the timing '{timing}' {problem}; "
                         "its text was kept without a time",)


def test_a_broken_cue_without_text_is_named_as_left_out(tmp_path: Path) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03,000 --> 00:00\n"
    doc = _read(tmp_path, text, "empty.srt")
    assert doc.text == "fine"
    assert doc.notes == ("line 6: the timing '00:00:03,000 --> 00:00' is malformed, and its "
                         "cue has no text; it was left out",)


def test_a_file_with_no_sound_timing_is_refused_with_the_line(tmp_path: Path) -> None:
    with pytest.raises(DocumentReadError) as info:
        _read(tmp_path, "WEBVTT\n\n00:00:01.000 --> soon\nhello\n", "nothing.vtt")
    assert str(info.value) == (
        "nothing.vtt: has no valid cue time (line 3: the timing '00:00:01.000 --> soon' is "
        "malformed; a cue time looks like 00:00:01.000 --> 00:00:04.000)")


def test_sound_captions_have_no_notes(tmp_path: Path) -> None:
    assert _read(tmp_path, ZOOM_SRT, "zoom.srt").notes == ()
