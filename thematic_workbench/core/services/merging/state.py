"""What a merge carries from step to step: the maps from the other project's ids to ours,
and the bookkeeping every step shares (counting, conflicts, completions, refusals)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import PermissionDeniedError
from thematic_workbench.core.services.merge_report import MergeReport
from thematic_workbench.core.storage.server_roles import LoginRights
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.trail.deleted_here import deleted_here
from thematic_workbench.core.wording import plural


class MergeState:
    """One merge's maps and report; the step classes add the steps."""

    def __init__(self, tx: Tx, theirs: Session, report: MergeReport, change: Change,
                 rights: LoginRights | None = None) -> None:
        self.tx, self.ours, self.theirs = tx, tx.session, theirs
        self.report, self.change = report, change
        self.rights = rights  # on a team server: what this login may do
        self.deleted = deleted_here(self.ours)
        self.coders: dict[int, int] = {}
        self.participants: dict[int, int] = {}
        self.documents: dict[int, int] = {}
        self.codes: dict[int, int] = {}
        self.themes: dict[int, int] = {}
        self.codings: dict[int, int] = {}
        self.added_ids: dict[str, list[int]] = defaultdict(list)
        # What was deleted here, by kind and their id: its name there, and what of theirs
        # hangs on it (codings, margin notes), which stays there with it.
        self.gone: dict[str, dict[int, str]] = {"document": {}, "code": {}, "theme": {}}
        self.left_behind: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
        self.codings_left: set[int] = set()  # their codings on what was deleted here
        # Our code -> our codes merged into it there only: a coding that merge moved onto
        # the code is the coding here on the code it came from.
        self.kept_apart: dict[int, set[int]] = defaultdict(set)

    # -- bookkeeping -----------------------------------------------------------------------
    def _added(self, kind: str, entity: Kind | None, new_id: int) -> None:
        self.report.count(self.report.added, kind)
        self.added_ids[kind].append(new_id)
        if entity is not None:
            self.change.add(entity, new_id)

    def _insert(self, model: type[Any], values: dict[str, Any]) -> int:
        row = model(**values)
        self.ours.add(row)
        self.ours.flush()
        return int(row.id)

    def _held(self, *columns: Any) -> set[tuple[Any, ...]]:
        """What this project has, as the tuples the other project's rows are matched by."""
        return {tuple(row) for row in self.ours.execute(select(*columns))}

    def _filled(self, line: str, kind: Kind, entity_id: int) -> None:
        """Something empty or open here that the other project completes."""
        self.report.filled.append(line)
        self.change.change(kind, entity_id)

    def _conflict(self, line: str) -> None:
        self.report.conflicts.append(line)

    def _complete(self, row: Any, field: str, theirs: str, conflict: str,
                  filled: tuple[str, Kind] | None = None) -> bool:
        """One value of a thing both projects hold: theirs fills ours where ours is empty
        (the ``filled`` line says so), and two values are a conflict (ours kept). True when
        ours was filled."""
        mine = getattr(row, field)
        if not theirs or theirs == mine:
            return False
        if mine:
            self._conflict(conflict)
            return False
        setattr(row, field, theirs)
        if filled is not None:
            self._filled(filled[0], filled[1], row.id)
        return True

    def _refused(self, line: str) -> None:
        """A change this login may not make on the team server: refused before anything is
        written, in words, rather than as the server's error halfway through."""
        raise PermissionDeniedError(f"{line}; nothing was changed")

    def _left_behind(self, kind: str, their_id: int, what: str) -> None:
        """Count something of theirs that stays there with a thing deleted here."""
        counts = self.left_behind[(kind, their_id)]
        counts[what] = counts.get(what, 0) + 1

    def _report_deleted(self) -> None:
        """Name what was deleted here and not brought back, with what hangs on it there."""
        for kind, word in (("document", "transcript"), ("code", "code"), ("theme", "theme")):
            for their_id, name in self.gone[kind].items():
                counts = self.left_behind.get((kind, their_id), {})
                parts = [plural(counts[what], singular) for what, singular in
                         (("codings", "coding"), ("margin_notes", "margin note"))
                         if counts.get(what)]
                self.report.left_out.append(
                    f"{word} '{name}', deleted here"
                    + (f", and its {' and '.join(parts)} there" if parts else ""))

