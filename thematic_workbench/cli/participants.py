"""The participant verbs: ``participants``, ``participant``, ``import-attributes``; and the
runner of ``export attributes``.

``participant PROJECT set LABEL NAME=VALUE...`` creates the participant and any attribute
it does not have yet. A new attribute's type follows its value (a number, a date written
YYYY-MM-DD, else text), or is given as ``NAME:TYPE=VALUE`` with TYPE text, number or date;
a category needs its values, so it is defined in the window. ``NAME=`` clears the value.
All the values of one command are set in one transaction: all of them, or none.
"""

from __future__ import annotations

import argparse

from thematic_workbench.cli.output import print_json
from thematic_workbench.core.changes import Change, Kind
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.queries.participant_sheet import ParticipantSheet, participant_sheet
from thematic_workbench.core.services import participants as services
from thematic_workbench.core.services.attribute_table import inferred_type
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.storage.transaction import Tx
from thematic_workbench.core.wording import plural

CLI_TYPES = ("text", "number", "date")


def add_participant_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                          common: argparse.ArgumentParser) -> None:
    listing = verbs.add_parser(
        "participants", parents=[common], help="list the participants with their attributes "
                                               "and transcripts",
        description="List each participant with their attribute values and transcripts.")
    listing.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    listing.add_argument("--json", action="store_true", help="output JSON")

    one = verbs.add_parser(
        "participant", parents=[common], help="set a participant's attributes, rename or "
                                              "delete a participant",
        description="Change one participant. 'set' creates the participant and any new "
                    "attribute; an attribute's type follows its first value (number, date "
                    "YYYY-MM-DD, else text) or is given as NAME:TYPE=VALUE (text, number, "
                    "date); NAME= clears a value.")
    one.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    actions = one.add_subparsers(dest="participant_verb", metavar="ACTION", required=True)
    setter = actions.add_parser("set", parents=[common], help="set attribute values")
    setter.add_argument("label", metavar="LABEL", help="the participant, e.g. PA")
    setter.add_argument("values", metavar="NAME=VALUE", nargs="+",
                        help="an attribute and its value; NAME= clears it")
    rename = actions.add_parser("rename", parents=[common], help="give a participant a new "
                                                                 "label")
    rename.add_argument("label", metavar="OLD")
    rename.add_argument("new_label", metavar="NEW")
    delete = actions.add_parser("delete", parents=[common],
                                help="delete a participant (their transcripts stay)")
    delete.add_argument("label", metavar="LABEL")

    imports = verbs.add_parser(
        "import-attributes", parents=[common], help="set participants' attributes from a "
                                                    "table (.csv .xlsx)",
        description="Set participants' attributes from a .csv or .xlsx table: the first column "
                    "the participant label, a header row naming the attributes. Creates the "
                    "participants and attributes it names; blank cells set nothing. A value "
                    "that does not fit an attribute's type refuses the whole file.")
    imports.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    imports.add_argument("file", metavar="FILE")


def _sheet_json(sheet: ParticipantSheet) -> list[dict[str, object]]:
    return [{"label": row.label,
             "attributes": {a.name: row.values[a.name] for a in sheet.attributes
                            if a.name in row.values},
             "documents": [document.name for document in row.documents],
             "note": row.note,
             "speaks_in": [{"document": document.name, "speaker": speaker}
                           for document, speaker in row.voices]} for row in sheet.participants]


def cmd_participants(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project, readonly=True) as store, store.read() as session:
        sheet = participant_sheet(session)
    if args.json:
        print_json(_sheet_json(sheet))
        return 0
    if not sheet.participants:
        print("no participants yet; add one with: participant PROJECT set LABEL NAME=VALUE")
        return 0
    headers = ["participant", *(a.name for a in sheet.attributes), "transcripts"]
    rows = [[row.label, *(row.values.get(a.name, "-") for a in sheet.attributes),
             row.transcripts_text() or "-"] for row in sheet.participants]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows,
                                                                        strict=True)]
    for line in (headers, *rows):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths,
                                                              strict=True)).rstrip())
    if sheet.unassigned:
        print(f"\n{plural(len(sheet.unassigned), 'transcript')} with no participant: "
              + ", ".join(d.name for d in sheet.unassigned))
    return 0


def _assignment(text: str) -> tuple[str, str | None, str]:
    """``NAME=VALUE`` or ``NAME:TYPE=VALUE`` as (name, type or None, value)."""
    if "=" not in text:
        raise InvariantError(f"'{text}': write each value as NAME=VALUE (NAME= clears it)")
    name, value = text.split("=", 1)
    type_ = None
    if ":" in name:
        name, type_ = name.rsplit(":", 1)
        type_ = type_.strip().casefold()
        if type_ not in CLI_TYPES:
            raise InvariantError(f"'{text}': the type after ':' is one of "
                                 f"{', '.join(CLI_TYPES)}, not '{type_}'; a category is "
                                 "defined in the Participants view")
    if not name.strip():
        raise InvariantError(f"'{text}': the attribute needs a name before '='")
    return " ".join(name.split()), type_, value.strip()


def _set_values(tx: Tx, label: str, assignments: list[tuple[str, str | None, str]],
                lines: list[str]) -> Change:
    participant_id, change = services.ensure_participant(tx, label)
    label = " ".join(label.split())
    if change.added:
        lines.append(f"new participant {label}")
    for name, type_, value in assignments:
        definition = services.find_attribute(tx, name)
        if definition is None:
            if not value:
                raise NotFoundError(f"no participant attribute named '{name}' to clear")
            type_ = type_ or inferred_type([value])
            change.merge(services.define_attribute(tx, name, type_))
            lines.append(f"new attribute {name} ({type_})")
            definition = services.find_attribute(tx, name)
        elif type_ is not None and type_ != definition.type:
            raise InvariantError(f"'{definition.name}' is already an attribute of type "
                                 f"{services.type_label(definition.type)}, not {type_}")
        assert definition is not None
        row = services.attribute_values(tx, participant_id).get(definition.name)
        done = services.set_participant_attribute(tx, participant_id, definition.name,
                                                  value or None)
        if done.empty:
            lines.append(f"{label}: {definition.name} unchanged")
            continue
        change.merge(done)
        now = services.attribute_values(tx, participant_id).get(definition.name)
        was = f" (was {row})" if row is not None else ""
        lines.append(f"{label}: {definition.name} cleared{was}" if now is None
                     else f"{label}: {definition.name} = {now}{was}")
    return change


def _participant_id(tx: Tx, label: str) -> int:
    found = services.find_participant(tx, label)
    if found is None:
        raise NotFoundError(f"no participant labelled '{' '.join(label.split())}'")
    return found.id


def cmd_participant(args: argparse.Namespace) -> int:
    lines: list[str] = []
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        if args.participant_verb == "set":
            _set_values(tx, args.label, [_assignment(text) for text in args.values], lines)
        elif args.participant_verb == "rename":
            services.rename_participant(tx, _participant_id(tx, args.label), args.new_label)
            lines.append(f"renamed participant {' '.join(args.label.split())} to "
                         f"{' '.join(args.new_label.split())}")
        else:
            participant_id = _participant_id(tx, args.label)
            change = services.delete_participant(tx, participant_id)
            count = len(change.changed.get(Kind.DOCUMENT, []))
            lines.append(f"deleted participant {' '.join(args.label.split())}"
                         + (f"; {plural(count, 'transcript')} now with no participant"
                            if count else ""))
    print("\n".join(lines))
    return 0


def cmd_import_attributes(args: argparse.Namespace) -> int:
    from thematic_workbench.app.attribute_exchange import import_attributes_file
    from thematic_workbench.io.attribute_table import read_attribute_table

    table = read_attribute_table(args.file)  # a bad file is refused before the project opens
    with ProjectStore.open(args.project) as store:
        done = import_attributes_file(store, args.coder, args.file, table)
    print("\n".join(done.describe()))
    return 0


HANDLERS = {"participants": cmd_participants, "participant": cmd_participant,
            "import-attributes": cmd_import_attributes}
