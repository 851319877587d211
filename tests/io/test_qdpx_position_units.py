"""Selection positions in code points or UTF-16 code units (NVivo writes the latter).

The files here behave like NVivo's exports: Hungarian interviews with CRLF line ends and
emoji (outside the Basic Multilingual Plane) before the coded words, positions counted in
UTF-16 code units of the raw text. Each test checks the words every coding covers.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.io.test_qdpx import CODE_BETTER, CODE_HARD, make_qdpx, project_qde, selection
from thematic_workbench.app.exchange import export, import_project_file
from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.storage.models import Code, Coding, Document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.refi.position_units import (
    CODE_POINTS,
    UTF16,
    SpanSet,
    Utf16Offsets,
    converter,
    decide_unit,
)
from thematic_workbench.io.refi.qdpx_read import read_qdpx

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

INTERVIEWS = {
    "Anna": ("Kérdező: Hogy érezted magad az első héten? 😀\r\n"
             "Anna: Nagyon jól 👍🏽 köszönöm, a munka 💼 könnyű volt.\r\n"
             "Kérdező: És a csapat? 🤔\r\n"
             "Anna: Barátságos 🙂 emberek, bár a főnök 😠 szigorú.\r\n",
             ["Nagyon jól", "könnyű", "Barátságos", "szigorú"]),
    "Béla": ("Kérdező: Mesélj a reggeleidről! ☕\r\n"
             "Béla: Korán kelek 😴 és sietek 🏃‍♂️ a villamoshoz 🚋, mindig késik.\r\n"
             "Kérdező: Mit csinálsz útközben? 🤷\r\n"
             "Béla: Olvasok 📚 vagy zenét hallgatok 🎧, néha alszom.\r\n",
             ["sietek", "villamoshoz", "mindig késik", "zenét hallgatok", "alszom"]),
    "Csilla": ("Kérdező: Hogyan telt a tavasz?\r\n"
               "Csilla: Nehezen, de a végére jobb lett.\r\n",
               ["Nehezen", "jobb lett"]),
}


def utf16_view(text: str) -> str:
    """``text`` with each character outside the BMP as two: indexes count UTF-16 units."""
    return _ASTRAL.sub("\ufffd\ufffd", text)


def source_xml(number: int, name: str, raw: str, words: list[str], units: str) -> str:
    view = utf16_view if units == UTF16 else str
    code = CODE_HARD if number % 2 else CODE_BETTER
    selections = "".join(
        selection(f"0C1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C{number:02d}{k:02d}", view(raw), view(word),
                  code)
        for k, word in enumerate(words))
    return (f'<TextSource guid="0B1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D{number:02d}" name="{name}" '
            f'plainTextPath="internal://{number}.txt">{selections}</TextSource>')


def interviews_qdpx(path: Path, origin: str | None, units: dict[str, str] | str = UTF16,
                    interviews: dict[str, tuple[str, list[str]]] = INTERVIEWS,
                    extra: str = "") -> Path:
    """A .qdpx of ``interviews`` whose positions count ``units`` (per source, or one for
    all), written by ``origin`` (None: no origin attribute), ``extra`` after the sources."""
    unit_of = units if isinstance(units, dict) else dict.fromkeys(interviews, units)
    sources = "".join(source_xml(n, name, raw, words, unit_of[name])
                      for n, (name, (raw, words)) in enumerate(interviews.items(), 1))
    named = f'origin="{origin}" ' if origin else ""
    qde = project_qde(sources, extra=extra).replace('origin="test" ', named)
    files = {f"sources/{n}.txt": raw.encode("utf-8")
             for n, (raw, _) in enumerate(interviews.values(), 1)}
    return make_qdpx(path, qde, files)


def coded_words(path: Path) -> dict[str, list[str]]:
    project = read_qdpx(path)
    return {source.name: [source.text[sel.start:sel.end] for sel in source.selections]
            for source in project.sources}


def words_meant(interviews: dict[str, tuple[str, list[str]]] = INTERVIEWS
                ) -> dict[str, list[str]]:
    return {name: words for name, (_, words) in interviews.items()}


def stored_words(project: Path) -> dict[str, list[str]]:
    """The text each coding covers, read back from the project's database."""
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        rows = session.execute(select(Document.name, Document.text, Coding.start, Coding.end)
                               .join(Coding, Coding.document_id == Document.id)
                               .order_by(Document.name, Coding.start)).all()
        assert session.execute(select(Code.name).join(Coding, Coding.code_id == Code.id)
                               ).first() is not None
    found: dict[str, list[str]] = {}
    for name, text, start, end in rows:
        found.setdefault(name, []).append(text[start:end])
    return found


# -- the reading chosen ------------------------------------------------------------------
@pytest.mark.parametrize(("origin", "written", "why", "other"), [
    ("NVivo 12 (12.6.1.970)", UTF16, "as NVivo writes them", "2 read as code points"),
    (None, UTF16, "not as the standard says", "2 read as code points"),
    ("QualCoder 3.6", CODE_POINTS, "as the standard says", "3 read as UTF-16 code units"),
])
def test_the_spans_choose_the_reading_that_lands_on_the_words(
        tmp_path: Path, origin: str | None, written: str, why: str, other: str) -> None:
    path = interviews_qdpx(tmp_path / "file.qdpx", origin, units=written)
    project = read_qdpx(path)
    assert coded_words(path) == words_meant()
    assert project.position_unit == written
    assert project.recast == (f"positions were read as {written}, {why} (11 of 11 spans fall "
                              f"on word boundaries read so, {other})",)
    assert not any("may not sit" in line for line in project.losses)


def test_nvivo_import_stores_codings_on_the_words(tmp_path: Path) -> None:
    path = interviews_qdpx(tmp_path / "nvivo.qdpx", "NVivo for Mac 15.0.0")
    summary = import_project_file(path, tmp_path / "study.thematic", "ana")
    assert summary.codings == 11
    assert stored_words(tmp_path / "study.thematic") == words_meant()


def test_nvivo_without_characters_outside_the_bmp_reads_the_same_either_way(
        tmp_path: Path) -> None:
    plain = {name: (_ASTRAL.sub("", raw), words) for name, (raw, words) in INTERVIEWS.items()}
    path = interviews_qdpx(tmp_path / "plain.qdpx", "NVivo 12", interviews=plain)
    project = read_qdpx(path)
    assert coded_words(path) == words_meant(plain)
    assert project.position_unit == CODE_POINTS and project.recast == ()


def test_a_selection_past_the_text_is_measured_in_the_unit_read(tmp_path: Path) -> None:
    raw, _ = INTERVIEWS["Anna"]
    last = raw.rstrip().rsplit(" ", 1)[1]  # "szigorú." ends where the text ends
    anna = {"Anna": (raw, ["Nagyon jól", "könnyű", last])}
    path = interviews_qdpx(tmp_path / "end.qdpx", "NVivo 12", interviews=anna)
    assert coded_words(path)["Anna"][-1] == last  # past the end in code points, not in UTF-16
    length = len(utf16_view(raw))
    end = len(utf16_view(raw.rstrip()))
    qde = project_qde(source_xml(1, "Anna", raw, ["Nagyon jól", "könnyű"], UTF16)).replace(
        "</TextSource>", f'<PlainTextSelection guid="0C1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D99" '
                         f'startPosition="{end - 3}" endPosition="{length + 1}"/></TextSource>')
    broken = make_qdpx(tmp_path / "past.qdpx", qde.replace('origin="test"', 'origin="NVivo 12"'),
                       {"sources/1.txt": raw.encode()})
    with pytest.raises(DocumentReadError, match=rf"runs from '{end - 3}' to '{length + 1}', "
                                                rf"outside its text \(positions 0 to {length}\)"):
        read_qdpx(broken)


# -- split evidence -----------------------------------------------------------------------
SPLIT_UNITS = {"Anna": UTF16, "Béla": CODE_POINTS, "Csilla": UTF16}
SPLIT = {**INTERVIEWS, "Anna": (INTERVIEWS["Anna"][0], ["Nagyon jól", "könnyű", "Barátságos"])}


def split_qdpx(path: Path, origin: str | None) -> Path:
    """Anna's positions count UTF-16 units, Béla's code points: the spans cannot tell."""
    return interviews_qdpx(path, origin, units=SPLIT_UNITS, interviews=SPLIT)


def test_split_evidence_imports_with_the_standard_and_names_the_codings_in_doubt(
        tmp_path: Path) -> None:
    path = split_qdpx(tmp_path / "split.qdpx", "MAXQDA 2020 (Release 20.2.1)")
    project = read_qdpx(path)
    assert project.position_unit == CODE_POINTS and project.recast == ()
    words = coded_words(path)
    assert words["Béla"] == words_meant()["Béla"] and words["Csilla"] == ["Nehezen", "jobb lett"]
    assert words["Anna"] == ["agyon jól ", "yű vol", "ságos 🙂 em"]  # as the file says
    doubt = [line for line in project.losses if "may not sit" in line]
    assert doubt == ["8 coded spans may not sit on the text the other program meant (its "
                     "positions could be code points or UTF-16 code units; they were read as "
                     "code points): source 'Anna': 'agyon jól'; source 'Anna': 'yű vol'; "
                     "source 'Anna': 'ságos 🙂 em'; and 5 more"]
    summary = import_project_file(path, tmp_path / "split.thematic", "ana")
    assert doubt[0] in summary.notes and summary.codings == 10


def test_split_evidence_in_an_nvivo_file_follows_nvivo(tmp_path: Path) -> None:
    project = read_qdpx(split_qdpx(tmp_path / "split.qdpx", "NVivo 12"))
    assert project.position_unit == UTF16
    words = {s.name: [s.text[x.start:x.end] for x in s.selections] for s in project.sources}
    assert words["Anna"] == words_meant(SPLIT)["Anna"]
    assert project.recast[0].startswith("positions were read as UTF-16 code units, as NVivo "
                                        "writes them (the spans could not tell: ")
    assert any(line.startswith("8 coded spans may not sit") and "source 'Béla': 'siete'" in line
               for line in project.losses)


def test_split_evidence_never_reads_a_span_outside_its_text(tmp_path: Path) -> None:
    """Anna's last coding ends at the end of her text in UTF-16 units: past it in code
    points, so the file is read in UTF-16 units rather than refused."""
    path = interviews_qdpx(tmp_path / "end.qdpx", None, units=SPLIT_UNITS)
    project = read_qdpx(path)
    assert project.position_unit == UTF16
    assert coded_words(path)["Anna"] == words_meant()["Anna"]
    assert project.recast == (
        "positions were read as UTF-16 code units, not as the standard says (read as code "
        "points, some spans would lie outside their text; 7 of 11 spans fall on word "
        "boundaries read so, 7 read as code points)",)
    assert any(line.startswith("9 coded spans may not sit") for line in project.losses)


# -- our own files ------------------------------------------------------------------------
def test_our_export_with_emoji_round_trips_in_code_points(tmp_path: Path) -> None:
    first = tmp_path / "first.thematic"
    import_project_file(interviews_qdpx(tmp_path / "nvivo.qdpx", "NVivo 12"), first, "ana")
    with ProjectStore.open(first) as store:
        export(store, "project", tmp_path / "ours.qdpx")
    project = read_qdpx(tmp_path / "ours.qdpx")
    assert project.origin.startswith("Thematic Workbench")
    assert project.position_unit == CODE_POINTS and project.recast == ()
    assert coded_words(tmp_path / "ours.qdpx") == words_meant()
    import_project_file(tmp_path / "ours.qdpx", tmp_path / "again.thematic", "ana")
    assert stored_words(tmp_path / "again.thematic") == words_meant()


# -- the conversion -----------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \r\né\U0001F600\U0001F3FD\u200d")),
               max_size=40))
def test_utf16_offsets_become_code_points(raw: str) -> None:
    offsets = Utf16Offsets(raw)
    assert offsets.length == len(raw.encode("utf-16-le")) // 2
    for index, char in enumerate(raw):
        unit = len(raw[:index].encode("utf-16-le")) // 2
        assert offsets(unit) == index and not offsets.splits_pair(unit)
        if ord(char) > 0xFFFF:
            assert offsets.splits_pair(unit + 1) and offsets(unit + 1) == index + 1
    assert offsets(offsets.length) == len(raw)


def test_the_decision_on_a_large_text_is_not_quadratic() -> None:
    """2 MB of text with an emoji in every sentence and 20,000 coded words: the decision
    and the conversion take well under a second (a scan of the text per span, minutes)."""
    sentence = "Ez egy hosszú mondat a munkáról 😀 és a csapatról.\r\n"
    raw = sentence * (2_000_000 // len(sentence))
    word = sentence.index("munkáról")  # before the sentence's emoji
    spans = [(k * (len(sentence) + 1) + word, k * (len(sentence) + 1) + word + 8)
             for k in range(0, len(raw) // len(sentence), 2)][:20_000]
    began = time.perf_counter()
    decision = decide_unit("", [SpanSet("big", raw, spans)])
    to_raw, _length = converter(raw, decision.unit)
    landed = {raw[to_raw(s):to_raw(e)] for s, e in spans}
    took = time.perf_counter() - began
    assert decision.unit == UTF16 and landed == {"munkáról"}
    assert took < 5, f"took {took:.1f} s"


def test_a_note_marking_a_span_is_placed_in_the_unit_the_file_was_read_in(
        tmp_path: Path) -> None:
    """QualCoder-style annotation (a Note holding a PlainTextSelection of its source) in a
    file whose positions are UTF-16 units: the note lands on the words it marks."""
    raw, words = INTERVIEWS["Anna"]
    note = "0D1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D99"
    view = utf16_view(raw)
    start = view.index(utf16_view("szigorú"))
    marked = (f'<Notes><Note guid="{note}" name="strict boss"><PlainTextContent>Tone shifts'
              f'</PlainTextContent><PlainTextSelection guid="{note[:-2]}98" '
              f'startPosition="{start}" endPosition="{start + len("szigorú")}"/></Note></Notes>')
    source = source_xml(1, "Anna", raw, words, UTF16).replace(
        "</TextSource>", f'<NoteRef targetGUID="{note}"/></TextSource>')
    qde = project_qde(source, extra=marked).replace('origin="test"', 'origin="NVivo 12"')
    project = read_qdpx(make_qdpx(tmp_path / "note.qdpx", qde,
                                  {"sources/1.txt": raw.encode("utf-8")}))
    assert project.position_unit == UTF16
    (placed,) = [n for n in project.notes if n.guid == note]
    assert placed.place is not None
    assert project.sources[0].text[placed.place.start:placed.place.end] == "szigorú"
