"""Undo commands the panels need beyond those in :mod:`thematic_workbench.gui.coding.commands`."""

from __future__ import annotations

from thematic_workbench.core.changes import Change
from thematic_workbench.core.queries.project import code_names
from thematic_workbench.core.services.unmerge import merge_codes_recorded, unmerge_code
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


class MergeCodesCommand(ServiceCommand):
    """Merge codes into a target; undo gives each source back its codings and themes."""

    def __init__(self, session: ProjectSession, source_ids: list[int], target_id: int) -> None:
        with session.read() as s:
            names = code_names(s, [*source_ids, target_id])
        sources = ", ".join(f"'{names.get(i, 'code')}'" for i in source_ids)
        super().__init__(session, f"Merge {sources} into '{names.get(target_id, 'code')}'")
        self.source_ids = list(dict.fromkeys(source_ids))
        self.target_id = target_id

    def apply(self, tx: Tx) -> Change:
        change, _records = merge_codes_recorded(tx, self.source_ids, self.target_id)
        return change

    def revert(self, tx: Tx) -> Change:
        change = Change()
        for source_id in reversed(self.source_ids):
            change.merge(unmerge_code(tx, source_id))
        return change
