"""Merging a project coded apart: bring in what the other holds that this one lacks.

Two copies of a study go their ways (a second coder codes a copy at home; a supervisor
comments on another) and come back together here. Everything is matched by what stays the
same in every copy, never by row ids, which each copy numbers on its own:

- transcripts by the SHA-256 of their text; coders by name; participants by label;
- codes and themes by their GUID first, then by name (case-insensitive; a theme's within
  its level, as emerging and final themes may share a name);
- codings by transcript, code, coder and span; margin notes, readings, diary entries,
  comments and sign-offs by who made them and when (their moments are to the microsecond).

What this project already has is kept as it is: where the other project's version differs
(a code defined otherwise, a diary entry edited), the report lists the conflict; where this
project's value is empty (a definition, a participant's note, an emerging theme's final
theme or extract, a link's label) or a comment still open, the other's completes it, and a
diary entry gets the links it has there. What this project lacks is added with its coder,
its moment and its GUID, so the same merge run again matches all of it and adds nothing.

What was deleted here stays deleted: a code or theme whose GUID this project's trail records
as deleted, and a transcript whose source file's SHA-256 it records as deleted (a
participant who withdrew), are not brought back from a copy made before, nor what hangs on
them there (codings, margin notes, comments, links); the report names them under what was
not brought. Undo the deletion here (an undo keeps a code's or theme's GUID and a
transcript's text) and merge again to have them.

A code merged into another in the other project only stays here beside the one it went into
(a conflict: merge them here too if they are one). The codings that merge moved are the
codings this project holds on the code here, not new ones; codings made there on the code
it went into come onto that code here.

Merging back and forth settles: a project whose trail since the head kept by an earlier
merge records only merges, and that brings nothing new, is nothing new. The other project's
audit trail is kept beside ours (core/trail/kept_trails.py). All of it happens in one
transaction: a merge that fails, or that a team server's role does not allow (only the
project's owner adds coders, only a supervisor signs off), leaves this project as it was.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import ProjectError
from thematic_workbench.core.services.merge_report import MergeReport
from thematic_workbench.core.services.merging.frame import FrameSteps
from thematic_workbench.core.services.merging.people import PeopleSteps
from thematic_workbench.core.services.merging.writing import WritingSteps
from thematic_workbench.core.storage.models import (
    ChecklistItem,
    Project,
    ProjectMerge,
    Snapshot,
)
from thematic_workbench.core.storage.server import shown_location
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.kept_trails import (
    MERGE_ACTION,
    chain_head,
    check_kept_trails,
    in_own_trail,
    keep_trail,
    kept_before,
    kept_but_for_merges,
)
from thematic_workbench.core.wording import plural


class _NothingNew(Exception):
    """Raised inside the transaction so that a merge that brings nothing writes nothing."""


def merge_project(project: str | Path, other: str | Path, coder: str,
                  password: str | None = None) -> MergeReport:
    """Open both projects (``other`` read-only), merge, and check the kept trail."""
    if str(project) == str(other):
        raise ProjectError(f"{project}: a project cannot be merged into itself")
    with ProjectStore.open(project, password=password) as store:
        report, _change = merge_into(store, other, coder)
        return report


def merge_into(store: ProjectStore, other: str | Path, coder: str) -> tuple[MergeReport, Change]:
    """Merge the project at ``other`` into the open ``store``; what changed, for the window."""
    with ProjectStore.open(other, readonly=True) as theirs:
        report = MergeReport(store.name, theirs.name)
        change = Change()
        try:
            with theirs.read() as reading, store.transaction(coder) as tx:
                _Merger(tx, reading, report, change, store.rights).run(
                    shown_location(theirs.location))
                if report.merge_id is None:
                    raise _NothingNew
        except _NothingNew:
            change = Change()
    if report.merge_id is not None:
        with store.read() as session:
            check = next(c for c in check_kept_trails(session) if c.merge_id == report.merge_id)
        report.trail, report.intact = check.describe(), check.intact
    return report, change


class _Merger(PeopleSteps, FrameSteps, WritingSteps):
    """One merge, step by step: each step maps the other project's ids to ours."""

    def run(self, location: str) -> None:
        for step in (self._coders, self._participants, self._documents, self._codes,
                     self._themes, self._memberships, self._codings, self._theme_extracts,
                     self._margin_notes, self._readings, self._diary, self._comments,
                     self._sign_offs, self._report_deleted):
            step()
        self.ours.flush()
        head = chain_head(self.theirs)
        already_kept = kept_before(self.ours, head)
        self._not_brought()
        if not (self.report.added or self.report.filled) and (
                already_kept or kept_but_for_merges(self.ours, self.theirs)):
            return  # nothing new: the caller rolls back
        self._record(location, head, already_kept)

    def _not_brought(self) -> None:
        """Say what a merge leaves with the other project: its frozen snapshots, its
        checklist and phase (this project's stand), and the trails it kept itself."""
        snapshots = self.theirs.execute(select(func.count()).select_from(Snapshot)).scalar_one()
        if snapshots:
            self.report.left_out.append(
                f"{snapshots} snapshots (frozen frames of that project; its trail, kept here, "
                "records each)")
        theirs_phase = self.theirs.execute(select(Project.current_phase)).scalar_one()
        if theirs_phase != self.tx.phase:
            self._conflict(f"that project is in phase {theirs_phase}, this one in phase "
                           f"{self.tx.phase}")
        ticked = set(self.theirs.execute(select(ChecklistItem.key)
                                         .where(ChecklistItem.done)).scalars())
        undone = ticked - set(self.ours.execute(select(ChecklistItem.key)
                                                .where(ChecklistItem.done)).scalars())
        if undone:
            self._conflict(f"{len(undone)} checklist points are ticked there, not here")
        kept = sum(1 for head in self.theirs.execute(select(ProjectMerge.head_seq,
                                                             ProjectMerge.head_hash))
                   if not (in_own_trail(self.ours, (head[0], head[1]))
                           or kept_before(self.ours, (head[0], head[1]))))
        if kept:  # merges of this project there, or of trails kept here too, go without saying
            self.report.left_out.append(
                f"the trails of {plural(kept, 'project')} merged into that one (merge it "
                "after verifying them there, or merge those projects here too)")

    # -- the record ------------------------------------------------------------------------
    def _record(self, location: str, head: tuple[int, str], already_kept: bool) -> None:
        title, created = self.theirs.execute(select(Project.title, Project.created_at)).one()
        report = self.report
        summary = {"added": report.added, "matched": report.matched,
                   "conflicts": report.conflicts, "left_out": report.left_out,
                   "filled": report.filled}
        merge = ProjectMerge(coder_id=self.tx.coder_id, other_title=title,
                             other_location=location, other_created_at=created,
                             head_seq=head[0], head_hash=head[1],
                             report_json=json.dumps(summary, ensure_ascii=False,
                                                    sort_keys=True))
        self.ours.add(merge)
        self.ours.flush()
        report.merge_id = merge.id
        report.other_events = head[0]
        if not already_kept:
            report.trail_kept = keep_trail(self.ours, merge.id, self.theirs)
        self.tx.audit(MERGE_ACTION, "project_merge", merge.id, after={
            "from": location, "title": title, "other_head": list(head),
            "kept_events": report.trail_kept, **summary,
            "added_ids": dict(self.added_ids)})
        self.change.change(Kind.PROJECT, 1)


def report_fields(report: MergeReport) -> dict[str, Any]:
    """The report as the command line's JSON gives it."""
    fields = asdict(report)
    fields["nothing_new"] = report.nothing_new
    return fields
