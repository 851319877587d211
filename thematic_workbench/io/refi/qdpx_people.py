"""Participants written as REFI-QDA Cases, their attributes as Variables.

A Case is "a subject by which sources can be grouped, e.g. the person interviewed", which
is what a participant is; a Variable is a typed attribute of a case, and the participant's
transcripts are the case's SourceRefs. Our attribute types map onto the standard's: a
number is Integer (every value whole) or Float, a date Date, a yes/no category (values
true and false) Boolean, and any other category Text: the standard has no choices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, SubElement

from thematic_workbench.core.queries.refi_records import (
    ExportAttribute,
    ExportDocument,
    ExportParticipant,
)
from thematic_workbench.core.records.refi import xml_text
from thematic_workbench.io.refi.common import PROJECT_NS
from thematic_workbench.io.refi.qdpx_xml import Guids


def _tag(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _refi_types(attributes: Sequence[ExportAttribute],
                participants: Sequence[ExportParticipant]) -> dict[int, str]:
    """Each attribute's typeOfVariable; a number is Integer when every value is whole."""
    values: dict[int, list[str]] = defaultdict(list)
    for participant in participants:
        for attribute_id, value in participant.values:
            values[attribute_id].append(value)
    types = {}
    for definition in attributes:
        if definition.type == "number":
            numbers = [_decimal(v) for v in values[definition.id]]
            whole = all(n is not None and n == n.to_integral_value() for n in numbers)
            types[definition.id] = "Integer" if whole else "Float"
        elif definition.type == "choice" and is_boolean(definition.choices):
            types[definition.id] = "Boolean"
        else:
            types[definition.id] = "Date" if definition.type == "date" else "Text"
    return types


BOOLEAN_CHOICES = ("true", "false")


def is_boolean(choices: Sequence[str]) -> bool:
    """A category of exactly the values true and false (in any case) is a Boolean."""
    return sorted(choice.casefold() for choice in choices) == sorted(BOOLEAN_CHOICES)


def write_variables(root: Element, attributes: Sequence[ExportAttribute],
                    participants: Sequence[ExportParticipant], guid: Guids) -> None:
    """``<Variables>``: one per participant attribute (nothing when there are none)."""
    if not attributes:
        return
    types = _refi_types(attributes, participants)
    container = SubElement(root, _tag("Variables"))
    for definition in attributes:
        SubElement(container, _tag("Variable"), {
            "guid": guid("attribute", definition.id), "name": xml_text(definition.name),
            "typeOfVariable": types[definition.id]})


def _value(element: Element, refi_type: str, value: str) -> None:
    number = _decimal(value)
    if refi_type == "Integer" and number is not None:
        SubElement(element, _tag("IntegerValue")).text = str(int(number))
    elif refi_type == "Float" and number is not None:
        SubElement(element, _tag("FloatValue")).text = format(number, "f")
    elif refi_type == "Boolean":
        SubElement(element, _tag("BooleanValue")).text = value.strip().casefold()
    elif refi_type == "Date":
        SubElement(element, _tag("DateValue")).text = value.strip()
    else:
        SubElement(element, _tag("TextValue")).text = xml_text(value)


def write_cases(root: Element, attributes: Sequence[ExportAttribute],
                participants: Sequence[ExportParticipant], guid: Guids,
                documents: Sequence[ExportDocument]) -> None:
    """``<Cases>``: a case per participant with its attribute values and its documents."""
    if not participants:
        return
    types = _refi_types(attributes, participants)
    container = SubElement(root, _tag("Cases"))
    for participant in participants:
        case = SubElement(container, _tag("Case"), {
            "guid": guid("participant", participant.id), "name": xml_text(participant.label)})
        if participant.note.strip():
            SubElement(case, _tag("Description")).text = xml_text(participant.note)
        for attribute_id, value in participant.values:
            element = SubElement(case, _tag("VariableValue"))
            SubElement(element, _tag("VariableRef"),
                       {"targetGUID": guid("attribute", attribute_id)})
            _value(element, types[attribute_id], value)
        for document in documents:
            if document.participant_id == participant.id:
                SubElement(case, _tag("SourceRef"),
                           {"targetGUID": guid("document", document.id)})
