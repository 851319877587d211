"""The large project the coding benchmarks run in: 200 transcripts, 500 codes, 50,000 codings.

Documents go in through ``read_document`` and ``import_document`` (one transaction each,
as the CLI does) and codes through ``create_code``, so those tables look as they do in
real use. The 50,000 codings are inserted in bulk in one transaction; their audit events
are written in bulk too, continuing the hash chain exactly as ``apply_coding`` would
(same action, same ``after`` content), so the audit table has a realistic size and
``verify_chain`` still passes.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from sqlalchemy import insert, select

from tests.benchmarks.corpus import SEED
from tests.benchmarks.phrases import code_names
from thematic_workbench.core.services.codes import create_code
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.audit import event_hash, to_json
from thematic_workbench.core.storage.models import AuditEvent, Code, Coding, Line
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.timestamps import utc_now
from thematic_workbench.io.reader import read_document

CODER = "researcher"
CODES = 500
CODINGS = 50_000
MAX_CODING_LINES = 8


@dataclass(frozen=True)
class LargeProject:
    """The built project file and the ids the benchmarks use."""

    path: Path
    documents: int
    codes: int
    codings: int
    typical_code_id: int
    typical_code_codings: int


def import_files(store: ProjectStore, files: list[Path]) -> None:
    """Import each file in its own transaction, the participant named after the file."""
    for file in files:
        imported = read_document(file)
        with store.transaction(CODER) as tx:
            import_document(tx, imported, participant=file.stem)


def _create_codes(store: ProjectStore, rng: random.Random, count: int) -> None:
    with store.transaction(CODER) as tx:
        for name in code_names(count, rng):
            create_code(tx, name, definition=f"Passages about {name.lower()}.")


def coding_rows(tx: Tx, rng: random.Random, count: int) -> list[dict[str, object]]:
    """``count`` distinct line-aligned codings; code popularity is skewed, as in real use."""
    lines: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for document_id, start, end in tx.session.execute(
            select(Line.document_id, Line.start, Line.end).order_by(Line.document_id,
                                                                    Line.number)):
        lines[document_id].append((start, end))
    code_ids = list(tx.session.execute(select(Code.id).order_by(Code.id)).scalars())
    cumulative = list(accumulate(rng.lognormvariate(0, 0.6) for _ in code_ids))
    document_ids = sorted(lines)
    seen: set[tuple[int, int, int, int]] = set()
    rows: list[dict[str, object]] = []
    stamp = utc_now()
    while len(rows) < count:
        document_id = rng.choice(document_ids)
        code_id = rng.choices(code_ids, cum_weights=cumulative)[0]
        spans = lines[document_id]
        first = rng.randrange(len(spans))
        last = min(len(spans) - 1, first + rng.randrange(MAX_CODING_LINES))
        key = (document_id, code_id, spans[first][0], spans[last][1])
        if key in seen:
            continue
        seen.add(key)
        rows.append({"id": len(rows) + 1, "document_id": document_id, "code_id": code_id,
                     "coder_id": tx.coder_id, "start": key[2], "end": key[3], "memo": "",
                     "created_at": stamp})
    return rows


def audit_rows(tx: Tx, codings: list[dict[str, object]]) -> list[dict[str, object]]:
    """The ``coding.apply`` events ``apply_coding`` would have written, chained."""
    names = dict(tx.session.execute(select(Code.id, Code.name)).all())
    tail = tx.session.execute(select(AuditEvent.seq, AuditEvent.hash)
                              .order_by(AuditEvent.seq.desc()).limit(1)).one()
    seq, prev = tail.seq, tail.hash
    rows: list[dict[str, object]] = []
    for coding in codings:
        seq += 1
        after = {key: value for key, value in coding.items() if key != "created_at"}
        after["code"] = names[coding["code_id"]]
        event = {"seq": seq, "at": coding["created_at"], "coder": tx.coder_name,
                 "phase": tx.phase, "action": "coding.apply", "entity_kind": "coding",
                 "entity_id": coding["id"], "before_json": None, "after_json": to_json(after),
                 "prev_hash": prev}
        prev = event["hash"] = event_hash(**event)
        rows.append(event)
    return rows


def build_large_project(path: Path, files: list[Path], codes: int = CODES,
                        codings: int = CODINGS) -> LargeProject:
    """Create the project at ``path``; the file is closed and checkpointed when this returns."""
    rng = random.Random(f"{SEED}-project")
    with ProjectStore.create(path, "Benchmark study", coder=CODER) as store:
        import_files(store, files)
        _create_codes(store, rng, codes)
        with store.transaction(CODER) as tx:
            rows = coding_rows(tx, rng, codings)
            # Core inserts on the session's connection: the ORM bulk path costs seconds here.
            connection = tx.session.connection()
            connection.execute(insert(Coding.__table__), rows)
            connection.execute(insert(AuditEvent.__table__), audit_rows(tx, rows))
        raw = store.engine.raw_connection()  # outside any transaction, unlike connect()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    per_code = Counter(row["code_id"] for row in rows)
    typical_id, typical_count = min(per_code.items(), key=lambda item: abs(item[1] - 100))
    return LargeProject(path, len(files), codes, len(rows), int(typical_id), typical_count)
