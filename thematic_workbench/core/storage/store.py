"""Opening, creating and migrating project files, and the transactions services run in.

A project is one SQLite file (``NAME.thematic``): foreign keys on every connection, WAL
journal, a busy timeout, write transactions that take the write lock up front
(``BEGIN IMMEDIATE``), and a sidecar lock against a second writing process.

The file stays in WAL mode for good. Switching the journal back and forth on every open and
close was itself a write that a kill could interrupt, leaving a hot rollback journal that
only a writable open can roll back. A clean close folds the log into the file and removes
it, so the single ``.thematic`` file is complete on its own (copy it, mail it); after a kill
:func:`recover_after_crash` rolls back or folds in what a dead process left before anything
reads the file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeAlias

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from thematic_workbench import __version__
from thematic_workbench.core.errors import (
    ProjectError,
    ProjectLockedError,
    fault_for,
    plain_faults,
)
from thematic_workbench.core.filenames import readable_name
from thematic_workbench.core.storage import migrate, witness
from thematic_workbench.core.storage.locking import WriteLock
from thematic_workbench.core.storage.models import Project
from thematic_workbench.core.storage.search_index import add_vocabulary_view, rebuild_index
from thematic_workbench.core.storage.server import (
    CHANGES_CHANNEL,
    connection_problem,
    database_name,
    is_server_location,
    server_engine,
    shown_location,
)
from thematic_workbench.core.storage.server_roles import LoginRights, rights
from thematic_workbench.core.storage.sqlitefile import (
    can_write_beside,
    connect_read_only,
    file_is_read_only,
    folder_is_read_only,
    sqlite_uri,
)
from thematic_workbench.core.storage.transaction import Tx

PROJECT_SUFFIX = ".thematic"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
# FULL syncs the log at every commit, so an acknowledged change survives a power cut, not only
# a crash of the app (NORMAL syncs only at checkpoints and can lose the last commits). It costs
# one fsync per commit, a fraction of a millisecond to a few milliseconds on a local disk
# (measured 3.18 ms against 2.74 ms for one coding in the 50,000-coding benchmark project,
# tests/benchmarks/test_durability_speed.py), well under a click; codings are precious.
SYNCHRONOUS = "FULL"

ReadSession: TypeAlias = Session
"""What :meth:`ProjectStore.read` yields: the handle the window passes on to core queries
without calling it itself, named here so that the window needs no SQLAlchemy of its own."""


def _side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def recover_after_crash(path: Path) -> None:
    """Roll back a hot journal, or fold in a dead writer's log, before anything reads the file.

    A read-only connection cannot roll back a hot ``-journal`` ("attempt to write a readonly
    database"), so a brief writable connection reads the schema first: SQLite repairs the file
    on that first read. Nothing else is written; with no side file this costs nothing.
    """
    journal, wal = _side_file(path, "-journal"), _side_file(path, "-wal")
    hot_journal = journal.exists() and journal.stat().st_size > 0
    if not hot_journal and not (wal.exists() and wal.stat().st_size > 0):
        return  # an empty log holds nothing to fold in
    if not can_write_beside(path):
        if hot_journal:
            raise ProjectError(
                f"{path}: was left half-written by a crash ({journal.name} beside it) and "
                "cannot be repaired here because it or its folder is read-only; open it once "
                "where it can be written")
        return  # a log without a journal: a read-only connection reads it as it is
    try:
        conn = sqlite3.connect(sqlite_uri(path, "rw"), uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise ProjectError(f"{path}: is not a Thematic Workbench project") from exc
        raise (fault_for(exc, path) or
               ProjectError(f"{path}: cannot be repaired after a crash ({exc})")) from exc


def _sqlite_engine(path: Path, readonly: bool) -> Engine:
    # A read-only file, or one in a read-only folder, cannot get WAL side files: read it as
    # immutable (nobody can be writing it), unless a log is beside it to be read too.
    # Elsewhere reads go through a writable connection that may only query: the last one to
    # close removes the log and its index, so reading leaves no side files behind.
    writable_here = can_write_beside(path)
    immutable = readonly and not writable_here and not _side_file(path, "-wal").exists()
    uri = sqlite_uri(path, "ro" if readonly and not writable_here else "rw",
                     immutable=immutable)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)

    # A pool of real connections: the default for "sqlite://" would share one connection per
    # thread, so a read session opened inside another would collide with its transaction.
    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if readonly:  # reads may only query; search's vocabulary view is made first
                add_vocabulary_view(cur)
                cur.execute("PRAGMA query_only=ON")
            else:
                cur.execute("PRAGMA journal_mode=WAL")  # once per file: it stays in WAL mode
                cur.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        except BaseException:
            cur.close()  # a statement left open would keep the file open past close()
            dbapi_conn.close()  # the pool never got it: close its files now (a full disk)
            raise
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def _upgraded_copy(path: Path) -> Path:
    """A private, upgraded copy of an older project, so reading it never changes the file.

    Read-only verbs (``audit --verify``, ``documents``...) and read-only windows read the
    copy; the project itself is upgraded only when it is opened for writing.
    """
    handle, name = tempfile.mkstemp(prefix="thematic-workbench-reading-", suffix=PROJECT_SUFFIX)
    os.close(handle)
    copy = Path(name)
    try:
        source = connect_read_only(path)
        try:
            dest = sqlite3.connect(copy)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        writer = _sqlite_engine(copy, readonly=False)
        try:
            migrate.upgrade_to_head(writer, audited=False)
        finally:
            writer.dispose()
    except BaseException:
        _remove_scratch(copy)
        raise
    return copy


def _remove_scratch(copy: Path) -> None:
    for leftover in (copy, _side_file(copy, "-wal"), _side_file(copy, "-shm"),
                     _side_file(copy, "-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


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

    def __init__(self, path: Path | None, engine: Engine, readonly: bool,
                 lock: WriteLock | None, *, location: str | None = None,
                 read_engine: Engine | None = None):
        self.path = path  # the project file; None for a project on a server
        self.location = shown_location(location) if location else str(path)
        self.engine = engine
        self.readonly = readonly
        self.readonly_reason: str | None = None  # why a writable open fell back to reading
        self._lock = lock
        self._scratch: Path | None = None  # the upgraded copy an older project is read from
        self.closed = False
        # The audit events this process wrote: a window following a server's changes skips
        # its own (they were announced when they were made).
        self.own_events: set[int] = set()
        # A server's full address and the password the window asked for (kept in memory
        # only), for the connection that hears the other coders' changes.
        self.server: tuple[str, str | None] | None = None
        self.rights: LoginRights | None = None  # what the server lets this login do
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Reads use their own engine with deferred transactions, so they never wait for a
        # writer (WAL lets readers see the last commit while a write is under way).
        if read_engine is None:
            assert path is not None
            read_engine = engine if readonly else _sqlite_engine(path, readonly=True)
        self._read_engine = read_engine
        self._read_sessions = sessionmaker(self._read_engine, expire_on_commit=False)

    @property
    def on_server(self) -> bool:
        """True for a team project on a PostgreSQL server."""
        return self.path is None

    @property
    def name(self) -> str:
        """What messages call the project: its file's name, or its database's."""
        return self.path.name if self.path is not None else database_name(self.location)

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, title: str | None = None,
               coder: str = "researcher", *,
               fill: Callable[[Session], None] | None = None) -> ProjectStore:
        """Create a new project file; the creation is the first event of its audit trail.

        With ``fill`` the new project is not started but filled (a copy of another): the
        schema and what ``fill`` adds are written in one transaction, or nothing is.
        """
        if is_server_location(path):
            return cls._create_on_server(str(path), title, coder, fill)
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
        except OSError as exc:  # a full disk (no room for one more file), a refused write
            lock.release()
            raise (fault_for(exc, path) or
                   ProjectError(f"{path}: cannot be created ({exc.strerror})")) from exc
        try:
            engine = _sqlite_engine(path, readonly=False)
            store = cls(path, engine, readonly=False, lock=lock)
            store._first_contents(title or readable_name(path.stem), coder, fill)
            return store
        except BaseException as error:
            lock.release()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            fault = fault_for(error, path) if isinstance(error, Exception) else None
            if fault is None or fault is error:
                raise
            raise fault from error

    def _first_contents(self, title: str, coder: str,
                        fill: Callable[[Session], None] | None) -> None:
        if fill is None:
            migrate.upgrade_to_head(self.engine)
            self._start_project(title, coder)
            return
        with self.engine.connect() as connection, connection.begin():
            migrate.build_schema(connection)
            session = Session(bind=connection)
            try:
                fill(session)
                session.flush()
            finally:
                session.close()

    def _start_project(self, title: str, coder: str) -> None:
        """The project's row and reference rows; its creation, the trail's first event."""
        with self._sessions.begin() as session:
            project = Project(id=1, title=" ".join(title.split()), created_with=__version__,
                              current_phase=1)
            session.add(project)
            migrate.seed_reference_rows(session)
            session.flush()
            Tx.start(session, coder).audit(
                "project.create", "project", 1,
                after={"title": project.title, "app_version": __version__})

    @classmethod
    def _create_on_server(cls, location: str, title: str | None, coder: str,
                          fill: Callable[[Session], None] | None) -> ProjectStore:
        """A new project in an empty database on a server (the database is made first, by
        whoever runs the server: see the README)."""
        shown = shown_location(location)
        engine = server_engine(location, readonly=False)
        try:
            try:
                with engine.connect() as conn:
                    tables = set(inspect(conn).get_table_names())
            except OperationalError as exc:
                raise connection_problem(location, exc) from None
            if "project" in tables:
                raise ProjectError(f"{shown}: already holds a project")
            if tables:
                raise ProjectError(f"{shown}: is not empty; a team project needs a database "
                                   "of its own")
            store = cls(None, engine, readonly=False, lock=None, location=location,
                        read_engine=server_engine(location, readonly=True))
            store.server = (location, None)
            try:
                store._first_contents(title or database_name(location), coder, fill)
                with engine.connect() as connection:
                    store.rights = rights(connection)
            except BaseException:
                store._read_engine.dispose()
                raise
            return store
        except BaseException:
            engine.dispose()
            raise

    @classmethod
    def _open_on_server(cls, location: str, readonly: bool, password: str | None = None,
                        allow_readonly_fallback: bool = False) -> ProjectStore:
        """A team project: checked, upgraded by its owner, never copied; a login the server
        lets only read opens it read-only (or is told so)."""
        shown = shown_location(location)
        engine = server_engine(location, readonly=readonly, password=password)
        reason: str | None = None
        try:
            try:
                migrate.check_server_schema(engine, shown)
                with engine.connect() as connection:
                    login = rights(connection)
                if not readonly and not login.may_write:
                    reason = f"the team server lets {login.login} only read this project"
                    if not allow_readonly_fallback:
                        raise ProjectError(f"{shown}: {reason}")
                    engine.dispose()
                    readonly, engine = True, server_engine(location, True, password)
                if migrate.needs_upgrade(engine):
                    if readonly or not login.owner:
                        raise ProjectError(f"{shown}: was made by an older version; its owner "
                                           "on the server must open it once to upgrade it")
                    migrate.upgrade_to_head(engine)
            except OperationalError as exc:
                raise connection_problem(location, exc) from None
            reader = engine if readonly else server_engine(location, True, password)
            store = cls(None, engine, readonly=readonly, lock=None, location=location,
                        read_engine=reader)
            store.server, store.rights, store.readonly_reason = (location, password), login, \
                reason
            return store
        except BaseException:
            engine.dispose()
            raise

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False,
             allow_readonly_fallback: bool = False,
             password: str | None = None) -> ProjectStore:
        """Open a project for writing (or reading), migrating an older one after a backup.

        The file is checked through a bare read-only connection first, so a file that is not
        a project, or one from a newer version, is refused before anything touches it. With
        ``allow_readonly_fallback`` a project that another process is writing, or that cannot
        be written here, opens read-only instead of failing.
        """
        if is_server_location(path):
            return cls._open_on_server(str(path), readonly, password,
                                       allow_readonly_fallback)
        path = Path(path)
        _check_is_project_file(path)
        recover_after_crash(path)
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
        scratch: Path | None = None
        engine: Engine | None = None
        try:
            with plain_faults(path, "it was not opened, and nothing in it was changed"):
                if lock is not None:  # only the lock holder takes backups, so only it tidies
                    migrate.remove_unfinished_backups(path)
                engine = _sqlite_engine(path, readonly=readonly)
                if migrate.needs_upgrade(engine):
                    engine.dispose()
                    if readonly:  # read an upgraded copy; the file stays as it is
                        scratch = _upgraded_copy(path)
                        engine = _sqlite_engine(scratch, readonly=True)
                    else:
                        saved = migrate.backup(path)
                        engine = _sqlite_engine(path, readonly=False)
                        migrate.upgrade_to_head(engine, backup_name=saved.name)
            assert engine is not None
            store = cls(path, engine, readonly=readonly, lock=lock)
            store.readonly_reason = reason
            store._scratch = scratch
            return store
        except BaseException:
            if engine is not None:  # close its files now, not when the collector runs
                engine.dispose()
            if lock:
                lock.release()
            if scratch is not None:
                _remove_scratch(scratch)
            raise

    def close(self) -> None:
        """Close, folding the write-ahead log back into the project file and removing it.

        The file stays in WAL mode (no switch a kill could interrupt); after the checkpoint
        the last connection's close deletes the empty log, leaving one self-contained file
        that can be copied, mailed or synced on its own.
        """
        self.closed = True  # a late reader must not open a connection that blocks the next open
        self._read_engine.dispose()
        if not self.readonly and self.path is not None:
            self.engine.dispose()  # idle pooled connections would keep the WAL open
            raw = self.engine.raw_connection()  # autocommit: outside any transaction
            try:
                witness.record_close(self.path, raw)  # the head, kept outside the file
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError:
                # A background read still running: the log stays beside the file, which is
                # just as safe; the next open or close folds it in. Closing must not fail.
                pass
            finally:
                raw.close()
        self.engine.dispose()
        if self._scratch is not None:
            _remove_scratch(self._scratch)
            self._scratch = None
        if self._lock:
            self._lock.release()
            self._lock = None

    def compact(self) -> bool:
        """Leave nothing of what was replaced or erased anywhere in the project file's bytes.

        SQLite keeps a replaced value in free pages, in the write-ahead log and, for the
        full-text index, in index segments, until they are reused. After pseudonymisation
        the index is rebuilt from the transcripts as they are, the log folded in, the file
        rewritten without free pages (VACUUM, which cannot run inside a transaction) and the
        log folded in and emptied again. Returns False for a project on a server, where
        reclaiming dead rows (PostgreSQL's VACUUM) is the server's business.
        """
        self._check_open()
        if self.readonly:
            raise ProjectError(f"{self.name} is open read-only; it cannot be compacted")
        if self.path is None:
            return False
        raw = self.engine.raw_connection()  # autocommit: outside any transaction
        try:
            with plain_faults(self.path, "the project is as it was before compacting"):
                connection = raw.driver_connection
                assert isinstance(connection, sqlite3.Connection)
                connection.execute("BEGIN IMMEDIATE")
                try:
                    rebuild_index(connection)
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                self._empty_log(connection)
                connection.execute("VACUUM")
                self._empty_log(connection)
        finally:
            raw.close()
        return True

    def _empty_log(self, connection: sqlite3.Connection) -> None:
        busy, _log, _done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise ProjectError(f"{self.name}: another reader kept the write-ahead log open, so "
                               "what was replaced may still be in it; close the project "
                               "everywhere, and its next close empties the log")

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions --------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self.closed:
            raise ProjectError(f"{self.name} has been closed")

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
            raise ProjectError(f"{self.name} is open read-only; changes cannot be saved")
        with plain_faults(self.path), self._sessions.begin() as session:
            tx = Tx.start(session, self.coder_for(coder))
            yield tx  # a full disk: rolled back, said in one line
            written = tx.audit_writer.appended
            if written and self.on_server:  # the other coders' windows hear of it at commit
                session.execute(select(func.pg_notify(CHANGES_CHANNEL, str(written[-1]))))
        if written:
            self.own_events.update(written)

    def coder_for(self, requested: str) -> str:
        """Who a change is recorded as: on a team server, the login (the server checks it),
        unless the login owns the project; in a file, whoever the user says."""
        if self.rights is None or self.rights.owner:
            return requested
        return self.rights.login

    def title(self) -> str:
        with self.read() as session:
            return session.execute(select(Project.title)).scalar_one()
