"""Opening, creating and migrating project files, and the transactions services run in.

A project is one SQLite file (``NAME.thematic``): foreign keys on every connection, WAL
journal, a busy timeout, write transactions that take the write lock up front
(``BEGIN IMMEDIATE``), and a sidecar lock against a second writing process.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from thematic_workbench import __version__
from thematic_workbench.core import migrate, witness
from thematic_workbench.core.errors import ProjectError, ProjectLockedError, plain_faults
from thematic_workbench.core.locking import WriteLock
from thematic_workbench.core.models import Project
from thematic_workbench.core.sqlitefile import (
    can_write_beside,
    file_is_read_only,
    folder_is_read_only,
    sqlite_uri,
)
from thematic_workbench.core.transaction import Tx

PROJECT_SUFFIX = ".thematic"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def _sqlite_engine(path: Path, readonly: bool) -> Engine:
    # A read-only file, or one in a read-only folder, cannot get WAL side files: read it as
    # immutable (nobody can be writing it).
    immutable = readonly and not can_write_beside(path)
    uri = sqlite_uri(path, "ro" if readonly else "rw", immutable=immutable)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)

    # A pool of real connections: the default for "sqlite://" would share one connection per
    # thread, so a read session opened inside another would collide with its transaction.
    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: object) -> None:
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")  # type: ignore[attr-defined]

    return engine


def _check_is_project_file(path: Path) -> None:
    if not path.exists():
        raise ProjectError(f"{path}: no such project")
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror})") from exc
    if head != SQLITE_MAGIC:
        raise ProjectError(f"{path}: is not a Thematic Workbench project")


def _why_not_writable(path: Path) -> str | None:
    if file_is_read_only(path):
        return "the project file is read-only; changes cannot be saved (check its permissions)"
    if folder_is_read_only(path):
        return (f"the folder {path.resolve().parent} is read-only; changes cannot be saved "
                "(move the project to a folder you can write to)")
    return None


class ProjectStore:
    """An open project. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, engine: Engine, readonly: bool, lock: WriteLock | None):
        self.path = path
        self.engine = engine
        self.readonly = readonly
        self.readonly_reason: str | None = None  # why a writable open fell back to reading
        self._lock = lock
        self.closed = False
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Reads use their own engine with deferred transactions, so they never wait for a
        # writer (WAL lets readers see the last commit while a write is under way).
        self._read_engine = engine if readonly else _sqlite_engine(path, readonly=True)
        self._read_sessions = sessionmaker(self._read_engine, expire_on_commit=False)

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, title: str | None = None,
               coder: str = "researcher") -> ProjectStore:
        """Create a new project file; the creation is the first event of its audit trail."""
        path = Path(path)
        if path.suffix == "":
            path = path.with_suffix(PROJECT_SUFFIX)
        if path.exists():
            raise ProjectError(f"{path}: already exists; choose another name")
        if not path.parent.is_dir():
            raise ProjectError(f"{path.parent}: no such folder")
        lock = WriteLock(path)
        try:  # O_EXCL: another process may have made this file since we looked
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            lock.release()
            raise ProjectError(f"{path}: already exists; choose another name") from None
        try:
            engine = _sqlite_engine(path, readonly=False)
            migrate.upgrade_to_head(engine)
            store = cls(path, engine, readonly=False, lock=lock)
            with store._sessions.begin() as session:
                project = Project(id=1, title=" ".join((title or path.stem).split()),
                                  created_with=__version__, current_phase=1)
                session.add(project)
                migrate.seed_reference_rows(session)
                session.flush()
                Tx.start(session, coder).audit(
                    "project.create", "project", 1,
                    after={"title": project.title, "app_version": __version__})
            return store
        except BaseException:
            lock.release()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False,
             allow_readonly_fallback: bool = False) -> ProjectStore:
        """Open a project for writing (or reading), migrating an older one after a backup.

        The file is checked through a bare read-only connection first, so a file that is not
        a project, or one from a newer version, is refused before anything touches it. With
        ``allow_readonly_fallback`` a project that another process is writing, or that cannot
        be written here, opens read-only instead of failing.
        """
        path = Path(path)
        _check_is_project_file(path)
        migrate.check_schema(path)
        lock: WriteLock | None = None
        reason: str | None = None
        if not readonly:
            refusal = _why_not_writable(path)
            if refusal:
                if not allow_readonly_fallback:
                    raise ProjectError(f"{path}: {refusal}")
                readonly, reason = True, refusal
            else:
                try:
                    lock = WriteLock(path)
                except ProjectLockedError as locked:
                    if not allow_readonly_fallback:
                        raise
                    readonly, reason = True, str(locked)
        try:
            engine = _sqlite_engine(path, readonly=readonly)
            if migrate.needs_upgrade(engine):
                if readonly:
                    raise ProjectError(f"{path}: was made by an older version and must be "
                                       "upgraded; open it for writing once")
                migrate.backup(path)
                migrate.upgrade_to_head(engine)
            store = cls(path, engine, readonly=readonly, lock=lock)
            store.readonly_reason = reason
            return store
        except BaseException:
            if lock:
                lock.release()
            raise

    def close(self) -> None:
        """Close, folding the write-ahead log back into the project file.

        Switching back to a rollback journal leaves one self-contained file that can be
        copied, mailed or synced on its own, and that read-only opens leave untouched.
        """
        self.closed = True  # a late reader must not open a connection that blocks the next open
        self._read_engine.dispose()
        if not self.readonly:
            self.engine.dispose()  # idle pooled connections would keep the WAL open
            raw = self.engine.raw_connection()  # autocommit: outside any transaction
            try:
                witness.record_close(self.path, raw)  # the head, kept outside the file
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.OperationalError:
                # A background read still running: the project stays in WAL mode, which is
                # just as safe; the next close folds the log back. Closing must not fail.
                pass
            finally:
                raw.close()
        self.engine.dispose()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions --------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self.closed:
            raise ProjectError(f"{self.path.name} has been closed")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read session; nothing it does is committed. Rows read stay readable after."""
        self._check_open()
        session = self._read_sessions()
        try:
            yield session
        finally:
            session.close()

    @contextmanager
    def transaction(self, coder: str) -> Iterator[Tx]:
        """One write transaction: every change in it and its audit events, or nothing."""
        self._check_open()
        if self.readonly:
            raise ProjectError(f"{self.path.name} is open read-only; changes cannot be saved")
        with plain_faults(self.path), self._sessions.begin() as session:
            yield Tx.start(session, coder)

    def title(self) -> str:
        with self.read() as session:
            return session.execute(select(Project.title)).scalar_one()
