"""A project on a real PostgreSQL server (started by the suite): the same schema, the same
services, the same audit trail and the same verdict of ``verify`` as a project file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, inspect, select

from tests.core.helpers_docs import SAMPLE_TEXT, imported
from tests.postgres_server import PostgresServer
from thematic_workbench.core.errors import ProjectError
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.audit import verify_chain
from thematic_workbench.core.storage.models import AuditEvent, Coding
from thematic_workbench.core.storage.server import is_server_location, shown_location
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.trail_verify import verify_trail

CODERS = 4
CODINGS_EACH = 250


def _columns(store: ProjectStore) -> dict[str, set[str]]:
    with store.engine.connect() as conn:
        inspector = inspect(conn)
        return {table: {c["name"] for c in inspector.get_columns(table)}
                for table in inspector.get_table_names() if not table.startswith("document_fts")}


def test_a_server_location_is_told_from_a_file_and_shown_without_its_password() -> None:
    assert is_server_location("postgresql://ana@db.example:5433/study")
    assert is_server_location("postgres://ana@localhost/study")
    assert not is_server_location("study.thematic")
    assert not is_server_location(Path("postgresql:/x"))
    assert shown_location("postgresql://ana:s3cret@localhost:5433/study?sslmode=require") \
        == "postgresql://ana@localhost:5433/study?sslmode=require"


def test_a_project_made_on_a_server_has_the_file_schema(server_url: str,
                                                         tmp_path: Path) -> None:
    with ProjectStore.create(server_url, "Forensic alliance", coder="alice") as server, \
            ProjectStore.create(tmp_path / "study.thematic", "Forensic alliance") as file:
        assert server.on_server and not file.on_server
        assert server.title() == "Forensic alliance"
        assert _columns(server) == _columns(file)
    with pytest.raises(ProjectError, match="already holds a project"):
        ProjectStore.create(server_url, "Again")


def test_services_and_the_trail_work_on_a_server(server_url: str) -> None:
    with ProjectStore.create(server_url, "Team", coder="alice") as store, \
            store.transaction("alice") as tx:
        document = import_document(tx, imported(SAMPLE_TEXT), participant="PA") \
            .new_id("document")
        code = create_code(tx, "Looking after oneself").new_id("code")
        apply_coding(tx, document, code, 0, 40)
    with ProjectStore.open(server_url, readonly=True) as store, store.read() as session:
        assert session.execute(select(func.count()).select_from(Coding)).scalar_one() == 1
        chain = verify_chain(session)
        assert chain.intact, chain.describe()
        report = verify_trail(session, None)
        assert report.intact, report.lines()


def test_the_server_refuses_to_change_or_remove_an_audit_event(
        server_url: str, postgres_server: PostgresServer) -> None:
    ProjectStore.create(server_url, "Team", coder="alice").close()
    database = server_url.rsplit("/", 1)[1]
    for statement in ("UPDATE audit_event SET coder = 'mallory'",
                      "DELETE FROM audit_event", "TRUNCATE audit_event CASCADE"):
        with postgres_server.admin(database) as conn, \
                pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
            conn.execute(statement)  # type: ignore[attr-defined]


def test_verify_on_a_server_finds_what_it_finds_in_a_file(
        server_url: str, postgres_server: PostgresServer) -> None:
    with ProjectStore.create(server_url, "Team", coder="alice") as store, \
            store.transaction("alice") as tx:
        create_code(tx, "Trust")
    database = server_url.rsplit("/", 1)[1]
    with postgres_server.admin(database) as conn:  # a forger with the server's keys
        conn.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_event SET coder = 'mallory' WHERE seq = 2")
    with ProjectStore.open(server_url, readonly=True) as store, store.read() as session:
        chain = verify_chain(session)
    assert chain.first_bad_seq == 2
    assert "was edited" in chain.describe()
    with postgres_server.admin(database) as conn:
        conn.execute("UPDATE audit_event SET coder = 'alice' WHERE seq = 2")
    with ProjectStore.open(server_url, readonly=True) as store, store.read() as session:
        chain = verify_chain(session)
    assert chain.first_bad_seq is None and chain.unprotected  # the trigger is still off
    assert "NOT PROTECTED" in chain.describe()


def test_a_database_without_a_project_or_a_server_that_refuses_is_one_line(
        server_url: str, postgres_server: PostgresServer) -> None:
    with pytest.raises(ProjectError, match="holds no Thematic Workbench project"):
        ProjectStore.open(server_url)
    wrong = postgres_server.url("postgres", password="not-the-password")
    with pytest.raises(ProjectError, match="refused the login") as refused:
        ProjectStore.open(wrong)
    assert "not-the-password" not in str(refused.value)
    with pytest.raises(ProjectError, match="no server answers"):
        ProjectStore.open(f"postgresql://nobody@127.0.0.1:{_closed_port()}/study")


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the probe goes


def _code_many(url: str, coder: str, document: int, code: int, offset: int) -> None:
    """One coder's process: CODINGS_EACH codings, each its own transaction."""
    with ProjectStore.open(url) as store:
        for index in range(CODINGS_EACH):
            start = (offset + index * CODERS) % 400
            with store.transaction(coder) as tx:
                apply_coding(tx, document, code, start, start + 5 + index % 7)


def test_four_coders_at_once_lose_nothing_and_keep_one_chain(server_url: str) -> None:
    with ProjectStore.create(server_url, "Team", coder="alice") as store, \
            store.transaction("alice") as tx:
        document = import_document(tx, imported(SAMPLE_TEXT * 2)).new_id("document")
        codes = [create_code(tx, f"Code {n}").new_id("code") for n in range(CODERS)]
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_code_many,
                             args=(server_url, f"coder{n}", document, codes[n], n))
               for n in range(CODERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)
    assert [worker.exitcode for worker in workers] == [0] * CODERS
    with ProjectStore.open(server_url, readonly=True) as store, store.read() as session:
        per_code = dict(session.execute(
            select(Coding.code_id, func.count()).group_by(Coding.code_id)).all())
        assert per_code == {code: CODINGS_EACH for code in codes}
        events = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        chain = verify_chain(session)
    assert chain.intact, chain.describe()
    assert chain.events == events >= CODERS * CODINGS_EACH
