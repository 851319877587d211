"""Automatic backups of a project file: taken and checked, skipped when nothing changed,
thinned out by the keeping rule, damage found, restored into a new file only."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import imported
from tests.core.tamper import Forger
from thematic_workbench.core.backups.listing import find_backup, list_backups
from thematic_workbench.core.backups.manifest import (
    BackupCounts,
    BackupRecord,
    file_sha256,
    manifest_path,
)
from thematic_workbench.core.backups.places import TeamProjectBackupError, path_digest
from thematic_workbench.core.backups.restoring import restore_backup
from thematic_workbench.core.backups.retention import expired, prune_backups
from thematic_workbench.core.backups.taking import backup_needed, take_backup
from thematic_workbench.core.errors import NotFoundError, ProjectError
from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Coding
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.trail_verify import verify_trail

TEXT = ("Interviewer: How do you look after yourself?\n"
        "PA: I go for a run. It clears my head.\n"
        "Interviewer: And supervision?\n"
        "PA: Supervision is where I can say the unsayable.")
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def code_more(path: Path, first: int, count: int) -> None:
    """Open the project, add ``count`` codes each with one coding, close it."""
    with ProjectStore.open(path) as store, store.transaction("alice") as tx:
        document = tx.session.execute(select(Coding.document_id)).scalar() or \
            import_document(tx, imported(TEXT)).new_id("document")
        for number in range(first, first + count):
            code = codes.create_code(tx, f"Code {number}").new_id("code")
            codings.apply_coding(tx, document, code, number, number + 10)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A closed project: one transcript, three codes and codings, a theme."""
    path = tmp_path / "Study" / "wellbeing.thematic"
    path.parent.mkdir()
    ProjectStore.create(path, "Therapists' wellbeing", coder="alice").close()
    code_more(path, 1, 3)
    with ProjectStore.open(path) as store, store.transaction("alice") as tx:
        themes.create_theme(tx, "Looking after oneself")
    return path


def coding_rows(path: Path) -> list[tuple[int, int, int, int]]:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        return [tuple(row) for row in session.execute(
            select(Coding.document_id, Coding.code_id, Coding.start, Coding.end)
            .order_by(Coding.id))]


def test_a_backup_is_a_checked_copy_with_its_manifest(tmp_path: Path, project: Path) -> None:
    before = file_sha256(project)
    record = take_backup(tmp_path / "backups", project, when=START)
    assert record is not None and record.verified and record.reason == ""
    folder = record.path.parent
    assert folder.parent == tmp_path / "backups"
    assert folder.name == f"therapists-wellbeing-{path_digest(project)}"
    assert record.path.name == "20260301-090000.thematic"
    assert record.counts == BackupCounts(documents=1, participants=0, codes=3, themes=1,
                                         codings=3)
    assert record.sha256 == file_sha256(record.path)
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        head = verify_trail(session)
    assert record.head_seq == head.events
    assert sorted(p.name for p in folder.iterdir()) == ["20260301-090000.json",
                                                         "20260301-090000.thematic"]
    assert list_backups(tmp_path / "backups", project) == [record]
    assert coding_rows(record.path) == coding_rows(project)
    assert file_sha256(project) == before  # only read


def test_no_backup_when_nothing_changed(tmp_path: Path, project: Path) -> None:
    backups = tmp_path / "backups"
    first = take_backup(backups, project, when=START)
    assert first is not None
    assert not backup_needed(backups, project)
    assert take_backup(backups, project, when=START + timedelta(minutes=10)) is None
    code_more(project, 20, 1)
    assert backup_needed(backups, project)
    second = take_backup(backups, project, when=START + timedelta(minutes=20))
    assert second is not None and second.counts.codings == 4
    assert second.head_seq > first.head_seq
    assert [r.id for r in list_backups(backups, project)] == [second.id, first.id]


def test_a_backup_while_the_project_is_open_for_writing(tmp_path: Path,
                                                       project: Path) -> None:
    with ProjectStore.open(project) as store:
        with store.transaction("alice") as tx:
            document = tx.session.execute(select(Coding.document_id)).scalar()
            assert document is not None
            code = codes.create_code(tx, "Running").new_id("code")
            codings.apply_coding(tx, document, code, 50, 60)
        record = take_backup(tmp_path / "backups", project)
        assert record is not None and record.verified
        assert record.counts.codings == 4  # the change the open window committed
        with store.transaction("alice") as tx:  # the window goes on writing
            codes.create_code(tx, "After the backup")


def test_keeping_the_newest_and_one_a_day(tmp_path: Path, project: Path) -> None:
    backups = tmp_path / "backups"
    taken = []
    for day in range(5):  # three backups a day, for five days
        for hour in (9, 12, 17):
            when = START + timedelta(days=day, hours=hour - 9)
            record = take_backup(backups, project, when=when, only_if_changed=False)
            assert record is not None
            taken.append(record)
    now = START + timedelta(days=4, hours=9)
    gone = prune_backups(backups, project, kept=2, daily=3, now=now)
    kept = list_backups(backups, project)
    assert [r.id for r in kept] == ["20260305-170000", "20260305-120000",  # the newest two
                                    "20260304-170000", "20260303-170000"]  # days 4 and 3
    assert {r.id for r in gone} == {r.id for r in taken} - {r.id for r in kept}
    for record in gone:
        assert not record.path.exists() and not manifest_path(record.path).exists()


def test_the_newest_verified_backup_is_never_removed() -> None:
    def record(hours: int, verified: bool) -> BackupRecord:
        when = START + timedelta(hours=hours)
        return BackupRecord(id=when.strftime("%Y%m%d-%H%M%S"), time=when.isoformat(),
                            path=Path(f"{hours}.thematic"), counts=BackupCounts(),
                            head_seq=hours, head_hash="", sha256="", verified=verified,
                            reason="" if verified else "its audit trail does not verify")
    good = record(0, True)
    failed = [record(hours, False) for hours in (1, 2, 3)]
    gone = expired([*failed, good], kept=1, daily=0, now=START + timedelta(days=30))
    assert [r.head_seq for r in gone] == [2, 1]


def test_a_damaged_backup_shows_and_is_not_restored(tmp_path: Path, project: Path) -> None:
    backups = tmp_path / "backups"
    record = take_backup(backups, project)
    assert record is not None
    data = bytearray(record.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    record.path.write_bytes(bytes(data))
    (listed,) = list_backups(backups, project)
    assert not listed.verified
    assert "SHA-256 no longer matches" in listed.reason
    assert backup_needed(backups, project)  # a damaged newest backup is replaced
    with pytest.raises(ProjectError, match="cannot be restored: its file has changed"):
        restore_backup(listed, tmp_path / "restored.thematic")
    assert not (tmp_path / "restored.thematic").exists()


def test_a_missing_file_and_an_interrupted_backup_are_not_verified(tmp_path: Path,
                                                                    project: Path) -> None:
    backups = tmp_path / "backups"
    first = take_backup(backups, project, when=START)
    second = take_backup(backups, project, when=START + timedelta(hours=1),
                         only_if_changed=False)
    assert first is not None and second is not None
    first.path.unlink()
    manifest_path(second.path).unlink()
    listed = {r.id: r for r in list_backups(backups, project)}
    assert not listed[first.id].verified and listed[first.id].reason == "its file is missing"
    assert not listed[second.id].verified and "no manifest" in listed[second.id].reason


@pytest.mark.parametrize("forgery", ["edited", "rewritten"])
def test_a_project_whose_trail_is_broken_is_backed_up_but_not_verified(
        tmp_path: Path, project: Path, forgery: str) -> None:
    with Forger(project) as forger:
        if forgery == "edited":  # the chain itself breaks
            forger.conn.execute("UPDATE audit_event SET after_json = '{}' WHERE seq = 2")
        else:  # every hash recomputed: this machine's witness records of closes show it
            forger.edit(2, '{"name": "forged"}')
    record = take_backup(tmp_path / "backups", project)
    assert record is not None and record.path.exists()  # it still holds the study
    assert not record.verified
    assert record.reason.startswith("its audit trail does not verify (event ")
    (listed,) = list_backups(tmp_path / "backups", project)
    assert not listed.verified and listed.reason == record.reason
    with pytest.raises(NotFoundError, match="no verified backup"):
        find_backup([listed], "latest")


def test_restore_writes_a_new_file_with_every_coding(tmp_path: Path, project: Path) -> None:
    backups = tmp_path / "backups"
    record = take_backup(backups, project)
    assert record is not None
    expected = coding_rows(project)
    project.unlink()  # the project is lost; its backups are found from its path
    (listed,) = list_backups(backups, project)
    restored = restore_backup(listed, tmp_path / "restored")
    assert restored.path == tmp_path / "restored.thematic"
    assert restored.check.verified and restored.check.counts.codings == 3
    assert coding_rows(restored.path) == expected
    with ProjectStore.open(restored.path) as store:
        with store.read() as session:
            assert verify_trail(session, store.path).intact
        with store.transaction("alice") as tx:  # the restored project is a working one
            codes.create_code(tx, "After the restore")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_restore_never_overwrites(tmp_path: Path, project: Path) -> None:
    record = take_backup(tmp_path / "backups", project)
    assert record is not None
    existing = tmp_path / "existing.thematic"
    existing.write_bytes(b"keep me")
    with pytest.raises(ProjectError, match=r"existing\.thematic: already exists"):
        restore_backup(record, existing)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(ProjectError, match="no such folder"):
        restore_backup(record, tmp_path / "nowhere" / "x.thematic")


def test_the_folder_is_found_again_after_a_new_title(tmp_path: Path, project: Path) -> None:
    backups = tmp_path / "backups"
    first = take_backup(backups, project)
    with ProjectStore.open(project) as store, store.transaction("alice") as tx:
        codes.create_code(tx, "Renamed study's code")
    connection = sqlite3.connect(project)
    connection.execute("UPDATE project SET title = 'Another title'")
    connection.commit()
    connection.close()
    second = take_backup(backups, project)
    assert first is not None and second is not None
    assert second.path.parent == first.path.parent
    assert len(list_backups(backups, project)) == 2


def test_team_projects_are_the_server_administrators(tmp_path: Path) -> None:
    with pytest.raises(TeamProjectBackupError, match="server administrator"):
        take_backup(tmp_path, "postgresql://ana@db.example:5432/study")
    with pytest.raises(TeamProjectBackupError):
        list_backups(tmp_path, "postgresql://ana@db.example:5432/study")


def test_a_file_that_is_no_project_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.thematic"
    other.write_text("not a project", encoding="utf-8")
    with pytest.raises(ProjectError, match="not a Thematic Workbench project"):
        take_backup(tmp_path / "backups", other)
    with pytest.raises(ProjectError, match="no such project file"):
        take_backup(tmp_path / "backups", tmp_path / "gone.thematic")
    assert not (tmp_path / "backups").exists()


def test_a_file_name_that_is_not_utf8_is_backed_up(tmp_path: Path) -> None:
    folder = Path(tmp_path / "caf\udce9")  # the bytes "caf\xe9": Latin-1, not UTF-8
    folder.mkdir()
    project = folder / "study.thematic"
    ProjectStore.create(project, "Café study", coder="alice").close()
    record = take_backup(tmp_path / "backups", project)
    assert record is not None and record.verified
    (listed,) = list_backups(tmp_path / "backups", project)
    assert listed.project == str(project.resolve()) and listed.title == "Café study"
