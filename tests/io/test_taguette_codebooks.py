"""Taguette's codebooks come in whole, ours go out in the form Taguette imports.

The files here are shaped exactly as Taguette writes them (taguette/export.py:
``codebook_csv``, ``codebook_xlsx``, ``codebook_xml``), and the check of what Taguette
reads follows its importer (taguette/import_codebook.py): a header, lower-cased, with
exactly one of ``tag``, ``name``, ``path`` and optionally ``description``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest

from tests.cli.conftest import Run
from tests.cli.conftest import cli as cli  # the command line, run in-process
from tests.conftest import SHARED_FIXTURES
from tests.io.test_qdc import build_rich_demo
from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.queries.theme_board import read_board
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.codebook_files import read_codebook
from thematic_workbench.io.refi.codes_tree import off_standard

SCHEMAS = SHARED_FIXTURES.parent / "refi-qda"
TAGUETTE_GUIDS = uuid.UUID("51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2")  # Taguette's namespace
TAGS = [("interesting", "Anything that surprised the interviewer", 12, 3),
        ("-ve feelings", "Fear, anger; said, not guessed", 4, 2),
        ("Café talk", "Conversations held outside the office,\nover coffee", 0, 0),
        ("no description", "", 1, 1)]
SETS_NOTE = ("the file's <Sets> element is empty, which the REFI-QDA schema does not allow; "
             "read anyway")


# -- files shaped like Taguette's ---------------------------------------------------------
def taguette_csv(folder: Path, release: str = "1.5.2") -> Path:
    """``codebook_csv``: csv.writer on the web response (UTF-8, no byte-order mark)."""
    header = ["tag", "description", "number of highlights"]
    if release >= "1.5.2":
        header.append("number of documents")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in TAGS:
        writer.writerow(row[:len(header)])
    path = folder / "codebook.csv"
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


def taguette_xlsx(folder: Path) -> Path:
    """``codebook_xlsx``: a sheet called codebook, a bold header, counts as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "codebook"
    sheet.append(["tag", "description", "number of highlights", "number of documents"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in TAGS:
        sheet.append(list(row))
    path = folder / "codebook.xlsx"
    book.save(path)
    return path


def taguette_qdc(folder: Path, namespace: str = "urn:QDA-XML:codebook:1.0") -> Path:
    """``codebook_xml``: flat codes without descriptions, then an empty ``<Sets/>``."""
    codes = "".join(
        f'<Code guid="{str(uuid.uuid5(TAGUETTE_GUIDS, tag)).upper()}" name="{tag}" '
        'isCodable="true"/>' for tag, *_ in TAGS)
    path = folder / "codebook.qdc"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="{namespace}" '
                    f'origin="Taguette 1.5.2"><Codes>{codes}</Codes><Sets/></CodeBook>',
                    encoding="utf-8")
    return path


def taguette_reads(path: Path) -> list[tuple[str, str]]:
    """(tag, description) as Taguette's codebook import reads a .csv, or AssertionError
    where it would refuse the file."""
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8), "Taguette guesses the charset without a BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header = [cell.lower() for cell in rows[0]]
    assert sum(name in header for name in ("tag", "name", "path")) == 1
    name, description = header.index("tag"), header.index("description")
    tags = []
    for row in rows[1:]:
        assert len(row) > max(name, description), "Taguette: not enough columns"
        if any(row):
            assert row[name].strip(), "Taguette: empty tag name"
            tags.append((row[name].strip(), row[description].strip()))
    return tags


def codes_of(cli: Callable[..., Run], project: Path) -> list[tuple[str, str]]:
    return sorted((c["name"], c["definition"])
                  for c in json.loads(cli("codes", str(project), "--json").out))


def notes_of(run: Run) -> list[str]:
    return [line.removeprefix("note: ") for line in run.err.splitlines()
            if line.startswith("note: ")]


def new_project(cli: Callable[..., Run], folder: Path) -> Path:
    project = folder / "p.thematic"
    assert cli("new", str(project)).code == 0
    return project


EXPECTED = sorted((tag, description) for tag, description, *_ in TAGS)


@pytest.fixture(scope="module")
def rich_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rich_demo(tmp_path_factory.mktemp("demo") / "rich.thematic")


# -- Taguette's CSV and Excel codebooks come in -------------------------------------------
@pytest.mark.parametrize("release", ["1.5.1", "1.5.2"])
def test_taguette_csv_reads_tags_as_codes_and_descriptions_as_definitions(
        tmp_path: Path, release: str) -> None:
    plan = read_codebook(taguette_csv(tmp_path, release))
    assert sorted((c.name, c.definition) for c in plan.codes) == EXPECTED
    assert plan.themes == () and plan.notes == ()


def test_taguette_xlsx_reads_like_its_csv(tmp_path: Path) -> None:
    plan = read_codebook(taguette_xlsx(tmp_path))
    assert sorted((c.name, c.definition) for c in plan.codes) == EXPECTED
    assert plan.notes == ()


@pytest.mark.parametrize("make", [taguette_csv, taguette_xlsx])
def test_import_codebook_stores_taguette_tags(make: Callable[[Path], Path], tmp_path: Path,
                                              cli: Callable[..., Run]) -> None:
    project = new_project(cli, tmp_path)
    run = cli("import-codebook", str(project), str(make(tmp_path)))
    assert run.code == 0, run.err
    assert "4 new codes" in run.out and notes_of(run) == []
    assert codes_of(cli, project) == EXPECTED


def test_our_own_columns_still_win_over_taguettes(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("Name,Code,Description,Final theme\nignored,Trust,Slow work,Relations\n",
                    encoding="utf-8")
    plan = read_codebook(path)
    assert [(c.name, c.definition) for c in plan.codes] == [("Trust", "Slow work")]
    assert [t.name for t in plan.themes] == ["Relations"]


@pytest.mark.parametrize("column", ["Name", "PATH"])
def test_taguettes_other_name_columns_are_read(tmp_path: Path, column: str) -> None:
    path = tmp_path / "other.csv"
    path.write_text(f"{column},description\nTrust,Slow work\n", encoding="utf-8")
    assert [(c.name, c.definition) for c in read_codebook(path).codes] == [("Trust",
                                                                            "Slow work")]


def test_a_filled_parent_column_is_named_in_a_note(tmp_path: Path) -> None:
    path = tmp_path / "nested.csv"
    path.write_text("tag,parent,description,number of highlights\nfeelings,,All of them,2\n"
                    "fear,feelings,Said fear,1\nanger,feelings,,0\n", encoding="utf-8")
    plan = read_codebook(path)
    assert [c.name for c in plan.codes] == ["feelings", "fear", "anger"]
    assert plan.notes == ("the 'parent' column (Taguette's nesting of tags) was not read: "
                          "2 rows with a parent tag were read as codes without it",)


def test_a_table_with_no_code_column_names_tag_among_those_read(tmp_path: Path) -> None:
    path = tmp_path / "none.csv"
    path.write_text("label,meaning\nx,y\n", encoding="utf-8")
    with pytest.raises(DocumentReadError, match=r"'label', 'meaning'.*code \(or Taguette's "
                                                r"tag\).*definition \(or description\)"):
        read_codebook(path)


# -- Taguette's .qdc, and other files off the schema ---------------------------------------
def test_taguette_qdc_is_read_and_its_empty_sets_said(tmp_path: Path) -> None:
    path = taguette_qdc(tmp_path)
    if (SCHEMAS / "Codebook.xsd").is_file():  # what the note says is so
        import xmlschema

        assert not xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd")).is_valid(str(path))
    plan = read_codebook(path)
    assert sorted(c.name for c in plan.codes) == sorted(tag for tag, *_ in TAGS)
    assert plan.notes == (SETS_NOTE, "Taguette leaves its tag descriptions out of a .qdc; "
                                     "export the codebook from Taguette as CSV or Excel to "
                                     "bring them across")


def test_import_codebook_prints_one_note_per_schema_break(tmp_path: Path,
                                                          cli: Callable[..., Run]) -> None:
    project = new_project(cli, tmp_path)
    run = cli("import-codebook", str(project),
              str(taguette_qdc(tmp_path, "urn:QDA-XML:codebook:0:4")))
    assert run.code == 0, run.err
    assert notes_of(run)[:2] == [
        "the file's <CodeBook> is in the namespace 'urn:QDA-XML:codebook:0:4' (the spelling "
        "of the REFI-QDA 0.4 draft, as older ATLAS.ti writes it), not "
        "'urn:QDA-XML:codebook:1.0' as the REFI-QDA schema asks; read anyway", SETS_NOTE]
    assert len(notes_of(run)) == 3 and "descriptions" in notes_of(run)[2]
    assert codes_of(cli, project) == sorted((tag, "") for tag, *_ in TAGS)


def test_a_valid_codebook_has_no_schema_notes(tmp_path: Path) -> None:
    path = tmp_path / "ok.qdc"
    path.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="x"><Codes>'
                    '<Code guid="00000000-0000-4000-8000-000000000001" name="a" '
                    'isCodable="true"><Description>Said a</Description></Code></Codes>'
                    '</CodeBook>', encoding="utf-8")
    assert read_codebook(path).notes == ()


def test_off_standard_names_what_a_project_reader_should_report() -> None:
    project = fromstring(
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p">'
        '<CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes>'
        '<Code guid="00000000-0000-4000-8000-000000000001" name="a" isCodable="true"/>'
        '</Codes></CodeBook><Sets/><Sets/></Project>')
    assert off_standard(project) == [
        "the file's <CodeBook> is in the namespace 'urn:QDA-XML:codebook:0:4' (the spelling "
        "of the REFI-QDA 0.4 draft, as older ATLAS.ti writes it), not "
        "'urn:QDA-XML:project:1.0' as the REFI-QDA schema asks; read anyway", SETS_NOTE]
    plain = fromstring('<Project name="p"><Sets><Set guid="00000000-0000-4000-8000-00000000000'
                       '2" name="s"/></Sets></Project>')
    assert off_standard(plain) == ["the file's <Project> has no namespace, where the REFI-QDA "
                                   "schema asks for 'urn:QDA-XML:project:1.0'; read anyway"]


# -- our codebook goes out in Taguette's form ---------------------------------------------
def test_export_for_taguette_writes_what_its_importer_reads(
        rich_demo: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    target = tmp_path / "for-taguette.csv"
    run = cli("export", "codebook", str(rich_demo), str(target), "--for", "taguette")
    assert run.code == 0, run.err
    assert "as Taguette imports them" in run.out
    with target.open(encoding="utf-8-sig", newline="") as stream:
        assert next(csv.reader(stream)) == ["tag", "description"]
    tags = taguette_reads(target)
    assert sorted(tags) == codes_of(cli, rich_demo)  # every code once, with its definition
    assert ("=Unplaced code", "-no theme yet") in tags  # no guard Taguette would keep
    assert ("Reliability <as> care & \"craft\"", "Line one\nline two") in tags
    with ProjectStore.open(rich_demo, readonly=True) as store, store.read() as db:
        board = read_board(db)
    themes = len(board.finals) + sum(map(len, board.emerging.values()))
    assert notes_of(run)[0] == (f"Taguette has no themes: {themes} themes were left out, "
                                "and each code is written once")
    assert notes_of(run)[1].startswith("1 code has a name or definition that starts like a "
                                       "spreadsheet formula") and "'=Unplaced code'" in \
        notes_of(run)[1]

    back = read_codebook(target)  # and we read it back
    assert sorted((c.name, c.definition) for c in back.codes) == sorted(tags)
    project = new_project(cli, tmp_path)
    assert cli("import-codebook", str(project), str(target)).code == 0
    assert codes_of(cli, project) == codes_of(cli, rich_demo)


def test_taguette_codebook_goes_out_and_comes_back(tmp_path: Path,
                                                   cli: Callable[..., Run]) -> None:
    project = new_project(cli, tmp_path)
    assert cli("import-codebook", str(project), str(taguette_csv(tmp_path))).code == 0
    target = tmp_path / "back.csv"
    run = cli("export", "codebook", str(project), str(target), "--for", "taguette")
    assert run.code == 0, run.err
    assert sorted(taguette_reads(target)) == EXPECTED


def test_the_default_codebook_csv_is_unchanged(rich_demo: Path, tmp_path: Path,
                                               cli: Callable[..., Run]) -> None:
    target = tmp_path / "ours.csv"
    assert cli("export", "codebook", str(rich_demo), str(target)).code == 0
    with target.open(encoding="utf-8-sig", newline="") as stream:
        assert next(csv.reader(stream))[:2] == ["Code", "Definition"]
    with pytest.raises(AssertionError):
        taguette_reads(target)  # which is why --for taguette exists


@pytest.mark.parametrize("argv, message", [
    (["codebook", "OUT.xlsx"], "OUT.xlsx: Taguette imports a codebook from .csv only"),
    (["codebook", "OUT.qdc"], "OUT.qdc: Taguette imports a codebook from .csv only"),
    (["table1", "OUT.csv"], "Taguette's form is written for the codebook only"),
])
def test_for_taguette_elsewhere_is_refused_before_writing(
        rich_demo: Path, tmp_path: Path, cli: Callable[..., Run], argv: list[str],
        message: str) -> None:
    kind, name = argv
    run = cli("export", kind, str(rich_demo), str(tmp_path / name), "--for", "taguette")
    assert run.code == 1 and message in run.err
    assert list(tmp_path.iterdir()) == []


def test_help_names_the_taguette_form(cli: Callable[..., Run]) -> None:
    run = cli("export", "--help")
    assert "--for PROGRAM" in run.out and "tag and description" in run.out
    assert cli("export", "codebook", "p", "o.csv", "--for", "nvivo").code == 2
