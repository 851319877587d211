"""Review by a supervisor or second coder: comment threads on codes, themes, codings and
documents, and sign-offs of phases.

A thread is a top-level comment and its replies; its status (open or resolved) is the status
of its first comment, so only that one is resolved or reopened. Comments refer to their target
by kind and id, like the audit trail, so a review outlives a deleted code. Only a supervisor
signs off a phase, and only a phase the project has reached. Undo in the GUI uses the
audited inverses at the end: taking back and restoring a comment, withdrawing a sign-off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services.coders import ROLE_WORDS
from thematic_workbench.core.services.common import delete_audited, get_or_fail, row_values
from thematic_workbench.core.services.phases import check_phase, current_phase
from thematic_workbench.core.storage.models import (
    COMMENT_STATUSES,
    COMMENT_TARGETS,
    Code,
    Coder,
    Coding,
    Comment,
    Document,
    Line,
    SignOff,
    Theme,
)
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.text.textlayout import lines_of_span
from thematic_workbench.core.timestamps import utc_now
from thematic_workbench.core.trail.anchors import anchor_head, signing_key_fingerprint
from thematic_workbench.core.wording import lines_phrase

_TARGETS: dict[str, tuple[type, str]] = {
    "code": (Code, "code"), "theme": (Theme, "theme"), "coding": (Coding, "coded extract"),
    "document": (Document, "document"),
}
_NAMED_TARGETS: dict[str, type[Code | Theme | Document]] = {
    "code": Code, "theme": Theme, "document": Document}  # the targets with a name


@dataclass
class CommentView:
    """A comment; for a thread's first comment, ``replies`` holds the rest, oldest first."""

    id: int
    target_kind: str
    target_id: int
    target_label: str | None  # None when the target has since been deleted
    parent_id: int | None
    coder: str
    body: str
    status: str
    created_at: str
    resolved_by: str | None
    resolved_at: str | None
    replies: list[CommentView] = field(default_factory=list)


@dataclass(frozen=True)
class SignOffView:
    id: int
    phase: int
    coder: str
    note: str
    at: str


def _body(body: str) -> str:
    body = body.strip()
    if not body:
        raise InvariantError("a comment needs some text")
    return body


def _check_target(tx: Tx, target_kind: str, target_id: int, parent_id: int | None) -> None:
    """The target exists and a reply is about the same thing as its thread."""
    if target_kind not in _TARGETS:
        raise InvariantError(f"a comment is about one of: {', '.join(COMMENT_TARGETS)}; "
                             f"not {target_kind!r}")
    model, what = _TARGETS[target_kind]
    get_or_fail(tx.session, model, target_id, what)
    if parent_id is not None:
        parent = get_or_fail(tx.session, Comment, parent_id, "comment")
        if (parent.target_kind, parent.target_id) != (target_kind, target_id):
            raise InvariantError(f"comment {parent_id} is about {parent.target_kind} "
                                 f"{parent.target_id}; a reply must be about the same thing")


def add_comment(tx: Tx, target_kind: str, target_id: int, body: str,
                parent_id: int | None = None) -> Change:
    """Comment on a code, theme, coding or document, or reply (``parent_id``) in a thread."""
    _check_target(tx, target_kind, target_id, parent_id)
    comment = Comment(target_kind=target_kind, target_id=target_id, parent_id=parent_id,
                      coder_id=tx.coder_id, body=_body(body), status="open")
    tx.session.add(comment)
    tx.session.flush()
    tx.audit("comment.add", "comment", comment.id, after=row_values(comment))
    return Change().add(Kind.COMMENT, comment.id)


def _set_status(tx: Tx, comment_id: int, status: str) -> Change:
    comment = get_or_fail(tx.session, Comment, comment_id, "comment")
    if comment.parent_id is not None:
        raise InvariantError(f"comment {comment_id} is a reply; resolve or reopen the "
                             f"thread's first comment ({comment.parent_id}) instead")
    if comment.status == status:
        return Change()
    before = {"status": comment.status, "resolved_by": comment.resolved_by,
              "resolved_at": comment.resolved_at}
    comment.status = status
    comment.resolved_by = tx.coder_id if status == "resolved" else None
    comment.resolved_at = utc_now() if status == "resolved" else None
    tx.session.flush()
    tx.audit("comment.resolve" if status == "resolved" else "comment.reopen", "comment",
             comment.id, before=before,
             after={"status": status, "resolved_by": comment.resolved_by,
                    "resolved_at": comment.resolved_at})
    return Change().change(Kind.COMMENT, comment.id).keep_before(Kind.COMMENT, comment.id,
                                                                 before)


def resolve_comment(tx: Tx, comment_id: int) -> Change:
    """Mark a thread as dealt with, recording who resolved it and when; the change keeps
    the status, resolver and time the comment had before."""
    return _set_status(tx, comment_id, "resolved")


def reopen_comment(tx: Tx, comment_id: int) -> Change:
    """Open a resolved thread again; the change keeps its status before, as resolving does."""
    return _set_status(tx, comment_id, "open")


def _supervisor(tx: Tx, doing: str) -> Coder:
    """The acting coder, who must be a supervisor to do what ``doing`` says."""
    coder = get_or_fail(tx.session, Coder, tx.coder_id, "coder")
    if coder.role != "supervisor":
        raise InvariantError(f"only a supervisor can {doing}; {coder.name} is "
                             f"{ROLE_WORDS.get(coder.role, coder.role)}")
    return coder


def sign_off_phase(tx: Tx, phase: int, note: str = "") -> Change:
    """A supervisor's record that a phase's work has been checked."""
    info = check_phase(phase)
    coder = _supervisor(tx, "sign off a phase")
    reached = current_phase(tx.session)
    if phase > reached:
        raise InvariantError(f"phase {phase} ({info.name}) cannot be signed off yet: the "
                             f"project is in phase {reached}")
    fingerprint = signing_key_fingerprint(tx)
    sign_off = SignOff(phase=phase, coder_id=coder.id, note=note.strip())
    tx.session.add(sign_off)
    tx.session.flush()
    tx.audit("phase.sign_off", "sign_off", sign_off.id,
             after={**row_values(sign_off), "signed_with": fingerprint})
    anchor_head(tx, "sign_off", sign_off.id)  # the signed head is this sign-off's event
    return Change().add(Kind.SIGN_OFF, sign_off.id)


def _target_label(session: Session, kind: str, target_id: int) -> str | None:
    if kind == "coding":
        row = session.execute(
            select(Code.name, Document.name, Coding.start, Coding.end)
            .join(Code, Code.id == Coding.code_id).join(Document, Document.id == Coding.document_id)
            .where(Coding.id == target_id)
        ).first()
        return None if row is None else f"'{row[0]}' in {row[1]} ({row[2]}-{row[3]})"
    model = _NAMED_TARGETS[kind]
    return session.execute(select(model.name).where(model.id == target_id)).scalar()


def coding_citation(session: Session, coding_id: int) -> str | None:
    """A coded extract as a reader finds it: "'Running' in PA interview, line 2"."""
    row = session.execute(
        select(Code.name, Document.name, Coding.document_id, Coding.start, Coding.end)
        .join(Code, Code.id == Coding.code_id).join(Document, Document.id == Coding.document_id)
        .where(Coding.id == coding_id)).first()
    if row is None:
        return None
    lines = session.execute(select(Line.start, Line.number).where(
        Line.document_id == row.document_id).order_by(Line.number)).all()
    first, last = lines_of_span([line[0] for line in lines], row.start, row.end,
                                [line[1] for line in lines])
    return f"'{row[0]}' in {row[1]}, {lines_phrase(first, last)}"


def describe_target(session: Session, target_kind: str, target_id: int) -> str | None:
    """A comment target's name as the review panel shows it (a coded extract by its lines);
    None if it no longer exists."""
    if target_kind not in _TARGETS:
        raise InvariantError(f"a comment is about one of: {', '.join(COMMENT_TARGETS)}; "
                             f"not {target_kind!r}")
    if target_kind == "coding":
        return coding_citation(session, target_id)
    return _target_label(session, target_kind, target_id)


def list_comments(session: Session, open_first: bool = True, target_kind: str | None = None,
                  target_id: int | None = None) -> list[CommentView]:
    """Threads (first comments with their replies), open ones first unless told otherwise,
    then oldest first; optionally only those about one target."""
    author, resolver = aliased(Coder), aliased(Coder)
    query = (select(Comment, author.name, resolver.name)
             .join(author, author.id == Comment.coder_id)
             .outerjoin(resolver, resolver.id == Comment.resolved_by)
             .order_by(Comment.created_at, Comment.id))
    if target_kind is not None:
        query = query.where(Comment.target_kind == target_kind)
    if target_id is not None:
        query = query.where(Comment.target_id == target_id)
    labels: dict[tuple[str, int], str | None] = {}
    views: dict[int, CommentView] = {}
    for comment, author_name, resolver_name in session.execute(query):
        key = (comment.target_kind, comment.target_id)
        if key not in labels:
            labels[key] = _target_label(session, *key)
        views[comment.id] = CommentView(
            comment.id, comment.target_kind, comment.target_id, labels[key], comment.parent_id,
            author_name, comment.body, comment.status, comment.created_at, resolver_name,
            comment.resolved_at)
    threads: list[CommentView] = []
    for view in views.values():
        root = view
        while root.parent_id is not None and root.parent_id in views:
            root = views[root.parent_id]
        (threads if root is view else root.replies).append(view)
    if open_first:
        threads.sort(key=lambda view: view.status != "open")  # stable: keeps age order
    return threads


def list_sign_offs(session: Session, phase: int | None = None) -> list[SignOffView]:
    query = (select(SignOff, Coder.name).join(Coder, Coder.id == SignOff.coder_id)
             .order_by(SignOff.at, SignOff.id))
    if phase is not None:
        query = query.where(SignOff.phase == phase)
    return [SignOffView(s.id, s.phase, name, s.note, s.at) for s, name in session.execute(query)]


# -- inverses, for undo: each audited like the change it takes back ---------------------------
def delete_comment(tx: Tx, comment_id: int) -> Change:
    """Take back one's own comment (the undo of adding it); a thread's first comment only
    once its replies are gone, so no one's reply disappears with it."""
    comment = get_or_fail(tx.session, Comment, comment_id, "comment")
    if comment.coder_id != tx.coder_id:
        raise InvariantError(f"comment {comment_id} is not {tx.coder_name}'s; only its author "
                             "can take it back")
    if tx.session.execute(select(Comment.id).where(Comment.parent_id == comment_id)).first():
        raise InvariantError(f"comment {comment_id} has replies; take those back first")
    return delete_audited(tx, comment, Kind.COMMENT, "comment.delete")


def restore_comment(tx: Tx, values: dict[str, Any]) -> Change:
    """Put back a deleted comment as :func:`delete_comment` recorded it (the undo of a delete).

    It keeps its id when that is still free, so replies added after it, and the audit trail,
    still point at it after an undo and a redo.
    """
    kind, target_id = str(values["target_kind"]), int(values["target_id"])
    parent_id = None if values.get("parent_id") is None else int(values["parent_id"])
    _check_target(tx, kind, target_id, parent_id)
    get_or_fail(tx.session, Coder, int(values["coder_id"]), "coder")
    status = str(values.get("status", "open"))
    if status not in COMMENT_STATUSES:
        raise InvariantError(f"a comment is open or resolved, not {status!r}")
    wanted = int(values["id"]) if values.get("id") is not None else None
    free = wanted is not None and tx.session.get(Comment, wanted) is None
    comment = Comment(id=wanted if free else None, target_kind=kind, target_id=target_id,
                      parent_id=parent_id, coder_id=int(values["coder_id"]),
                      body=_body(str(values["body"])), status=status,
                      created_at=str(values.get("created_at") or utc_now()),
                      resolved_by=values.get("resolved_by"),
                      resolved_at=values.get("resolved_at"))
    tx.session.add(comment)
    tx.session.flush()
    tx.audit("comment.restore", "comment", comment.id, after=row_values(comment))
    return Change().add(Kind.COMMENT, comment.id)


def withdraw_sign_off(tx: Tx, sign_off_id: int) -> Change:
    """Take back a sign-off (the undo of signing off); like signing off, a supervisor's act."""
    sign_off = get_or_fail(tx.session, SignOff, sign_off_id, "sign-off")
    _supervisor(tx, "withdraw a sign-off")
    return delete_audited(tx, sign_off, Kind.SIGN_OFF, "phase.sign_off_withdraw")


def latest_sign_offs(session: Session) -> dict[int, SignOffView]:
    """The most recent sign-off of each phase that has one: what the phase strip shows."""
    return {view.phase: view for view in list_sign_offs(session)}  # oldest first: last wins
