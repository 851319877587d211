"""Checking the audit trail against everything that vouches for it, and saying what was checked.

The hash chain alone shows an edit or a gap, but not a trail cut back at its end or rewritten
with every hash recomputed. So the trail is also checked against checkpoints kept where a
rewriter cannot simply recompute them: signed anchors (core/trail/anchors.py), the witness log on
this machine (core/storage/witness.py) and an exported copy of the trail (``--against FILE``). Each
checkpoint is a (sequence, hash) pair that must still be on the chain. When one fails, the
first bad event lies after the newest checkpoint below it that still holds; an exported CSV,
which holds every event's hash, names it exactly.

Nothing after the newest checkpoint is vouched for: events appended after it, or removed
from after it, cannot be told from honest ones. :meth:`TrailReport.lines` says so.

Payloads erased by a recorded redaction (core/trail/redaction.py) do not break the chain; the
report lists them, when and by whom they were erased and why, and the records are held
against the ``audit.redact`` events that state them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.storage import witness
from thematic_workbench.core.storage.audit import VerifyResult, verify_chain
from thematic_workbench.core.storage.catalog import has_table, triggers_on
from thematic_workbench.core.storage.models import AuditEvent, Project
from thematic_workbench.core.trail import keys
from thematic_workbench.core.trail.anchors import AnchorView, list_anchors, registered_keys
from thematic_workbench.core.trail.kept_trails import KeptTrailCheck, check_kept_trails
from thematic_workbench.core.trail.redaction import (
    RedactedEvent,
    redacted_events,
    redaction_problems,
)
from thematic_workbench.core.wording import plural

ANCHOR_TRIGGERS = {"audit_anchor_no_update", "audit_anchor_no_delete"}
TRAIL_FORMAT = "thematic-workbench-trail/1"
CLOCK_SKEW_S = 300  # a clock corrected by up to five minutes is not a backdated event
SIGNED_ACTIONS = ("phase.sign_off", "snapshot.create")


class TrailFileError(WorkbenchError):
    """An exported trail given to ``--against`` that cannot be read as one."""


@dataclass(frozen=True)
class ExportedTrail:
    """What an exported appendix says of the trail: its head and the hashes of its rows."""

    name: str
    head_seq: int
    head_hash: str
    rows: tuple[tuple[int, str], ...] = ()
    anchors: tuple[tuple[int, str, str], ...] = ()  # (seq, head hash, signature) as exported


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    source: str  # who vouches: "the sign-off 2 signed by Ana at event 41"
    group: str  # one problem per group is enough (an export can hold 150,000 rows)


@dataclass(frozen=True)
class Problem:
    first_bad_seq: int
    message: str


@dataclass
class TrailReport:
    """Everything verify found, and what it checked."""

    events: int
    chain: VerifyResult
    anchors: list[AnchorView] = field(default_factory=list)
    witnessed: list[witness.WitnessEntry] = field(default_factory=list)
    against: ExportedTrail | None = None
    problems: list[Problem] = field(default_factory=list)
    vouched_seq: int = 0  # the newest event a checkpoint vouches for
    vouched_by: str = ""
    kept: list[KeptTrailCheck] = field(default_factory=list)  # other projects' merged trails
    redacted: list[RedactedEvent] = field(default_factory=list)  # events whose payloads went

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_bad_seq(self) -> int | None:
        return min((p.first_bad_seq for p in self.problems), default=None)

    def first_problem(self) -> Problem | None:
        return min(self.problems, key=lambda p: p.first_bad_seq, default=None)

    def lines(self) -> list[str]:
        """What was checked and what was found, one statement a line, problems first."""
        found = [f"event {p.first_bad_seq}: {p.message}" for p in
                 sorted(self.problems, key=lambda p: p.first_bad_seq)]
        head = (f"audit trail BROKEN: first bad event {self.first_bad_seq}" if found else
                f"audit trail intact: {plural(self.events, 'event', grouped=False)}")
        checked = ["hash chain recomputed over every event"]
        signers = sorted({a.coder for a in self.anchors})
        if self.anchors:
            checked.append(f"{plural(len(self.anchors), 'signed anchor', grouped=False)} "
                           f"checked (by {', '.join(signers)})")
        else:
            checked.append("no signed anchor yet (a sign-off or snapshot makes one)")
        if self.witnessed:
            checked.append(f"{plural(len(self.witnessed), 'witnessed close', grouped=False)} "
                           "on this machine checked")
            if self.witnessed[0].restored:
                checked.append(f"restored from a backup at {self.witnessed[0].closed_at}: "
                               "work witnessed here before that restore is not in it")
        else:
            checked.append("no witness record of this project on this machine")
        if self.against is not None:
            checked.append(f"extends the exported trail {self.against.name} "
                           f"(up to event {self.against.head_seq})" if not found else
                           f"compared with the exported trail {self.against.name}")
        lines = [head, *found, "checked: " + "; ".join(checked)]
        lines += [check.describe() for check in self.kept if check.intact]
        lines += self.redaction_lines()
        if found:
            return lines
        if self.vouched_seq:
            lines.append(f"vouched for up to event {self.vouched_seq} by {self.vouched_by}")
        start = self.vouched_seq + 1
        if self.events > start:
            lines.append(f"not vouched for: events {start} to {self.events} (a change to them, "
                         "or events removed from the end, cannot be detected until a sign-off, "
                         "snapshot, close or export anchors them)")
        elif self.events == start:
            lines.append(f"not vouched for: event {start} (a change to it, or its removal, "
                         "cannot be detected until a sign-off, snapshot, close or export "
                         "anchors it)")
        return lines

    def redaction_lines(self) -> list[str]:
        """One line per redaction: how many payloads it erased, when, by whom and why."""
        groups: dict[tuple[int | None, int], list[RedactedEvent]] = {}
        for event in self.redacted:
            groups.setdefault((event.recorded_in, event.recorded_seq), []).append(event)
        lines = []
        for (kept_trail, recorded_seq), events in groups.items():
            first = events[0]
            kept = sum(event.merge_id is not None for event in events)
            older = sum(event.older for event in events)
            line = f"{plural(len(events), 'event', grouped=False)}"
            if kept_trail is not None:
                line += (f" of a kept trail redacted before its merge (payloads erased at its "
                         f"event {recorded_seq}")
            else:
                line += " redacted" + (f", {kept} of them in kept trails" if kept else "")
                line += f" (payloads erased at event {recorded_seq}"
            line += f" by {first.coder}: {first.reason}); their links checked"
            if older:
                line += (f"; {older} written before payload digests were kept: their other "
                         "fields checked against the digest kept")
            lines.append(line)
        return lines

    def describe(self) -> str:
        return "\n".join(self.lines())


def trail_head(session: Session) -> tuple[int, str, str] | None:
    """The newest event as (sequence, hash, time), or None for an empty trail."""
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash, AuditEvent.at)
                          .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (row[0], row[1], row[2]) if row else None


def _hashes_at(session: Session, seqs: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    wanted = sorted(set(seqs))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update(iter(session.execute(select(AuditEvent.seq, AuditEvent.hash)
                                          .where(AuditEvent.seq.in_(chunk)))))
    return found


def _seconds_back(at: str, before: str) -> float:
    """How many seconds ``at`` lies before ``before`` (both ISO 8601 times)."""
    try:
        return (datetime.fromisoformat(before) - datetime.fromisoformat(at)).total_seconds()
    except ValueError:
        return float("inf")  # a time that is not a time was not written by the app


def _time_order(session: Session) -> Problem | None:
    """Events are appended in time order: one dated well before its predecessor was
    backdated (or the clock was put back while it was made). A step back of up to
    :data:`CLOCK_SKEW_S` is a clock being corrected (network time), not a forgery."""
    previous: tuple[int, str] | None = None
    rows = session.execute(select(AuditEvent.seq, AuditEvent.at).order_by(AuditEvent.seq)
                           .execution_options(yield_per=5000))
    for seq, at in rows:
        if previous is not None and at < previous[1] \
                and _seconds_back(at, previous[1]) > CLOCK_SKEW_S:
            return Problem(seq, f"it is dated {at}, before event {previous[0]} ({previous[1]}): "
                                "it was backdated, or the clock was put back")
        if previous is None or at > previous[1]:
            previous = (seq, at)  # the newest time so far: a small step back is measured from it
    return None


def _announced_keys(session: Session) -> dict[str, int]:
    """Public key -> the sequence of the ``coder.key`` event that put it in the trail."""
    announced: dict[str, int] = {}
    rows = session.execute(select(AuditEvent.seq, AuditEvent.after_json)
                           .where(AuditEvent.action == "coder.key"))
    for seq, after in rows:
        try:
            public = json.loads(after or "{}").get("public_key")
        except ValueError:
            continue
        if isinstance(public, str):
            announced.setdefault(public, seq)
    return announced


def _signature_problem(anchor: AnchorView, owners: dict[str, str]) -> Problem | None:
    """Whether the anchor is genuine: signed by a key the project lists for its coder."""
    if owners.get(anchor.public_key) != anchor.coder:
        return Problem(anchor.seq, f"{anchor.label}: it was signed with a key the project "
                                   f"does not list for {anchor.coder}")
    if not keys.signature_ok(anchor.public_key, anchor.message, anchor.signature):
        return Problem(anchor.seq, f"{anchor.label}: its signature does not match (the anchor "
                                   "was forged or altered)")
    return None


def _placement_problem(anchor: AnchorView, announced: dict[str, int],
                       times: dict[int, str]) -> Problem | None:
    """For an anchor whose head still holds: its key was announced before it, and the events
    on either side are dated as they must be (a backdated event after it shows here)."""
    if announced.get(anchor.public_key, anchor.seq + 1) > anchor.seq:
        key = keys.fingerprint(anchor.public_key)
        return Problem(anchor.seq, f"{anchor.label}: its key ({key}) is not announced in the "
                                   "trail before it")
    if anchor.seq in times and _seconds_back(anchor.created_at, times[anchor.seq]) > CLOCK_SKEW_S:
        return Problem(anchor.seq, f"{anchor.label}: the event it signed is dated after the "
                                   "signature")
    after = times.get(anchor.seq + 1)
    if after is not None and _seconds_back(after, anchor.created_at) > CLOCK_SKEW_S:
        return Problem(anchor.seq + 1, f"it is dated {after}, before {anchor.label} was "
                                       f"signed ({anchor.created_at}), yet comes after it: "
                                       "it was backdated")
    return None


def _missing_anchors(session: Session, anchors: list[AnchorView]) -> list[Problem]:
    """A sign-off or snapshot whose event says it was signed must still have its anchor."""
    anchored = {(a.kind, a.entity_id) for a in anchors}
    problems = []
    rows = session.execute(select(AuditEvent.seq, AuditEvent.action, AuditEvent.entity_id,
                                  AuditEvent.after_json)
                           .where(AuditEvent.action.in_(SIGNED_ACTIONS)))
    for seq, action, entity_id, after in rows:
        kind = "sign_off" if action == "phase.sign_off" else "snapshot"
        if '"signed_with"' in (after or "") and (kind, entity_id) not in anchored:
            what = "sign-off" if action == "phase.sign_off" else "snapshot"
            problems.append(Problem(seq, f"the {what} recorded here was signed, but its "
                                         "anchor has been removed"))
    return problems


def _checkpoints(anchors: list[AnchorView], witnessed: list[witness.WitnessEntry],
                 against: ExportedTrail | None) -> list[Checkpoint]:
    points = [Checkpoint(a.seq, a.head_hash, a.label, f"anchor {a.id}") for a in anchors]
    for entry in witnessed:
        source = (f"the restore of a backup witnessed on this machine at {entry.closed_at}"
                  if entry.restored else
                  f"the close witnessed on this machine at {entry.closed_at}")
        stones = set(entry.stones) | {(entry.seq, entry.hash)}
        points += [Checkpoint(seq, digest, source, f"witness {entry.closed_at}")
                   for seq, digest in stones]
    if against is not None:
        source = f"the exported trail {against.name}"
        points += [Checkpoint(seq, digest, source, "export rows") for seq, digest in against.rows]
        points.append(Checkpoint(against.head_seq, against.head_hash, source, "export head"))
        points += [Checkpoint(seq, digest, f"{source} (an anchor it carries)", "export anchors")
                   for seq, digest, _signature in against.anchors]
    return sorted(points, key=lambda p: p.seq)


def _check_points(points: list[Checkpoint], hashes: dict[int, str], last: int,
                  report: TrailReport) -> set[int]:
    """Check each checkpoint in sequence order; returns the sequences that still hold."""
    held: list[int] = [0]
    failed: set[str] = set()
    tops = {point.group: point.seq for point in points}  # sorted: the last one is the top
    for point in points:
        low = held[-1] + 1  # the first event no checkpoint below this one vouches for
        if point.seq > last:
            if point.group not in failed:
                failed.add(point.group)
                top = tops[point.group]
                if low == last + 1:
                    gone = (f"events {low} to {top} are" if top > low else f"event {low} is")
                    message = (f"{gone} missing: {point.source} recorded the trail up to "
                               f"event {top}; it now ends at event {last}")
                else:
                    message = (f"the trail now ends at event {last}, but {point.source} "
                               f"recorded it up to event {top}: events after event "
                               f"{low - 1} were removed, changed or renumbered")
                if Problem(low, message) not in report.problems:  # an export's rows and head
                    report.problems.append(Problem(low, message))
        elif hashes.get(point.seq) != point.hash:
            if point.group not in failed:
                failed.add(point.group)
                where = (f"event {point.seq} itself" if low == point.seq else
                         f"an event from {low} to {point.seq}")
                if point.group == "export rows" and low == point.seq:
                    message = (f"it differs from the same event in {point.source}: changed, "
                               "replaced or renumbered since the export")
                else:
                    message = (f"event {point.seq} no longer has the hash {point.source} "
                               f"recorded: {where} was changed, removed, inserted or "
                               "backdated, and the chain recomputed")
                report.problems.append(Problem(low, message))
        elif point.seq >= held[-1]:
            held.append(point.seq)
            report.vouched_seq, report.vouched_by = point.seq, point.source
    return set(held)


def verify_trail(session: Session, project_path: Path | None = None,
                 against: ExportedTrail | None = None) -> TrailReport:
    """Check the chain, every anchor's signature and place on it, this machine's witness
    records of ``project_path`` and, when given, the exported trail ``against``."""
    chain = verify_chain(session)
    events = session.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())
                             .limit(1)).scalar() or 0
    report = TrailReport(events=events, chain=chain, against=against)
    if chain.first_bad_seq is not None:
        report.problems.append(Problem(chain.first_bad_seq, chain.problem))
    elif chain.unprotected:
        report.problems.append(Problem(events + 1, "the database triggers that keep the trail "
                                                   "append-only have been removed"))
    signed = has_table(session, "audit_anchor")  # an older project has no anchors to check
    triggers = triggers_on(session, "audit_anchor")
    if signed and not triggers >= ANCHOR_TRIGGERS:
        report.problems.append(Problem(events + 1, "the database triggers that keep the "
                                                   "anchors append-only have been removed"))
    backdated = _time_order(session)
    if backdated:
        report.problems.append(backdated)
    report.redacted = redacted_events(session)
    report.problems += [Problem(seq, message) for seq, message in
                        redaction_problems(session, report.redacted, events)]
    report.kept = check_kept_trails(session)
    report.problems += [Problem(check.merged_at or events + 1, check.describe())
                        for check in report.kept if not check.intact]
    anchors = list_anchors(session) if signed else []
    report.anchors = anchors
    owners = registered_keys(session) if signed else {}
    announced = _announced_keys(session)
    genuine = []
    for anchor in anchors:
        problem = _signature_problem(anchor, owners)
        if problem:
            report.problems.append(problem)
        else:
            genuine.append(anchor)
    report.problems += _missing_anchors(session, anchors)
    if project_path is not None:
        created = session.execute(select(Project.created_at)).scalar_one()
        report.witnessed = witness.entries_for(project_path, created)
    points = _checkpoints(genuine, report.witnessed, against)
    hashes = _hashes_at(session, [p.seq for p in points])
    held = _check_points(points, hashes, events, report)
    times = dict(iter(session.execute(select(AuditEvent.seq, AuditEvent.at).where(
        AuditEvent.seq.in_({a.seq for a in genuine} | {a.seq + 1 for a in genuine})))))
    for anchor in genuine:
        if anchor.seq in held:
            problem = _placement_problem(anchor, announced, times)
            if problem:
                report.problems.append(problem)
    return report
