"""The open project as the GUI sees it: the store, the coder, one undo stack, signals.

Widgets never talk to the database directly: they read through :meth:`ProjectSession.read`
(short sessions, plain values out) and change things by pushing undo commands, whose
``redo``/``undo`` call core services through :meth:`ProjectSession.run`. Every saved
change, made here or in a background job, is announced once through
:meth:`ProjectSession.announce`: it keeps the session's transcripts current, names the
change's initiator, and emits :attr:`ProjectSession.changed` so views refresh what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from thematic_workbench.core.changes import Change
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.queries.transcript_cache import TranscriptCache
from thematic_workbench.core.services.phases import current_phase
from thematic_workbench.core.storage.store import ProjectStore, ReadSession
from thematic_workbench.core.storage.transaction import Tx

UNDO_STACK = "undo stack"  # the initiator of the window's own edits, undos and redos


class ProjectSession(QObject):
    """One open project. ``changed`` carries the core's Change of every saved edit."""

    changed = Signal(object)
    error = Signal(str)

    def __init__(self, store: ProjectStore, coder: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.coder = coder
        self.undo_stack = QUndoStack(self)
        self.transcripts = TranscriptCache(store.read)

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    @property
    def path(self) -> str:
        return self.store.location

    @contextmanager
    def read(self) -> Iterator[ReadSession]:
        with self.store.read() as session:
            yield session

    def phase(self) -> int:
        with self.read() as session:
            return current_phase(session)

    def run(self, service: Callable[..., Change], *args: Any, **kwargs: Any) -> Change:
        """Run one service in its own transaction and announce what it changed."""
        with self.store.transaction(self.coder) as tx:
            change = service(tx, *args, **kwargs)
        return self.announce(change, UNDO_STACK)

    def run_in(self, work: Callable[[Tx], Change]) -> Change:
        """Run several services as one transaction (one undo step, one commit)."""
        with self.store.transaction(self.coder) as tx:
            change = work(tx)
        return self.announce(change, UNDO_STACK)

    def announce(self, change: Change, initiator: str) -> Change:
        """Tell the session and every view about a saved change, once, whoever made it.

        ``initiator`` names where it came from (the undo stack, an import, an exchange
        job...). Background jobs commit in their own thread and announce here, in the GUI
        thread, when their result arrives.
        """
        change.initiator = initiator
        self.transcripts.follow(change)
        self.changed.emit(change)
        return change

    def push(self, command: ServiceCommand) -> bool:
        """Do a command and put it on the undo stack; on a refusal, say why and drop it."""
        if self.readonly:
            self.error.emit(f"{self.store.name} is open read-only; changes cannot be saved")
            return False
        self.undo_stack.push(command)
        if command.failure:
            self.error.emit(command.failure)
            return False
        return True

    def close(self) -> None:
        self.undo_stack.clear()
        self.store.close()


class ServiceCommand(QUndoCommand):
    """An undoable change: ``apply`` calls a core service, ``revert`` its inverse.

    If the first ``apply`` is refused (a rule of the domain, a missing row), the command
    marks itself obsolete, so the undo stack drops it, and keeps the reason in ``failure``.
    """

    def __init__(self, session: ProjectSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.failure: str | None = None
        self._done_once = False

    def apply(self, tx: Tx) -> Change:  # pragma: no cover - abstract
        raise NotImplementedError

    def revert(self, tx: Tx) -> Change:  # pragma: no cover - abstract
        raise NotImplementedError

    def redo(self) -> None:
        try:
            self.session.run_in(self.apply)
        except WorkbenchError as error:
            if self._done_once:
                self.session.error.emit(f"Could not redo '{self.text()}': {error}")
            else:
                self.failure = str(error)
            self.setObsolete(True)
            return
        self._done_once = True

    def undo(self) -> None:
        try:
            self.session.run_in(self.revert)
        except WorkbenchError as error:
            self.session.error.emit(f"Could not undo '{self.text()}': {error}")
            self.setObsolete(True)
