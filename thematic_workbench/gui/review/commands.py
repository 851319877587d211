"""Undo commands for supervision: comments and their threads, sign-offs, snapshots.

Each ``apply`` calls a core service and each ``revert`` its audited inverse. A comment or a
snapshot taken back is put back on redo exactly as it was (same id, same time, same frozen
frame), so a reply made after it still finds its thread.
"""

from __future__ import annotations

from typing import Any

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.services import review, snapshots
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand

_KIND_WORDS = {"code": "code", "theme": "theme", "coding": "coded extract",
               "document": "document"}


class AddCommentCommand(ServiceCommand):
    """Comment on a code, theme, coded extract or document; with ``parent_id``, a reply."""

    def __init__(self, session: ProjectSession, target_kind: str, target_id: int, body: str,
                 parent_id: int | None = None) -> None:
        what = _KIND_WORDS.get(target_kind, target_kind)
        super().__init__(session, "Reply to a comment" if parent_id is not None
                         else f"Comment on a {what}")
        self.target_kind, self.target_id, self.body = target_kind, target_id, body
        self.parent_id = parent_id
        self.comment_id: int | None = None
        self.values: dict[str, Any] | None = None

    def apply(self, tx: Tx) -> Change:
        if self.values is not None:  # a redo: the same comment again
            change = review.restore_comment(tx, self.values)
        else:
            change = review.add_comment(tx, self.target_kind, self.target_id, self.body,
                                        self.parent_id)
        self.comment_id = change.new_id(Kind.COMMENT)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.comment_id is not None
        change = review.delete_comment(tx, self.comment_id)
        self.values = change.values_before(Kind.COMMENT, self.comment_id)
        return change


class _CommentStatusCommand(ServiceCommand):
    """Resolve or reopen a thread; undo sets back the status it had."""

    TO = "resolved"

    def __init__(self, session: ProjectSession, comment_id: int, text: str) -> None:
        super().__init__(session, text)
        self.comment_id = comment_id
        self.previous: str | None = None

    def apply(self, tx: Tx) -> Change:
        change = _set_status(tx, self.comment_id, self.TO)
        # the status it had (kept by the service); unchanged, it already had this one
        self.previous = self.TO if change.empty else \
            str(change.values_before(Kind.COMMENT, self.comment_id)["status"])
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.previous is not None
        return _set_status(tx, self.comment_id, self.previous)


def _set_status(tx: Tx, comment_id: int, status: str) -> Change:
    if status == "resolved":
        return review.resolve_comment(tx, comment_id)
    return review.reopen_comment(tx, comment_id)


class ResolveCommentCommand(_CommentStatusCommand):
    TO = "resolved"

    def __init__(self, session: ProjectSession, comment_id: int) -> None:
        super().__init__(session, comment_id, "Resolve a comment")


class ReopenCommentCommand(_CommentStatusCommand):
    TO = "open"

    def __init__(self, session: ProjectSession, comment_id: int) -> None:
        super().__init__(session, comment_id, "Reopen a comment")


class SignOffPhaseCommand(ServiceCommand):
    """A supervisor signs off a phase with a note; undo withdraws the sign-off."""

    def __init__(self, session: ProjectSession, phase: int, note: str) -> None:
        super().__init__(session, f"Sign off phase {phase}: {phase_info(phase).name}")
        self.phase, self.note = phase, note
        self.sign_off_id: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = review.sign_off_phase(tx, self.phase, self.note)
        self.sign_off_id = change.new_id(Kind.SIGN_OFF)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.sign_off_id is not None
        return review.withdraw_sign_off(tx, self.sign_off_id)


class SaveSnapshotCommand(ServiceCommand):
    """Freeze the coding frame under a name; redo brings back the frame frozen first."""

    def __init__(self, session: ProjectSession, name: str, note: str = "") -> None:
        super().__init__(session, f"Save snapshot '{' '.join(name.split())}'")
        self.name, self.note = name, note
        self.snapshot_id: int | None = None
        self.values: dict[str, Any] | None = None

    def apply(self, tx: Tx) -> Change:
        if self.values is not None:
            change = snapshots.restore_snapshot(tx, self.values)
        else:
            change = snapshots.create_snapshot(tx, self.name, self.note)
        self.snapshot_id = change.new_id(Kind.SNAPSHOT)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.snapshot_id is not None
        change = snapshots.delete_snapshot(tx, self.snapshot_id)
        self.values = change.values_before(Kind.SNAPSHOT, self.snapshot_id)
        return change

