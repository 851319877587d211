"""The audit trail's verbs: ``audit PROJECT`` lists the trail (``--json`` every field), and
the verbs that make it trustworthy to an outsider: ``coder`` (roles), ``signoff`` and
``snapshot`` (each signs the chain head with the acting coder's key) and
``audit PROJECT --verify [--against FILE]``, which checks the chain, every signed anchor,
this machine's witness log and, when given, an exported trail, and says what it checked.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sqlalchemy import select

from thematic_workbench.cli.output import print_json, print_table
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.phases import phase_info
from thematic_workbench.core.services import coders, review, snapshots
from thematic_workbench.core.services.coders import ROLE_WORDS
from thematic_workbench.core.storage.audit import is_tombstone
from thematic_workbench.core.storage.models import AuditEvent
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail import keys
from thematic_workbench.core.trail.anchors import list_anchors
from thematic_workbench.core.trail.trail_verify import ExportedTrail, TrailReport, verify_trail
from thematic_workbench.io.exported_trail import read_exported_trail_file

ROLE_CHOICES = {"analyst": "analyst", "second-coder": "second_coder",
                "supervisor": "supervisor"}


def add_trust_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                    common: argparse.ArgumentParser) -> None:
    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
        return sub

    coder = verb("coder", "add a coder or change a coder's role")
    coder.add_argument("name", metavar="NAME", help="the coder's name")
    coder.add_argument("--role", choices=tuple(ROLE_CHOICES), required=True)

    signoff = verb("signoff", "sign off a phase as a supervisor (--coder), signing the "
                              "audit trail's head with your key")
    signoff.add_argument("phase", metavar="PHASE", type=int, choices=range(1, 7),
                         help="the phase, 1 to 6")
    signoff.add_argument("--note", metavar="TEXT", default="")

    snapshot = verb("snapshot", "freeze the coding frame under a name, signing the audit "
                                "trail's head with your key")
    snapshot.add_argument("name", metavar="NAME")
    snapshot.add_argument("--note", metavar="TEXT", default="")

    audit = verbs.choices.get("audit")
    if audit is not None:
        audit.add_argument("--against", metavar="FILE", type=Path,
                           help="with --verify: an exported audit trail (.csv or .docx) "
                                "the project must still extend")


def cmd_coder(args: argparse.Namespace) -> int:
    role = ROLE_CHOICES[args.role]
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        change = coders.set_coder_role(tx, args.name, role)
    name = " ".join(args.name.split())
    if change.empty:
        print(f"{name} is already {ROLE_WORDS[role]}")
    elif change.added.get(Kind.CODER):
        print(f"added {name} as {ROLE_WORDS[role]}")
    else:
        print(f"{name} is now {ROLE_WORDS[role]}")
    return 0


def _signed(store: ProjectStore, kind: str, entity_id: int | None) -> str:
    with store.read() as session:
        anchor = next(a for a in reversed(list_anchors(session))
                      if (a.kind, a.entity_id) == (kind, entity_id))
    return (f"signed by {anchor.coder} at event {anchor.seq} "
            f"(key {keys.fingerprint(anchor.public_key)})")


def cmd_signoff(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project) as store:
        with store.transaction(args.coder) as tx:
            sign_off_id = review.sign_off_phase(tx, args.phase, args.note).new_id(Kind.SIGN_OFF)
        signed = _signed(store, "sign_off", sign_off_id)
    print(f"phase {args.phase} ({phase_info(args.phase).name}) signed off; {signed}")
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project) as store:
        with store.transaction(args.coder) as tx:
            snapshot_id = snapshots.create_snapshot(tx, args.name, args.note).new_id(Kind.SNAPSHOT)
        signed = _signed(store, "snapshot", snapshot_id)
    print(f"snapshot '{' '.join(args.name.split())}' taken; {signed}")
    return 0


def read_against(path: Path) -> ExportedTrail:
    """An exported trail (.csv or .docx) as the head, anchors and hashes it states."""
    return read_exported_trail_file(path)


def report_json(report: TrailReport) -> dict[str, object]:
    return {
        "intact": report.intact, "events": report.events,
        "first_bad_event": report.first_bad_seq,
        "problems": [{"event": p.first_bad_seq, "message": p.message}
                     for p in sorted(report.problems, key=lambda p: p.first_bad_seq)],
        "anchors": len(report.anchors), "witnessed_closes": len(report.witnessed),
        "against": report.against.name if report.against else None,
        "vouched_up_to": report.vouched_seq,
        "kept_trails": [{"merge": c.merge_id, "project": c.title, "merged_at_event": c.merged_at,
                         "events": c.events, "intact": c.intact, "problem": c.problem}
                        for c in report.kept],
        "redacted": [{"seq": r.seq, "at": r.at, "by": r.coder, "reason": r.reason,
                      "recorded_at_event": r.recorded_seq, "kept_by_merge": r.merge_id,
                      "recorded_in_trail_kept_by_merge": r.recorded_in}
                     for r in report.redacted],
    }


def verify(args: argparse.Namespace) -> int:
    against_file = getattr(args, "against", None)
    against = read_against(against_file) if against_file else None
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        report = verify_trail(session, store.path, against)
    if getattr(args, "json", False):
        print_json(report_json(report))
    else:
        print(report.describe())
    first = report.first_problem()
    if first is not None:
        raise WorkbenchError(f"audit trail BROKEN: first bad event {first.first_bad_seq}: "
                             f"{first.message}")
    return 0


def list_audit(args: argparse.Namespace) -> int:
    """The trail, event by event: a table, or every field as JSON. An event whose payloads
    a redaction erased says so (its before and after are only the tombstone)."""
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        events = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
        if args.json:
            print_json([{
                "seq": e.seq, "at": e.at, "coder": e.coder, "phase": e.phase,
                "action": e.action, "entity_kind": e.entity_kind, "entity_id": e.entity_id,
                "before": json.loads(e.before_json) if e.before_json else None,
                "after": json.loads(e.after_json) if e.after_json else None,
                "redacted": is_tombstone(e), "hash_version": e.hash_version,
                "payload_sha256": e.payload_sha256, "prev_hash": e.prev_hash, "hash": e.hash,
            } for e in events])
        else:
            print_table(["seq", "time (UTC)", "coder", "phase", "action", "entity", "payload"],
                        [[e.seq, e.at[:19].replace("T", " "), e.coder, e.phase, e.action,
                          f"{e.entity_kind} {e.entity_id or ''}".strip(),
                          "erased by a redaction" if is_tombstone(e) else ""] for e in events])
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """``audit``: with ``--verify`` the full check; otherwise the listing as before."""
    if args.verify:
        return verify(args)
    if getattr(args, "against", None):
        raise WorkbenchError("--against FILE is used with --verify")
    return list_audit(args)


HANDLERS = {"coder": cmd_coder, "signoff": cmd_signoff, "snapshot": cmd_snapshot,
            "audit": cmd_audit}
