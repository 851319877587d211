"""A caption cue with a broken timing is named on the import verb's line, never dropped."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run


def test_a_broken_cue_is_named_and_its_text_stored(tmp_path: Path,
                                                   cli: Callable[..., Run]) -> None:
    project = tmp_path / "study.thematic"
    assert cli("new", str(project)).code == 0
    captions = tmp_path / "PA.vtt"
    captions.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v PA>first</v>\n\n"
                        "00:00:05,000 --> 00:00:0\nhello\n", encoding="utf-8")
    run = cli("import", str(project), str(captions))
    assert run.code == 0
    assert run.out == ("PA.vtt: imported as 'PA', with 1 note: line 6: the timing "
                       "'00:00:05,000 --> 00:00:0' is malformed; its text was kept "
                       "without a time\n")
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        (text,) = conn.execute("SELECT text FROM document").fetchone()
    finally:
        conn.close()
    assert text == "PA: first hello"
