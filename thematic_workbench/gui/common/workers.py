"""Long work off the GUI thread: a job runs a plain function and reports back by signals.

The job's function never touches widgets. It gets a :class:`JobControl` to report progress,
hand over partial results and ask whether the user cancelled; it opens its own store
transactions (the store's engine pools connections that any thread may use). Every public
signal of :class:`Job` is emitted on the GUI thread, so any slot, even a lambda, may update
widgets. Jobs run one at a time on one database thread: SQLite has a single writer, and a
queue keeps write transactions from waiting on each other's locks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from thematic_workbench.core.errors import WorkbenchError, fault_for, plain_message

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None


def database_pool() -> QThreadPool:
    """The one worker thread that background database jobs queue on."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        _pool.setObjectName("database jobs")
    return _pool


class JobControl:
    """What a running job sees: report progress, publish results, check for cancel."""

    def __init__(self, relay: _Relay, cancel: threading.Event) -> None:
        self._relay = relay
        self._cancel = cancel

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int, label: str = "") -> None:
        self._relay.progress.emit(done, total, label)

    def publish(self, value: object) -> None:
        """Hand a partial result (one stored file, say) to the GUI thread now."""
        self._relay.published.emit(value)


class _Relay(QObject):
    """Signals emitted from the worker thread; :class:`Job` re-emits them on the GUI thread."""

    progress = Signal(int, int, str)
    published = Signal(object)
    finished = Signal(object)
    failed = Signal(str)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[JobControl], Any], control: JobControl, relay: _Relay,
                 done: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Job keeps it until it has finished
        self._work, self._control, self._relay, self._done = work, control, relay, done

    def run(self) -> None:
        try:
            result = self._work(self._control)
        except WorkbenchError as error:
            self._relay.failed.emit(str(error))
        except Exception as error:  # shown as a message, logged with its traceback
            log.exception("background job failed")
            fault = fault_for(error, None)  # a full disk, a refused write: said plainly
            self._relay.failed.emit(str(fault) if fault is not None else
                                    f"Unexpected error: {type(error).__name__}: "
                                    f"{plain_message(error)}")
        else:
            self._relay.finished.emit(result)
        finally:
            self._done.set()


class Job(QObject):
    """One piece of background work. Connect to the signals, then :meth:`start` it.

    ``finished(result)`` or ``failed(message)`` ends every job, cancelled or not (a cancelled
    job returns what it had done so far; :attr:`cancel_requested` tells it was cancelled).
    """

    progress = Signal(int, int, str)
    published = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[JobControl], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._running = False
        self._relay = _Relay()  # lives on the GUI thread; emitted from the worker
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.progress.connect(self.progress, queued)
        self._relay.published.connect(self.published, queued)
        self._relay.finished.connect(self._on_finished, queued)
        self._relay.failed.connect(self._on_failed, queued)
        self._runnable: _Runnable | None = None

    @property
    def running(self) -> bool:
        """True from :meth:`start` until ``finished`` or ``failed`` has been emitted."""
        return self._running

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def start(self, pool: QThreadPool | None = None) -> None:
        if self._running or self._runnable is not None:
            raise RuntimeError("a job runs once; make a new Job to run again")
        self._running = True
        control = JobControl(self._relay, self._cancel)
        self._runnable = _Runnable(self._work, control, self._relay, self._done)
        (pool or database_pool()).start(self._runnable)

    def cancel(self) -> None:
        """Ask the job to stop at its next check; it finishes what it is doing first."""
        self._cancel.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the worker has returned (for closing the app and tests)."""
        return self._done.wait(timeout_s)

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self._running = False
        self.finished.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._running = False
        self.failed.emit(message)
