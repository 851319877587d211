"""REFI-QDA codebooks: our frame travels out and back whole, ATLAS.ti's files come in, and
damaged or hostile files are refused without touching the project."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from sqlalchemy import func, select

from tests.conftest import SHARED_FIXTURES
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.core.queries.refi_export import read_frame
from thematic_workbench.core.queries.theme_board import read_board
from thematic_workbench.core.services import codes, themes
from thematic_workbench.core.services.codebook_import import import_codebook
from thematic_workbench.core.storage.models import AuditEvent, Code, Theme, ThemeMembership
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.refi.codes_tree import (
    TreeCode,
    TreeSet,
    code_aliases,
    plan_codebook,
    read_codes,
    read_sets,
    write_codes,
    write_sets,
    xml_bytes,
)
from thematic_workbench.io.refi.common import PROJECT_NS, child, parse_refi_xml
from thematic_workbench.io.refi.qdc import read_qdc, write_qdc

CODER = "Ann Analyst"
SCHEMAS = SHARED_FIXTURES.parent / "refi-qda"


# -- helpers ------------------------------------------------------------------------------
def frame_of(store: ProjectStore, theme_definitions: bool = True) -> dict[str, object]:
    """What a user sees of the frame: themes with parents, codes and their order in themes."""
    with store.read() as db:
        board = read_board(db)
        code_rows = db.execute(select(Code.name, Code.colour, Code.definition)
                               .where(Code.status == "active")).all()

    def described(theme: object) -> str:
        return theme.definition if theme_definitions else ""  # type: ignore[attr-defined]

    finals = [(f.name, described(f), [c.name for c in f.codes]) for f in board.finals]
    parents = {f.id: f.name for f in board.finals}
    emerging = [(e.name, described(e), parents.get(parent), [c.name for c in e.codes])
                for parent, group in board.emerging.items() for e in group]
    return {"codes": sorted(tuple(row) for row in code_rows), "finals": finals,
            "emerging": emerging, "loose": [c.name for c in board.miscellaneous]}


def counts(store: ProjectStore) -> tuple[int, int, int, int]:
    with store.read() as db:
        return tuple(db.execute(select(func.count()).select_from(model)).scalar_one()
                     for model in (Code, Theme, ThemeMembership, AuditEvent))  # type: ignore[return-value]


def build_rich_demo(path: Path) -> Path:
    """The demo, plus what a tree cannot nest once: a code in two themes, a code directly in
    a final theme, an empty emerging theme, an emerging theme in no final theme, odd names."""
    project = build_demo(path)
    with ProjectStore.open(project) as store, store.transaction(CODER) as tx:
        home = codes.find_code(tx, "Carrying it home").id
        serving = themes.find_theme(tx, "Serving two masters").id
        themes.assign_code(tx, home, serving, position=1)
        trust = themes.find_theme(tx, "Trust as slow, unglamorous work").id
        direct = codes.create_code(tx, "Reliability <as> care & \"craft\"",
                                   definition="Line one\nline two", colour="#123ABC")
        themes.assign_code(tx, direct.new_id("code"), trust)
        themes.create_theme(tx, "Still empty", definition="A candidate with no codes yet",
                            parent_id=trust)
        loose = themes.create_theme(tx, "Outside the room", definition="Informal spaces")
        themes.assign_code(tx, codes.find_code(tx, "Engagement outside the therapy room").id,
                           loose.new_id("theme"))
        codes.create_code(tx, "=Unplaced code", definition="-no theme yet")
    return project


@pytest.fixture(scope="module")
def rich_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rich_demo(tmp_path_factory.mktemp("demo") / "rich.thematic")


def export_qdc(project: Path, target: Path) -> Path:
    with ProjectStore.open(project, readonly=True) as source, source.read() as db:
        write_qdc(read_frame(db), target)
    return target


def import_into(store: ProjectStore, path: Path):
    with store.transaction(CODER) as tx:
        return import_codebook(tx, read_qdc(path))


def validate(path: Path, schema_name: str = "Codebook.xsd") -> None:
    xmlschema = pytest.importorskip("xmlschema")
    if not (SCHEMAS / schema_name).is_file():
        pytest.skip("../shared/refi-qda is not present (a user's clone); schema check skipped")
    xmlschema.XMLSchema(str(SCHEMAS / schema_name)).validate(str(path))


def write_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BOOK = ('<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test">{body}</CodeBook>')
G = [f"{index:08X}-0000-4000-8000-000000000000" for index in range(40)]


# -- our own round trip -------------------------------------------------------------------
def test_frame_survives_qdc_round_trip_into_an_empty_project(rich_demo, tmp_path, store):
    target = export_qdc(rich_demo, tmp_path / "frame.qdc")
    validate(target)
    result = import_into(store, target)
    with ProjectStore.open(rich_demo, readonly=True) as source:
        expected = frame_of(source)
    assert frame_of(store) == expected
    assert expected["emerging"][1][3] == ["Dual role: care and protection", "Carrying it home",
                                          '"two hats"', "Seen as an agent of the system"]
    assert ("Still empty", "A candidate with no codes yet", "Trust as slow, unglamorous work",
            []) in expected["emerging"]
    assert result.notes == []
    assert (result.codes_created, result.themes_created) == (len(expected["codes"]), 9)


def test_reimporting_our_codebook_into_its_own_project_changes_nothing(rich_demo, tmp_path):
    copy = tmp_path / "copy.thematic"
    copy.write_bytes(rich_demo.read_bytes())
    target = export_qdc(copy, tmp_path / "frame.qdc")
    with ProjectStore.open(copy) as project:
        before = frame_of(project)
        result = import_into(project, target)
        assert frame_of(project) == before
    assert (result.codes_created, result.themes_created, result.memberships_added) == (0, 0, 0)
    assert result.codes_reused == len(before["codes"])


def test_export_is_stable_and_names_us_as_origin(rich_demo, tmp_path):
    first = export_qdc(rich_demo, tmp_path / "one.qdc").read_bytes()
    second = export_qdc(rich_demo, tmp_path / "two.qdc").read_bytes()
    assert first == second  # same GUIDs every time: other tools can match codes up
    root = parse_refi_xml(first, tmp_path / "one.qdc", "test")
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    assert root.get("origin").startswith("Thematic Workbench")
    assert b"ns0:" not in first


def test_characters_xml_cannot_hold_are_dropped(store, tmp_path):
    with store.transaction(CODER) as tx:
        codes.create_code(tx, "Bell\x07 code", definition="rings\x0b twice")
    with store.read() as db:
        write_qdc(read_frame(db), tmp_path / "bell.qdc")
    validate(tmp_path / "bell.qdc")
    plan = read_qdc(tmp_path / "bell.qdc")
    assert [(c.name, c.definition) for c in plan.codes] == [("Bell code", "rings twice")]


def test_an_empty_project_has_no_codebook_to_export(store, tmp_path):
    with store.read() as db, pytest.raises(WorkbenchError, match=r"empty\.qdc: .*no codes"):
        write_qdc(read_frame(db), tmp_path / "empty.qdc")
    assert not (tmp_path / "empty.qdc").exists()


# -- files from other tools ---------------------------------------------------------------
def test_atlas_codebook_with_a_code_group_imports(shared_fixtures, store):
    validate(shared_fixtures / "atlas-codebook-with-set.qdc")
    import_into(store, shared_fixtures / "atlas-codebook-with-set.qdc")
    frame = frame_of(store)
    assert frame["codes"] == [("code1", "#46AA00", "description")]
    assert frame["emerging"] == [("code group 1", "kategorie 1", None, ["code1"])]
    assert frame["finals"] == []


def test_truncated_atlas_codebook_is_refused_and_nothing_changes(shared_fixtures, store):
    before = counts(store)
    with pytest.raises(DocumentReadError) as caught:
        import_into(store, shared_fixtures / "atlas-codebook-truncated.qdc")
    assert "atlas-codebook-truncated.qdc" in str(caught.value)
    assert "cut off" in str(caught.value)
    assert counts(store) == before


def test_atlas_project_codebook_is_two_levels(shared_fixtures):
    with zipfile.ZipFile(shared_fixtures / "atlas-codes-project.qdpx") as archive:
        raw = archive.read("project.qde")
    project = parse_refi_xml(raw, shared_fixtures / "atlas-codes-project.qdpx", "project.qde")
    roots = read_codes(child(child(project, "CodeBook"), "Codes"), Path("x.qdpx"))
    plan = plan_codebook(roots, [], "x.qdpx")
    assert [(t.name, t.level, len(t.code_keys)) for t in plan.themes] == [
        ("Commits", "emerging", 2)]
    assert [c.name for c in plan.codes] == ["2022-05-10T02:05:59Z 19e4dce",
                                            "2022-02-11T10:39:25Z cdbfd92"]


def test_three_levels_become_final_emerging_and_codes_and_deeper_is_flattened(tmp_path):
    body = (f'<Codes><Code guid="{G[0]}" name="Final" isCodable="true" color="#FF0000">'
            f'<Description>The final theme</Description>'
            f'<Code guid="{G[1]}" name="Emerging" isCodable="true">'
            f'<Code guid="{G[2]}" name="Code A" isCodable="true" color="#00f">'
            f'<Code guid="{G[3]}" name="Code A1" isCodable="true"/></Code></Code>'
            f'<Code guid="{G[4]}" name="Direct" isCodable="true"/></Code>'
            f'<Code guid="{G[5]}" name="Group" isCodable="true">'
            f'<Code guid="{G[6]}" name="code b" isCodable="true"/></Code>'
            f'<Code guid="{{{G[7].lower()}}}" name="Lone" isCodable="true"/>'
            f'<Code guid="{G[8]}" name="Empty theme" isCodable="false"/></Codes>')
    plan = read_qdc(write_file(tmp_path, "deep.qdc", BOOK.format(body=body)))
    names = {c.key: c.name for c in plan.codes}
    shape = [(t.name, t.level, t.definition, t.parent_key, [names[k] for k in t.code_keys])
             for t in plan.themes]
    assert shape == [("Final", "final", "The final theme", None, ["Direct"]),
                     ("Emerging", "emerging", "", G[0], ["Code A", "Code A1"]),
                     ("Group", "emerging", "", None, ["code b"]),
                     ("Empty theme", "emerging", "", None, [])]
    assert G[7] in names and names[G[7]] == "Lone"  # braces and case forgiven
    assert next(c for c in plan.codes if c.name == "Code A").colour == "#0000FF"
    assert any("more than three levels" in note and "Code A1" in note for note in plan.notes)
    assert any("colour" in note for note in plan.notes)


def test_old_namespace_spelling_is_accepted(tmp_path):
    text = BOOK.format(body=f'<Codes><Code guid="{G[0]}" name="a" isCodable="true"/></Codes>')
    plan = read_qdc(write_file(tmp_path, "old.qdc", text.replace("codebook:1.0",
                                                                 "codebook:0:4")))
    assert [c.name for c in plan.codes] == ["a"]


# -- refused files ------------------------------------------------------------------------
@pytest.mark.parametrize("text, reason", [
    ('<?xml version="1.0"?>\n<!DOCTYPE CodeBook [<!ENTITY x "boom">]>\n'
     '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="' + G[0] +
     '" name="&x;" isCodable="true"/></Codes></CodeBook>', "entity declarations"),
    ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', "a REFI-QDA project"),
    ('<html><body/></html>', "root element is <html>"),
    ('<CodeBook xmlns="urn:example:other"><Codes/></CodeBook>', "namespace"),
    (BOOK.format(body="<Codes/>"), "holds no codes"),
    ("", "is empty"),
    (BOOK.format(body='<Codes><Code name="no guid" isCodable="true"/></Codes>'),
     "code 'no guid' has no valid GUID"),
    (BOOK.format(body=f'<Codes><Code guid="{G[0]}" name="a" isCodable="true"/><Code guid="'
                      f'{G[0]}" name="b" isCodable="true"/></Codes>'), "same GUID"),
    (BOOK.format(body=f'<Codes><Code guid="{G[0]}" name="a" isCodable="true"/></Codes>'
                      f'<Sets><Set guid="{G[1]}" name="group"><MemberCode guid="{G[9]}"/>'
                      '</Set></Sets>'), f"set 'group' lists a code with GUID {G[9]}"),
])
def test_bad_codebooks_are_refused_naming_the_file(tmp_path, store, text, reason):
    path = write_file(tmp_path, "bad book.qdc", text)
    before = counts(store)
    with pytest.raises(DocumentReadError) as caught:
        import_into(store, path)
    assert str(caught.value).startswith("bad book.qdc: ")
    assert reason in str(caught.value)
    assert counts(store) == before


# -- the tree <-> plan rules --------------------------------------------------------------
def test_sets_carry_extra_memberships_and_unknown_sets_become_emerging_themes():
    roots = [TreeCode(G[0], "Theme", False, children=[TreeCode(G[1], "a"), TreeCode(G[2], "b")]),
             TreeCode(G[3], "Other", False, children=[TreeCode(G[4], "c")])]
    sets = [TreeSet(G[5], "other", "", [G[1], G[4]]),  # names match case-insensitively
            TreeSet(G[6], "Group", "A code group", [G[2], G[4]]),
            TreeSet(G[7], "Theme ref", "", [G[0], G[1]]),
            TreeSet(G[8], "Nothing", "", [])]
    plan = plan_codebook(roots, sets, "x.qdc")
    shape = [(t.name, t.level, t.definition, list(t.code_keys)) for t in plan.themes]
    assert shape == [("Theme", "emerging", "", [G[1], G[2]]),
                     ("Other", "emerging", "", [G[1], G[4]]),  # the set's order wins
                     ("Group", "emerging", "A code group", [G[2], G[4]]),
                     ("Theme ref", "emerging", "", [G[1]])]
    assert any("'Theme'" in note and "read as a theme" in note for note in plan.notes)
    assert any("'Nothing' holds no codes" in note for note in plan.notes)


def test_a_coded_theme_node_keeps_its_codings_as_a_code_and_duplicates_merge():
    roots = [TreeCode(G[0], "Parent", True, "#112233", "parent text",
                      [TreeCode(G[1], "child"), TreeCode(G[2], "Child")]),
             TreeCode(G[3], "parent")]
    plan = plan_codebook(roots, [], "x.qdc", coded_guids={"{" + G[0].lower() + "}"})
    assert [(c.key, c.name, c.colour, c.definition) for c in plan.codes] == [
        (G[0], "Parent", "#112233", "parent text"), (G[1], "child", None, "")]
    assert plan.themes[0].code_keys == (G[0], G[1])
    assert any("holds codings" in note for note in plan.notes)
    assert any("'Child'" in note and "'parent'" in note for note in plan.notes)
    assert code_aliases(roots, [G[0]]) == {G[2]: G[1], G[3]: G[0]}


def test_codes_and_sets_written_into_a_project_follow_project_xsd(tmp_path):
    roots = [TreeCode(G[0], "Theme", False, None, "about", [TreeCode(G[1], "a", True, "#ABCDEF")]),
             TreeCode(G[2], "b")]
    sets = [TreeSet(G[3], "Theme", "d", [G[1], G[2]])]
    project = Element(f"{{{PROJECT_NS}}}Project", {"name": "p"})
    codebook = Element(f"{{{PROJECT_NS}}}CodeBook")
    project.append(codebook)
    write_codes(codebook, PROJECT_NS, roots)
    write_sets(project, PROJECT_NS, sets)
    path = tmp_path / "project.qde"
    path.write_bytes(xml_bytes(project, PROJECT_NS))
    assert b'targetGUID="' in path.read_bytes()
    validate(path, "Project.xsd")
    back = parse_refi_xml(path.read_bytes(), path, "project.qde")
    assert read_codes(child(child(back, "CodeBook"), "Codes"), path) == roots
    assert read_sets(child(back, "Sets"), path) == sets
    with pytest.raises(ValueError):
        write_codes(codebook, PROJECT_NS, [])
