"""The ``speaker`` verb: say which participant a speaker label of one transcript is.

In a focus group one transcript holds several participants; once "Anna" in "Group 1" is
mapped to participant P3, everything counted by participant or attribute credits P3 with
Anna's turns. The participant is created if the project does not have it yet.
"""

from __future__ import annotations

import argparse

from thematic_workbench.core.queries.project import find_document
from thematic_workbench.core.services.participants import ensure_participant
from thematic_workbench.core.services.speakers import document_speaker, map_speaker
from thematic_workbench.core.storage.store import ProjectStore


def add_speaker_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                     common: argparse.ArgumentParser) -> None:
    help_text = ("map a speaker label in one transcript to a participant (focus groups): "
                 "what that speaker said then counts for the participant")
    verb = verbs.add_parser("speaker", parents=[common], help=help_text, description=help_text)
    verb.add_argument("project", metavar="PROJECT", help="the project file (NAME.thematic)")
    verb.add_argument("document", metavar="DOCUMENT", help="document name")
    verb.add_argument("speaker", metavar="SPEAKER", help="the speaker label, e.g. Anna")
    who = verb.add_mutually_exclusive_group(required=True)
    who.add_argument("--participant", metavar="LABEL",
                     help="the participant (created if new)")
    who.add_argument("--clear", action="store_true",
                     help="remove the mapping: the turns count for the transcript's "
                          "participant again")


def cmd_speaker(args: argparse.Namespace) -> int:
    with ProjectStore.open(args.project) as store, store.transaction(args.coder) as tx:
        document = find_document(tx.session, args.document)
        label = document_speaker(tx, document.id, args.speaker)
        if args.clear:
            change = map_speaker(tx, document.id, label, None)
            done = "no longer mapped" if not change.empty else "was not mapped"
            print(f"'{label}' in '{document.name}' {done}; the turns count for the "
                  "transcript's participant")
            return 0
        participant_id, created = ensure_participant(tx, args.participant)
        change = map_speaker(tx, document.id, label, participant_id)
        new = " (new participant)" if not created.empty else ""
        state = "now counts" if not change.empty else "already counted"
        print(f"'{label}' in '{document.name}' {state} as participant "
              f"{' '.join(args.participant.split())}{new}")
    return 0


HANDLERS = {"speaker": cmd_speaker}
