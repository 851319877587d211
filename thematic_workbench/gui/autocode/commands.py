"""The undo command of autocoding: redo codes the plan, undo removes exactly those codings."""

from __future__ import annotations

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import autocoding, codes
from thematic_workbench.core.services.autocoding import AutocodePlan
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.wording import plural, quoted
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


class AutocodeCommand(ServiceCommand):
    """Code a plan's passages with an existing code, or with a new one named
    ``new_code_name`` (made by the redo and deleted again by the undo)."""

    def __init__(self, session: ProjectSession, plan: AutocodePlan, *,
                 code_id: int | None = None, new_code_name: str | None = None,
                 code_name: str = "") -> None:
        self.code_name = new_code_name or code_name
        super().__init__(session, f"Code {plural(len(plan.passages), 'passage')} with "
                                  f"{quoted(self.code_name)}")
        self.plan, self.code_id, self.new_code_name = plan, code_id, new_code_name
        self.created_code_id: int | None = None
        self.coding_ids: list[int] = []

    def apply(self, tx: Tx) -> Change:
        code_id = self.code_id
        created: Change | None = None
        if code_id is None:
            assert self.new_code_name is not None
            created = codes.create_code(tx, self.new_code_name)
            code_id = self.created_code_id = created.new_id(Kind.CODE)
        change = autocoding.autocode(tx, code_id, self.plan)
        self.coding_ids = list(change.added.get(Kind.CODING, ()))
        if not self.coding_ids:
            raise InvariantError(f"nothing to code: every passage is already coded "
                                 f"{quoted(self.code_name)}")
        # the small change goes into the big one (merging checks each id against the rest)
        return change.merge(created) if created is not None else change

    def revert(self, tx: Tx) -> Change:
        change = autocoding.remove_autocoded(tx, self.coding_ids)
        if self.created_code_id is not None:
            change.merge(codes.delete_code(tx, self.created_code_id))
            self.created_code_id = None
        return change
