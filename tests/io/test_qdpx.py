"""REFI-QDA projects (.qdpx): positions, writing (valid against Project.xsd), reading.

Hand-made archives here are written with zipfile; ``make_qdpx`` and ``project_qde`` are
shared with tests/core/test_project_import.py.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import SHARED_FIXTURES
from tests.io.samples import zip_bytes
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.core.queries.refi_export import export_facts, read_project_export
from thematic_workbench.core.services import annotations, codes, codings
from thematic_workbench.core.storage.models import DiaryEntry, Document
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.textlayout import canonical_text
from thematic_workbench.io.refi.positions import canonical_with_map, position_mapper
from thematic_workbench.io.refi.qdpx_read import read_qdpx
from thematic_workbench.io.refi.qdpx_write import export_losses, project_xml, write_qdpx

PROJECT_XSD = SHARED_FIXTURES.parent / "refi-qda" / "Project.xsd"
NS = "urn:QDA-XML:project:1.0"
USER = "5B3C1D01-6A1D-4F5B-9C0E-6A2F0E6B1B7B"
CODE_HARD = "0A1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01"
CODE_BETTER = "0A1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D02"
FOLDER = "0A1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D00"
CRLF_TEXT = "INTERVIEWER: How was it?\r\nPA: It was hard.\r\nPA: Cafe\u0301, then better.\r\n"


# -- helpers shared with the project import tests -----------------------------------------
def selection(guid: str, text: str, word: str, code: str, extra: str = "") -> str:
    """A PlainTextSelection of ``word`` (raw code-point positions in ``text``) coded ``code``."""
    start = text.index(word)
    return (f'<PlainTextSelection guid="{guid}" startPosition="{start}" '
            f'endPosition="{start + len(word)}" creatingUser="{USER}">{extra}'
            f'<Coding guid="{guid[:-1]}9"><CodeRef targetGUID="{code}"/></Coding>'
            "</PlainTextSelection>")


def project_qde(sources: str = "", ns: str = NS, extra: str = "", attrs: str = "") -> str:
    """A project.qde with one user, a folder of two codes and the given sources."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{ns}" name="Hand made" '
        f'origin="test" {attrs}><Users><User guid="{USER}" name="Ana Analyst"/></Users>'
        f'<CodeBook><Codes><Code guid="{{{FOLDER}}}" name="Struggle" isCodable="false">'
        f'<Code guid="{{{CODE_HARD.lower()}}}" name="Hard going" isCodable="true" '
        f'color="#FF0000"><Description>When it is hard</Description></Code>'
        f'<Code guid="{CODE_BETTER}" name="Getting better" isCodable="true"/>'
        f"</Code></Codes></CodeBook><Sources>{sources}</Sources>{extra}</Project>")


def crlf_source(path_attr: str = 'plainTextPath="internal://a.txt"', inline: str = "") -> str:
    body = (f"<PlainTextContent>{inline}</PlainTextContent>" if inline else "")
    return (f'<TextSource guid="{{0B1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01}}" name="Interview A" '
            f"{path_attr}>{body}"
            + selection("0C1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01", CRLF_TEXT, "hard", CODE_HARD)
            + selection("0C1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D02", CRLF_TEXT, "better",
                        f"{{{CODE_BETTER}}}")
            + "</TextSource>")


def make_qdpx(path: Path, qde: str, files: dict[str, bytes] | None = None,
              qde_name: str = "project.qde") -> Path:
    path.write_bytes(zip_bytes({qde_name: qde.encode("utf-8"), **(files or {})}))
    return path


def crlf_qdpx(path: Path) -> Path:
    return make_qdpx(path, project_qde(crlf_source()),
                     {"sources/a.txt": CRLF_TEXT.encode("utf-8")})


@pytest.fixture
def project_schema() -> Any:
    if not PROJECT_XSD.is_file():
        pytest.skip("../shared/refi-qda/Project.xsd is not present (a user's clone)")
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(PROJECT_XSD))


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, plus a margin note and a coding memo so that every kind of note is written."""
    path = build_demo(tmp_path_factory.mktemp("demo") / "demo.thematic")
    with ProjectStore.open(path) as store, store.transaction("second coder") as tx:
        annotations.add_annotation(tx, 1, 0, 20, "First reading: guarded opening.")
        code_id = codes.create_code(tx, "Emoji \U0001F600 e\u0301", colour="#123456") \
            .new_id("code")
        codings.apply_coding(tx, 1, code_id, 5, 30, memo="A memo on this passage.")
    return path


@pytest.fixture
def demo_session(demo_project: Path) -> Iterator[Session]:
    with ProjectStore.open(demo_project, readonly=True) as store, store.read() as session:
        yield session


# -- positions ----------------------------------------------------------------------------
ALPHABET = list("ab \n\r\x00\ufeff\u2028\x0c\u0301\u0323eo\u1100\u1161\u11a8\u212b"
                "\ud800\udc00\U0001F600")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=30))
def test_canonical_with_map_is_canonical_text_with_a_monotone_map(raw: str) -> None:
    text, mapping = canonical_with_map(raw)
    assert text == canonical_text(raw)
    assert len(mapping) == len(raw) + 1 and mapping[0] == 0 and mapping[-1] == len(text)
    assert all(a <= b for a, b in pairwise(mapping))
    fast_text, fast = position_mapper(raw)
    assert fast_text == text and [fast(i) for i in range(len(raw) + 1)] == mapping


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc é\u0301", min_size=1, max_size=6), min_size=1,
                max_size=6), st.sampled_from(["\r\n", "\r", "\n"]))
def test_words_keep_their_place_whatever_the_line_ends(words: list[str], end: str) -> None:
    raw = "\ufeff" + end.join(words) + end
    text, mapping = canonical_with_map(raw)
    pos = 1
    for word in words:
        start, stop = mapping[pos], mapping[pos + len(word)]
        assert text[start:stop] == canonical_text(word)
        pos += len(word) + len(end)


def test_crlf_and_combining_accent_shift_positions() -> None:
    text, mapping = canonical_with_map(CRLF_TEXT)
    hard = CRLF_TEXT.index("hard")
    better = CRLF_TEXT.index("better")
    assert text[mapping[hard]:mapping[hard + 4]] == "hard"
    assert text[mapping[better]:mapping[better + 6]] == "better"
    assert mapping[better] == better - 2 - 1  # two CRs before it and e + accent composed


# -- writing ------------------------------------------------------------------------------
def test_export_validates_against_the_schema(demo_session: Session, tmp_path: Path,
                                             project_schema: Any) -> None:
    target = tmp_path / "demo.qdpx"
    summary = write_qdpx(read_project_export(demo_session), target)
    with zipfile.ZipFile(target) as archive:
        qde = archive.read("project.qde")
        names = archive.namelist()
    project_schema.validate(qde.decode("utf-8"))
    diary = demo_session.execute(select(func.count()).select_from(DiaryEntry)).scalar_one()
    assert summary.documents == 4 and len(names) == 1 + 4 + diary  # a text file for each
    assert summary.codings == 46 and summary.notes >= diary
    assert str(summary).startswith("4 transcripts, 46 codings")
    assert all(name.startswith("sources/") and name.endswith(".txt") for name in names[1:])
    assert qde.count(b'plainTextPath="internal://') == 4 + diary and b"<NoteRef" in qde
    assert b"<Cases>" in qde and b"<Variables>" in qde and b"<Sets>" in qde


def test_an_empty_project_exports_and_reads_back(store: ProjectStore, tmp_path: Path,
                                                 project_schema: Any) -> None:
    with store.read() as session:
        summary = write_qdpx(read_project_export(session), tmp_path / "empty.qdpx")
    with zipfile.ZipFile(tmp_path / "empty.qdpx") as archive:
        assert archive.namelist() == ["project.qde"]
        project_schema.validate(archive.read("project.qde").decode("utf-8"))
    assert summary.documents == summary.codes == summary.codings == 0
    project = read_qdpx(tmp_path / "empty.qdpx")
    assert project.name == "Test study" and project.sources == ()


def test_export_is_deterministic(demo_session: Session) -> None:
    first, files, _ = project_xml(read_project_export(demo_session))
    second, again, _ = project_xml(read_project_export(demo_session))
    assert first == second and files == again


def test_sources_are_the_canonical_text_in_utf8(demo_session: Session, tmp_path: Path) -> None:
    target = tmp_path / "demo.qdpx"
    write_qdpx(read_project_export(demo_session), target)
    texts = set(demo_session.execute(select(Document.text)).scalars())
    with zipfile.ZipFile(target) as archive:
        stored = {archive.read(f"sources/{source.guid}.txt").decode("utf-8")
                  for source in read_qdpx(target).sources}
    assert stored == texts


def test_losses_name_what_stays_behind(demo_session: Session) -> None:
    losses = " ".join(export_losses(export_facts(demo_session)))
    for words in ("audit trail", "Line numbers", "Speaker turns", "phase history",
                  "Code origins", "status"):
        assert words in losses


def test_a_failed_write_leaves_no_file(demo_session: Session, tmp_path: Path) -> None:
    target = tmp_path / "missing folder" / "demo.qdpx"
    with pytest.raises(WorkbenchError, match=r"demo\.qdpx"):
        write_qdpx(read_project_export(demo_session), target)
    assert not target.exists()


def test_our_export_reads_back(demo_session: Session, tmp_path: Path) -> None:
    target = tmp_path / "demo.qdpx"
    write_qdpx(read_project_export(demo_session), target)
    project = read_qdpx(target)
    assert len(project.sources) == 4 and project.coding_count == 46
    assert project.users[0].name == "researcher"
    assert {case.name for case in project.cases} == {"PA", "PB", "PC", "PD"}
    memos = [sel.description for src in project.sources for sel in src.selections
             if sel.codings and sel.description]
    assert memos and not any(sel.note_guids for src in project.sources
                             for sel in src.selections)


# -- reading what other tools write -------------------------------------------------------
@pytest.mark.shared_fixtures
def test_atlas_projects(shared_fixtures: Path) -> None:
    codes_project = read_qdpx(shared_fixtures / "atlas-codes-project.qdpx")
    assert [u.name for u in codes_project.users] == ["Enric Llagostera", "ATLAS.ti"]
    plan = codes_project.codebook
    assert [t.name for t in plan.themes] == ["Commits"]
    assert len(plan.codes) == 2 and plan.themes[0].code_keys == tuple(c.key for c in plan.codes)
    blank = read_qdpx(shared_fixtures / "atlas-blank-project.qdpx")
    assert blank.name == "blank-atlas-project" and blank.codebook.codes == ()


def _words(path: Path, allow_outside: bool | None = None) -> list[tuple[str, str]]:
    project = read_qdpx(path, allow_outside)
    source = project.sources[0]
    return [(source.text[s.start:s.end], s.codings[0].code_guid) for s in source.selections]


EXPECTED = [("hard", CODE_HARD), ("better", CODE_BETTER)]


def test_crlf_braces_and_internal_source(tmp_path: Path) -> None:
    path = crlf_qdpx(tmp_path / "crlf.qdpx")
    assert _words(path) == EXPECTED
    assert "\r" not in read_qdpx(path).sources[0].text


def test_old_namespace_and_a_qde_with_another_name(tmp_path: Path) -> None:
    qde = project_qde(crlf_source(), ns="urn:QDA-XML:project:0:4")
    path = make_qdpx(tmp_path / "old.qdpx", qde, {"Sources/A.TXT": CRLF_TEXT.encode()},
                     qde_name="other.qde")
    assert _words(path) == EXPECTED


def test_inline_text(tmp_path: Path) -> None:
    inline = CRLF_TEXT.replace("\r\n", "&#13;\n").replace("\u0301", "&#769;")
    qde = project_qde(crlf_source(path_attr="", inline=inline))
    assert _words(make_qdpx(tmp_path / "inline.qdpx", qde)) == EXPECTED
    # A tool that writes the CRs themselves: the XML parser would fold CRLF to LF, but the
    # selections count the CRs, so they must be kept.
    raw = CRLF_TEXT.replace("\u0301", "&#769;")
    qde = project_qde(crlf_source(path_attr="", inline=raw))
    assert _words(make_qdpx(tmp_path / "raw-crlf.qdpx", qde)) == EXPECTED


def test_relative_source_beside_the_archive_or_under_base_path(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_bytes(CRLF_TEXT.encode("utf-8"))
    qde = project_qde(crlf_source('plainTextPath="relative:///texts/a.txt"'))
    assert _words(make_qdpx(tmp_path / "rel.qdpx", qde)) == EXPECTED
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    qde = project_qde(crlf_source('plainTextPath="relative://texts/a.txt"'),
                      attrs=f'basePath="{tmp_path.as_posix()}"')
    # Both outside the archive's folder: read only when allowed (see test_qdpx_outside.py).
    assert _words(make_qdpx(elsewhere / "base.qdpx", qde), allow_outside=True) == EXPECTED
    absolute = f'plainTextPath="absolute://{(tmp_path / "texts" / "a.txt").as_posix()}"'
    assert _words(make_qdpx(tmp_path / "abs.qdpx", project_qde(crlf_source(absolute))),
                  allow_outside=True) == EXPECTED


def test_missing_external_source_and_other_media_are_listed(tmp_path: Path) -> None:
    picture = '<PictureSource guid="0D1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01" path="internal://p.jpg"/>'
    qde = project_qde(crlf_source('plainTextPath="relative:///gone.txt"') + picture,
                      extra='<Links><Link guid="0E1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01"/></Links>')
    project = read_qdpx(make_qdpx(tmp_path / "partial.qdpx", qde))
    assert project.sources == ()
    losses = " ".join(project.losses)
    assert "gone.txt was not found" in losses and "picture" in losses and "links" in losses


def test_notes_on_selections_codings_and_the_project(tmp_path: Path) -> None:
    note = ('<Note guid="{n}" name="{name}" creationDateTime="2018-03-27T19:38:46">'
            "<PlainTextContent>{text}</PlainTextContent></Note>")
    notes = "".join(note.format(n=f"0F1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D0{i}", name=name,
                                text=text)
                    for i, (name, text) in enumerate([("Plan", "Research plan"),
                                                      ("Quote", "Striking")]))
    extra = '<NoteRef targetGUID="0F1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01"/>'
    source = crlf_source().replace("</TextSource>", "").replace(
        "</Coding></PlainTextSelection>", f"</Coding>{extra}</PlainTextSelection>", 1)
    qde = project_qde(source + "</TextSource>", extra=f"<Notes>{notes}</Notes>")
    project = read_qdpx(make_qdpx(tmp_path / "notes.qdpx", qde,
                                  {"sources/a.txt": CRLF_TEXT.encode()}))
    assert [n.name for n in project.notes] == ["Plan", "Quote"]
    assert project.notes[0].created_at == "2018-03-27T19:38:46.000000Z"
    assert project.sources[0].selections[0].note_guids == ("0F1D0E6B-1B7B-4F5B-9C0E-6A2F5B3C1D01",)


# -- bad input ----------------------------------------------------------------------------
def bad_archives(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    ok_files = {"sources/a.txt": CRLF_TEXT.encode()}
    yield make_qdpx(tmp_path / "slip.qdpx", project_qde(crlf_source()),
                    {**ok_files, "../evil.txt": b"x"}), "reaches outside"
    entity = project_qde(crlf_source()).replace(
        "<Project", '<!DOCTYPE p [<!ENTITY e "x">]><Project', 1)
    yield make_qdpx(tmp_path / "entity.qdpx", entity, ok_files), "entity declarations"
    end = CRLF_TEXT.index("better") + 6
    past = crlf_source().replace(f'endPosition="{end}"', 'endPosition="4300"')
    yield make_qdpx(tmp_path / "past.qdpx", project_qde(past), ok_files), \
        f"source 'Interview A' runs from '{end - 6}' to '4300'"
    missing = crlf_source().replace(f"{{{CODE_BETTER}}}", "{00000000-0000-0000-0000-000000000000}")
    yield make_qdpx(tmp_path / "code.qdpx", project_qde(missing), ok_files), \
        "00000000-0000-0000-0000-000000000000"
    not_zip = tmp_path / "text.qdpx"
    not_zip.write_text("just text")
    yield not_zip, "not a ZIP archive"
    yield make_qdpx(tmp_path / "broken.qdpx", project_qde()[:-20]), "not well-formed"
    yield make_qdpx(tmp_path / "lost.qdpx", project_qde(crlf_source())), "missing"
    yield make_qdpx(tmp_path / "empty.qdpx", "", qde_name="readme.txt"), "no project.qde"
    (tmp_path / "inner").mkdir()
    (tmp_path / "secret.txt").write_bytes(CRLF_TEXT.encode())
    up = crlf_source('plainTextPath="relative://../secret.txt"')
    yield make_qdpx(tmp_path / "inner" / "up.qdpx", project_qde(up)), "outside the archive"


def test_bad_input_is_refused_naming_the_file(tmp_path: Path) -> None:
    for path, reason in bad_archives(tmp_path):
        with pytest.raises(DocumentReadError) as refused:
            read_qdpx(path)
            pytest.fail(f"{path.name} was read")
        assert str(refused.value).startswith(f"{path.name}: "), str(refused.value)
        assert reason in str(refused.value), str(refused.value)


def test_a_lone_final_theme_is_named_among_the_losses(store: ProjectStore) -> None:
    from thematic_workbench.core.services import themes
    from thematic_workbench.io.refi.qdpx_write import export_losses

    with store.transaction("ana") as tx:
        themes.create_theme(tx, "Alone", level="final")
        parent = themes.create_theme(tx, "Parent", level="final").new_id("theme")
        themes.create_theme(tx, "Kid", parent_id=parent)
    with store.read() as session:
        losses = [line for line in export_losses(export_facts(session))
                  if "reads back as an emerging" in line]
    assert len(losses) == 1 and losses[0].endswith(": Alone.")
