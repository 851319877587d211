"""The process the kill drill kills: open, code, close, again, until SIGKILL arrives.

Run as ``python -m tests.core.drill_child PROJECT SEED``. It prints ``ready`` once its
imports are done, ``at STEP`` before each step (so the drill can say where a kill landed),
and ``ack ID`` only after the transaction that added coding ID has committed: those codings
must all be in the project after the kill. An older project is migrated by the first open.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.storage import migrate
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.sqlitefile import connect_read_only
from thematic_workbench.core.storage.store import ProjectStore

CODER = "drill"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _older(path: Path) -> bool:
    conn = connect_read_only(path)  # a bare look: repairing is the store's job
    try:
        return bool(conn.execute("PRAGMA user_version").fetchone()[0] < migrate.SCHEMA_VERSION)
    finally:
        conn.close()


def main(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    say("ready")
    cycle = 0
    while True:
        cycle += 1
        say("at migrate" if _older(path) else "at open")  # a migration takes a backup first
        store = ProjectStore.open(path)
        with store.read() as session:
            document = session.query(Document).order_by(Document.id).first()
            assert document is not None, "the drill's project holds a transcript"
            doc_id, length = document.id, len(document.text)
        say("at write")
        with store.transaction(CODER) as tx:
            code_id = create_code(tx, f"drill {seed} {cycle}").new_id("code")
        for start in range(rng.randint(1, 4)):
            with store.transaction(CODER) as tx:
                coding_id = apply_coding(tx, doc_id, code_id, start,
                                         min(length, start + 5)).new_id("coding")
            say(f"ack {coding_id}")
        say("at close")
        store.close()
        if cycle % 3 == 0:
            say("at read-only open")
            with ProjectStore.open(path, readonly=True) as reader, reader.read() as session:
                session.query(Document).count()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
