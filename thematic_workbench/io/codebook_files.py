"""Codebooks as files: written as CSV, XLSX, Word or REFI-QDA; read back from CSV and XLSX.

A team often keeps its codebook in a spreadsheet before any software sees it, so a table
with the columns code, emerging theme, final theme and definition is read as a codebook.
Headers are matched loosely (case, spaces and underscores do not matter), other columns
are ignored, and each row places one code: a code in two themes takes two rows, which is
also how we write it.

Taguette (remram44/taguette) keeps a flat list of tags, each with a description. Its
codebook export (taguette/export.py, ``codebook_csv`` and ``codebook_xlsx``) writes the
columns ``tag, description, number of highlights`` (releases 1.0 to 1.5.1; 1.5.2 adds
``number of documents``, and an unreleased branch adds ``parent``, the path of a parent
tag); its .qdc has no descriptions (see io/refi/qdc.py). So ``tag`` is read as the code
(as are ``name`` and ``path``, which Taguette's importer also takes), ``description`` as
the definition; the counts are not data and are ignored like any other column, and a
filled ``parent`` column is named in a note since it is not read. Taguette's codebook
import (taguette/import_codebook.py) reads CSV only: the header is lower-cased and must
hold exactly one of ``tag``, ``name``, ``path`` (two are refused as ambiguous), plus an
optional ``description``; other columns are ignored, empty rows skipped, an empty name
refused; the charset is guessed (a byte-order mark settles it); names are taken whole,
with no separator for nesting. Our own CSV (``Code``, ``Definition``...) has none of those
columns, so ``write_codebook(..., for_tool="taguette")`` writes the other form: the columns
``tag`` and ``description``, one row per code. Cells are written as they are, without the
apostrophe that guards formula-like text in our other CSVs: Taguette would keep it as part
of the name, so a note says when a cell starts like a formula.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from docx.shared import Inches

from thematic_workbench.core.errors import DocumentReadError, WorkbenchError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.codebook_codes import CodeList
from thematic_workbench.core.records.codebook_plan import CodebookPlan, PlannedCode, PlannedTheme
from thematic_workbench.core.reports.codebook import CodebookModel
from thematic_workbench.core.theme_words import EMERGING_FINAL, ThemeWords
from thematic_workbench.core.wording import plural
from thematic_workbench.io.atomic import atomic_path
from thematic_workbench.io.docx_style import (
    add_caption,
    journal_table,
    new_document,
    save_document,
    set_cell_text,
)
from thematic_workbench.io.refi.codes_tree import shown_names
from thematic_workbench.io.refi.common import normal_colour
from thematic_workbench.io.refi.qdc import read_qdc
from thematic_workbench.io.table_reading import table_rows
from thematic_workbench.io.tabular import FORMULA_STARTS, write_csv, write_xlsx


def columns(words: ThemeWords) -> tuple[str, ...]:
    """The table's headings with the project's level words (read back by ``_HEADERS``)."""
    return ("Code", "Definition", "Colour", words.theme("emerging", True),
            words.theme("final", True), "Codings", "Participants", "Example", "Citation")


def word_columns(words: ThemeWords) -> tuple[str, ...]:
    """The Word table's headings with the project's level words."""
    return ("Code", "Definition", words.theme("emerging", True), words.theme("final", True),
            "Codings", "Participants", "Example")


COLUMNS = columns(EMERGING_FINAL)
WORD_COLUMNS = word_columns(EMERGING_FINAL)
WORD_WIDTHS = (1.25, 1.9, 1.1, 1.1, 0.7, 0.95, 2.0)  # inches: a landscape page's 9 in
XLSX_WIDTHS = (28, 50, 10, 28, 28, 9, 12, 60, 20)
TAGUETTE_COLUMNS = ("tag", "description")  # what Taguette's codebook import reads
TAGUETTE_NAME_LIMIT = 200  # characters: Taguette refuses a longer tag name
MAX_TABLE_BYTES = 50 * 1024 * 1024
WHAT = "the codebook"


# -- writing ------------------------------------------------------------------------------
def _rows(model: CodebookModel) -> Iterable[Sequence[str | int]]:
    for e in model.entries:
        yield (e.code, e.definition, e.colour, e.emerging_theme, e.final_theme, e.codings,
               e.participants, e.example, e.citation)


def _write_docx(model: CodebookModel, path: Path) -> None:
    document = new_document(landscape=True)
    document.add_heading(f"Codebook: {model.title}", level=1)
    add_caption(document, "", f"Codes with their definitions, the {model.words.lower} and "
                              f"{model.words.upper} themes they belong to, and an example "
                              "extract")
    table = journal_table(document, list(word_columns(model.words)), len(model.entries))
    table.autofit = False
    for row, entry in zip(table.rows[1:], model.entries, strict=True):
        example = f"{entry.example}\n{entry.citation}" if entry.example else ""
        values = (entry.code, entry.definition, entry.emerging_theme, entry.final_theme,
                  str(entry.codings), str(entry.participants), example)
        for cell, value in zip(row.cells, values, strict=True):
            set_cell_text(cell, value)
    for column, width in zip(table.columns, WORD_WIDTHS, strict=True):
        column.width = Inches(width)  # the grid, which LibreOffice follows
        for cell in column.cells:
            cell.width = Inches(width)  # each cell, which Word follows
    document.add_paragraph(
        "Codes are listed in the order of the theme board; a code in two themes has a row "
        "in each, and codes in no theme come last. Codings: coded extracts; participants: "
        "participants with at least one.")
    save_document(document, path, WHAT)


def write_taguette_csv(code_list: CodeList, path: str | Path) -> tuple[str, ...]:
    """The codes (read by :func:`~thematic_workbench.core.queries.codebook_codes.code_list`) as
    Taguette's codebook import reads them: ``tag`` and ``description``.

    Returns notes on what the file leaves out or what Taguette may refuse."""
    path = Path(path)
    codes, theme_count = code_list.codes, code_list.theme_count
    if not codes:
        raise WorkbenchError(f"{path.name}: the project has no codes yet, so there is no "
                             "codebook to export")
    with atomic_path(path, WHAT) as partial, \
            open(partial, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(TAGUETTE_COLUMNS)
        writer.writerows((code.name, code.definition) for code in codes)
    notes = []
    if theme_count:
        notes.append(f"Taguette has no themes: {plural(theme_count, 'theme')} "
                     f"{'was' if theme_count == 1 else 'were'} left out, and each code is "
                     "written once")
    formula_like = [c.name for c in codes
                    if c.name.startswith(FORMULA_STARTS)
                    or c.definition.startswith(FORMULA_STARTS)]
    if formula_like:
        notes.append(f"{_count_codes(len(formula_like))} a name or definition that starts "
                     "like a spreadsheet formula (=, +, - or @), written as it is since "
                     "Taguette would keep a guard in the name; open the file in Taguette, "
                     f"not in a spreadsheet program: {shown_names(formula_like)}")
    too_long = [c.name for c in codes if len(c.name) > TAGUETTE_NAME_LIMIT]
    if too_long:
        notes.append(f"Taguette refuses tag names over {TAGUETTE_NAME_LIMIT} characters; "
                     f"shorten {shown_names([name[:60] + '…' for name in too_long])}")
    return tuple(notes)


def _count_codes(count: int) -> str:
    return f"{plural(count, 'code')} {'has' if count == 1 else 'have'}"


def write_codebook(model: CodebookModel, path: str | Path) -> tuple[str, ...]:
    """Write the codebook table (``analysis.codebook.build_codebook``) in the format the
    extension names: .csv, .xlsx or .docx. A .qdc is written from the project by
    io/refi/qdc.py, Taguette's .csv by :func:`write_taguette_csv` (app/exchange.py
    ``write_codebook_file`` chooses). Returns notes on the file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        raise WorkbenchError(f"{path.name}: a REFI-QDA codebook is written from the "
                             "project, not from a codebook table")
    if suffix not in (".csv", ".xlsx", ".docx"):
        raise WorkbenchError(f"{path.name}: a codebook can be written as .qdc, .csv, .xlsx "
                             f"or .docx, not '{path.suffix or 'no extension'}'")
    if suffix == ".csv":
        write_csv(path, columns(model.words), _rows(model), WHAT)
    elif suffix == ".xlsx":
        write_xlsx(path, "Codebook", columns(model.words), _rows(model), WHAT,
                   widths=XLSX_WIDTHS)
    else:
        _write_docx(model, path)
    return ()


# -- reading: rows into a plan -----------------------------------------------------------
_HEADERS = {"code": "code", "codes": "code", "codename": "code", "initialcode": "code",
            "initialcodes": "code", "emergingtheme": "emerging", "emergingthemes": "emerging",
            "initialtheme": "emerging", "initialthemes": "emerging",
            "finaltheme": "final", "finalthemes": "final", "developedtheme": "final",
            "developedthemes": "final", "definition": "definition",
            "description": "definition", "colour": "colour", "color": "colour",
            "tag": "tag", "tags": "tag", "name": "name", "path": "path", "parent": "parent"}
_NAME_COLUMNS = ("code", "tag", "name", "path")  # the first found names the code
_FIELDS = ("code", "emerging", "final", "definition", "colour")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # our own CSV guards formula-like text so: take the guard off
    return text


def _header(value: str) -> str:
    return re.sub(r"[\s_\-]+", "", value).casefold()


@dataclass
class _Theme:
    key: str
    name: str
    level: str
    parent_key: str | None
    members: list[str] = field(default_factory=list)


class _TableReader:
    """Rows in order: the first row naming a code, theme or definition decides it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.codes: dict[str, PlannedCode] = {}
        self.themes: dict[tuple[str, str], _Theme] = {}
        self.notes: list[str] = []

    def theme(self, number: int, level: str, name: str, parent_key: str | None) -> str:
        theme = self.themes.get((level, name_key(name)))
        if theme is None:
            theme = _Theme(f"row {number} {level} theme", name, level, parent_key)
            self.themes[(level, name_key(name))] = theme
        elif parent_key and theme.parent_key is None:
            theme.parent_key = parent_key
        elif parent_key and parent_key != theme.parent_key:
            self.notes.append(f"row {number}: emerging theme '{name}' is under another final "
                              "theme in an earlier row; the earlier one was kept")
        return theme.key

    def code(self, number: int, name: str, definition: str, colour_text: str) -> str:
        colour = normal_colour(colour_text)
        if colour_text and colour is None:
            self.notes.append(f"row {number}: '{colour_text}' is not a colour; the project "
                              "picks one")
        known = self.codes.get(name_key(name))
        if known is None:
            known = PlannedCode(f"row {number}", name, definition, colour)
        elif definition and known.definition and definition != known.definition:
            self.notes.append(f"row {number}: code '{name}' has another definition in an "
                              "earlier row; the earlier one was kept")
        else:
            known = replace(known, definition=known.definition or definition,
                            colour=known.colour or colour)
        self.codes[name_key(name)] = known
        return known.key

    def row(self, number: int, values: dict[str, str]) -> None:
        name, emerging, final = (" ".join(values[k].split())
                                 for k in ("code", "emerging", "final"))
        final_key = self.theme(number, "final", final, None) if final else None
        emerging_key = self.theme(number, "emerging", emerging, final_key) if emerging \
            else None
        if not name:
            if not (emerging or final):
                self.notes.append(f"row {number} names no code or theme; it was skipped")
            return
        code_key = self.code(number, name, values["definition"], values["colour"])
        target = emerging_key or final_key
        if target is not None:
            theme = next(t for t in self.themes.values() if t.key == target)
            if code_key not in theme.members:
                theme.members.append(code_key)

    def plan(self) -> CodebookPlan:
        themes = tuple(PlannedTheme(t.key, t.name, t.level, "", t.parent_key,
                                    tuple(t.members)) for t in self.themes.values())
        return CodebookPlan(self.source, tuple(self.codes.values()), themes,
                            tuple(self.notes))


def _columns(cells: list[str], path: Path) -> dict[str, int]:
    """Where each field is, from the header row: ours first, else Taguette's tag column."""
    columns: dict[str, int] = {}
    for index, text in enumerate(cells):
        if _header(text) in _HEADERS:  # the first of two same columns counts
            columns.setdefault(_HEADERS[_header(text)], index)
    name = next((columns[key] for key in _NAME_COLUMNS if key in columns), None)
    if name is None:
        named = ", ".join(f"'{text}'" for text in cells if text)
        raise DocumentReadError(path, f"has no 'code' column (its first row names {named}); "
                                      "the columns read are code (or Taguette's tag), "
                                      "emerging theme, final theme, definition (or "
                                      "description) and colour")
    columns["code"] = name
    return columns


def plan_from_rows(rows: Iterable[Sequence[object]], path: Path) -> CodebookPlan:
    """The plan of a table whose first non-empty row names the columns."""
    columns: dict[str, int] | None = None
    reader = _TableReader(path.name)
    with_parent = 0
    for number, raw in enumerate(rows, 1):
        cells = [_cell(value) for value in raw]
        if not any(cells):
            continue
        if columns is None:
            columns = _columns(cells, path)
            continue
        values = dict.fromkeys(_FIELDS, "")
        values.update({key: cells[index] for key, index in columns.items()
                       if key in values and index < len(cells)})
        parent = columns.get("parent")
        if parent is not None and parent < len(cells) and cells[parent]:
            with_parent += 1
        reader.row(number, values)
    if columns is None:
        raise DocumentReadError(path, "is empty")
    if with_parent:
        reader.notes.append(f"the 'parent' column (Taguette's nesting of tags) was not read: "
                            f"{plural(with_parent, 'row')} with a parent tag "
                            f"{'was' if with_parent == 1 else 'were'} read as codes without "
                            "it")
    return reader.plan()


# -- reading: files ------------------------------------------------------------------------------
def read_codebook_table(path: str | Path) -> CodebookPlan:
    """A codebook from a .csv or .xlsx table (code, emerging theme, final theme, ...)."""
    path = Path(path)
    return plan_from_rows(table_rows(path, MAX_TABLE_BYTES, "codebook"), path)


def read_codebook(path: str | Path) -> CodebookPlan:
    """A codebook from any file we read codebooks from: .qdc, .csv or .xlsx."""
    if Path(path).suffix.lower() == ".qdc":
        return read_qdc(path)
    return read_codebook_table(path)
