"""A team project on a PostgreSQL server: where it is, how to reach it, what it refuses.

Wherever a project file is taken, a ``postgresql://user@host:port/database`` URL may stand
instead. The password comes from where PostgreSQL's own tools find it (``~/.pgpass``,
``PGPASSWORD``, or the URL), and so do ``sslmode`` and the other connection settings in the
URL's query. The password never appears in a message: places are shown without it.

Appends to the audit trail take a transaction-scoped advisory lock first, so that coders
writing at once still make one chain (each reads the head only when the one before has
committed); the migrations take another, so that two first openings do not both upgrade.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from thematic_workbench.core.errors import ProjectError

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
AUDIT_LOCK = 0x7477_6201  # pg_advisory_xact_lock keys: the audit chain's head
MIGRATION_LOCK = 0x7477_6202  # and the schema while it is upgraded
CHANGES_CHANNEL = "thematic_workbench_changes"  # NOTIFY payload: the newest event's seq


def is_server_location(location: object) -> bool:
    """True for a ``postgresql://`` URL (a team project), false for a file path."""
    if not isinstance(location, str):
        return False
    scheme, sep, _rest = location.partition("://")
    return bool(sep) and scheme.lower() in SCHEMES


def shown_location(location: str) -> str:
    """The URL as messages and the window show it: without its password."""
    parts = urlsplit(location)
    if parts.password is None:
        return location
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    login = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{login}{host}{port}", parts.path, parts.query,
                       parts.fragment))


def database_name(location: str) -> str:
    """The database's name: what the window's title and the messages call the project."""
    return urlsplit(location).path.lstrip("/") or "postgres"


def engine_url(location: str) -> URL:
    """The SQLAlchemy URL (driver psycopg) for a ``postgresql://`` location."""
    try:
        url = make_url(location)
    except (ValueError, SQLAlchemyError) as exc:
        raise ProjectError(f"{shown_location(location)}: is not a valid server address "
                           f"({exc})") from None
    if not url.database:
        raise ProjectError(f"{shown_location(location)}: names no database "
                           "(postgresql://user@host:port/DATABASE)")
    return url.set(drivername="postgresql+psycopg")


def server_engine(location: str, readonly: bool, password: str | None = None) -> Engine:
    """An engine on the server's database; a reading one can only read.

    Transactions are READ COMMITTED (PostgreSQL's default): each statement sees what other
    coders have committed, and the audit lock orders the appends.
    """
    settings: dict[str, object] = {"connect_timeout": 10,
                                   "application_name": "Thematic Workbench"}
    if password is not None:  # asked for by the window; else the URL, ~/.pgpass, PGPASSWORD
        settings["password"] = password
    engine = create_engine(engine_url(location), pool_pre_ping=True, pool_size=4,
                           max_overflow=8, connect_args=settings)
    if readonly:
        @event.listens_for(engine, "connect")
        def _read_only(dbapi_conn: object, _record: object) -> None:
            cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cursor.close()
            dbapi_conn.commit()  # type: ignore[attr-defined]

    return engine


def connection_problem(location: str, error: BaseException) -> ProjectError:
    """One line saying why the server could not be reached or refused us."""
    cause = error.__cause__ or getattr(error, "orig", None) or error
    text = " ".join(str(cause).split())
    for noise in ("connection failed: ", "(psycopg.OperationalError) "):
        text = text.replace(noise, "")
    if "password authentication failed" in text:
        reason = "the server refused the login or its password"
    elif "no password supplied" in text:
        reason = ("no password was given (put it in ~/.pgpass or PGPASSWORD, or in the "
                  "address)")
    elif "does not exist" in text and "database" in text:
        reason = "the server has no such database (create it first: see the README)"
    elif "Connection refused" in text or "could not connect" in text or "timeout" in text:
        reason = "no server answers there"
    else:
        reason = text[:300]
    return ProjectError(f"{shown_location(location)}: cannot be opened: {reason}")


def listen_for_changes(location: str, password: str | None, heard: Callable[[int], None],
                       stopped: Callable[[], bool], every: float = 0.25) -> None:
    """Call ``heard(seq)`` for each commit another connection announces, until ``stopped()``.

    Blocking: run it in a thread of its own. It has a connection of its own, in autocommit
    (a LISTEN inside an open transaction would hear nothing until it ended).
    """
    import psycopg
    from psycopg.conninfo import make_conninfo

    url = engine_url(location)
    settings: dict[str, str | int | None] = {key: str(value)
                                             for key, value in url.query.items()}
    settings.update(host=url.host, port=url.port, user=url.username, dbname=url.database,
                    connect_timeout=10, application_name="Thematic Workbench (changes)")
    if password is not None or url.password is not None:
        settings["password"] = password if password is not None else url.password
    connection = psycopg.connect(
        make_conninfo("", **{k: v for k, v in settings.items() if v is not None}),
        autocommit=True)
    try:
        connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        while not stopped():
            for notice in connection.notifies(timeout=every):
                if notice.payload.isdigit():
                    heard(int(notice.payload))
                if stopped():
                    break
    finally:
        connection.close()
