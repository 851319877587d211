"""Applying a pseudonym key to a whole study, consistently, as one audited change.

Ethics committees ask that transcripts be de-identified and that the key linking pseudonyms
to real names be kept apart. The key (real string, pseudonym, kind) lives in its own file;
applying it replaces every occurrence of each real string, as a whole word and in any case,
in every transcript (through the text-edit service, so codings, notes and line
numbers stay with their words) and everywhere else a name can hide: code and theme names
and definitions, coding memos, margin notes, diary entries, comments, notes of participants,
checklist, phases and sign-offs, participants' attribute values, speaker labels, transcript
names and metadata, the project's title and description, frozen snapshots, and the records of
merges (the other project's title and place, and the merge's report). The same
person gets the same pseudonym everywhere, because there is one key.

The change records counts only: no real string from the key goes into the audit trail. What
earlier events recorded (an in-vivo code's name, a memo, a deleted passage) is erased from the
trail last, through recorded redactions the trail still verifies with
(core/trail/redaction.py). A dry run works out the same counts and writes nothing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.text_edits import Replacement, edit_text
from thematic_workbench.core.storage.models import (
    Annotation,
    ChecklistItem,
    Code,
    Coding,
    Comment,
    DiaryEntry,
    Document,
    Participant,
    ParticipantAttribute,
    PhaseTransition,
    Project,
    ProjectMerge,
    SignOff,
    Snapshot,
    SpeakerParticipant,
    StudyDesign,
    Theme,
    Turn,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.whole_words import whole_words
from thematic_workbench.core.trail.redaction import redact_strings

ACTION = "project.pseudonymise"
ERASURE_REASON = "pseudonymisation"
BATCH = 20  # transcripts read at a time


class KeyEntry(Protocol):
    """One line of the key, as the key file's reader gives it."""

    @property
    def real(self) -> str: ...
    @property
    def pseudonym(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass
class PseudonymisationReport:
    """How many occurrences were (or, in a dry run, would be) replaced, where and of which
    key entries (by their line in the key, never by the real string)."""

    dry_run: bool
    transcripts: dict[str, int] = field(default_factory=dict)  # name after -> occurrences
    elsewhere: dict[str, int] = field(default_factory=dict)  # "code names" -> occurrences
    by_entry: dict[int, int] = field(default_factory=dict)  # key line (1-based) -> count
    codings_removed: int = 0
    trail_erased: int = 0  # audit events whose payloads held a real string, now erased

    @property
    def total(self) -> int:
        return sum(self.transcripts.values()) + sum(self.elsewhere.values())

    def lines(self) -> list[str]:
        verb = "would replace" if self.dry_run else "replaced"
        said = [f"{verb} {self.total} occurrence{'s' if self.total != 1 else ''} of "
                f"{len(self.by_entry)} key entr{'ies' if len(self.by_entry) != 1 else 'y'}"]
        said += [f"  {name}: {count}" for name, count in sorted(self.transcripts.items())]
        said += [f"  {where}: {count}" for where, count in sorted(self.elsewhere.items())]
        if self.codings_removed:
            said.append(f"{self.codings_removed} codings became twins of another coding of "
                        "the same code by the same coder and were merged into it")
        if self.trail_erased:
            said.append(f"erased the payloads of {self.trail_erased} audit "
                        f"event{'s' if self.trail_erased != 1 else ''} that held a real string "
                        "(their digests stay in the chain, which still verifies)")
        return said


class Replacer:
    """Every real string of the key, found as a whole word, longest first: as written, in
    capitals ("SMITH") or capitalised at a sentence's start; a name that is also a word
    ("Rose") is not replaced where it is written in lower case ("the sun rose")."""

    def __init__(self, key: Sequence[KeyEntry]) -> None:
        entries = [(entry.real.strip(), entry.pseudonym.strip(), number)
                   for number, entry in enumerate(key, start=1) if entry.real.strip()]
        for _real, pseudonym, number in entries:
            if not pseudonym:
                raise InvariantError(f"key line {number}: a real string needs a pseudonym")
        self._to = {real.lower(): (pseudonym, number) for real, pseudonym, number in entries}
        self._written = {real.lower(): real for real, _pseudonym, _number in entries}
        self._pattern = whole_words(self._to)

    def spans(self, text: str) -> list[tuple[int, int, str, int]]:
        """(start, end, pseudonym, key line) of every occurrence in ``text``."""
        if self._pattern is None:
            return []
        return [(found.start(), found.end(), *self._to[found.group(0).lower()])
                for found in self._pattern.finditer(text) if self._meant(found.group(0))]

    def replace(self, text: str, counts: Counter[int]) -> str:
        if self._pattern is None or not text:
            return text

        def swap(found: re.Match[str]) -> str:
            if not self._meant(found.group(0)):
                return found.group(0)
            pseudonym, number = self._to[found.group(0).lower()]
            counts[number] += 1
            return pseudonym
        return self._pattern.sub(swap, text)


    def _meant(self, found: str) -> bool:
        """Whether ``found`` (the key's string in some case) is the real string meant."""
        real = self._written[found.lower()]
        return (found == real or found.isupper() or real == real.lower()
                or found == real[:1].upper() + real[1:])


def pseudonymise(tx: Tx, key: Sequence[KeyEntry], dry_run: bool = False
                 ) -> tuple[PseudonymisationReport, Change]:
    """Apply ``key`` to the whole project in the caller's transaction (a dry run changes
    nothing: the caller rolls it back or never commits)."""
    if dry_run:
        return preview_pseudonyms(tx.session, key), Change()
    replacer = Replacer(key)
    report = PseudonymisationReport(False)
    counts: Counter[int] = Counter()
    change = Change()
    _transcripts(tx, replacer, report, counts, change)
    for where, model, columns in _FIELDS:
        _plain_fields(tx.session, replacer, report, counts, where, model, columns, False)
    _code_names(tx.session, replacer, report, counts, False)
    _snapshots(tx.session, replacer, report, counts, False)
    report.by_entry = dict(sorted(counts.items()))
    if report.total:
        tx.audit(ACTION, "project", 1, after={
            "occurrences": report.total, "transcripts": len(report.transcripts),
            "by_key_line": {str(k): v for k, v in report.by_entry.items()},
            "elsewhere": report.elsewhere, "codings_merged": report.codings_removed})
        change.change(Kind.PROJECT, 1)
        for kind in (Kind.CODE, Kind.THEME, Kind.DIARY_ENTRY, Kind.COMMENT, Kind.PARTICIPANT,
                     Kind.SNAPSHOT):
            change.change(kind, 0)  # names and notes anywhere may have changed
    # Last: the events written above are looked through too.
    erased, trail_change = redact_strings(tx, [entry.real for entry in key], ERASURE_REASON)
    report.trail_erased = erased.total
    change.merge(trail_change)
    return report, change


def preview_pseudonyms(session: Session, key: Sequence[KeyEntry]) -> PseudonymisationReport:
    """What applying ``key`` would replace, read from a read-only session (a dry run)."""
    replacer = Replacer(key)
    report = PseudonymisationReport(True)
    counts: Counter[int] = Counter()
    for _document_id, _spans in _transcript_spans(session, replacer, report, counts):
        continue  # counting them is all a preview does
    for where, model, columns in _FIELDS:
        _plain_fields(session, replacer, report, counts, where, model, columns, True)
    _code_names(session, replacer, report, counts, True)
    _snapshots(session, replacer, report, counts, True)
    report.by_entry = dict(sorted(counts.items()))
    return report


Found = list[tuple[int, int, str, int]]  # (start, end, pseudonym, key line) in a text


def _transcript_spans(session: Session, replacer: Replacer, report: PseudonymisationReport,
                      counts: Counter[int]) -> Iterator[tuple[int, Found]]:
    """Each transcript holding a real string, with its occurrences (counted in the report),
    read a batch at a time."""
    ids = list(session.execute(select(Document.id).order_by(Document.id)).scalars())
    for first in range(0, len(ids), BATCH):
        for document_id, name, text in session.execute(
                select(Document.id, Document.name, Document.text)
                .where(Document.id.in_(ids[first:first + BATCH]))):
            spans = replacer.spans(text)
            if spans:
                counts.update(number for *_span, number in spans)
                report.transcripts[replacer.replace(name, Counter())] = len(spans)
                yield document_id, spans


def _transcripts(tx: Tx, replacer: Replacer, report: PseudonymisationReport,
                 counts: Counter[int], change: Change) -> None:
    for document_id, spans in _transcript_spans(tx.session, replacer, report, counts):
        done = edit_text(tx, document_id, [Replacement(start, end, pseudonym)
                                           for start, end, pseudonym, _n in spans],
                         record_old=False)
        report.codings_removed += len(done.removed.get(Kind.CODING, []))
        change.merge(done)


# Where else a real string can be: (what the report calls it, model, text columns).
_FIELDS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("transcript names and metadata", Document, ("name", "source_name", "metadata_json")),
    ("code definitions", Code, ("definition",)),
    ("themes", Theme, ("name", "definition", "central_concept", "scope_notes")),
    ("coding memos", Coding, ("memo",)),
    ("margin notes", Annotation, ("body",)),
    ("diary entries", DiaryEntry, ("title", "body")),
    ("comments", Comment, ("body",)),
    ("participants' notes", Participant, ("note",)),
    ("attribute values", ParticipantAttribute, ("value",)),
    ("speaker labels", Turn, ("speaker",)),
    ("speaker labels", SpeakerParticipant, ("speaker",)),
    ("checklist notes", ChecklistItem, ("note",)),
    ("phase notes", PhaseTransition, ("note",)),
    ("sign-off notes", SignOff, ("note",)),
    ("the project's title and description", Project, ("title", "description")),
    ("the design sheet", StudyDesign, ("theoretical_assumptions", "research_question",
                                        "positionality")),
    ("merge records", ProjectMerge, ("other_title", "other_location", "report_json")),
)


def _plain_fields(session: Session, replacer: Replacer, report: PseudonymisationReport,
                  counts: Counter[int], where: str, model: Any, columns: tuple[str, ...],
                  dry_run: bool) -> None:
    """Replace in text columns, row by row only where something is found (rows whose
    columns are all empty, such as most codings' memos, are not even read)."""
    filled = or_(*(getattr(model, column) != "" for column in columns))
    for row in session.execute(select(model).where(filled)).scalars():
        for column in columns:
            value = getattr(row, column)
            if not isinstance(value, str) or not value:
                continue
            found: Counter[int] = Counter()
            new = (_in_json(value, replacer, found) if column.endswith("_json")
                   else replacer.replace(value, found))
            if found:
                counts.update(found)
                report.elsewhere[where] = report.elsewhere.get(where, 0) + sum(found.values())
                if not dry_run:
                    setattr(row, column, new)
    session.flush()


def _code_names(session: Session, replacer: Replacer, report: PseudonymisationReport,
                counts: Counter[int], dry_run: bool) -> None:
    """Code names (an in-vivo code may quote a name), kept unique among active codes."""
    taken = {key: cid for cid, key in session.execute(
        select(Code.id, Code.name_key).where(Code.status == "active"))}
    for code in session.execute(select(Code).order_by(Code.id)).scalars():
        found: Counter[int] = Counter()
        new = replacer.replace(code.name, found)
        if not found:
            continue
        key = name_key(new)
        if code.status == "active" and taken.get(key, code.id) != code.id:
            raise InvariantError(f"code {code.id}: pseudonymised, its name would be the same "
                                 "as another code's; rename one of them first")
        counts.update(found)
        report.elsewhere["code names"] = report.elsewhere.get("code names", 0) + \
            sum(found.values())
        if not dry_run:
            taken.pop(code.name_key, None)
            code.name, code.name_key = new, key
            taken[key] = code.id
    session.flush()


def _snapshots(session: Session, replacer: Replacer, report: PseudonymisationReport,
               counts: Counter[int], dry_run: bool) -> None:
    """A frozen frame keeps its shape; only the names and notes in it change."""
    for snapshot in session.execute(select(Snapshot)).scalars():
        found: Counter[int] = Counter()
        frame = _in_json(snapshot.frame_json, replacer, found)
        name = replacer.replace(snapshot.name, found)
        note = replacer.replace(snapshot.note, found)
        if found:
            counts.update(found)
            report.elsewhere["snapshots"] = report.elsewhere.get("snapshots", 0) + \
                sum(found.values())
            if not dry_run:
                snapshot.frame_json, snapshot.name, snapshot.note = frame, name, note
    session.flush()


def _in_json(value: str, replacer: Replacer, found: Counter[int]) -> str:
    """The key applied to every string (keys included) inside a JSON value."""
    try:
        data = json.loads(value)
    except ValueError:
        return replacer.replace(value, found)

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return replacer.replace(item, found)
        if isinstance(item, list):
            return [walk(part) for part in item]
        if isinstance(item, dict):
            return {walk(k): walk(v) for k, v in item.items()}
        return item
    return json.dumps(walk(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
