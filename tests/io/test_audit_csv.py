"""The audit trail as CSV: what Excel gets, that it matches the chain, and no half files."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.reports.appendices import audit_export
from thematic_workbench.core.services import codes, snapshots
from thematic_workbench.core.storage.audit import (
    GENESIS_HASH,
    event_hash,
    event_hash_v2,
    payload_digest,
)
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.anchors import list_anchors
from thematic_workbench.core.trail.audit_queries import AuditFilter, AuditRow, iter_audit_rows
from thematic_workbench.core.trail.trail_verify import TrailFileError
from thematic_workbench.io.audit_csv import (
    COLUMNS,
    export_audit_csv,
    read_exported_trail,
    write_audit_csv,
)


@pytest.fixture
def trail(store: ProjectStore) -> ProjectStore:
    with store.transaction("alice") as tx:
        code = codes.create_code(tx, "Émotions, « dites »").new_id("code")
        codes.define_code(tx, code, 'She said "enough", then laughed\nand left')
    with store.transaction("=HYPERLINK(evil)") as tx:
        codes.rename_code(tx, code, "Feelings")
    return store


def _all(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _read(path: Path) -> list[dict[str, str]]:
    """The event rows (the head and anchor rows after them are tested apart)."""
    return [row for row in _all(path) if row["id"].isdigit()]


def test_export_has_a_bom_the_columns_and_every_event_oldest_first(
        trail: ProjectStore, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    with trail.read() as db:
        count = export_audit_csv(audit_export(db), target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _read(target)
    assert count == len(rows) == 7
    assert tuple(rows[0]) == COLUMNS
    assert [int(row["id"]) for row in rows] == list(range(1, 8))
    define = next(row for row in rows if row["action"] == "code.define")
    assert define["coder"] == "alice" and define["phase"] == "1"
    assert define["entity kind"] == "code" and define["entity id"] == "1"
    assert 'She said \\"enough\\", then laughed\\nand left' in define["after"]
    create = next(row for row in rows if row["action"] == "code.create")
    assert "Émotions, « dites »" in create["after"] and create["before"] == ""


def test_a_full_export_lets_anyone_recompute_the_hash_chain(
        trail: ProjectStore, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    with trail.read() as db:
        export_audit_csv(audit_export(db), target)
    previous = GENESIS_HASH
    for row in _read(target):
        coder = row["coder"].removeprefix("'")  # the formula guard, see below
        fields = (int(row["id"]), row["time"], coder, int(row["phase"]), row["action"],
                  row["entity kind"], int(row["entity id"]) if row["entity id"] else None)
        payloads = (row["before"] or None, row["after"] or None)
        if row["payload sha256"]:  # hashed over the payloads' digest, stated beside them
            assert row["payload sha256"] == payload_digest(*payloads)
            digest = event_hash_v2(*fields, row["payload sha256"], previous)
        else:  # an event written before digests were kept: over the payloads themselves
            digest = event_hash(*fields, *payloads, previous)
        assert digest == row["hash"], f"event {row['id']} does not match its hash"
        previous = digest
    assert all(row["payload sha256"] for row in _read(target))  # new events: version 2


def test_a_file_exported_before_the_digest_column_is_still_read(
        trail: ProjectStore, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    with trail.read() as db:
        export_audit_csv(audit_export(db), target)
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    digest_at = rows[0].index("payload sha256")
    earlier = tmp_path / "earlier.csv"
    with earlier.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(row[:digest_at] + row[digest_at + 1:] for row in rows)
    now, then = read_exported_trail(target), read_exported_trail(earlier)
    assert (then.head_seq, then.head_hash, then.rows) == (now.head_seq, now.head_hash, now.rows)
    assert len(then.rows) == 7


def test_a_name_a_spreadsheet_would_run_is_written_as_text(
        trail: ProjectStore, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    with trail.read() as db:
        export_audit_csv(audit_export(db), target)
    coders = {row["coder"] for row in _read(target)}
    assert "'=HYPERLINK(evil)" in coders and "=HYPERLINK(evil)" not in coders


def test_a_filtered_export_holds_only_the_matching_events(
        trail: ProjectStore, tmp_path: Path) -> None:
    target = tmp_path / "renames.csv"
    with trail.read() as db:
        assert export_audit_csv(audit_export(db, AuditFilter(action="code.rename")), target) == 1
    (row,) = _read(target)
    assert row["action"] == "code.rename" and '"Feelings"' in row["after"]


def test_a_failure_midway_leaves_the_old_file_and_no_partial_one(
        trail: ProjectStore, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "audit.csv"
    target.write_text("the previous export\n", encoding="utf-8")
    with trail.read() as db:
        rows = list(iter_audit_rows(db))

    def failing() -> Iterator[AuditRow]:
        yield rows[0]
        raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError, match="disk pulled out"):
        write_audit_csv(failing(), target)
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert os.listdir(tmp_path / "out") == ["audit.csv"]


def test_an_unwritable_place_is_a_message_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"audit\.csv: the audit trail could not be"):
        write_audit_csv([], tmp_path / "no such folder" / "audit.csv")
    assert not (tmp_path / "no such folder").exists()


def test_the_export_ends_with_the_chain_head_and_each_signed_anchor(
        trail: ProjectStore, tmp_path: Path) -> None:
    with trail.transaction("alice") as tx:
        snapshots.create_snapshot(tx, "before themes")
        head = tx.audit_writer.head
    target = tmp_path / "audit.csv"
    with trail.read() as db:
        assert export_audit_csv(audit_export(db, AuditFilter(action="code.rename")), target) == 1
        (anchor,) = list_anchors(db)
    rows = _all(target)
    assert [row["id"] for row in rows] == ["7", "head", "anchor"]
    assert (rows[1]["entity id"], rows[1]["hash"]) == (str(head[0]), head[1])
    signed = json.loads(rows[2]["after"])
    assert (rows[2]["coder"], rows[2]["action"], rows[2]["hash"]) == (
        "alice", "anchor.snapshot", head[1])
    assert (signed["seq"], signed["signature"]) == (head[0], anchor.signature)
    exported = read_exported_trail(target)
    assert (exported.head_seq, exported.head_hash) == head
    assert exported.rows == ((7, _read(target)[0]["hash"]),)
    assert exported.anchors == ((head[0], head[1], anchor.signature),)


def test_a_file_that_is_not_an_exported_trail_is_named(tmp_path: Path) -> None:
    other = tmp_path / "codes.csv"
    other.write_text("name,definition\nrun,about running\n", encoding="utf-8")
    with pytest.raises(TrailFileError, match=r"codes\.csv: is not an audit trail exported"):
        read_exported_trail(other)
    old = tmp_path / "old.csv"
    old.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(TrailFileError, match=r"old\.csv: holds no chain head"):
        read_exported_trail(old)
