"""Migration 0009: a merge record's words (the other project's title and place, the report)
can change, so that pseudonymising reaches them; its link to the other trail, its time and
coder cannot, and it cannot be deleted; on a file and on a server alike."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.core.test_migration_0002 import _alembic, _schema
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.models import ProjectMerge
from thematic_workbench.core.storage.store import ProjectStore

RECORD = ("INSERT INTO project_merge (id, at, coder_id, other_title, other_location, "
          "other_created_at, head_seq, head_hash, report_json) VALUES (1, 'now', 1, "
          "'Okafor study', '/home/ann/Leeds/copy.thematic', 'then', 4, :h, "
          "'{\"conflicts\":[\"code ''Referral'' is called ''Referral by Okafor'' there\"]}')")


@pytest.fixture(params=["file", "server"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A project holding one merge record, in a file or on the test server."""
    where = str(tmp_path / "study.thematic") if request.param == "file" else \
        request.getfixturevalue("server_url")
    with ProjectStore.create(where, "Triggers", coder="alice") as store:
        _run(store, RECORD, h="a" * 64)
    yield where


def _run(store: ProjectStore, statement: str, **values: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), values)


def test_only_the_words_of_a_merge_record_can_change(location: str) -> None:
    with ProjectStore.open(location) as store:
        for statement in ("UPDATE project_merge SET head_hash = :h",
                          "UPDATE project_merge SET head_seq = 5",
                          "UPDATE project_merge SET at = 'later', other_title = 'x'",
                          "UPDATE project_merge SET other_created_at = 'x'",
                          "UPDATE project_merge SET id = 2",
                          "UPDATE project_merge SET coder_id = 2, report_json = '{}'"):
            with pytest.raises(DBAPIError, match="merge records are append-only"):
                _run(store, statement, h="b" * 64)
        with pytest.raises(DBAPIError, match="merge records are append-only"):
            _run(store, "DELETE FROM project_merge")
        _run(store, "UPDATE project_merge SET other_title = '[Clinician C1] study', "
                    "other_location = '/home/ann/[City L1]/copy.thematic', "
                    "report_json = replace(report_json, 'Okafor', '[Clinician C1]')")
        with store.read() as session:
            merge = session.execute(select(ProjectMerge)).scalar_one()
    assert (merge.other_title, merge.other_location) == (
        "[Clinician C1] study", "/home/ann/[City L1]/copy.thematic")
    assert "Referral by [Clinician C1]" in merge.report_json
    assert (merge.at, merge.head_seq, merge.head_hash) == ("now", 4, "a" * 64)


def test_downgrade_to_0008_refuses_every_update_again(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    with ProjectStore.create(path, "Triggers", coder="alice") as store:
        _run(store, RECORD, h="a" * 64)
    _alembic(path, "0008_redaction", downgrade=True)
    version, _revision, names = _schema(path)
    assert version == 8 and "project_merge_no_update" in names
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE project_merge SET other_title = 'x'")
    finally:
        conn.close()
    ProjectStore.open(path).close()  # and it comes back
    assert _schema(path)[0] == migrate.SCHEMA_VERSION
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE project_merge SET other_title = 'x'")
        conn.commit()
    finally:
        conn.close()
