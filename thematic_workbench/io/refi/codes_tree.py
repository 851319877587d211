"""The REFI-QDA code tree, read into our frame and written from it (codebooks and projects).

REFI-QDA has only codes, nested to any depth, plus Sets (ATLAS.ti's code groups); we have
final themes, emerging themes and codes. Each top-level branch is read by its own depth:
a branch three or more levels deep is a final theme over emerging themes over codes; a
branch two levels deep is an emerging theme with its codes; a lone node is a code. Reading
by branch, not by the whole tree, keeps an emerging theme that is in no final theme an
emerging theme when the file also holds final themes (our export writes such themes at the
top level). A node marked ``isCodable="false"`` with no children is an empty theme, since
only a theme can be empty. Sets named like a theme carry the memberships the single
nesting of a tree cannot (a code in two themes); any other Set becomes an emerging theme.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.queries.theme_board import Board, BoardCode, BoardTheme
from thematic_workbench.core.records.codebook_plan import CodebookPlan, PlannedCode, PlannedTheme
from thematic_workbench.core.wording import plural
from thematic_workbench.io.refi.common import (
    CODEBOOK_NS,
    OLD_SPELLINGS,
    PROJECT_NS,
    child_text,
    children,
    local_name,
    namespace_of,
    normal_colour,
    normal_guid,
    stable_guid,
)

MAX_DEPTH = 100  # deeper nesting is no codebook anyone made; refuse before recursion fails


@dataclass
class TreeCode:
    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str = ""
    children: list[TreeCode] = field(default_factory=list)


@dataclass
class TreeSet:
    guid: str
    name: str
    description: str = ""
    member_guids: list[str] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------------
def _name(element: Element) -> str:
    return " ".join((element.get("name") or "").split())


def _codable(element: Element) -> bool:
    return (element.get("isCodable") or "true").strip().lower() not in ("false", "0")


def read_codes(codes: Element, path: Path) -> list[TreeCode]:
    """The nested ``<Code>`` elements of a ``<Codes>`` element, in file order."""
    seen: dict[str, str] = {}

    def read(element: Element, depth: int) -> TreeCode:
        name = _name(element)
        guid = normal_guid(element.get("guid"))
        if depth > MAX_DEPTH:
            raise DocumentReadError(path, f"nests codes more than {MAX_DEPTH} levels deep "
                                          f"(at code '{name}')")
        if guid is None:
            raise DocumentReadError(path, f"code '{name or '(no name)'}' has no valid GUID "
                                          f"({element.get('guid')!r})")
        if not name:
            raise DocumentReadError(path, f"the code with GUID {guid} has no name")
        if guid in seen:
            raise DocumentReadError(path, f"codes '{seen[guid]}' and '{name}' have the same "
                                          f"GUID {guid}")
        seen[guid] = name
        return TreeCode(guid, name, _codable(element), normal_colour(element.get("color")),
                        child_text(element, "Description"),
                        [read(sub, depth + 1) for sub in children(element, "Code")])

    return [read(element, 1) for element in children(codes, "Code")]


def read_sets(sets: Element | None, path: Path) -> list[TreeSet]:
    """The ``<Set>`` elements of a ``<Sets>`` element; a member is read from ``guid``
    (Codebook.xsd) or ``targetGUID`` (Project.xsd). Members that are sources or notes are
    not codes and are left to the caller. An empty ``<Sets/>`` (Taguette writes one) gives
    no sets; :func:`off_standard` names it for the user."""
    if sets is None:
        return []
    result = []
    for element in children(sets, "Set"):
        name = _name(element)
        guid = normal_guid(element.get("guid"))
        if guid is None or not name:
            raise DocumentReadError(path, f"set '{name or '(no name)'}' has no valid GUID "
                                          "or no name")
        members = []
        for member in children(element, "MemberCode"):
            raw = member.get("guid") or member.get("targetGUID")
            member_guid = normal_guid(raw)
            if member_guid is None:
                raise DocumentReadError(path, f"set '{name}' lists a code with an invalid "
                                              f"GUID ({raw!r})")
            members.append(member_guid)
        result.append(TreeSet(guid, name, child_text(element, "Description"), members))
    return result


def off_standard(root: Element) -> list[str]:
    """What in a codebook or project document breaks the REFI-QDA schema but is read
    anyway, one line each, for the user: an empty ``<Sets>`` (both schemas want at least
    one ``<Set>``), and elements in a namespace other than the document's own, such as
    the ``0:4`` spelling of older ATLAS.ti or a ``<CodeBook>`` in the codebook namespace
    inside a ``<Project>``. Only REFI-QDA namespaces (and none) are named: those are the
    elements the readers take as REFI-QDA."""
    expected = PROJECT_NS if local_name(root) == "Project" else CODEBOOK_NS
    lines: list[str] = []
    named: set[str] = set()
    empty_sets = False
    for element in root.iter():
        namespace = namespace_of(element)
        if namespace != expected and namespace not in named and (
                not namespace or namespace.startswith("urn:QDA-XML:")):
            named.add(namespace)
            lines.append(_namespace_line(element, namespace, expected))
        if not empty_sets and local_name(element) == "Sets" and not children(element, "Set"):
            empty_sets = True
            lines.append("the file's <Sets> element is empty, which the REFI-QDA schema does "
                         "not allow; read anyway")
    return lines


def _namespace_line(element: Element, namespace: str, expected: str) -> str:
    where = f"the file's <{local_name(element)}>"
    if not namespace:
        return (f"{where} has no namespace, where the REFI-QDA schema asks for "
                f"'{expected}'; read anyway")
    spelled = " (the spelling of the REFI-QDA 0.4 draft, as older ATLAS.ti writes it)" \
        if namespace in OLD_SPELLINGS else ""
    return (f"{where} is in the namespace '{namespace}'{spelled}, not '{expected}' as the "
            "REFI-QDA schema asks; read anyway")


def plan_codebook(roots: list[TreeCode], sets: list[TreeSet], source: str,
                  coded_guids: Collection[str] = ()) -> CodebookPlan:
    """Our frame from a code tree and its sets; ``key`` of codes and themes is the GUID.

    A node that becomes a theme but holds codings (``coded_guids``) also becomes a code of
    the same name in that theme. A set member that is missing from the tree is an error.
    """
    return _Planner(source, coded_guids).plan(roots, sets)


def code_aliases(roots: list[TreeCode], coded_guids: Collection[str] = ()) -> dict[str, str]:
    """GUIDs of codes read as an earlier code of the same name -> that code's GUID.

    Codes are unique by name (case-insensitively) in a project, so :func:`plan_codebook`
    keeps only the first; a project import maps codings of the others with this.
    """
    planner = _Planner("", coded_guids)
    planner.plan(roots, [])
    return dict(planner.aliases)


# -- planning -----------------------------------------------------------------------------
@dataclass
class _Theme:
    key: str
    name: str
    level: str
    definition: str
    parent_key: str | None
    members: list[str] = field(default_factory=list)

    def add(self, code_key: str) -> None:
        if code_key not in self.members:
            self.members.append(code_key)


def shown_names(names: list[str]) -> str:
    """Up to five names, quoted, and how many more."""
    shown = ", ".join(f"'{name}'" for name in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _below(node: TreeCode, level: int) -> Iterator[tuple[TreeCode, int]]:
    """Every node under ``node`` (at ``level``), in file order, with its level."""
    for sub in node.children:
        yield sub, level + 1
        yield from _below(sub, level + 1)


class _Planner:
    """One reading of a tree; keeps what it could not carry across for the notes."""

    def __init__(self, source: str, coded_guids: Collection[str]) -> None:
        self.source = source
        self.coded = {normal_guid(guid) or guid for guid in coded_guids}
        self.codes: dict[str, PlannedCode] = {}
        self.code_of: dict[str, str] = {}  # GUID of every node read as a code -> code key
        self.by_name: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.themes: list[_Theme] = []
        self.theme_guids: set[str] = set()
        self.heights: dict[int, int] = {}
        self.duplicates: list[str] = []
        self.flattened: list[str] = []
        self.coloured_themes = 0
        self.notes: list[str] = []

    def height(self, node: TreeCode) -> int:
        """Levels in this branch; an empty non-codable node counts as a theme (two)."""
        if id(node) not in self.heights:
            self.heights[id(node)] = (1 + max(self.height(sub) for sub in node.children)
                                      if node.children else 1 if node.codable else 2)
        return self.heights[id(node)]

    def code(self, node: TreeCode) -> str:
        key = self.by_name.get(name_key(node.name))
        if key is None:
            key = self.by_name[name_key(node.name)] = node.guid
            self.codes[key] = PlannedCode(key, node.name, node.description, node.colour)
        elif key != node.guid:
            self.aliases[node.guid] = key
            self.duplicates.append(node.name)
        self.code_of[node.guid] = key
        return key

    def theme(self, node: TreeCode, level: str, parent_key: str | None) -> _Theme:
        theme = _Theme(node.guid, node.name, level, node.description, parent_key)
        self.themes.append(theme)
        self.theme_guids.add(node.guid)
        if node.guid in self.coded:
            theme.add(self.code(node))
            self.notes.append(f"'{node.name}' holds codings but was read as a theme; a code "
                              "of the same name was put in it to keep them")
        elif node.colour:
            self.coloured_themes += 1
        return theme

    def branch(self, root: TreeCode) -> None:
        height = self.height(root)
        if height == 1:
            self.code(root)
        elif height == 2:
            emerging = self.theme(root, "emerging", None)
            for sub in root.children:
                emerging.add(self.code(sub))
        else:
            final = self.theme(root, "final", None)
            for sub in root.children:
                if self.height(sub) == 1:
                    final.add(self.code(sub))
                    continue
                emerging = self.theme(sub, "emerging", final.key)
                for node, level in _below(sub, 2):
                    emerging.add(self.code(node))
                    if level > 3:
                        self.flattened.append(node.name)

    def apply_set(self, item: TreeSet, tree_themes: list[_Theme], used: set[int]) -> None:
        members: list[str] = []
        for guid in item.member_guids:
            if guid in self.code_of:
                if self.code_of[guid] not in members:
                    members.append(self.code_of[guid])
            elif guid in self.theme_guids:
                self.notes.append(f"set '{item.name}' lists '{self._theme_name(guid)}', "
                                  "which was read as a theme, not a code; it was left out")
            else:
                raise DocumentReadError(self.source, f"set '{item.name}' lists a code with "
                                                     f"GUID {guid}, which is not in the file")
        same = [index for index, theme in enumerate(tree_themes)
                if index not in used and name_key(theme.name) == name_key(item.name)]
        if same:  # our own export: the set holds all of its theme's codes, in order
            pick = next((i for i in same if set(tree_themes[i].members) <= set(members)),
                        same[0])
            used.add(pick)
            theme = tree_themes[pick]
            if set(theme.members) <= set(members):
                theme.members = members
            else:
                for key in members:
                    theme.add(key)
        elif members:
            key = item.guid if item.guid not in self.theme_guids else f"set:{item.guid}"
            self.themes.append(_Theme(key, item.name, "emerging", item.description, None,
                                      members))
            self.theme_guids.add(key)
        else:
            self.notes.append(f"set '{item.name}' holds no codes; it was not made a theme")

    def _theme_name(self, guid: str) -> str:
        return next(theme.name for theme in self.themes if theme.key == guid)

    def plan(self, roots: list[TreeCode], sets: list[TreeSet]) -> CodebookPlan:
        for root in roots:
            self.branch(root)
        tree_themes, used = list(self.themes), set[int]()
        for item in sets:
            self.apply_set(item, tree_themes, used)
        if self.duplicates:
            count = len(self.duplicates)
            self.notes.append(f"{_count_codes(count, 'has', 'have')} the name of an earlier "
                              f"code (case ignored) and {'was' if count == 1 else 'were'} "
                              f"read as that code: {shown_names(self.duplicates)}")
        if self.flattened:
            self.notes.append(f"{_count_codes(len(self.flattened), 'was', 'were')} nested "
                              "more than three levels deep and put directly in their "
                              "emerging theme: "
                              f"{shown_names(self.flattened)}")
        if self.coloured_themes:
            self.notes.append(f"themes have no colour here; the colours of "
                              f"{plural(self.coloured_themes, 'code', grouped=False)} read "
                              "as themes were not kept")
        themes = tuple(PlannedTheme(t.key, t.name, t.level, t.definition, t.parent_key,
                                    tuple(t.members)) for t in self.themes)
        return CodebookPlan(self.source, tuple(self.codes.values()), themes,
                            tuple(self.notes))


# -- writing ------------------------------------------------------------------------------
def code_guid(namespace: uuid.UUID, code: BoardCode) -> str:
    """The GUID a code keeps in the project, or (a record made without one) one derived
    from its id in the project's ``namespace``."""
    return normal_guid(code.guid) or stable_guid(namespace, "code", code.id)


def board_code_guids(board: Board, namespace: uuid.UUID) -> dict[int, str]:
    """Every code on the board by id, with the GUID it is exported under."""
    themes = [*board.finals, *(t for group in board.emerging.values() for t in group)]
    codes = [*board.miscellaneous, *(code for theme in themes for code in theme.codes)]
    return {code.id: code_guid(namespace, code) for code in codes}


def frame_tree(board: Board, namespace: uuid.UUID) -> tuple[list[TreeCode], list[TreeSet]]:
    """The frame (``core.theme_board``) as a tree (final > emerging > code, board order)
    and one Set per theme with codes, holding all its codes: the tree can nest a code only
    once. Codes and themes are named by the GUIDs they keep in the project (so a file that
    comes back, or a copy merged, still names them alike); sets by GUIDs in the project's
    ``namespace``."""
    placed: set[int] = set()

    def code_node(code: BoardCode) -> TreeCode:
        return TreeCode(code_guid(namespace, code), code.name, True,
                        normal_colour(code.colour), code.definition)

    def theme_node(theme: BoardTheme, nested: list[TreeCode]) -> TreeCode:
        return TreeCode(normal_guid(theme.guid) or stable_guid(namespace, "theme", theme.id),
                        theme.name, False, None, theme.definition, nested)

    def unplaced(theme: BoardTheme) -> list[TreeCode]:
        fresh = [code for code in theme.codes if code.id not in placed]
        placed.update(code.id for code in fresh)
        return [code_node(code) for code in fresh]

    roots: list[TreeCode] = []
    themes: list[BoardTheme] = []
    for final in board.finals:
        emerging = board.emerging.get(final.id, ())
        nested = [theme_node(theme, unplaced(theme)) for theme in emerging]
        roots.append(theme_node(final, nested + unplaced(final)))
        themes += [final, *emerging]
    for theme in board.emerging.get(None, ()):
        roots.append(theme_node(theme, unplaced(theme)))
        themes.append(theme)
    roots += [code_node(code) for code in board.miscellaneous]
    sets = [TreeSet(stable_guid(namespace, "set", theme.id), theme.name, "",
                    [code_guid(namespace, code) for code in theme.codes])
            for theme in themes if theme.codes]
    return roots, sets


def _xml_text(text: str) -> str:
    """Characters XML 1.0 cannot hold (most control characters) are dropped."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (" " <= ch <= "\ud7ff")
                   or ("\ue000" <= ch <= "\ufffd") or ch >= "\U00010000")


def write_codes(parent: Element, ns: str, roots: list[TreeCode]) -> None:
    """Append ``<Codes>`` with the nested ``<Code>`` elements (Description first, then child
    codes, as both schemas order them). Both schemas need at least one code."""
    if not roots:
        raise ValueError("a <Codes> element needs at least one code")

    def write(into: Element, code: TreeCode) -> None:
        element = SubElement(into, f"{{{ns}}}Code", {
            "guid": code.guid, "name": _xml_text(code.name),
            "isCodable": "true" if code.codable else "false"})
        if code.colour:
            element.set("color", code.colour)
        if code.description.strip():
            SubElement(element, f"{{{ns}}}Description").text = _xml_text(code.description)
        for sub in code.children:
            write(element, sub)

    codes = SubElement(parent, f"{{{ns}}}Codes")
    for root in roots:
        write(codes, root)


def write_sets(parent: Element, ns: str, sets: list[TreeSet],
               member_tag: str | None = None) -> None:
    """Append ``<Sets>`` (nothing when there are none: an empty one is invalid).

    A member is ``<MemberCode guid=.../>`` in Codebook.xsd but ``<MemberCode
    targetGUID=.../>`` in Project.xsd; ``member_tag`` names that attribute (``"guid"`` or
    ``"targetGUID"``) and by default follows ``ns``.
    """
    if not sets:
        return
    attribute = member_tag if member_tag in ("guid", "targetGUID") else (
        "targetGUID" if ns == PROJECT_NS else "guid")
    container = SubElement(parent, f"{{{ns}}}Sets")
    for item in sets:
        element = SubElement(container, f"{{{ns}}}Set",
                             {"guid": item.guid, "name": _xml_text(item.name)})
        if item.description.strip():
            SubElement(element, f"{{{ns}}}Description").text = _xml_text(item.description)
        for member in item.member_guids:
            SubElement(element, f"{{{ns}}}MemberCode", {attribute: member})


def xml_bytes(root: Element, ns: str) -> bytes:
    """``root`` as UTF-8 XML with ``ns`` as the default namespace (no ``ns0:`` prefixes).

    ElementTree's own ``default_namespace`` refuses plain attribute names, so the tags in
    ``ns`` are written bare under an ``xmlns`` on the root. This changes ``root``.
    """
    prefix = f"{{{ns}}}"
    for element in root.iter():
        if element.tag.startswith(prefix):
            element.tag = element.tag[len(prefix):]
    root.set("xmlns", ns)
    indent(root, space="  ")
    body = tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def _count_codes(count: int, one: str, many: str) -> str:
    """"1 code has", "3 codes have": a count of codes with its verb."""
    return f"{plural(count, 'code', grouped=False)} {one if count == 1 else many}"
