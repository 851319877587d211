"""Merge steps for people and transcripts: coders by name, participants by label (with their
attribute values), transcripts by the SHA-256 of their text (one only the other project has
comes in whole, with its lines, speaker turns and focus-group speakers)."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.names import name_key
from thematic_workbench.core.services.merging.state import MergeState
from thematic_workbench.core.storage.models import (
    AttributeDefinition,
    Coder,
    Document,
    Line,
    Participant,
    ParticipantAttribute,
    SpeakerParticipant,
    Turn,
)
from thematic_workbench.core.wording import plural


def text_digest(text: str) -> str:
    """What matches a transcript in two copies: the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PeopleSteps(MergeState):
    # -- people ----------------------------------------------------------------------------
    def _coders(self) -> None:
        ours = {name: cid for cid, name in self.ours.execute(select(Coder.id, Coder.name))}
        folded = {name_key(name): cid for name, cid in ours.items()}
        new: list[tuple[int, str, str, str]] = []
        for cid, name, role, created in self.theirs.execute(
                select(Coder.id, Coder.name, Coder.role, Coder.created_at)):
            match = ours.get(name) or folded.get(name_key(name))
            if match is not None:
                self.coders[cid] = match
                self.report.count(self.report.matched, "coders")
            else:
                new.append((cid, name, role, created))
        if new and self.rights is not None and not self.rights.owner:
            self._refused(
                f"only the project's owner can add coders on the team server, and this merge "
                f"brings {plural(len(new), 'coder')} it does not have "
                f"({', '.join(name for _cid, name, _role, _at in new)}): ask the owner to "
                "merge it")
        for cid, name, role, created in new:
            new_id = self._insert(Coder, {"name": name, "role": role, "created_at": created})
            self.coders[cid] = new_id
            self._added("coders", Kind.CODER, new_id)

    def _participants(self) -> None:
        ours = {name_key(label): (pid, label, note) for pid, label, note in
                self.ours.execute(select(Participant.id, Participant.label, Participant.note))}
        for pid, label, note in self.theirs.execute(
                select(Participant.id, Participant.label, Participant.note)):
            found = ours.get(name_key(label))
            if found is None:
                match = self._insert(Participant, {"label": label, "note": note})
                self._added("participants", Kind.PARTICIPANT, match)
            else:
                match, held_label, held_note = found
                self.report.count(self.report.matched, "participants")
                if note and note != held_note:
                    self._complete(self.ours.get(Participant, match), "note", note,
                                   f"participant {held_label}'s note reads otherwise there",
                                   (f"participant {held_label}: its note, empty here",
                                    Kind.PARTICIPANT))
            self.participants[pid] = match
        self._attribute_values()

    def _attribute_values(self) -> None:
        ours = {name_key(name): aid for aid, name in
                self.ours.execute(select(AttributeDefinition.id, AttributeDefinition.name))}
        attributes: dict[int, tuple[int, str]] = {}
        for aid, name, kind, choices in self.theirs.execute(select(
                AttributeDefinition.id, AttributeDefinition.name, AttributeDefinition.type,
                AttributeDefinition.choices_json)):
            match = ours.get(name_key(name))
            if match is None:
                match = self._insert(AttributeDefinition,
                                     {"name": name, "type": kind, "choices_json": choices})
                self.change.add(Kind.ATTRIBUTE, match)
            attributes[aid] = (match, name)
        held = {(p, a): v for p, a, v in self.ours.execute(select(
            ParticipantAttribute.participant_id, ParticipantAttribute.attribute_id,
            ParticipantAttribute.value))}
        labels = dict(self.ours.execute(select(Participant.id, Participant.label)).all())
        for pid, aid, value in self.theirs.execute(select(
                ParticipantAttribute.participant_id, ParticipantAttribute.attribute_id,
                ParticipantAttribute.value)):
            key = (self.participants[pid], attributes[aid][0])
            if key not in held:
                self.ours.execute(insert(ParticipantAttribute.__table__), [
                    {"participant_id": key[0], "attribute_id": key[1], "value": value}])
                self.report.count(self.report.added, "attributes")
                self.change.change(Kind.PARTICIPANT, key[0])
            elif held[key] != value:
                self._conflict(f"{labels[key[0]]}'s {attributes[aid][1]}: "
                               f"'{held[key]}' here, '{value}' there")
            else:
                self.report.count(self.report.matched, "attributes")

    # -- transcripts -----------------------------------------------------------------------
    def _documents(self) -> None:
        ours: dict[str, int] = {}
        names = set()
        sources = set()
        for did, name, text, source in self.ours.execute(select(
                Document.id, Document.name, Document.text, Document.source_sha256)):
            ours.setdefault(text_digest(text), did)
            names.add(name)
            sources.add(source)
        for row in self.theirs.execute(select(Document)).scalars():
            match = ours.get(text_digest(row.text))
            if match is not None:
                self.documents[row.id] = match
                self.report.count(self.report.matched, "transcripts")
                continue
            if row.source_sha256 in self.deleted.transcripts and row.source_sha256 not in sources:
                self.gone["document"][row.id] = row.name
                continue
            name = row.name
            number = 2
            while name in names:
                name, number = f"{row.name} ({number})", number + 1
            names.add(name)
            new = self._insert(Document, {
                "name": name, "participant_id": self.participants.get(row.participant_id)
                if row.participant_id is not None else None,
                "source_name": row.source_name, "source_format": row.source_format,
                "source_sha256": row.source_sha256, "text": row.text,
                "char_count": row.char_count, "wrap_width": row.wrap_width,
                "metadata_json": row.metadata_json, "imported_at": row.imported_at,
                "imported_by": self.coders.get(row.imported_by)
                if row.imported_by is not None else None})
            self.documents[row.id] = new
            self._copy_lines_and_turns(row.id, new)
            self._added("transcripts", Kind.DOCUMENT, new)

    def _copy_lines_and_turns(self, theirs: int, ours: int) -> None:
        for model in (Line, Turn, SpeakerParticipant):
            table = model.__table__
            rows = [dict(r) for r in self.theirs.execute(
                select(table).where(table.c.document_id == theirs)).mappings()]
            for row in rows:
                row["document_id"] = ours
                row.pop("id", None)
                if "participant_id" in row:
                    row["participant_id"] = self.participants[row["participant_id"]]
            if rows:
                self.ours.execute(insert(table), rows)

