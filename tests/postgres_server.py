"""A real PostgreSQL server for the tests, started in a temporary folder and stopped after.

The server is the one installed on the machine (``initdb`` and ``pg_ctl`` found through
``pg_config --bindir``, the usual Debian folders or the ``PATH``). ``initdb`` refuses to run
as root, as CI and these machines do: there the server runs as the ``postgres`` user of the
distribution's package (or ``nobody``) in a folder given to it. With no server installed the
tests that need one skip, saying so, and the rest of the suite runs as usual.

It listens on a free port of the loopback address only, with password (SCRAM) logins, so
the tests connect exactly as a coder's window does.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ADMIN = "twb_admin"
ADMIN_PASSWORD = "admin-secret"
START_TIMEOUT_S = 60


class NoServer(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def server_bin_dir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are, if a PostgreSQL server is installed."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True,
                                             text=True, check=True).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).resolve().parent))
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_user() -> pwd.struct_passwd | None:
    """Who runs the server: ourselves, or when we are root an unprivileged user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise NoServer("running as root and no unprivileged user (postgres, nobody) to run "
                   "the PostgreSQL server as")


@dataclass
class PostgresServer:
    """A running server: its port and a way to make fresh databases on it."""

    bin_dir: Path
    folder: Path
    port: int
    user: pwd.struct_passwd | None
    _count: int = 0

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def url(self, database: str, user: str = ADMIN, password: str | None = ADMIN_PASSWORD,
            ) -> str:
        login = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
        return f"postgresql://{login}@{self.host}:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> object:
        """An autocommit psycopg connection as the server's superuser."""
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=ADMIN,
                               password=ADMIN_PASSWORD, dbname=database, autocommit=True)

    def new_database(self, prefix: str = "twb_test", owner: str | None = None) -> str:
        """A new, empty database (owned by ``owner``, else the superuser); its name."""
        self._count += 1
        name = f"{prefix}_{os.getpid()}_{self._count}"
        with self.admin() as conn:  # type: ignore[attr-defined]
            conn.execute(f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))
        return name

    def create_login(self, name: str, password: str, createrole: bool = False) -> None:
        """A login role (a coder's own database login; a team lead's may create roles)."""
        from psycopg import sql

        with self.admin() as conn:  # type: ignore[attr-defined]
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}" + (
                " CREATEROLE" if createrole else "")).format(
                sql.Identifier(name), sql.Literal(password)))

    # -- lifecycle --------------------------------------------------------------------------
    @classmethod
    def start(cls, durable: bool = False) -> PostgresServer:
        """A new server; ``durable`` syncs every commit to disk as a real one does (the
        tests' server skips that, for speed)."""
        bin_dir = server_bin_dir()
        if bin_dir is None:
            raise NoServer("no PostgreSQL server is installed (no initdb/pg_ctl found through "
                           "pg_config, /usr/lib/postgresql/*/bin or the PATH); install the "
                           "distribution's postgresql package to run these tests")
        user = _server_user()
        folder = Path(tempfile.mkdtemp(prefix="twb-postgres-"))
        data, sockets = folder / "data", folder / "sockets"
        sockets.mkdir()
        secret = folder / "password"
        secret.write_text(ADMIN_PASSWORD + "\n")
        if user is not None:
            for path in (folder, sockets, secret):
                os.chown(path, user.pw_uid, user.pw_gid)
        server = cls(bin_dir, folder, _free_port(), user)
        try:
            server._run("initdb", "-D", str(data), "-U", ADMIN, f"--pwfile={secret}",
                        "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8")
            server._run("pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w",
                        "-t", str(START_TIMEOUT_S), "-o",
                        f"-p {server.port} -k {sockets} -c listen_addresses=127.0.0.1 "
                        + ("" if durable else "-c fsync=off -c full_page_writes=off ")
                        + "-c max_connections=60",
                        "start")
        except BaseException:
            server._remove()
            raise
        return server

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, NoServer):
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w",
                      "stop")
        self._remove()

    def _remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        kwargs: dict[str, object] = {}
        if self.user is not None:
            kwargs.update(user=self.user.pw_uid, group=self.user.pw_gid, extra_groups=[])
        done = subprocess.run([str(self.bin_dir / program), *args], capture_output=True,
                              text=True, cwd=self.folder, timeout=START_TIMEOUT_S + 30,
                              env={**os.environ, "LC_ALL": "C.UTF-8"},
                              **kwargs)  # type: ignore[call-overload]
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise NoServer(f"{program} failed ({done.returncode}): "
                           f"{(done.stderr or done.stdout).strip()[-2000:]}\n{tail}")


def wait_for(condition: object, timeout: float = 5.0, step: float = 0.02) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` seconds pass."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(step)
    return bool(condition())  # type: ignore[operator]


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()
