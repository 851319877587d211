"""Reading a REFI-QDA project (.qdpx) made by any tool into plain data, no database.

Other tools differ in small ways that must be forgiven: braces around GUIDs, the ``0:4``
namespace spelling, a .qde not named project.qde, source text stored in the archive,
beside it or inline, CRLF line ends (positions count the CR, so they are re-mapped to our
canonical text). Damage that would store wrong data is refused with a message naming the
file: a selection outside its text, a coding of a code the codebook lacks, unsafe ZIP
member names or XML entity declarations. What cannot be carried across is listed in
``RefiProject.losses``. Text in local files outside the archive is read only with the
caller's leave (``allow_outside``): without an answer the reader refuses, listing them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from xml.etree.ElementTree import Element

from thematic_workbench.core.errors import DocumentReadError
from thematic_workbench.core.records.refi import (
    OutsideFile,
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiPlace,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
    utc_time,
)
from thematic_workbench.core.wording import plural
from thematic_workbench.io.refi.codes_tree import (
    TreeCode,
    code_aliases,
    off_standard,
    plan_codebook,
    read_codes,
    read_sets,
)
from thematic_workbench.io.refi.common import (
    OLD_SPELLINGS,
    PROJECT_NS,
    child,
    child_text,
    children,
    local_name,
    namespace_of,
    normal_guid,
    parse_refi_xml,
)
from thematic_workbench.io.refi.position_units import (
    SpanSet,
    UnitDecision,
    converter,
    decide_unit,
)
from thematic_workbench.io.refi.positions import position_mapper
from thematic_workbench.io.refi.qdpx_archive import (
    NotFound,
    OutsideFilesError,
    QdpxArchive,
    SourceText,
    locate,
    read_archive,
    read_external,
)

_PROJECT_NAMESPACES = {PROJECT_NS, "", *(k for k, v in OLD_SPELLINGS.items() if v == PROJECT_NS)}
_OTHER_SOURCES = {"PictureSource": "picture", "PDFSource": "PDF", "AudioSource": "audio",
                  "VideoSource": "video"}
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
               "DateTimeValue")


def read_qdpx(path: str | Path, allow_outside: bool | None = None) -> RefiProject:
    """Everything a .qdpx holds that we can use; DocumentReadError names the file.

    Sources whose text lies in local files outside the archive are read when
    ``allow_outside`` is true, left out (and listed in ``losses``) when it is false, and
    make the whole read fail with ``OutsideFilesError`` listing them when it is ``None``.
    """
    path = Path(path)
    archive = read_archive(path)
    root = parse_refi_xml(archive.qde_bytes(), path, archive.qde_name)
    if local_name(root) != "Project" or namespace_of(root) not in _PROJECT_NAMESPACES:
        raise DocumentReadError(path, f"its {archive.qde_name} is not a REFI-QDA project "
                                f"(it starts with <{local_name(root)}>)")
    return _Reader(path, archive, root, allow_outside).read()


def outside_files(path: str | Path) -> tuple[OutsideFile, ...]:
    """The local files outside the archive that ``path`` would read, to ask about first;
    any other problem is the DocumentReadError the import would give."""
    try:
        read_qdpx(path)
    except OutsideFilesError as error:
        return error.files
    return ()


def _guids(element: Element, tag: str) -> tuple[str, ...]:
    found = (normal_guid(ref.get("targetGUID")) for ref in children(element, tag))
    return tuple(guid for guid in found if guid)


def _walk(codes: list[TreeCode]) -> Iterator[TreeCode]:
    for code in codes:
        yield code
        yield from _walk(code.children)


def _code_note_refs(element: Element | None) -> dict[str, tuple[str, ...]]:
    """NoteRefs inside ``<Code>`` elements (the tree reader keeps no notes), by code GUID."""
    found: dict[str, tuple[str, ...]] = {}
    if element is None:
        return found
    for code in element.iter():
        if local_name(code) == "Code":
            guid, notes = normal_guid(code.get("guid")), _guids(code, "NoteRef")
            if guid and notes:
                found[guid] = notes
    return found


@dataclass(frozen=True)
class _Placing:
    """What carries a source's raw selection positions to its canonical text."""

    raw: str
    to_canonical: Callable[[int], int]
    whole: tuple[RefiCoding, ...]  # codings of the whole source


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


class _Reader:
    def __init__(self, path: Path, archive: QdpxArchive, root: Element,
                 allow_outside: bool | None) -> None:
        self.path = path
        self.allow_outside = allow_outside
        self.outside: list[OutsideFile] = []  # found; read only if allowed
        self.archive = archive
        self.root = root
        self.base_path = (root.get("basePath") or "").strip()
        self.losses: list[str] = []
        self.code_guids: set[str] = set()
        self.aliases: dict[str, str] = {}

    def fail(self, reason: str) -> DocumentReadError:
        return DocumentReadError(self.path, reason)

    # -- the parts ------------------------------------------------------------------------
    def read(self) -> RefiProject:
        root = self.root
        codebook = child(root, "CodeBook")
        codes_element = child(codebook, "Codes") if codebook is not None else None
        roots = read_codes(codes_element, self.path) if codes_element is not None else []
        self.code_guids = {code.guid for code in _walk(roots)}
        sets_element = child(root, "Sets")
        sets = read_sets(sets_element, self.path)
        self.placing: list[_Placing] = []  # filled by source(), used by place()
        sources = self.place(self.sources(child(root, "Sources")))
        coded = {c.code_guid for s in sources for sel in s.selections for c in sel.codings}
        self.aliases = code_aliases(roots, coded)
        if self.aliases:
            sources = [self.unalias(source) for source in sources]
        plan = plan_codebook(roots, sets, self.path.name, coded)
        self.other_parts(sets_element)
        notes = self.notes()
        if self.outside and self.allow_outside is None:
            raise OutsideFilesError(self.path, tuple(self.outside))
        return RefiProject(
            path=self.path, name=(root.get("name") or self.path.stem).strip(),
            origin=(root.get("origin") or "").strip(), users=self.users(),
            codebook=plan, sources=tuple(sources), notes=notes,
            variables=self.variables, cases=self.cases(),
            description=child_text(root, "Description"),
            project_note_guids=_guids(root, "NoteRef"),
            code_note_guids={self.aliases.get(k, k): v
                             for k, v in _code_note_refs(codes_element).items()},
            losses=(*plan.notes, *self.losses, *filter(None, [self.decision.doubt()])),
            recast=tuple(filter(None, [self.decision.recast()])),
            off_standard=tuple(off_standard(root)),
            position_unit=self.decision.unit,
            outside_read=tuple(self.outside) if self.allow_outside else ())

    def users(self) -> tuple[RefiUser, ...]:
        users = child(self.root, "Users")
        found = []
        for user in children(users, "User") if users is not None else []:
            guid = normal_guid(user.get("guid"))
            name = " ".join((user.get("name") or user.get("id") or "").split())
            if guid:
                found.append(RefiUser(guid, name or f"user {guid[:8]}"))
        return tuple(found)

    def text_of(self, element: Element, what: str) -> SourceText | None:
        """The plain text of a TextSource or Note: inline, in the archive or beside it."""
        inline = child(element, "PlainTextContent")
        if inline is not None:
            raw = inline.text or ""
            return SourceText(raw, raw.encode("utf-8"))
        location = (element.get("plainTextPath") or "").strip()
        if not location:
            return None
        scheme, _, rest = location.partition("://")
        if scheme.lower() == "internal":
            return self.archive.internal(rest, what)
        try:
            target, outside = locate(location, self.base_path, self.path)
        except NotFound as missing:
            self.losses.append(f"{what}: its text was not read ({missing}); it was left out")
            return None
        if outside:
            self.outside.append(OutsideFile(what, location, target))
            if not self.allow_outside:
                if self.allow_outside is False:
                    self.losses.append(f"{what}: its text {target} is outside the archive and "
                                       "was not read, as you chose; it was left out")
                return None
        return read_external(target, self.path, what)

    def sources(self, sources: Element | None) -> list[RefiSource]:
        found: list[RefiSource] = []
        skipped: Counter[str] = Counter()
        for element in list(sources) if sources is not None else []:
            kind = local_name(element)
            if kind != "TextSource":
                skipped[_OTHER_SOURCES.get(kind, kind)] += 1
                continue
            source = self.source(element)
            if source is not None:
                found.append(source)
        for kind, count in sorted(skipped.items()):
            self.losses.append(f"{count} {kind} source(s) were left out: only text sources "
                               "can be imported")
        return found

    def source(self, element: Element) -> RefiSource | None:
        """The source with its selections' positions as written: ``place`` converts them
        once the unit of the whole file is known."""
        guid = normal_guid(element.get("guid"))
        name = " ".join((element.get("name") or "").split()) or (guid or "unnamed source")
        what = f"source '{name}'"
        if guid is None:
            raise self.fail(f"{what} has no valid GUID ({element.get('guid')!r})")
        stored = self.text_of(element, what)
        if stored is None:
            if not element.get("plainTextPath"):
                self.losses.append(f"{what} has no plain text (only rich text); it was left out")
            return None
        text, to_canonical = position_mapper(stored.raw)
        if not text.strip():
            self.losses.append(f"{what} holds no text; it was left out")
            return None
        selections = [self.selection(sel, name, len(stored.raw))
                      for sel in children(element, "PlainTextSelection")]
        whole = tuple(self.coding(c, what) for c in children(element, "Coding"))
        self.placing.append(_Placing(stored.raw, to_canonical, whole))
        if children(element, "PDFSelection") or children(element, "Representation"):
            self.losses.append(f"{what}: selections of its PDF pages were left out")
        return RefiSource(
            guid=guid, name=name, text=text, sha256=hashlib.sha256(stored.data).hexdigest(),
            user_guid=normal_guid(element.get("creatingUser")),
            created_at=utc_time(element.get("creationDateTime")),
            description=child_text(element, "Description"),
            selections=tuple(selections),
            note_guids=_guids(element, "NoteRef"), variables=self.values_of(element))

    def selection(self, element: Element, source: str, length: int) -> RefiSelection:
        """A selection at its raw positions, in whatever unit the file counts."""
        guid = normal_guid(element.get("guid")) or ""
        start, end = _int(element.get("startPosition")), _int(element.get("endPosition"))
        if start is None or end is None:
            raise self.off_text(source, f"{element.get('startPosition')!r}",
                               f"{element.get('endPosition')!r}", length)
        return RefiSelection(
            guid=guid, start=start, end=end,
            user_guid=normal_guid(element.get("creatingUser")),
            created_at=utc_time(element.get("creationDateTime")),
            description=child_text(element, "Description"),
            codings=tuple(self.coding(c, f"source '{source}'")
                          for c in children(element, "Coding")),
            note_guids=_guids(element, "NoteRef"))

    def off_text(self, source: str, start: str, end: str, length: int) -> DocumentReadError:
        return self.fail(f"a selection in source '{source}' runs from {start} to {end}, "
                         f"outside its text (positions 0 to {length})")

    def place(self, sources: list[RefiSource]) -> list[RefiSource]:
        """Decide once for the file whether positions count code points or UTF-16 code
        units, then carry every selection to the canonical text."""
        pairs = list(zip(sources, self.placing, strict=True))
        self.decision: UnitDecision = decide_unit(self.root.get("origin") or "", [
            SpanSet(source.name, placing.raw, [(sel.start, sel.end) for sel in source.selections])
            for source, placing in pairs])
        return [self.placed(source, placing) for source, placing in pairs]

    def placed(self, source: RefiSource, placing: _Placing) -> RefiSource:
        to_raw, length = converter(placing.raw, self.decision.unit)
        selections = []
        for sel in source.selections:
            if not 0 <= sel.start <= sel.end <= length:
                raise self.off_text(source.name, f"'{sel.start}'", f"'{sel.end}'", length)
            selections.append(replace(sel, start=placing.to_canonical(to_raw(sel.start)),
                                      end=placing.to_canonical(to_raw(sel.end))))
        if placing.whole:  # codings of the whole source
            selections.append(RefiSelection(f"{source.guid}:whole", 0, len(source.text),
                                            codings=placing.whole))
        empty = [sel for sel in selections if sel.start >= sel.end]
        if empty:
            self.losses.append(f"source '{source.name}': {len(empty)} empty selection(s) "
                               "were left out")
        return replace(source, selections=tuple(sel for sel in selections
                                                if sel.start < sel.end))

    def coding(self, element: Element, where: str) -> RefiCoding:
        ref = child(element, "CodeRef")
        raw = ref.get("targetGUID") if ref is not None else None
        guid = normal_guid(raw)
        if guid is None or guid not in self.code_guids:
            raise self.fail(f"a coding in {where} refers to the code {raw!r}, which is not in "
                            "the project's codebook")
        return RefiCoding(guid, normal_guid(element.get("creatingUser")),
                          utc_time(element.get("creationDateTime")), _guids(element, "NoteRef"))

    def unalias(self, source: RefiSource) -> RefiSource:
        """Codings of a code read as an earlier code of the same name go to that code."""
        def fix(sel: RefiSelection) -> RefiSelection:
            codings = tuple(RefiCoding(self.aliases.get(c.code_guid, c.code_guid), c.user_guid,
                                       c.created_at, c.note_guids) for c in sel.codings)
            return RefiSelection(sel.guid, sel.start, sel.end, sel.user_guid, sel.created_at,
                                 sel.description, codings, sel.note_guids)
        return RefiSource(source.guid, source.name, source.text, source.sha256,
                          source.user_guid, source.created_at, source.description,
                          tuple(fix(sel) for sel in source.selections), source.note_guids,
                          source.variables)

    def notes(self) -> tuple[RefiNote, ...]:
        notes = child(self.root, "Notes")
        found = []
        for element in children(notes, "Note") if notes is not None else []:
            guid = normal_guid(element.get("guid"))
            name = " ".join((element.get("name") or "").split())
            stored = self.text_of(element, f"note '{name or guid}'")
            text = (stored.raw if stored else "").replace("\r\n", "\n").strip()
            text = text or child_text(element, "Description")
            if guid and text:
                place, unplaced = self.note_place(element, guid)
                found.append(RefiNote(guid, name, text,
                                      normal_guid(element.get("creatingUser")),
                                      utc_time(element.get("creationDateTime")),
                                      place, unplaced))
        return tuple(found)

    def note_place(self, note: Element, guid: str) -> tuple[RefiPlace | None, str]:
        """The span a note's own PlainTextSelection marks, and why none when not found.

        The schema makes a Note a text source, so its selection would count in the note's
        own text; QualCoder and Quirkos write an annotation so, counting in the source
        whose ``<NoteRef>`` names the note (QualCoder names only a file's first one). A
        note no source names belongs to the project's only source, if it has one.
        """
        span = child(note, "PlainTextSelection")
        if span is None:
            return None, ""
        part = child(self.root, "Sources")
        every = list(part) if part is not None else []
        texts = [s for s in every if local_name(s) == "TextSource"]
        naming = [s for s in texts if guid in _guids(s, "NoteRef")]
        if not naming and len(every) == 1:
            naming = texts
        if not naming:
            return None, "no source refers to it"
        places = [place for place in (self.place_in(s, span) for s in naming) if place]
        if len(places) == 1:
            return places[0], ""
        return None, ("its span lies outside the text of the source that refers to it"
                      if not places else "several sources refer to it")

    def place_in(self, source: Element, span: Element) -> RefiPlace | None:
        """``span`` (the other tool's positions) in ``source``'s canonical text, if it fits."""
        guid = normal_guid(source.get("guid"))
        if guid is None:
            return None
        if guid not in self.note_sources:  # in the unit the file's selections were read in
            raw = self.raw_text(source)
            self.note_sources[guid] = None if raw is None else self.note_positions(raw)
        known = self.note_sources[guid]
        start, end = _int(span.get("startPosition")), _int(span.get("endPosition"))
        if known is None or start is None or end is None or not 0 <= start < end <= known[0]:
            return None
        first, last = known[1](start), known[1](end)
        return RefiPlace(guid, first, last) if first < last else None

    def note_positions(self, raw: str) -> tuple[int, Callable[[int], int]]:
        """The text's length in the file's unit, and a map from that unit to canonical."""
        to_raw, length = converter(raw, self.decision.unit)
        to_canonical = position_mapper(raw)[1]
        return length, lambda offset: to_canonical(to_raw(offset))

    @cached_property
    def note_sources(self) -> dict[str, tuple[int, Callable[[int], int]] | None]:
        """Length and position map of each source a note marks a span of, read once."""
        return {}

    def raw_text(self, source: Element) -> str | None:
        """A source's text as stored, read again for a note that marks a span of it: from
        the archive or inline, or from a local file only when the source itself was read."""
        inline = child(source, "PlainTextContent")
        if inline is not None:
            return inline.text or ""
        location = (source.get("plainTextPath") or "").strip()
        scheme, _, rest = location.partition("://")
        try:
            if scheme.lower() == "internal":
                return self.archive.internal(rest, "a note's source").raw
            target, outside = locate(location, self.base_path, self.path)
            if outside and not self.allow_outside:
                return None
            return read_external(target, self.path, "a note's source").raw
        except (NotFound, DocumentReadError):
            return None

    @cached_property
    def variables(self) -> tuple[RefiVariable, ...]:
        variables = child(self.root, "Variables")
        found = []
        for element in children(variables, "Variable") if variables is not None else []:
            guid, name = normal_guid(element.get("guid")), (element.get("name") or "").strip()
            if guid and name:
                found.append(RefiVariable(guid, name, element.get("typeOfVariable") or "Text"))
        return tuple(found)

    def values_of(self, element: Element) -> dict[str, str]:
        """``VariableValue`` children by variable name (GUID when the name is unknown)."""
        names = {v.guid: v.name for v in self.variables}
        return {names.get(guid, guid): value for guid, value in self.raw_values(element)}

    def raw_values(self, element: Element) -> list[tuple[str, str]]:
        found = []
        for value in children(element, "VariableValue"):
            ref = child(value, "VariableRef")
            guid = normal_guid(ref.get("targetGUID")) if ref is not None else None
            text = next((child_text(value, tag) for tag in _VALUE_TAGS
                         if child(value, tag) is not None), "")
            if guid and text:
                found.append((guid, text))
        return found

    def cases(self) -> tuple[RefiCase, ...]:
        cases = child(self.root, "Cases")
        found = []
        for element in children(cases, "Case") if cases is not None else []:
            guid, name = normal_guid(element.get("guid")), (element.get("name") or "").strip()
            if not guid or not name:
                self.losses.append("a case without a name was left out")
                continue
            if children(element, "SelectionRef") or children(element, "CodeRef"):
                self.losses.append(f"case '{name}': its selections and codes were left out "
                                   "(a participant here is a whole transcript)")
            found.append(RefiCase(guid, name, child_text(element, "Description"),
                                  _guids(element, "SourceRef"),
                                  tuple(self.raw_values(element))))
        return tuple(found)

    def other_parts(self, sets: Element | None) -> None:
        """What this program has no place for, told to the user in plain words."""
        for tag, words in (("Links", "links between items"), ("Graphs", "graphs")):
            part = child(self.root, tag)
            if part is not None and len(part):
                self.losses.append(f"{len(part)} {words} were left out")
        members = sum(len(children(s, "MemberSource")) + len(children(s, "MemberNote"))
                      for s in children(sets, "Set")) if sets is not None else 0
        if members:
            held = plural(members, "source or note", "sources and notes", False)
            self.losses.append(f"sets: {held} in sets were left out "
                               "(a set becomes a theme of codes)")
