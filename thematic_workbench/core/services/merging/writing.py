"""Merge steps for what is written on the text and about it: codings and their memos,
themes' extracts, margin notes, readings, diary entries, comments and sign-offs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, or_, select

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.services.merging.state import MergeState
from thematic_workbench.core.storage.models import (
    Annotation,
    Code,
    Coding,
    Comment,
    DiaryEntry,
    DiaryLink,
    ReadingMark,
    SignOff,
    Theme,
    ThemeMembership,
)
from thematic_workbench.core.wording import plural


class WritingSteps(MergeState):
    # -- codings and what is written about the text -----------------------------------------
    def _codings(self) -> None:
        held: dict[tuple[int, int, int, int, int], tuple[int, str]] = {}
        for cid, doc, code, coder, start, end, memo in self.ours.execute(select(
                Coding.id, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start,
                Coding.end, Coding.memo)):
            held[(doc, code, coder, start, end)] = (cid, memo)
        names = dict(self.ours.execute(select(Code.id, Code.name)).all())
        # Two codes there can be one code here (a name taken here by a rename): a span they
        # both coded there is one coding here, which both their codings map to.
        fresh: dict[tuple[int, int, int, int, int], tuple[dict[str, Any], list[int]]] = {}
        lost_codes = 0
        for cid, doc, code, coder, start, end, memo, created in self.theirs.execute(select(
                Coding.id, Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start,
                Coding.end, Coding.memo, Coding.created_at).order_by(Coding.id)):
            if self._on_something_deleted(doc, code, "codings"):
                self.codings_left.add(cid)
                continue
            if code not in self.codes:
                lost_codes += 1
                continue
            key = self._coding_here((self.documents[doc], self.codes[code], self.coders[coder],
                                     start, end), held)
            if key in held:
                ours, held_memo = held[key]
                self.codings[cid] = ours
                self.report.count(self.report.matched, "codings")
                if memo and memo != held_memo and self._complete(
                        self.ours.get(Coding, ours), "memo", memo,
                        f"a memo on a coding of '{names[key[1]]}' differs there"):
                    held[key] = (ours, memo)
                    self.report.count(self.report.added, "memos")
                    self.change.change(Kind.CODING, ours)
            elif key in fresh:
                values, same = fresh[key]
                same.append(cid)
                if memo and memo != values["memo"]:
                    if values["memo"]:
                        self._conflict(f"a memo on a coding of '{names[key[1]]}' differs there")
                    else:
                        values["memo"] = memo
            else:
                fresh[key] = ({"document_id": key[0], "code_id": key[1], "coder_id": key[2],
                               "start": start, "end": end, "memo": memo,
                               "created_at": created}, [cid])
        if lost_codes:
            self.report.left_out.append(
                f"{lost_codes} codings of codes that were merged away there without a "
                "trace of where they went")
        if not fresh:
            return
        # One statement for all of them; their new ids, in order, for comments on codings.
        new_ids = self.ours.execute(
            insert(Coding.__table__).returning(Coding.__table__.c.id,
                                               sort_by_parameter_order=True),
            [values for values, _same in fresh.values()]).scalars().all()
        for (_values, same), new in zip(fresh.values(), new_ids, strict=True):
            for cid in same:
                self.codings[cid] = new
            self._added("codings", Kind.CODING, new)

    def _on_something_deleted(self, document: int, code: int | None, what: str) -> bool:
        """Whether a coding or a margin note of theirs is on a transcript (or a code)
        deleted here: if so it stays there, counted with that transcript (or code)."""
        if document in self.gone["document"]:
            self._left_behind("document", document, what)
            return True
        if code is not None and code in self.gone["code"]:
            self._left_behind("code", code, what)
            return True
        return False

    def _coding_here(self, key: tuple[int, int, int, int, int],
                     held: dict[tuple[int, int, int, int, int], tuple[int, str]]
                     ) -> tuple[int, int, int, int, int]:
        """The coding here that a coding there is: on its code, or on a code that was
        merged into its code there only (the merge there moved it)."""
        if key in held:
            return key
        for code in sorted(self.kept_apart.get(key[1], ())):
            moved = (key[0], code, *key[2:])
            if moved in held:
                return moved
        return key

    def _theme_extracts(self) -> None:
        """A theme keeps its representative extract as there, if it has none here."""
        for theirs, ours in self.themes.items():
            extract = self.theirs.execute(select(Theme.representative_coding_id)
                                          .where(Theme.id == theirs)).scalar()
            if extract is None or extract not in self.codings:
                continue
            row = self.ours.get(Theme, ours)
            assert row is not None
            if row.representative_coding_id is not None \
                    or not self._shows(ours, self.codings[extract]):
                continue
            row.representative_coding_id = self.codings[extract]
            if ours not in self.added_ids["themes"]:
                self._filled(f"theme '{row.name}': its representative extract, none here",
                             Kind.THEME, ours)

    def _shows(self, theme_id: int, coding_id: int) -> bool:
        """Whether a coding can show a theme here: it is coded with one of the theme's codes
        (or, for a final theme, of its emerging themes'), as picking one by hand requires."""
        return self.ours.execute(
            select(ThemeMembership.code_id)
            .join(Theme, Theme.id == ThemeMembership.theme_id)
            .join(Coding, Coding.code_id == ThemeMembership.code_id)
            .where(Coding.id == coding_id,
                   or_(Theme.id == theme_id,
                       (Theme.parent_id == theme_id) & (Theme.status != "discarded")))
        ).first() is not None

    def _margin_notes(self) -> None:
        """Notes by transcript, coder and moment (a note edited on one side is one note,
        whose other text is a conflict); notes written apart by their span and text."""
        held = self._held(Annotation.document_id, Annotation.coder_id, Annotation.start,
                          Annotation.end, Annotation.body)
        moments = {(doc, coder, at): (start, end, body) for doc, coder, at, start, end, body
                   in self.ours.execute(select(Annotation.document_id, Annotation.coder_id,
                                               Annotation.created_at, Annotation.start,
                                               Annotation.end, Annotation.body))}
        for doc, coder, start, end, body, created in self.theirs.execute(select(
                Annotation.document_id, Annotation.coder_id, Annotation.start, Annotation.end,
                Annotation.body, Annotation.created_at).order_by(Annotation.id)):
            if self._on_something_deleted(doc, None, "margin_notes"):
                continue
            key = (self.documents[doc], self.coders[coder], start, end, body)
            moment = (key[0], key[1], created)
            if key in held or moment in moments:
                self.report.count(self.report.matched, "margin_notes")
                if key not in held:
                    self._conflict(f"the margin note of {created[:16]} "
                                   f"'{moments[moment][2][:40]}' differs there")
                continue
            held.add(key)
            moments[moment] = (start, end, body)
            new = self._insert(Annotation, {"document_id": key[0], "coder_id": key[1],
                                            "start": start, "end": end, "body": body,
                                            "created_at": created})
            self._added("margin_notes", Kind.ANNOTATION, new)

    def _readings(self) -> None:
        held = self._held(ReadingMark.document_id, ReadingMark.coder_id, ReadingMark.read_at)
        for doc, coder, at in self.theirs.execute(select(
                ReadingMark.document_id, ReadingMark.coder_id, ReadingMark.read_at)
                .order_by(ReadingMark.id)):
            if doc not in self.documents:
                continue  # a reading of a transcript deleted here
            key = (self.documents[doc], self.coders[coder], at)
            if key in held:
                self.report.count(self.report.matched, "readings")
                continue
            held.add(key)
            new = self._insert(ReadingMark, {"document_id": key[0], "coder_id": key[1],
                                             "read_at": at})
            self._added("readings", Kind.READING_MARK, new)

    def _diary(self) -> None:
        held = {(coder, created): (eid, title, body) for eid, coder, created, title, body in
                self.ours.execute(select(DiaryEntry.id, DiaryEntry.coder_id,
                                         DiaryEntry.created_at, DiaryEntry.title,
                                         DiaryEntry.body))}
        for entry in self.theirs.execute(select(DiaryEntry).order_by(DiaryEntry.id)).scalars():
            key = (self.coders[entry.coder_id], entry.created_at)
            links = self._diary_links(entry)
            if key in held:
                self.report.count(self.report.matched, "diary_entries")
                ours, title, body = held[key]
                what = f"the diary entry of {entry.created_at[:16]} '{title or body[:40]}'"
                if (title, body) != (entry.title, entry.body):
                    self._conflict(f"{what} reads otherwise there")
                self._compare_links(ours, what, links)
                continue
            row = DiaryEntry(created_at=entry.created_at, updated_at=entry.updated_at,
                             phase=entry.phase, coder_id=key[0], title=entry.title,
                             body=entry.body,
                             links=[DiaryLink(target_kind=kind, target_id=target)
                                    for kind, target in links])
            self.ours.add(row)
            self.ours.flush()
            held[key] = (row.id, entry.title, entry.body)
            self._added("diary_entries", Kind.DIARY_ENTRY, row.id)

    def _diary_links(self, entry: DiaryEntry) -> list[tuple[str, int]]:
        """An entry's links there, to our ids (once each: two things there can be one here);
        links to what is not here (deleted here or there) are left out."""
        targets = {"code": self.codes, "theme": self.themes, "document": self.documents}
        return list(dict.fromkeys(
            (link.target_kind, targets[link.target_kind][link.target_id])
            for link in entry.links
            if link.target_id in targets.get(link.target_kind, {})))

    def _compare_links(self, entry_id: int, what: str, links: list[tuple[str, int]]) -> None:
        """An entry of both projects gets the links it has there and lacks here (as a
        transcript gets codings: a link only ever adds)."""
        row = self.ours.get(DiaryEntry, entry_id)
        assert row is not None
        held = {(link.target_kind, link.target_id) for link in row.links}
        missing = [link for link in links if link not in held]
        if not missing:
            return
        row.links.extend(DiaryLink(target_kind=kind, target_id=target)
                         for kind, target in missing)
        self._filled(f"{what}: {plural(len(missing), 'more link')} from there" if held
                     else f"{what}: its links, none here", Kind.DIARY_ENTRY, entry_id)

    def _comments(self) -> None:
        targets = {"code": self.codes, "theme": self.themes, "document": self.documents,
                   "coding": self.codings}
        held = {(kind, target, coder, at): (cid, status) for cid, kind, target, coder, at,
                status in self.ours.execute(select(
                    Comment.id, Comment.target_kind, Comment.target_id, Comment.coder_id,
                    Comment.created_at, Comment.status))}
        # A comment is kept here when what it is on goes: the same comment by its moment.
        moments = {(coder, at): cid for (_kind, _target, coder, at), (cid, _status)
                   in held.items()}
        mapped: dict[int, int] = {}
        unplaced = {"here": 0, "there": 0}
        where: dict[int, str] = {}
        for comment in self.theirs.execute(select(Comment).order_by(Comment.id)).scalars():
            target = targets[comment.target_kind].get(comment.target_id)
            if target is None or (comment.parent_id is not None
                                  and comment.parent_id not in mapped):
                moment = (self.coders[comment.coder_id], comment.created_at)
                if moment in moments:
                    mapped[comment.id] = moments[moment]
                    self.report.count(self.report.matched, "comments")
                    continue
                if target is None:
                    where[comment.id] = "here" if self._deleted_here_target(comment) else "there"
                else:  # a reply in a thread left out
                    where[comment.id] = where.get(comment.parent_id or 0, "there")
                unplaced[where[comment.id]] += 1
                continue
            key = (comment.target_kind, target, self.coders[comment.coder_id],
                   comment.created_at)
            if key in held:
                ours, status = held[key]
                mapped[comment.id] = ours
                self.report.count(self.report.matched, "comments")
                if status == "open" and comment.status == "resolved":
                    self._resolve(ours, comment)
                continue
            new = self._insert(Comment, {
                "target_kind": comment.target_kind, "target_id": target,
                "parent_id": mapped.get(comment.parent_id)
                if comment.parent_id is not None else None,
                "coder_id": key[2], "body": comment.body, "status": comment.status,
                "created_at": comment.created_at,
                "resolved_by": self.coders.get(comment.resolved_by)
                if comment.resolved_by is not None else None,
                "resolved_at": comment.resolved_at})
            mapped[comment.id] = new
            held[key] = (new, comment.status)
            self._added("comments", Kind.COMMENT, new)
        for side, count in unplaced.items():
            if count:
                self.report.left_out.append(
                    f"{plural(count, 'comment')} on things "
                    f"{'deleted here' if side == 'here' else 'that were deleted there'}")

    def _deleted_here_target(self, comment: Comment) -> bool:
        if comment.target_kind == "coding":
            return comment.target_id in self.codings_left
        return comment.target_id in self.gone.get(comment.target_kind, {})

    def _resolve(self, ours: int, theirs: Comment) -> None:
        """A comment resolved there and still open here is resolved: that is news, not a
        conflict (no one un-resolves a comment by leaving it open in another copy)."""
        row = self.ours.get(Comment, ours)
        assert row is not None
        row.status, row.resolved_at = "resolved", theirs.resolved_at
        row.resolved_by = (self.coders.get(theirs.resolved_by)
                           if theirs.resolved_by is not None else None)
        self._filled(f"a comment of {theirs.created_at[:16]} is resolved there",
                     Kind.COMMENT, ours)

    def _sign_offs(self) -> None:
        held = self._held(SignOff.phase, SignOff.coder_id, SignOff.at)
        new: list[dict[str, Any]] = []
        for phase, coder, note, at in self.theirs.execute(select(
                SignOff.phase, SignOff.coder_id, SignOff.note, SignOff.at).order_by(SignOff.id)):
            key = (phase, self.coders[coder], at)
            if key in held:
                self.report.count(self.report.matched, "sign_offs")
                continue
            held.add(key)
            new.append({"phase": phase, "coder_id": key[1], "note": note, "at": at})
        if new and self.rights is not None and not self.rights.may_sign_off:
            self._refused(
                f"only a supervisor can add sign-offs on the team server, and this merge "
                f"brings {plural(len(new), 'sign-off')} this project does not have: ask a "
                "supervisor or the project's owner to merge it")
        for values in new:
            self._added("sign_offs", Kind.SIGN_OFF, self._insert(SignOff, values))

