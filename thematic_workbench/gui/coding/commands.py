"""Undo commands: each ``apply`` calls a core service and each ``revert`` its inverse.

The audit trail records both directions; nothing is ever rewound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.queries.project import code_names
from thematic_workbench.core.services import annotations as notes_service
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.common import check_colour, tidy_name
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.wording import quoted
from thematic_workbench.gui.session import ProjectSession, ServiceCommand


class ApplyCodingCommand(ServiceCommand):
    """Code a span with an existing code, or with a new one made from ``new_code_name``."""

    def __init__(self, session: ProjectSession, document_id: int, start: int, end: int, *,
                 code_id: int | None = None, new_code_name: str | None = None,
                 code_name: str | None = None, origin: str = "inductive",
                 memo: str = "") -> None:
        label = new_code_name or code_name or _code_name(session, code_id)
        super().__init__(session, f"Code with {quoted(label)}")
        self.document_id, self.start, self.end, self.memo = document_id, start, end, memo
        self.code_id = code_id
        self.new_code_name = new_code_name
        self.origin = origin
        self.coding_id: int | None = None
        self.created_code_id: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = Change()
        code_id = self.code_id
        if code_id is None:
            assert self.new_code_name is not None
            created = codes.create_code(tx, self.new_code_name, origin=self.origin)
            code_id = self.created_code_id = created.new_id(Kind.CODE)
            change.merge(created)
        applied = codings.apply_coding(tx, self.document_id, code_id, self.start, self.end,
                                       self.memo)
        self.coding_id = applied.new_id(Kind.CODING)
        return change.merge(applied)

    def revert(self, tx: Tx) -> Change:
        assert self.coding_id is not None
        change = codings.remove_coding(tx, self.coding_id)
        if self.created_code_id is not None:
            change.merge(codes.delete_code(tx, self.created_code_id))
        return change


class _RestorableDeletion(ServiceCommand):
    """Delete one entity; undo restores it from the values its deletion kept."""

    KIND: ClassVar[Kind]

    def __init__(self, session: ProjectSession, text: str, entity_id: int) -> None:
        super().__init__(session, text)
        self.entity_id = entity_id
        self.values: dict[str, Any] = {}

    def delete(self, tx: Tx, entity_id: int) -> Change:  # pragma: no cover - abstract
        raise NotImplementedError

    def restore(self, tx: Tx, values: dict[str, Any]) -> Change:  # pragma: no cover
        raise NotImplementedError

    def apply(self, tx: Tx) -> Change:
        change = self.delete(tx, self.entity_id)
        self.values = change.values_before(self.KIND, self.entity_id)
        return change

    def revert(self, tx: Tx) -> Change:
        change = self.restore(tx, self.values)
        self.entity_id = change.new_id(self.KIND)
        return change


class RemoveCodingCommand(_RestorableDeletion):
    KIND = Kind.CODING

    def __init__(self, session: ProjectSession, coding_id: int) -> None:
        super().__init__(session, "Remove coding", coding_id)

    @property
    def coding_id(self) -> int:
        return self.entity_id

    def delete(self, tx: Tx, entity_id: int) -> Change:
        return codings.remove_coding(tx, entity_id)

    def restore(self, tx: Tx, values: dict[str, Any]) -> Change:
        return codings.restore_coding(tx, values)


class SetMemoCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, coding_id: int, memo: str) -> None:
        super().__init__(session, "Edit coding memo")
        self.coding_id, self.memo = coding_id, memo
        self.previous: str | None = None

    def apply(self, tx: Tx) -> Change:
        change = codings.set_coding_memo(tx, self.coding_id, self.memo)
        self.previous = _before(change, Kind.CODING, self.coding_id, "memo")
        return change

    def revert(self, tx: Tx) -> Change:
        if self.previous is None:  # the memo was already this: nothing to undo
            return Change()
        return codings.set_coding_memo(tx, self.coding_id, self.previous)


class RecodeCodingCommand(ServiceCommand):
    """Move a coding to another code, or to a new one made from ``new_code_name``.

    One undo step: the undo recodes back and deletes the code it made.
    """

    def __init__(self, session: ProjectSession, coding_id: int, *,
                 code_id: int | None = None, new_code_name: str | None = None) -> None:
        label = new_code_name or _code_name(session, code_id)
        super().__init__(session, f"Recode as {quoted(label)}")
        self.coding_id, self.code_id, self.new_code_name = coding_id, code_id, new_code_name
        self.previous_code_id: int | None = None
        self.created_code_id: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = Change()
        code_id = self.code_id
        if code_id is None:
            assert self.new_code_name is not None
            created = codes.create_code(tx, self.new_code_name)
            code_id = self.created_code_id = created.new_id(Kind.CODE)
            change.merge(created)
        recoded = codings.recode_coding(tx, self.coding_id, code_id)
        self.previous_code_id = _before(recoded, Kind.CODING, self.coding_id, "code_id")
        return change.merge(recoded)

    def revert(self, tx: Tx) -> Change:
        change = Change()
        if self.previous_code_id is not None:  # None: it was on that code already
            change.merge(codings.recode_coding(tx, self.coding_id, self.previous_code_id))
        if self.created_code_id is not None:
            change.merge(codes.delete_code(tx, self.created_code_id))
        return change


class CodeAttributeCommand(ServiceCommand):
    """Rename, define or recolour a code; the inverse sets the previous value back."""

    SERVICES: ClassVar[dict[str, Callable[[Tx, int, str, str | None], Change]]] = {
        "name": codes.rename_code, "definition": codes.define_code,
        "colour": codes.recolour_code}
    LABELS: ClassVar[dict[str, str]] = {
        "name": "Rename code", "definition": "Define code", "colour": "Recolour code"}

    def __init__(self, session: ProjectSession, code_id: int, field: str, value: str,
                 seen: str | None = None) -> None:
        """``seen``: the value the coder saw; a change someone made since is not overwritten
        (on a team server), nor is one made after this, on undo."""
        super().__init__(session, self.LABELS[field])
        self.code_id, self.field, self.value, self.seen = code_id, field, value, seen
        self.previous: str | None = None

    def apply(self, tx: Tx) -> Change:
        seen = self.seen if self.previous is None else self.previous
        change = self.SERVICES[self.field](tx, self.code_id, self.value, seen)
        self.previous = _before(change, Kind.CODE, self.code_id, self.field)
        return change

    def revert(self, tx: Tx) -> Change:
        if self.previous is None:  # the code had this value already: nothing to undo
            return Change()
        return self.SERVICES[self.field](tx, self.code_id, self.previous, self._stored())

    def _stored(self) -> str:
        """The value as the service stored it (names tidied, colours in capitals)."""
        if self.field == "name":
            return tidy_name(self.value, "code")
        if self.field == "colour":
            return check_colour(self.value)
        return self.value.strip()


class DeleteCodeCommand(_RestorableDeletion):
    KIND = Kind.CODE

    def __init__(self, session: ProjectSession, code_id: int) -> None:
        super().__init__(session, f"Delete code '{_code_name(session, code_id)}'", code_id)

    @property
    def code_id(self) -> int:
        return self.entity_id

    def delete(self, tx: Tx, entity_id: int) -> Change:
        return codes.delete_code(tx, entity_id)

    def restore(self, tx: Tx, values: dict[str, Any]) -> Change:
        return codes.restore_code(tx, values)


class AddAnnotationCommand(ServiceCommand):
    def __init__(self, session: ProjectSession, document_id: int, start: int, end: int,
                 body: str) -> None:
        super().__init__(session, "Add margin note")
        self.document_id, self.start, self.end, self.body = document_id, start, end, body
        self.annotation_id: int | None = None

    def apply(self, tx: Tx) -> Change:
        change = notes_service.add_annotation(tx, self.document_id, self.start, self.end,
                                            self.body)
        self.annotation_id = change.new_id(Kind.ANNOTATION)
        return change

    def revert(self, tx: Tx) -> Change:
        assert self.annotation_id is not None
        return notes_service.delete_annotation(tx, self.annotation_id)


def _before(change: Change, kind: Kind, entity_id: int, key: str) -> Any:
    """The value ``key`` had before the change, or None when the change changed nothing."""
    return None if change.empty else change.values_before(kind, entity_id)[key]


def _code_name(session: ProjectSession, code_id: int | None) -> str:
    if code_id is None:
        return "code"
    with session.read() as s:
        return code_names(s, [code_id]).get(code_id) or "code"
