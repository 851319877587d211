"""Durability as a user meets it: what a killed process, a read-only folder, a clean close, an
interrupted backup, a migration and a full disk leave behind, and what opens afterwards.

Projects stay in WAL mode and every open first repairs what a crash left; an older project is
upgraded only by a writing open (backup first, one ``project.migrate`` event) and is read
from a private upgraded copy otherwise. Each test looks at the folder, the file's bytes and
what the app and plain SQLite read.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.cli import test_faults
from tests.core.durability_helpers import (
    HALF_WRITTEN_TITLE,
    plain_look,
    run_command,
    schema_of,
    sha256,
    side_files,
)
from tests.core.helpers_docs import SAMPLE_TEXT, imported
from tests.core.test_migration_0002 import make_0001_project
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.models import AuditEvent, Document, Project
from thematic_workbench.core.storage.store import ProjectStore

REPO = Path(__file__).resolve().parents[2]
PROG = "thematic-workbench"
OLD_SCHEMA = (1, "0001_initial")
READING_COPY = "thematic-workbench-reading-*.thematic"
# The tests/cli full-disk fixture: a 4 MiB tmpfs of this module's own, or a skip saying why.
tiny_disk_mount = test_faults.tiny_disk_mount

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX kills, modes and mounts")


def _current_project(path: Path) -> Path:
    """A current project holding one transcript, closed."""
    with ProjectStore.create(path, "Durable study") as store, store.transaction("alice") as tx:
        import_document(tx, imported(SAMPLE_TEXT, "PA interview"), participant="PA")
    return path


def _older_project(path: Path) -> Path:
    make_0001_project(path)
    assert schema_of(path) == OLD_SCHEMA
    return path


def _documents(store: ProjectStore) -> list[str]:
    with store.read() as session:
        return list(session.execute(select(Document.name).order_by(Document.id)).scalars())


def _backups(project: Path) -> list[Path]:
    """Files under a real backup's name (never an ``.unfinished`` one)."""
    return sorted(project.parent.glob(f"{project.stem}.backup-*{project.suffix}"))


# -- 1. a hot rollback journal ----------------------------------------------------------------
def test_a_hot_journal_left_by_a_kill_is_rolled_back_by_the_first_open(tmp_path: Path) -> None:
    project = _current_project(tmp_path / "study.thematic")
    switch = sqlite3.connect(project)  # a rollback journal, as older versions kept
    try:
        assert switch.execute("PRAGMA journal_mode=DELETE").fetchall() == [("delete",)]
    finally:
        switch.close()
    untouched = sha256(project)
    child = subprocess.Popen([sys.executable, "-m", "tests.core.durability_helpers",
                              str(project)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline() == "ready\n"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    journal = tmp_path / "study.thematic-journal"
    assert journal.stat().st_size > 0, "the kill left no hot journal"
    assert sha256(project) != untouched, "no half-written page reached the file"

    with ProjectStore.open(project, readonly=True) as store:  # the harder case comes first
        with store.read() as session:
            assert session.execute(select(Project.title)).scalar_one() == "Durable study"
            tables = set(session.execute(text("SELECT name FROM sqlite_master")).scalars())
        assert "half_written" not in tables
        assert _documents(store) == ["PA interview"]
    assert not journal.exists()
    assert sha256(project) == untouched  # rolled back to the last commit, byte for byte

    with ProjectStore.open(project) as store:
        assert store.title() == "Durable study" != HALF_WRITTEN_TITLE
        with store.transaction("alice") as tx:
            import_document(tx, imported("PB: after the crash.", "PB interview"), "PB")
    assert side_files(project) == []
    assert plain_look(project, "PRAGMA integrity_check") == [("ok",)]
    assert plain_look(project, "PRAGMA journal_mode") == [("wal",)]


# -- 2. a read-only folder --------------------------------------------------------------------
OPEN_FOR_WRITING = """
import sys
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.store import ProjectStore
try:
    ProjectStore.open(sys.argv[1]).close()
except WorkbenchError as error:
    with ProjectStore.open(sys.argv[1], readonly=True) as store, store.read() as session:
        names = [document.name for document in session.query(Document)]
    sys.stdout.write(f"{names}\\n{type(error).__name__}\\n{error}")
    raise SystemExit(3)
print("opened for writing")
"""


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "read-only"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


def test_a_project_in_a_read_only_folder_is_refused_in_one_line(read_only_folder: Path) -> None:
    # As root, permissions bite only without the capability to override them (setpriv).
    prefix = test_faults._without_override()  # the tests/cli way to drop it
    project = _current_project(read_only_folder / "study.thematic")
    read_only_folder.chmod(0o555)
    before, listing = sha256(project), sorted(p.name for p in read_only_folder.iterdir())

    api = subprocess.run([*prefix, sys.executable, "-c", OPEN_FOR_WRITING, str(project)],
                         capture_output=True, text=True, cwd=REPO)
    assert api.returncode == 3, api
    readable, kind, message = api.stdout.split("\n", 2)
    assert readable == "['PA interview']"  # reading it there still works
    assert kind == "ProjectError"
    assert "\n" not in message and str(project) in message and "read-only" in message

    done = run_command("code", str(project), "PA interview", "a new code", "--lines", "2",
                       prefix=prefix)
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"{PROG}: error: {project}: ") and "read-only" in line
    assert "Traceback" not in done.stderr
    assert sha256(project) == before
    assert sorted(p.name for p in read_only_folder.iterdir()) == listing


# -- 3. a clean close -------------------------------------------------------------------------
def test_every_clean_close_leaves_one_file_in_wal_mode(tmp_path: Path) -> None:
    project = tmp_path / "study.thematic"
    ProjectStore.create(project).close()
    assert side_files(project) == [], "after creating"
    with ProjectStore.open(project) as store, store.transaction("alice") as tx:
        import_document(tx, imported(SAMPLE_TEXT, "PA interview"), participant="PA")
    assert side_files(project) == [], "after writing"
    with ProjectStore.open(project, readonly=True) as store:
        assert _documents(store) == ["PA interview"]
    assert side_files(project) == [], "after reading"
    assert plain_look(project, "PRAGMA journal_mode") == [("wal",)]
    assert plain_look(project, "PRAGMA integrity_check") == [("ok",)]


# -- 4. an interrupted backup -----------------------------------------------------------------
def _unfinished(project: Path, stem: str | None = None) -> Path:
    name = f"{stem or project.stem}.backup-0001_initial-20260101T000000Z{project.suffix}"
    return project.with_name(name + migrate.UNFINISHED_SUFFIX)


def test_an_unfinished_backup_is_removed_by_a_writing_open_only(tmp_path: Path) -> None:
    project = _current_project(tmp_path / "study.thematic")
    leftover, others = _unfinished(project), _unfinished(project, "other")
    leftover_journal = leftover.with_name(leftover.name + "-journal")
    for path in (leftover, leftover_journal, others):
        path.write_bytes(b"SQLite format 3\x00 cut short by a kill")

    with ProjectStore.open(project, readonly=True) as store:
        assert _documents(store) == ["PA interview"]
    assert leftover.exists() and leftover_journal.exists(), "a reader tidied a writer's files"

    ProjectStore.open(project).close()
    assert not leftover.exists() and not leftover_journal.exists()
    assert others.exists(), "another project's leftover was removed"
    assert _backups(project) == []


def test_the_log_of_an_unfinished_backup_is_removed_by_a_writing_open(tmp_path: Path) -> None:
    project = _current_project(tmp_path / "study.thematic")
    leftover = _unfinished(project)
    logs = [leftover.with_name(leftover.name + suffix) for suffix in ("-wal", "-shm")]
    for path in logs:
        path.write_bytes(b"\0" * 4096)
    ProjectStore.open(project).close()
    assert [path.name for path in logs if path.exists()] == []


# -- 5. a migration's audit event and backup --------------------------------------------------
def _migrate_events(project: Path) -> list[AuditEvent]:
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        return list(session.execute(
            select(AuditEvent).where(AuditEvent.action == "project.migrate")).scalars())


def test_an_upgrade_is_one_audit_event_naming_a_backup_at_the_old_schema(tmp_path: Path) -> None:
    project = _older_project(tmp_path / "old.thematic")
    ProjectStore.open(project).close()
    ProjectStore.open(project).close()  # a second writing open upgrades nothing

    (backup,) = _backups(project)
    (event,) = _migrate_events(project)
    assert event.coder == migrate.MIGRATION_CODER and event.entity_kind == "project"
    assert json.loads(event.before_json or "null") == {"schema": 1, "revision": "0001_initial"}
    assert json.loads(event.after_json or "null") == {
        "schema": migrate.SCHEMA_VERSION, "revision": migrate.head_revision(),
        "backup": backup.name}
    assert schema_of(project) == (migrate.SCHEMA_VERSION, migrate.head_revision())

    assert schema_of(backup) == OLD_SCHEMA
    assert plain_look(backup, "PRAGMA quick_check") == [("ok",)]
    kept = sha256(backup)
    with ProjectStore.open(backup, readonly=True) as store:
        assert _documents(store) == ["PA interview"]
        assert store.title() == "Old study"
    assert sha256(backup) == kept and schema_of(backup) == OLD_SCHEMA


# -- 6 and 7. reading an older project changes nothing ----------------------------------------
@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of this test's own, so other runs' copies cannot blur the listing."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def test_reading_an_older_project_leaves_its_bytes_and_no_copy(tmp_path: Path,
                                                               private_temp: Path) -> None:
    project = _older_project(tmp_path / "old.thematic")
    before = sha256(project)
    with ProjectStore.open(project, readonly=True) as store:
        assert _documents(store) == ["PA interview"]
        assert len(list(private_temp.glob(READING_COPY))) == 1  # read from a private copy
    assert list(private_temp.iterdir()) == []
    assert sha256(project) == before and schema_of(project) == OLD_SCHEMA
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.thematic", "temp"]


def test_audit_verify_of_an_older_project_passes_and_changes_nothing(
        tmp_path: Path, private_temp: Path) -> None:
    project = _older_project(tmp_path / "old.thematic")
    before = sha256(project)
    done = run_command("audit", str(project), "--verify")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("audit trail intact: ")
    assert sha256(project) == before and schema_of(project) == OLD_SCHEMA
    assert list(private_temp.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.thematic", "temp"]


# -- 8. a full disk while an older project is upgraded ----------------------------------------
# Room left on the tiny disk, from none to a little more than an upgrade needs (the project is
# about 200 KiB): each step stops the upgrade at another point (the journal switch, the first
# transaction, the backup, its check, the migration itself); the steps are dense where the
# backup fits but its check does not, a window a few KiB wide.
LEAVE_ROOM = [0, 4 << 10, 16 << 10, 64 << 10, 192 << 10,
              *range(216 << 10, 296 << 10, 8 << 10), 320 << 10]  # the backup, then its log


@dataclass
class Attempt:
    """One writing open of an older project on a disk with ``leave`` bytes free."""

    leave: int
    project: Path
    error: str | None = None  # the error's kind and message (never the error: its traceback
    plain: bool = False  # would keep the failed open's connections, and their files, alive)
    left: list[str] = field(default_factory=list)  # the disk's files after the failed open
    held_open: list[str] = field(default_factory=list)  # of those, what this process holds
    read_while_full: list[str] | str = field(default_factory=list)
    schema: tuple[int, str] = (0, "")  # read with plain SQLite once room was made
    integrity: list[tuple[object, ...]] = field(default_factory=list)
    read_after: list[str] = field(default_factory=list)
    backups: dict[str, tuple[int, str, object]] = field(default_factory=dict)


def _read(project: Path) -> list[str] | str:
    try:
        with ProjectStore.open(project, readonly=True) as store:
            return _documents(store)
    except Exception as error:  # recorded for the test to judge
        return f"{type(error).__name__}: {error}"


def _held_open(folder: Path) -> list[str]:
    """The files in ``folder`` this process has open (Linux: /proc/self/fd)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            target = Path(os.readlink(fd))
            if target.parent == folder:
                held.append(target.name)
    return sorted(held)


def _attempt(disk: Path, template: Path, leave: int) -> Attempt:
    for entry in disk.iterdir():
        entry.unlink()
    attempt = Attempt(leave, disk / "old.thematic")
    shutil.copy(template, attempt.project)
    test_faults.fill(disk, leave)
    try:
        ProjectStore.open(attempt.project).close()
    except Exception as error:  # recorded for the test to judge
        attempt.error = f"{type(error).__name__}: {error}"
        attempt.plain = isinstance(error, WorkbenchError)
    attempt.left = sorted(p.name for p in disk.iterdir() if p.name != "filler")
    attempt.held_open = _held_open(disk)
    gc.collect()  # closes what a stopped open left open, so the next step starts afresh
    attempt.read_while_full = _read(attempt.project)
    test_faults.free_up(disk)
    attempt.schema = schema_of(attempt.project)
    attempt.integrity = plain_look(attempt.project, "PRAGMA integrity_check")
    read = _read(attempt.project)
    attempt.read_after = read if isinstance(read, list) else [read]
    attempt.backups = {backup.name: (*schema_of(backup), plain_look(backup, "PRAGMA quick_check"))
                       for backup in _backups(attempt.project)}
    return attempt


@pytest.fixture(scope="module")
def full_disk_upgrades(tiny_disk_mount: Path,
                       tmp_path_factory: pytest.TempPathFactory) -> list[Attempt]:
    """Every step of LEAVE_ROOM tried once; only the opens the full disk stopped are kept."""
    user = tmp_path_factory.mktemp("user-full-disk")
    with pytest.MonkeyPatch.context() as patch:  # the witness log stays out of the real home
        patch.setenv("THEMATIC_CONFIG_DIR", str(user / "config"))
        patch.setenv("THEMATIC_DATA_DIR", str(user / "data"))
        template = _older_project(tmp_path_factory.mktemp("template") / "old.thematic")
        attempts = [_attempt(tiny_disk_mount, template, leave) for leave in LEAVE_ROOM]
    stopped = [attempt for attempt in attempts if attempt.error is not None]
    assert len(stopped) >= len(LEAVE_ROOM) // 2, "the disk was not full enough to test"
    return stopped


def test_a_full_disk_stops_an_upgrade_with_one_line_naming_the_project(
        full_disk_upgrades: list[Attempt]) -> None:
    wrong = [f"{a.leave} bytes free: {a.error}" for a in full_disk_upgrades
             if not (a.plain and "\n" not in (a.error or "") and str(a.project) in (a.error or "")
                     and "full" in (a.error or ""))]
    assert wrong == [], "\n".join(wrong)


def test_a_full_disk_leaves_no_unfinished_backup(full_disk_upgrades: list[Attempt]) -> None:
    left = {a.leave: [name for name in a.left if migrate.UNFINISHED_SUFFIX in name]
            for a in full_disk_upgrades}
    assert {leave: names for leave, names in left.items() if names} == {}


def test_a_full_disk_never_leaves_a_partial_file_under_a_backups_name(
        full_disk_upgrades: list[Attempt]) -> None:
    for attempt in full_disk_upgrades:
        for name, (version, revision, check) in attempt.backups.items():
            assert (version, revision, check) == (*OLD_SCHEMA, [("ok",)]), (attempt.leave, name)


def test_after_a_full_disk_the_project_reads_at_its_old_schema(
        full_disk_upgrades: list[Attempt]) -> None:
    for attempt in full_disk_upgrades:
        assert attempt.schema == OLD_SCHEMA, attempt.leave
        assert attempt.integrity == [("ok",)], attempt.leave
        assert attempt.read_after == ["PA interview"], attempt.leave


def test_while_the_disk_is_full_the_project_opens_read_only_or_says_so(
        full_disk_upgrades: list[Attempt]) -> None:
    """A writing open the full disk stopped may have switched the file to WAL already; a
    reader then needs a little room for SQLite's shared-memory index. Without it the read
    says, in one line, that the disk is full; once room is made it opens (tested above)."""
    unread = {a.leave: a.read_while_full for a in full_disk_upgrades
              if a.read_while_full != ["PA interview"]}
    for leave, told in unread.items():
        assert isinstance(told, str) and "\n" not in told, (leave, told)
        assert told.startswith("DiskFullError: the disk holding ") and "is full" in told, told
    assert len(unread) < len(full_disk_upgrades), "no read succeeded while the disk was full"


def test_an_open_stopped_by_a_full_disk_keeps_no_file_open(
        full_disk_upgrades: list[Attempt]) -> None:
    held = {a.leave: a.held_open for a in full_disk_upgrades if a.held_open}
    assert held == {}
