"""The open project as the GUI sees it: the store, the coder, one undo stack, signals.

Widgets never talk to the database directly: they read through :meth:`ProjectSession.read`
(short sessions, plain values out) and change things by pushing undo commands, whose
``redo``/``undo`` call core services through :meth:`ProjectSession.run`. Every saved
change, made here or in a background job, is announced once through
:meth:`ProjectSession.announce`: it keeps the session's transcripts current, names the
change's initiator, and emits :attr:`ProjectSession.changed` so views refresh what changed.

Whose codings the window shows (:attr:`ProjectSession.coders_shown`) is held here too, one
choice for every view that shows codings, so that blind double coding is blind everywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import WorkbenchError, plain_message
from thematic_workbench.core.queries.transcript_cache import TranscriptCache
from thematic_workbench.core.services.coders import list_coders
from thematic_workbench.core.services.phases import current_phase
from thematic_workbench.core.storage.server import listen_for_changes
from thematic_workbench.core.storage.store import ProjectStore, ReadSession
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.trail.remote_changes import changes_since
from thematic_workbench.core.trail.remote_changes import head as trail_head

UNDO_STACK = "undo stack"  # the initiator of the window's own edits, undos and redos
OTHER_CODER = "another coder"  # the initiator of what other coders did on a team server


class ProjectSession(QObject):
    """One open project. ``changed`` carries the core's Change of every saved edit;
    ``coders_shown_changed`` says that the window now shows other coders' codings."""

    changed = Signal(object)
    error = Signal(str)
    coders_shown_changed = Signal()

    def __init__(self, store: ProjectStore, coder: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.coder = store.coder_for(coder)  # on a team server, the login
        self.undo_stack = QUndoStack(self)
        self.transcripts = TranscriptCache(store.read)
        self.follower = ServerFollower(self) if store.server is not None else None
        # None: everyone's codings. A second coder starts blind: their own only.
        self.coders_shown: frozenset[str] | None = \
            frozenset({self.coder}) if self.role() == "second_coder" else None

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

    def role(self) -> str | None:
        """The coder's role in the project (None: not yet one of its coders)."""
        with self.read() as session:
            return next((c.role for c in list_coders(session) if c.name == self.coder), None)

    def show_codings_of(self, coders: frozenset[str] | None) -> None:
        """Show only these coders' codings in every view of this window (None: everyone's).
        Only what the window shows changes; the others' codings stay in the project."""
        if coders == self.coders_shown:
            return
        self.coders_shown = coders
        self.coders_shown_changed.emit()

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
        if self.follower is not None:
            self.follower.stop()
        self.undo_stack.clear()
        self.store.close()


class ServerFollower(QObject):
    """Hears the other coders' commits on a team server and announces their changes here.

    A thread of its own waits on the server's notifications; each one, handed to the GUI
    thread, reads the trail's events after the last one seen and announces them as one
    change from "another coder", so every view refreshes as it does for the window's own
    edits (and keeps its selection and scroll). A lost connection is tried again every few
    seconds; ``lost`` and ``restored`` say so.
    """

    heard = Signal(int)  # an event number a commit announced (-1: catch up after a break)
    lost = Signal(str)
    restored = Signal()
    RETRY_S = 3.0

    def __init__(self, session: ProjectSession) -> None:
        super().__init__(session)
        self.session = session
        with session.read() as read:
            self.seen = trail_head(read)
        self._stop = threading.Event()
        self.heard.connect(self._catch_up)  # queued: emitted from the listening thread
        assert session.store.server is not None
        location, password = session.store.server
        self._thread = threading.Thread(target=self._listen, args=(location, password),
                                        name="team server changes", daemon=True)
        self._thread.start()

    def _listen(self, location: str, password: str | None) -> None:
        broken = False
        while not self._stop.is_set():
            try:
                if broken:
                    self.heard.emit(-1)  # what was missed while away
                listen_for_changes(location, password, self.heard.emit, self._stop.is_set)
            except Exception as error:
                if not broken:
                    self.lost.emit(plain_message(error))
                broken = True
                self._stop.wait(self.RETRY_S)
                continue
            if broken:
                self.restored.emit()
                broken = False

    def _catch_up(self, seq: int) -> None:
        if (0 <= seq <= self.seen) or self.session.store.closed:
            return
        with self.session.read() as read:
            found = changes_since(read, self.seen, self.session.store.own_events)
        self.seen = max(self.seen, found.last)
        if found.empty:
            return
        change = found.change
        if found.broad:  # a bulk change names no entities: everything is read again
            self.session.transcripts.forget()
            for kind in Kind:
                change.changed.setdefault(kind, [])
        self.session.announce(change, OTHER_CODER)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)


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
