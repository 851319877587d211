"""The backup verbs: ``backups PROJECT [--json] [--take]`` and ``restore PROJECT BACKUP_ID
OUT``, and a project deleted after work brought back from its newest backup."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tests.cli.conftest import Run
from thematic_workbench.app.backups import back_up
from thematic_workbench.app.preferences import Preferences, save_preferences
from thematic_workbench.core.storage.models import Code, Coding, Document
from thematic_workbench.core.storage.store import ProjectStore

INTERVIEW = ("Interviewer: How do you look after yourself?\n"
             "PA: I go for a run. It clears my head.\n"
             "Interviewer: And supervision?\n"
             "PA: Supervision is where I can say the unsayable.\n")


def coded_project(tmp_path: Path, cli: Callable[..., Run]) -> str:
    """A project made with the command line: a transcript, three codings, a theme."""
    project = str(tmp_path / "study.thematic")
    transcript = tmp_path / "PA.txt"
    transcript.write_text(INTERVIEW, encoding="utf-8")
    for argv in (("new", project, "--title", "Self-care of therapists"),
                 ("import", project, str(transcript), "--participant", "PA"),
                 ("code", project, "PA", "Running", "--match", "I go for a run"),
                 ("code", project, "PA", "Clearing the head", "--lines", "2-2"),
                 ("code", project, "PA", "Saying the unsayable", "--match",
                  "say the unsayable", "--memo", "in vivo"),
                 ("theme", project, "add", "Looking after oneself", "--level", "emerging"),
                 ("theme", project, "assign", "Running", "Looking after oneself")):
        run = cli(*argv)
        assert run.code == 0, (argv, run.err)
    return project


def codings_in(path: str | Path) -> list[tuple[str, str, int, int, str]]:
    """Every coding as a reader sees it: transcript, code, span, memo."""
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        rows = session.execute(
            select(Document.name, Code.name, Coding.start, Coding.end, Coding.memo)
            .join(Document, Coding.document_id == Document.id)
            .join(Code, Coding.code_id == Code.id).order_by(Coding.start, Code.name))
        return [(doc, code, start, end, memo) for doc, code, start, end, memo in rows]


def test_backups_json_lists_each_backup(tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = coded_project(tmp_path, cli)
    assert json.loads(cli("backups", project, "--json").out) == []
    run = cli("backups", project, "--take")
    assert run.code == 0, run.err
    assert "Backup taken at" in run.out and "3 codings), verified" in run.out
    listed = json.loads(cli("backups", project, "--json").out)
    assert isinstance(listed, list) and len(listed) == 1
    (backup,) = listed
    assert {"id", "time", "codings", "verified", "documents", "codes", "themes",
            "participants", "path", "reason"} <= set(backup)
    assert (backup["documents"], backup["participants"], backup["codes"],
            backup["themes"], backup["codings"]) == (1, 1, 3, 1, 3)
    assert backup["verified"] is True and backup["reason"] == ""
    assert backup["time"].endswith("Z") and Path(backup["path"]).is_file()
    table = cli("backups", project)
    assert table.code == 0
    assert "id" in table.out.splitlines()[1] and "codings" in table.out.splitlines()[1]
    assert f"{backup['id']}  " in table.out and table.out.rstrip().endswith("yes")


def test_backups_go_where_the_preferences_say(tmp_path: Path,
                                              cli: Callable[..., Run]) -> None:
    project = coded_project(tmp_path, cli)
    save_preferences(Preferences(backup_folder=str(tmp_path / "safe place")))
    assert cli("backups", project, "--take").code == 0
    (backup,) = json.loads(cli("backups", project, "--json").out)
    assert Path(backup["path"]).parent.parent == tmp_path / "safe place"


def test_a_damaged_backup_is_listed_as_not_verified(tmp_path: Path,
                                                    cli: Callable[..., Run]) -> None:
    project = coded_project(tmp_path, cli)
    cli("backups", project, "--take")
    (backup,) = json.loads(cli("backups", project, "--json").out)
    Path(backup["path"]).write_bytes(b"SQLite format 3\x00" + b"\x00" * 4096)
    (listed,) = json.loads(cli("backups", project, "--json").out)
    assert listed["verified"] is False and "SHA-256 no longer matches" in listed["reason"]
    assert "NO: its file has changed" in cli("backups", project).out
    run = cli("restore", project, backup["id"], str(tmp_path / "out.thematic"))
    assert run.code == 1 and "cannot be restored" in run.err
    assert not (tmp_path / "out.thematic").exists()


def test_restore_refuses_an_existing_file(tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = coded_project(tmp_path, cli)
    cli("backups", project, "--take")
    (backup,) = json.loads(cli("backups", project, "--json").out)
    existing = tmp_path / "existing.thematic"
    existing.write_bytes(b"my other study")
    run = cli("restore", project, backup["id"], str(existing))
    assert run.code == 1 and run.out == ""
    assert run.err.count("\n") == 1
    assert str(existing) in run.err and "already exists" in run.err
    assert existing.read_bytes() == b"my other study"
    run = cli("restore", project, "20000101-000000", str(tmp_path / "new.thematic"))
    assert run.code == 1 and "no backup '20000101-000000'" in run.err


def test_a_deleted_project_is_restored_from_its_newest_backup(
        tmp_path: Path, cli: Callable[..., Run]) -> None:
    project = coded_project(tmp_path, cli)
    first = back_up(project)  # as the window does on opening the project
    assert first.taken is not None and first.taken.verified
    run = cli("code", project, "PA", "Supervision", "--match", "Supervision is where")
    assert run.code == 0, run.err
    newest = back_up(project)  # as the window does after minutes of work
    assert newest.taken is not None and newest.taken.counts.codings == 4
    coded = codings_in(project)
    assert len(coded) == 4
    Path(project).unlink()  # months of work, deleted

    listed = json.loads(cli("backups", project, "--json").out)
    assert [b["id"] for b in listed] == [newest.taken.id, first.taken.id]
    out = tmp_path / "recovered.thematic"
    run = cli("restore", project, listed[0]["id"], str(out))
    assert run.code == 0, run.err
    assert f"into {out}" in run.out and "4 codings" in run.out
    assert "audit trail verifies" in run.out
    assert codings_in(out) == coded
    verify = cli("audit", str(out), "--verify")
    assert verify.code == 0, verify.err
    assert verify.out.startswith("audit trail intact")
    assert cli("code", str(out), "PA", "Back at work", "--lines", "4-4").code == 0


def test_restore_latest_and_a_name_without_suffix(tmp_path: Path,
                                                  cli: Callable[..., Run]) -> None:
    project = coded_project(tmp_path, cli)
    cli("backups", project, "--take")
    run = cli("restore", project, "latest", str(tmp_path / "copy"))
    assert run.code == 0, run.err
    assert codings_in(tmp_path / "copy.thematic") == codings_in(project)


def test_team_projects_are_refused(cli: Callable[..., Run]) -> None:
    url = "postgresql://ana@db.example:5432/study"
    for argv in (("backups", url), ("backups", url, "--take"),
                 ("restore", url, "latest", "out.thematic")):
        run = cli(*argv)
        assert run.code == 1
        assert "backups of a team project are the server administrator's" in run.err


def test_restored_under_its_own_name_after_later_work(tmp_path: Path,
                                                      cli: Callable[..., Run]) -> None:
    """The file is lost after more work than the newest backup holds: restored under its
    own name, it says what is missing, and its trail and later backups still verify."""
    project = coded_project(tmp_path, cli)
    taken = back_up(project)
    assert taken.taken is not None
    for line in ("3-3", "4-4"):  # each verb closes the file, and this machine witnesses it
        assert cli("code", project, "PA", "After the backup", "--lines", line).code == 0
    Path(project).unlink()
    run = cli("restore", project, "latest", project)
    assert run.code == 0, run.err
    assert "audit trail verifies" in run.out
    assert "note: this machine saw" in run.out and "after this backup" in run.out
    verify = cli("audit", project, "--verify")
    assert verify.code == 0, verify.out + verify.err
    assert "restored from a backup" in verify.out
    assert cli("code", project, "PA", "Back at work", "--lines", "4-4").code == 0
    assert cli("audit", project, "--verify").code == 0
    again = json.loads(cli("backups", project, "--take", "--json").out)
    assert again[0]["verified"] is True, again[0]
