"""Erasing real strings from the audit trail: every event that holds one (ours, older and
newer, and kept trails) loses its payloads to a tombstone through a recorded redaction, the
trail still verifies and says what was erased, and any other change to an erased event, an
un-erased payload or an erasure without its record is still caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.core.helpers_docs import imported
from tests.core.tamper import Forger
from tests.core.v1_trail import v1_tx
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import InvariantError, ProjectError
from thematic_workbench.core.services import annotations, codes, codings, diary
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.merge import merge_project
from thematic_workbench.core.storage.audit import TOMBSTONE, latest_before
from thematic_workbench.core.storage.copying import copy_project
from thematic_workbench.core.storage.models import AuditEvent, KeptEvent, Redaction
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.redaction import redact_strings
from thematic_workbench.core.trail.trail_verify import TrailReport, verify_trail

TEXT = "PA: Dr Ann Kerr saw me weekly. Annual reviews were kinder.\n"
NAME = "Ann Kerr"


def _study(path: Path) -> dict[str, int]:
    """A trail holding the name in older (version-1) events and in newer ones; returns the
    sequences of some of them."""
    seqs: dict[str, int] = {}
    with ProjectStore.create(path, "Erasure", coder="Ana") as store:
        with store.transaction("Ana") as tx:  # written as before schema 0008
            tx = v1_tx(tx.session, "Ana")
            codes.create_code(tx, "\"Ann Kerr saw me\"")
            seqs["older"] = tx.audit_writer.head[0]
            codes.create_code(tx, "Annual reviews")
            seqs["older, no name"] = tx.audit_writer.head[0]
        with store.transaction("Ana") as tx:
            document = import_document(tx, imported(TEXT, "PA")).new_id(Kind.DOCUMENT)
            code = codes.create_code(tx, "Supervision").new_id(Kind.CODE)
            seqs["no name"] = tx.audit_writer.head[0]
            codings.apply_coding(tx, document, code, 4, 30, memo="ANN KERR again")
            seqs["memo"] = tx.audit_writer.head[0]
            annotations.add_annotation(tx, document, 0, 2, "ask about\nAnn Kerr")
            seqs["note"] = tx.audit_writer.head[0]
            diary.add_entry(tx, "Nothing identifying here.")
            seqs["diary"] = tx.audit_writer.head[0]
    return seqs


def _payloads(session: Session, model: Any = AuditEvent) -> dict[int, tuple[str | None, ...]]:
    rows = session.execute(select(model.seq, model.before_json, model.after_json))
    return {seq: (before, after) for seq, before, after in rows}


def _verify(path: Path) -> TrailReport:
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        return verify_trail(session, path)


@pytest.fixture
def erased(tmp_path: Path) -> tuple[Path, dict[str, int], dict[int, tuple[str | None, ...]]]:
    """The study, its payloads before, then the name erased from its trail."""
    path = tmp_path / "study.thematic"
    seqs = _study(path)
    with ProjectStore.open(path) as store:
        with store.read() as session:
            before = _payloads(session)
        with store.transaction("Ana") as tx:
            report, change = redact_strings(tx, [NAME], "pseudonymisation")
        seqs["recorded"] = report.recorded_seq or 0
        assert change.changed[Kind.AUDIT_EVENT] == report.events
    return path, seqs, before


def test_every_event_holding_the_name_loses_its_payloads_and_the_trail_verifies(
        erased: tuple[Path, dict[str, int], dict[int, tuple[str | None, ...]]]) -> None:
    path, seqs, before = erased
    holding = {seq for seq, payloads in before.items()
               if any(NAME.lower() in json.dumps(json.loads(p or "null")).lower()
                      or NAME.lower() in (p or "").lower() for p in payloads)}
    assert {seqs["older"], seqs["memo"], seqs["note"]} <= holding
    with ProjectStore.open(path, readonly=True) as store, store.read() as session:
        after = _payloads(session)
        recorded = session.get(AuditEvent, seqs["recorded"])
        rows = session.execute(select(Redaction.seq, Redaction.reason, Redaction.coder,
                                      Redaction.fields_sha256)).all()
    assert {seq for seq, payloads in after.items() if payloads == (TOMBSTONE, TOMBSTONE)} \
        == holding
    for seq in set(before) - holding:  # "Annual reviews" is not the name: left as it was
        assert after[seq] == before[seq]
    assert seqs["older, no name"] not in holding
    assert not any(NAME.lower() in (p or "").lower() for ps in after.values() for p in ps)
    assert recorded is not None and recorded.action == "audit.redact"
    stated = json.loads(recorded.after_json or "")
    assert stated["events"] == sorted(holding) and stated["reason"] == "pseudonymisation"
    assert {(seq, reason, coder) for seq, reason, coder, _f in rows} == \
        {(seq, "pseudonymisation", "Ana") for seq in holding}
    assert {seq for seq, _r, _c, fields in rows if fields} == {seqs["older"]}  # version 1

    report = _verify(path)
    assert report.intact, report.describe()
    assert [r.seq for r in report.redacted] == sorted(holding)
    assert (f"{len(holding)} events redacted (payloads erased at event {seqs['recorded']} "
            "by Ana: pseudonymisation); their links checked; 1 written before payload "
            "digests were kept: their other fields checked against the digest kept") \
        in report.lines()


def test_nothing_to_erase_writes_nothing_and_the_reason_holds_no_name(
        tmp_path: Path) -> None:
    path = tmp_path / "study.thematic"
    _study(path)
    with ProjectStore.open(path) as store:
        with store.transaction("Ana") as tx:
            head = tx.audit_writer.head
            report, change = redact_strings(tx, ["Okafor", "  "], "pseudonymisation")
            assert report.total == 0 and change.empty and tx.audit_writer.head == head
        with pytest.raises(InvariantError, match="reason"), store.transaction("Ana") as tx:
            redact_strings(tx, [NAME], "asked by Ann Kerr")


def test_restoring_what_an_erased_event_recorded_is_refused_plainly(
        erased: tuple[Path, dict[str, int], dict[int, tuple[str | None, ...]]]) -> None:
    path, seqs, _before = erased
    with ProjectStore.open(path) as store, store.transaction("Ana") as tx:
        event = tx.session.get(AuditEvent, seqs["older"])
        assert event is not None
        with pytest.raises(InvariantError, match="erased from the audit trail"):
            latest_before(tx.session, event.action, event.entity_id or 0)


def _forge(path: Path, statement: str, *values: object) -> None:
    with Forger(path) as forger:
        forger.conn.execute(statement, values)


def _broken_at(path: Path) -> tuple[int | None, str]:
    report = _verify(path)
    first = report.first_problem()
    assert not report.intact and first is not None, report.describe()
    return first.first_bad_seq, first.message


@pytest.mark.parametrize("which", ["memo", "older"], ids=["version 2", "version 1"])
def test_another_field_of_an_erased_event_changed_is_caught(
        erased: tuple[Path, dict[str, int], dict[int, tuple[str | None, ...]]],
        which: str) -> None:
    path, seqs, _before = erased
    _forge(path, "UPDATE audit_event SET coder = 'Mallory' WHERE seq = ?", seqs[which])
    seq, message = _broken_at(path)
    assert seq == seqs[which] and "was edited" in message


def test_an_erased_payload_put_back_is_caught(
        erased: tuple[Path, dict[str, int], dict[int, tuple[str | None, ...]]]) -> None:
    path, seqs, before = erased
    _forge(path, "UPDATE audit_event SET before_json = ?, after_json = ? WHERE seq = ?",
           *before[seqs["memo"]], seqs["memo"])  # the very payload its digest covers
    seq, message = _broken_at(path)
    assert seq == seqs["memo"] and "un-redacted" in message


def test_a_payload_changed_or_erased_without_a_record_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "study.thematic"
    seqs = _study(path)
    _forge(path, "UPDATE audit_event SET after_json = '{\"body\":\"edited\"}' WHERE seq = ?",
           seqs["diary"])
    seq, message = _broken_at(path)
    assert seq == seqs["diary"] and "no longer matches its digest" in message
    _forge(path, "UPDATE audit_event SET before_json = ?, after_json = ? WHERE seq = ?",
           TOMBSTONE, TOMBSTONE, seqs["diary"])
    seq, message = _broken_at(path)
    assert seq == seqs["diary"] and "erased without a recorded redaction" in message


def test_an_erasure_recorded_only_in_the_redaction_table_is_caught(tmp_path: Path) -> None:
    """A forger adds a redaction row and a tombstone, as the triggers allow, but no event
    records it: the chain passes, the records do not."""
    path = tmp_path / "study.thematic"
    seqs = _study(path)
    with ProjectStore.open(path) as store, store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO redaction (merge_id, seq, at, coder, reason, recorded_seq) "
            "VALUES (NULL, ?, '2026-12-12T09:00:00Z', 'Mallory', 'tidying', ?)",
            (seqs["diary"], seqs["diary"]))
        conn.exec_driver_sql("UPDATE audit_event SET before_json = ?, after_json = ? "
                             "WHERE seq = ?", (TOMBSTONE, TOMBSTONE, seqs["diary"]))
    report = _verify(path)
    assert report.chain.intact and not report.intact
    first = report.first_problem()
    assert first is not None and first.first_bad_seq == seqs["diary"]
    assert "no redaction event to record it" in first.message


def test_a_redaction_record_removed_is_caught(
        erased: tuple[Path, dict[str, int], dict[int, tuple[str | None, ...]]]) -> None:
    path, seqs, _before = erased
    _forge(path, "DELETE FROM redaction WHERE seq = ?", seqs["note"])
    seq, message = _broken_at(path)
    assert seq == seqs["note"] and "erased without a recorded redaction" in message


def test_an_event_that_no_longer_verifies_is_not_erased(tmp_path: Path) -> None:
    path = tmp_path / "study.thematic"
    seqs = _study(path)
    _forge(path, "UPDATE audit_event SET coder = 'Mallory' WHERE seq = ?", seqs["older"])
    with ProjectStore.open(path) as store, \
            pytest.raises(InvariantError, match=f"event {seqs['older']} .* no longer matches"), \
            store.transaction("Ana") as tx:
        redact_strings(tx, [NAME], "pseudonymisation")


def test_a_project_open_read_only_is_not_compacted(tmp_path: Path) -> None:
    path = tmp_path / "study.thematic"
    ProjectStore.create(path).close()
    with ProjectStore.open(path, readonly=True) as store, \
            pytest.raises(ProjectError, match="read-only"):
        store.compact()


def test_a_kept_trail_is_erased_too_and_still_verifies(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ana.thematic", tmp_path / "ben.thematic"
    ProjectStore.create(ours, "Merged", coder="Ana").close()
    copy_project(ours, theirs, "Ana")
    with ProjectStore.open(theirs) as store, store.transaction("Ben") as tx:
        codes.create_code(tx, "Ann Kerr's advice")
    merge_project(ours, theirs, "Ana")
    with ProjectStore.open(ours) as store:
        with store.transaction("Ana") as tx:
            report, _change = redact_strings(tx, [NAME], "pseudonymisation")
        with store.read() as session:
            kept = _payloads(session, KeptEvent)
    ((merge_id, erased_kept),) = report.kept.items()
    assert erased_kept and all(kept[seq] == (TOMBSTONE, TOMBSTONE) for seq in erased_kept)
    assert not any(NAME in (p or "") for ps in kept.values() for p in ps)
    verified = _verify(ours)
    assert verified.intact, verified.describe()
    assert all(check.intact for check in verified.kept)
    assert {r.seq for r in verified.redacted if r.merge_id == merge_id} == set(erased_kept)
    assert any(f"of them in kept trails (payloads erased at event {report.recorded_seq}"
               in line for line in verified.lines())


def test_erasure_works_on_a_server(server_url: str) -> None:
    with ProjectStore.create(server_url, "Team", coder="Ana") as store:
        with store.transaction("Ana") as tx:
            codes.create_code(tx, "\"Ann Kerr saw me\"")
        with store.transaction("Ana") as tx:
            report, _change = redact_strings(tx, [NAME], "pseudonymisation")
        assert len(report.events) == 1
        assert store.compact() is False  # reclaiming storage is the server's own business
    with ProjectStore.open(server_url, readonly=True) as store, store.read() as session:
        verified = verify_trail(session, None)
        payloads = _payloads(session)
    assert verified.intact, verified.describe()
    assert payloads[report.events[0]] == (TOMBSTONE, TOMBSTONE)


def test_a_copy_pseudonymised_before_the_merge_keeps_its_erasures_verifiable(
        tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ana.thematic", tmp_path / "ben.thematic"
    ProjectStore.create(ours, "Merged", coder="Ana").close()
    copy_project(ours, theirs, "Ana")
    with ProjectStore.open(theirs) as store:
        with store.transaction("Ben") as tx:
            codes.create_code(tx, "Ann Kerr's advice")
            codes.create_code(tx, "Older advice")
        with store.transaction("Ben") as tx:
            erased_there, _change = redact_strings(tx, [NAME], "pseudonymisation")
    merge_project(ours, theirs, "Ana")
    verified = _verify(ours)
    assert verified.intact, verified.describe()
    kept = {r.seq for r in verified.redacted if r.recorded_in is not None}
    assert kept == set(erased_there.events)
    assert any(line.startswith(f"{len(kept)} event") and "of a kept trail" in line
               and f"at its event {erased_there.recorded_seq} by Ben" in line
               for line in verified.lines())
    # Removing one of the records kept with it is caught too.
    _forge(ours, "DELETE FROM redaction WHERE recorded_in IS NOT NULL")
    report = _verify(ours)
    assert not report.intact and any("kept by the merge" in p.message and "BROKEN" in p.message
                                     for p in report.problems), report.describe()
