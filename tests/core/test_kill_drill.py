"""The kill drill: SIGKILL a process that opens, codes, closes and migrates, at random moments.

After every kill the project must open at once for every verb (read-only first, since a
read-only open cannot repair anything itself), pass SQLite's integrity check and the audit
chain's verification, and hold every coding the killed process acknowledged.

``TWB_DRILL_KILLS`` sets the number of kills (20 in the suite; ``make drill`` runs hundreds)
and ``TWB_DRILL_SEED`` the seed; the figures are printed at the end (``-s`` shows them).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import SAMPLE_TEXT, imported
from tests.core.test_migration_0002 import make_0001_project
from thematic_workbench.cli import main
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Coding
from thematic_workbench.core.storage.store import ProjectStore

KILLS = int(os.environ.get("TWB_DRILL_KILLS", "20"))
SEED = int(os.environ.get("TWB_DRILL_SEED", "13"))
MIGRATE_EVERY = 4  # one kill in four lands on a fresh older project, around its migration
REPO = Path(__file__).resolve().parents[2]
SIDE_FILES = ("-journal", "-wal")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only")


def _templates(folder: Path) -> tuple[Path, Path]:
    """A current project and an older (schema 0001) one, each holding one transcript."""
    current = folder / "current.thematic"
    with ProjectStore.create(current, "Drill") as store, store.transaction("drill") as tx:
        import_document(tx, imported(SAMPLE_TEXT, "PA interview"), participant="PA")
    older = folder / "older.thematic"
    make_0001_project(older)
    return current, older


def _run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).strip()


def _first_open(how: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The first thing to touch the file after the kill: a read-only verb, the window, a write."""
    if how == "read-only verb":
        code, said = _run_cli(capsys, "documents", str(project))
        assert code == 0, said
    elif how == "window":  # what the main window does to open a project
        with ProjectStore.open(project, allow_readonly_fallback=True) as store:
            assert not store.readonly, store.readonly_reason
    else:
        code, said = _run_cli(capsys, "diary", str(project), "add", "first after the kill")
        assert code == 0, said


def _check(project: Path, acked: set[int], capsys: pytest.CaptureFixture[str]) -> None:
    code, said = _run_cli(capsys, "audit", str(project), "--verify")
    assert code == 0, said
    code, said = _run_cli(capsys, "documents", str(project))
    assert code == 0 and "PA interview" in said, said
    with ProjectStore.open(project, readonly=True) as store, store.read() as session:
        present = set(session.execute(select(Coding.id)).scalars())
    assert acked <= present, f"acknowledged codings lost: {sorted(acked - present)}"
    code, said = _run_cli(capsys, "diary", str(project), "add", "written after the kill")
    assert code == 0, said
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    for saved in project.parent.glob(f"{project.stem}.backup-*{project.suffix}"):
        copy = sqlite3.connect(f"file:{saved}?mode=ro", uri=True)  # a backup's name: complete
        try:
            assert copy.execute("PRAGMA quick_check").fetchall() == [("ok",)], saved.name
        finally:
            copy.close()


def test_no_kill_leaves_a_project_that_does_not_open(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEMATIC_CODER", "alice")
    current, older = _templates(tmp_path)
    rng = random.Random(SEED)
    where: Counter[str] = Counter()
    leftovers: Counter[str] = Counter()
    acked_total = 0
    project, acked = current, set[int]()
    for kill in range(KILLS):
        migrating = kill % MIGRATE_EVERY == 0
        if migrating or kill == 1:
            project = tmp_path / f"drill-{kill}.thematic"
            shutil.copyfile(older if migrating else current, project)
            acked = set()
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.core.drill_child", str(project), str(SEED + kill)],
            cwd=REPO, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        # Migrations start at once and last a few tenths of a second; loops go on for ever.
        child_time = rng.uniform(0.0, 0.45 if migrating else 0.9)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=child_time)
        os.kill(child.pid, signal.SIGKILL)
        output = child.stdout.read()
        child.wait()
        assert child.returncode == -signal.SIGKILL, f"the drill child failed:\n{output}"
        lines = output.split("\n")[:-1]  # a last line cut by the kill is not acknowledged
        acked |= {int(line.split()[1]) for line in lines if line.startswith("ack ")}
        acked_total += sum(1 for line in lines if line.startswith("ack "))
        steps = [line[3:] for line in lines if line.startswith("at ")]
        where[steps[-1] if steps else "start"] += 1
        for suffix in SIDE_FILES:
            if Path(f"{project}{suffix}").exists():
                leftovers[suffix] += 1
        _first_open(("read-only verb", "window", "writing verb")[kill % 3], project, capsys)
        _check(project, acked, capsys)
    with capsys.disabled():
        print(f"\nkill drill: {KILLS} kills, all recovered; killed at "
              + ", ".join(f"{step} {n}" for step, n in sorted(where.items()))
              + f"; left behind: -journal {leftovers['-journal']}, -wal {leftovers['-wal']}; "
              f"{acked_total} acknowledged codings, none missing")
