"""REFI-QDA cases and variables stored as participants and their attributes.

A case is the person interviewed, so its name becomes a participant label and the sources
it groups (its SourceRefs) become that participant's transcripts; its variable values
become attributes, typed as near as our types allow: Integer and Float are numbers, Date a
date, Boolean a category of true and false, the rest text. A value our type refuses is
left out with a note rather than failing the import.
"""

from __future__ import annotations

from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.records.refi import RefiProject
from thematic_workbench.core.services.participants import (
    create_participant,
    define_attribute,
    find_attribute,
    find_participant,
    set_participant_attribute,
)
from thematic_workbench.core.services.project_result import ProjectImport
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.wording import plural

# The standard's variable types read as ours; DateTime values are kept as text.
TYPE_FROM_REFI = {"Integer": "number", "Float": "number", "Date": "date", "Boolean": "choice"}
BOOLEAN_CHOICES = ["true", "false"]
_BOOLEAN_VALUES = {"true": "true", "1": "true", "false": "false", "0": "false"}
MAX_LABEL = 100


def _short(name: str) -> str:
    return " ".join(name.split())[:MAX_LABEL].strip()


def _attribute(tx: Tx, name: str, refi_type: str, result: ProjectImport) -> str:
    """The attribute called ``name``, defined from the variable's type if it is new.

    Attribute names are unique without regard to case, so a file's "Gender" and "gender"
    become one attribute, named as first met."""
    exists = find_attribute(tx, name)
    if exists is not None:
        return exists.name
    type_ = TYPE_FROM_REFI.get(refi_type, "text")
    result.change.merge(define_attribute(
        tx, name, type_, BOOLEAN_CHOICES if type_ == "choice" else None))
    return name


def _value(refi_type: str, value: str) -> str:
    """A value as our type reads it: a Boolean's 1 and 0 are true and false."""
    if refi_type == "Boolean":
        return _BOOLEAN_VALUES.get(value.strip().casefold(), value)
    return value


def store_cases(tx: Tx, project: RefiProject, result: ProjectImport) -> dict[str, str]:
    """Participants (and attributes) from the project's cases; label by source GUID."""
    variables = {variable.guid: variable for variable in project.variables}
    attributes: dict[str, str] = {}
    participant_of: dict[str, str] = {}
    shared: set[str] = set()
    for case in project.cases:
        label = _short(case.name)
        if not label:
            continue
        existing = find_participant(tx, label)
        if existing is None:
            change = create_participant(tx, label, case.description)
            result.change.merge(change)
            result.participants += 1
            participant_id = change.new_id(Kind.PARTICIPANT)
        else:
            participant_id = existing.id
        for variable_guid, value in case.values:
            variable = variables.get(variable_guid)
            if variable is None or not _short(variable.name):
                result.notes.append(f"case '{case.name}': a value of an unknown variable "
                                    "was left out")
                continue
            if variable_guid not in attributes:
                attributes[variable_guid] = _attribute(tx, _short(variable.name),
                                                       variable.type, result)
            try:
                result.change.merge(set_participant_attribute(
                    tx, participant_id, attributes[variable_guid],
                    _value(variable.type, value)))
            except InvariantError as refused:
                result.notes.append(f"case '{case.name}': {refused}; the value was left out")
        for source_guid in case.source_guids:
            if participant_of.setdefault(source_guid, label) != label:
                shared.add(source_guid)
    if shared:
        result.notes.append(f"{plural(len(shared), 'source belongs', 'sources belong', False)} "
                            "to more than one case; each was "
                            "given to the first case that lists it")
    return participant_of
