"""Signing keys, anchors made at sign-offs and snapshots, the witness log and migration 0006."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text

from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import coders, review, snapshots
from thematic_workbench.core.storage import migrate, witness
from thematic_workbench.core.storage.models import AuditEvent, CoderKey
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail import keys
from thematic_workbench.core.trail.anchors import list_anchors, registered_keys
from thematic_workbench.core.trail.trail_verify import verify_trail


def test_a_key_is_made_once_readable_by_its_owner_only_in_the_redirected_folder(
        tmp_path: Path) -> None:
    first = keys.load_or_create("Sue Supervisor")
    path = keys.key_path("Sue Supervisor")
    assert path.is_relative_to(keys.config_dir())
    assert keys.config_dir() == Path(os.environ["THEMATIC_CONFIG_DIR"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.public_hex(keys.load_or_create("Sue Supervisor")) == keys.public_hex(first)
    assert keys.public_hex(keys.load_or_create("Ana")) != keys.public_hex(first)
    message = b"head"
    signature = first.sign(message).hex()
    assert keys.signature_ok(keys.public_hex(first), message, signature)
    assert not keys.signature_ok(keys.public_hex(first), b"other head", signature)


def test_a_sign_off_and_a_snapshot_sign_the_head_with_their_makers_keys(
        store: ProjectStore) -> None:
    with store.transaction("researcher") as tx:
        coders.set_coder_role(tx, "Sue", "supervisor")
    with store.transaction("Sue") as tx:
        review.sign_off_phase(tx, 1, "checked")
        signed_off = tx.audit_writer.head
    with store.transaction("researcher") as tx:
        snapshots.create_snapshot(tx, "Before themes")
        snapped = tx.audit_writer.head
    with store.read() as session:
        anchors = list_anchors(session)
        owners = registered_keys(session)
        key_events = session.execute(select(AuditEvent.coder, AuditEvent.after_json)
                                     .where(AuditEvent.action == "coder.key")).all()
        sign_off_event = session.execute(select(AuditEvent.after_json).where(
            AuditEvent.action == "phase.sign_off")).scalar_one()
        report = verify_trail(session)
    assert [(a.kind, a.coder, a.seq, a.head_hash) for a in anchors] == [
        ("sign_off", "Sue", *signed_off), ("snapshot", "researcher", *snapped)]
    sue = keys.public_hex(keys.load_or_create("Sue"))
    assert owners[sue] == "Sue" and anchors[0].public_key == sue
    assert [coder for coder, _after in key_events] == ["Sue", "researcher"]
    assert json.loads(key_events[0][1])["public_key"] == sue
    assert json.loads(sign_off_event)["signed_with"] == keys.fingerprint(sue)
    assert report.intact, report.describe()
    assert report.vouched_seq == snapped[0]
    assert "2 signed anchors checked (by Sue, researcher)" in report.describe()


def test_an_analyst_cannot_sign_off_and_gets_no_key(store: ProjectStore) -> None:
    with pytest.raises(InvariantError, match="only a supervisor can sign off"), \
            store.transaction("Ana") as tx:
        review.sign_off_phase(tx, 1)
    assert not keys.key_path("Ana").exists()
    with store.read() as session:
        assert session.execute(select(CoderKey)).first() is None


def test_a_second_key_for_a_coder_is_announced_and_both_verify(store: ProjectStore) -> None:
    with store.transaction("researcher") as tx:
        snapshots.create_snapshot(tx, "one")
    keys.key_path("researcher").unlink()  # another machine, or a lost key
    with store.transaction("researcher") as tx:
        snapshots.create_snapshot(tx, "two")
    with store.read() as session:
        assert len(registered_keys(session)) == 2
        report = verify_trail(session)
    assert report.intact, report.describe()


def test_each_close_appends_the_head_with_stepping_stones_to_the_witness_log(
        tmp_path: Path) -> None:
    path = tmp_path / "w.thematic"
    ProjectStore.create(path, coder="Ana").close()
    with ProjectStore.open(path) as store, store.transaction("Ana") as tx:
        snapshots.create_snapshot(tx, "one")
        head = tx.audit_writer.head
    with ProjectStore.open(path, readonly=True):
        pass  # a read-only close witnesses nothing
    with ProjectStore.open(path):
        pass  # nothing new: no repeated line
    lines = witness.log_path().read_text(encoding="utf-8").splitlines()
    assert witness.log_path().is_relative_to(witness.data_dir())
    assert len(lines) == 2
    last = json.loads(lines[-1])
    assert (last["project"], last["seq"], last["hash"]) == (str(path.resolve()), *head)
    assert [seq for seq, _hash in last["stones"]] == witness.stone_seqs(head[0])


def test_a_project_whose_folder_name_is_not_utf8_is_witnessed_and_found_again(
        tmp_path: Path) -> None:
    try:
        folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))  # Latin-1, not UTF-8
        folder.mkdir()
    except (OSError, UnicodeError) as exc:
        pytest.skip(f"this file system refuses a name that is not UTF-8 ({exc})")
    path = folder / "w.thematic"
    ProjectStore.create(path, coder="Ana").close()
    with ProjectStore.open(path) as store, store.transaction("Ana") as tx:
        snapshots.create_snapshot(tx, "one")
        head = tx.audit_writer.head
    ProjectStore.open(path).close()  # the lock was released by the close that witnessed
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        created = session.execute(text("SELECT created_at FROM project")).scalar_one()
        assert verify_trail(session, path).intact
    assert (witness.entries_for(path, created)[-1].seq,
            witness.entries_for(path, created)[-1].hash) == head


def test_stepping_stones_are_dense_near_the_head() -> None:
    assert witness.stone_seqs(3) == [1, 2, 3]
    assert witness.stone_seqs(40)[-6:] == [32, 34, 36, 37, 38, 39, 40][-6:]
    assert len(witness.stone_seqs(150_000)) < 40


def test_migration_0006_adds_keys_anchors_and_their_guards(store: ProjectStore) -> None:
    assert migrate.SCHEMA_VERSION >= 6
    assert "0006_signed_anchors" in {r.revision for r in migrate._script().walk_revisions()}
    with store.read() as session:
        triggers = set(session.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    assert {"audit_anchor_no_update", "audit_anchor_no_delete"} <= triggers
